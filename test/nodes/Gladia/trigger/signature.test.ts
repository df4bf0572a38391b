// Every signature here is produced by the real `svix` library (Webhook.sign), and the
// random round-trips compare our verdict with svix's own Webhook.verify.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'svix';

import {
	decodeSigningSecret,
	SIGNATURE_TOLERANCE_SECONDS,
	verifySvixSignature,
} from '../../../../nodes/Gladia/trigger/signature';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const OTHER_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const BODY = Buffer.from(
	JSON.stringify({ event: 'transcription.success', payload: { id: 'job-1' } }),
);
const NOW = Math.floor(Date.now() / 1000);

function signed(options: {
	secret?: string;
	id?: string;
	timestamp?: number;
	body?: Buffer | string;
	prefix?: 'svix' | 'webhook';
}) {
	const id = options.id ?? 'msg_2bVnLqBt4ubFrbOm8QNWg5Xa1fE';
	const timestamp = options.timestamp ?? NOW;
	const body = options.body ?? BODY;
	const signature = new Webhook(options.secret ?? SECRET).sign(
		id,
		new Date(timestamp * 1000),
		body.toString(),
	);
	const prefix = options.prefix ?? 'svix';
	return {
		headers: {
			[`${prefix}-id`]: id,
			[`${prefix}-timestamp`]: String(timestamp),
			[`${prefix}-signature`]: signature,
		} as Record<string, string>,
		signature,
		body: Buffer.from(body),
	};
}

describe('verifySvixSignature', () => {
	it('accepts a delivery signed by svix, with svix-* headers', () => {
		const { headers, body } = signed({});
		expect(verifySvixSignature(SECRET, headers, body, NOW)).toEqual({
			ok: true,
			messageId: 'msg_2bVnLqBt4ubFrbOm8QNWg5Xa1fE',
			timestamp: NOW,
		});
	});

	it('accepts the white-labelled webhook-* headers', () => {
		const { headers, body } = signed({ prefix: 'webhook' });
		expect(verifySvixSignature(SECRET, headers, body, NOW).ok).toBe(true);
	});

	it('accepts a secret pasted without the whsec_ prefix or with surrounding spaces', () => {
		const { headers, body } = signed({});
		expect(verifySvixSignature(SECRET.slice('whsec_'.length), headers, body, NOW).ok).toBe(true);
		expect(verifySvixSignature(`  ${SECRET}\n`, headers, body, NOW).ok).toBe(true);
	});

	it('signs the raw bytes: non-ASCII bodies verify exactly as svix signs them', () => {
		const body = JSON.stringify({ event: 'transcription.success', payload: { id: 'é—日本語🎧' } });
		const { headers } = signed({ body });
		expect(verifySvixSignature(SECRET, headers, Buffer.from(body), NOW).ok).toBe(true);
	});

	it('accepts any matching v1 entry among several (secret rotation)', () => {
		const { headers, body } = signed({});
		const old = signed({ secret: OTHER_SECRET }).signature;
		headers['svix-signature'] = `${old} v2,whatever ${headers['svix-signature']}`;
		expect(verifySvixSignature(SECRET, headers, body, NOW).ok).toBe(true);
	});

	it('rejects a correct signature under another version tag', () => {
		const { headers, body, signature } = signed({});
		headers['svix-signature'] = signature.replace(/^v1,/, 'v1a,');
		expect(verifySvixSignature(SECRET, headers, body, NOW)).toMatchObject({
			ok: false,
			problem: 'signature',
		});
	});

	it('rejects the wrong secret, a tampered body, id or timestamp', () => {
		const { headers, body } = signed({});
		expect(verifySvixSignature(OTHER_SECRET, headers, body, NOW)).toMatchObject({
			ok: false,
			problem: 'signature',
			message: 'No matching signature found',
		});

		const tampered = Buffer.from(body);
		tampered[tampered.length - 3] ^= 1;
		expect(verifySvixSignature(SECRET, headers, tampered, NOW)).toMatchObject({
			problem: 'signature',
		});
		expect(
			verifySvixSignature(SECRET, headers, Buffer.concat([body, Buffer.from(' ')]), NOW),
		).toMatchObject({ problem: 'signature' });
		expect(
			verifySvixSignature(SECRET, { ...headers, 'svix-id': 'msg_other' }, body, NOW),
		).toMatchObject({ problem: 'signature' });
		expect(
			verifySvixSignature(SECRET, { ...headers, 'svix-timestamp': String(NOW - 1) }, body, NOW),
		).toMatchObject({ problem: 'signature' });
	});

	it('rejects missing or empty headers', () => {
		const { headers, body } = signed({});
		for (const name of ['svix-id', 'svix-timestamp', 'svix-signature']) {
			const partial = { ...headers };
			delete partial[name];
			expect(verifySvixSignature(SECRET, partial, body, NOW)).toMatchObject({
				ok: false,
				problem: 'headers',
			});
			expect(verifySvixSignature(SECRET, { ...headers, [name]: '' }, body, NOW).ok).toBe(false);
		}
		expect(verifySvixSignature(SECRET, {}, body, NOW)).toMatchObject({ problem: 'headers' });
	});

	it('does not mix svix-* and webhook-* headers', () => {
		const { headers, body } = signed({});
		const mixed = {
			'svix-id': headers['svix-id'],
			'webhook-timestamp': headers['svix-timestamp'],
			'webhook-signature': headers['svix-signature'],
		};
		expect(verifySvixSignature(SECRET, mixed, body, NOW)).toMatchObject({ problem: 'headers' });
	});

	it('enforces the 5-minute tolerance in both directions, boundary included', () => {
		const tolerance = SIGNATURE_TOLERANCE_SECONDS;
		expect(tolerance).toBe(300);
		const edgeOld = signed({ timestamp: NOW - tolerance });
		expect(verifySvixSignature(SECRET, edgeOld.headers, edgeOld.body, NOW).ok).toBe(true);
		const stale = signed({ timestamp: NOW - tolerance - 1 });
		expect(verifySvixSignature(SECRET, stale.headers, stale.body, NOW)).toMatchObject({
			ok: false,
			problem: 'timestamp',
			message: 'Message timestamp too old',
		});
		const edgeNew = signed({ timestamp: NOW + tolerance });
		expect(verifySvixSignature(SECRET, edgeNew.headers, edgeNew.body, NOW).ok).toBe(true);
		const future = signed({ timestamp: NOW + tolerance + 1 });
		expect(verifySvixSignature(SECRET, future.headers, future.body, NOW)).toMatchObject({
			ok: false,
			problem: 'timestamp',
		});
	});

	it('rejects malformed timestamps and ids without throwing', () => {
		const { headers, body } = signed({});
		for (const timestamp of ['abc', '-5', '1e9', ' 1700000000', '9'.repeat(20), '17000000.5']) {
			expect(
				verifySvixSignature(SECRET, { ...headers, 'svix-timestamp': timestamp }, body, NOW),
			).toMatchObject({ ok: false, problem: 'timestamp' });
		}
		for (const id of ['has space', 'x'.repeat(257), 'tab\tid']) {
			expect(verifySvixSignature(SECRET, { ...headers, 'svix-id': id }, body, NOW)).toMatchObject({
				ok: false,
				problem: 'headers',
			});
		}
	});

	it('reports an unusable secret as the configuration problem it is', () => {
		const { headers, body } = signed({});
		for (const secret of ['', 'whsec_', 'whsec_not base64!', 'whsec_abc']) {
			const check = verifySvixSignature(secret, headers, body, NOW);
			expect(check).toMatchObject({ ok: false, problem: 'secret' });
			expect(!check.ok && check.message).toContain('Webhook Signing Secret');
		}
		expect(decodeSigningSecret(SECRET)?.length).toBe(24);
	});

	it('agrees with svix Webhook.verify on 300 random deliveries and tamperings', () => {
		for (let i = 0; i < 300; i++) {
			const secret = `whsec_${randomBytes(16 + (i % 17)).toString('base64')}`;
			const body = JSON.stringify({ pad: randomBytes(i % 50).toString('base64'), i, s: '✓' });
			const { headers } = signed({
				secret,
				body,
				id: `msg_${randomBytes(8).toString('hex')}`,
				timestamp: NOW - 400 + ((i * 7) % 800),
			});
			const variants: Array<[Record<string, string>, string]> = [
				[headers, body],
				[headers, `${body} `],
				[{ ...headers, 'svix-id': `${headers['svix-id']}x` }, body],
				[{ ...headers, 'svix-signature': headers['svix-signature'].slice(0, -2) + 'AA' }, body],
			];
			for (const [variantHeaders, variantBody] of variants) {
				let svixAccepts = true;
				try {
					new Webhook(secret).verify(variantBody, variantHeaders);
				} catch {
					svixAccepts = false;
				}
				const ours = verifySvixSignature(
					secret,
					variantHeaders,
					Buffer.from(variantBody),
					Math.floor(Date.now() / 1000),
				);
				expect({ i, ok: ours.ok }).toEqual({ i, ok: svixAccepts });
			}
		}
	});
});
