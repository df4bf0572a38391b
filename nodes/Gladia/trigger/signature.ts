// Svix webhook signatures (Gladia's dashboard webhooks are delivered by Svix), checked with
// node:crypto only. Scheme, as implemented by the `svix` library and documented by Svix:
// HMAC-SHA256 over `<id>.<timestamp>.<raw body>`, key = base64 of the secret after `whsec_`,
// header = space-separated `v1,<base64>` entries, timestamp within 5 minutes either way.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Svix message ids look like `msg_2b…`; anything printable and short is accepted.
const MESSAGE_ID = /^[\x21-\x7e]{1,256}$/;
const TIMESTAMP = /^\d{1,12}$/;

export type HeaderValue = string | string[] | undefined;

export type SignatureCheck =
	| { ok: true; messageId: string; timestamp: number }
	| {
			ok: false;
			/** `secret`: the configured secret is unusable (our fault); anything else: the request's. */
			problem: 'secret' | 'headers' | 'timestamp' | 'signature';
			message: string;
	  };

/** The HMAC key of a `whsec_…` secret, or undefined when it is not valid base64. */
export function decodeSigningSecret(secret: string): Buffer | undefined {
	const encoded = secret.trim().startsWith(SECRET_PREFIX)
		? secret.trim().slice(SECRET_PREFIX.length)
		: secret.trim();
	if (encoded === '' || !BASE64.test(encoded)) return undefined;
	return Buffer.from(encoded, 'base64');
}

function headerValue(headers: Record<string, HeaderValue>, name: string): string | undefined {
	const value = headers[name];
	const text = Array.isArray(value) ? value.join(' ') : value;
	return text === undefined || text === '' ? undefined : text;
}

/** Svix headers, or their white-labelled `webhook-*` twins (used only when a svix one is missing). */
function signatureHeaders(headers: Record<string, HeaderValue>) {
	for (const prefix of ['svix', 'webhook']) {
		const id = headerValue(headers, `${prefix}-id`);
		const timestamp = headerValue(headers, `${prefix}-timestamp`);
		const signature = headerValue(headers, `${prefix}-signature`);
		if (id && timestamp && signature) return { id, timestamp, signature };
	}
	return undefined;
}

/**
 * Checks a delivery's Svix signature. `headers` are Node's (lower-case names); `rawBody` is
 * the body exactly as received; `nowSeconds` is the current Unix time.
 */
export function verifySvixSignature(
	secret: string,
	headers: Record<string, HeaderValue>,
	rawBody: Buffer,
	nowSeconds: number,
): SignatureCheck {
	const key = decodeSigningSecret(secret);
	if (!key) {
		return {
			ok: false,
			problem: 'secret',
			message:
				'The credential’s Webhook Signing Secret is not a valid Svix secret: copy it again from app.gladia.io → Webhooks (it looks like whsec_ followed by base64)',
		};
	}
	const found = signatureHeaders(headers);
	if (!found) {
		return {
			ok: false,
			problem: 'headers',
			message: 'Missing signature headers (svix-id, svix-timestamp, svix-signature)',
		};
	}
	if (!MESSAGE_ID.test(found.id)) {
		return { ok: false, problem: 'headers', message: 'Malformed svix-id header' };
	}
	if (!TIMESTAMP.test(found.timestamp)) {
		return { ok: false, problem: 'timestamp', message: 'Malformed svix-timestamp header' };
	}
	const timestamp = Number(found.timestamp);
	if (nowSeconds - timestamp > SIGNATURE_TOLERANCE_SECONDS) {
		return { ok: false, problem: 'timestamp', message: 'Message timestamp too old' };
	}
	if (timestamp - nowSeconds > SIGNATURE_TOLERANCE_SECONDS) {
		return { ok: false, problem: 'timestamp', message: 'Message timestamp too far in the future' };
	}

	const expected = Buffer.from(
		createHmac('sha256', key).update(`${found.id}.${timestamp}.`).update(rawBody).digest('base64'),
	);
	// Several entries during a secret rotation; other versions than v1 are skipped, as svix does.
	for (const entry of found.signature.split(' ')) {
		const comma = entry.indexOf(',');
		if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
		const candidate = Buffer.from(entry.slice(comma + 1));
		if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
			return { ok: true, messageId: found.id, timestamp };
		}
	}
	return { ok: false, problem: 'signature', message: 'No matching signature found' };
}
