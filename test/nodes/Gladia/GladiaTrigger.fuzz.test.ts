// Gladia Trigger over real HTTP (setup: GladiaTrigger.harness.ts). Fuzzing: random unsigned,
// badly signed and correctly signed requests.
import { randomBytes } from 'node:crypto';

import type { TriggerServer } from '../../helpers/webhook';
import {
	ALL_EVENTS,
	emulator,
	finishedJob,
	SECRET,
	send,
	svixHeaders,
	trigger,
	useTriggerHarness,
	WRONG_SECRET,
} from './GladiaTrigger.harness';

useTriggerHarness();

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function randomSource(seed: number) {
	let state = seed;
	const next = () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (max: number) => Math.floor(next() * max);
	const pick = <T>(values: readonly T[]): T => values[int(values.length)];
	return { next, int, pick };
}

describe('GladiaTrigger fuzzing', () => {
	const random = randomSource(0x61ad1a);
	const events = [
		...ALL_EVENTS,
		'live.end_session',
		'',
		'transcription.success ',
		'TRANSCRIPTION.SUCCESS',
	];

	function randomValue(depth = 0): unknown {
		switch (random.int(depth > 2 ? 5 : 8)) {
			case 0:
				return null;
			case 1:
				return random.next() * 1e6 - 5e5;
			case 2:
				return random.pick(['', 'é', '../', '%00', 'a'.repeat(random.int(300)), '\u0000\ud800']);
			case 3:
				return random.next() < 0.5;
			case 4:
				return randomBytes(random.int(40)).toString('base64');
			case 5:
				return Array.from({ length: random.int(4) }, () => randomValue(depth + 1));
			default:
				return Object.fromEntries(
					Array.from({ length: random.int(5) }, () => [
						random.pick(['id', 'event', 'payload', 'error', 'custom_metadata', 'x']),
						randomValue(depth + 1),
					]),
				);
		}
	}

	function randomBody(jobIds: string[]): string | Buffer {
		switch (random.int(6)) {
			case 0:
				return randomBytes(random.int(200));
			case 1:
				return JSON.stringify(randomValue());
			case 2:
				return JSON.stringify({
					event: random.pick(events),
					payload: { id: random.pick([...jobIds, 'nope', randomValue()]) },
				});
			case 3:
				return JSON.stringify({
					id: random.pick([...jobIds, randomValue()]),
					event: random.pick(events),
					payload: randomValue(),
					error: randomValue(),
					custom_metadata: randomValue(),
				});
			case 4:
				return JSON.stringify({
					event: random.pick(events),
					payload: { id: random.pick(jobIds) },
				}).slice(0, random.int(60));
			default:
				return `{"event":"${random.pick(events)}","payload":{"id":"${random.pick(jobIds)}"}}${random.pick(['', ' ', '\n', ',', '}'])}`;
		}
	}

	function randomHeaders(body: string | Buffer): Record<string, string> {
		const text = body.toString();
		const headers: Record<string, string> = {};
		switch (random.int(7)) {
			case 0:
				break; // unsigned
			case 1:
				Object.assign(headers, svixHeaders(text, { secret: WRONG_SECRET }));
				break;
			case 2:
				Object.assign(headers, svixHeaders(`${text}x`));
				break;
			case 3: {
				const signed = svixHeaders(text);
				delete signed[random.pick(Object.keys(signed))];
				Object.assign(headers, signed);
				break;
			}
			case 4:
				Object.assign(
					headers,
					svixHeaders(text, {
						timestamp:
							Math.floor(Date.now() / 1000) + random.pick([-1, 1]) * (330 + random.int(1e6)),
					}),
				);
				break;
			case 5:
				Object.assign(headers, {
					'svix-id': String(randomValue()),
					'svix-timestamp': String(random.pick([Math.floor(Date.now() / 1000), 'NaN', -1, 1e20])),
					'svix-signature': random.pick([
						'',
						'v1,',
						'v1,AAAA',
						`v2,${randomBytes(32).toString('base64')}`,
						'v1 v1 v1',
					]),
				});
				break;
			default:
				Object.assign(headers, svixHeaders(text, { prefix: 'webhook', secret: WRONG_SECRET }));
		}
		if (random.next() < 0.3) headers['x-forwarded-for'] = '10.0.0.1';
		// HTTP header values are Latin-1 text: what no sender could put on the wire is replaced.
		return Object.fromEntries(
			Object.entries(headers).map(([name, value]) => [
				name,
				value.replace(/[^\x20-\x7e\xa0-\xff]/g, '?'),
			]),
		);
	}

	async function fire(
		server: TriggerServer,
		count: number,
		build: () => {
			body: string | Buffer;
			headers: Record<string, string>;
			contentType: string | null;
			method: 'POST' | 'PUT';
		},
	) {
		const statuses: number[] = [];
		const queue = Array.from({ length: count }, build);
		// A few requests in flight at once, as a busy sender would.
		await Promise.all(
			Array.from({ length: 8 }, async () => {
				for (let request = queue.shift(); request; request = queue.shift()) {
					const answer = await send(server.url, request.body, request);
					statuses.push(answer.status);
				}
			}),
		);
		await server.settled();
		return statuses;
	}

	// Sized to fit its time limit with room to spare on a loaded 2-core CI machine: 600 requests
	// take ~5 s alone and ~15 s next to a full test run; the limit is 60 s.
	const UNSIGNED_REQUESTS = 600;

	it(`${UNSIGNED_REQUESTS} random unsigned or badly signed requests with a secret set: no crash, no execution, no Gladia call`, async () => {
		const jobs = [await finishedJob(), await finishedJob()];
		const jobIds = jobs.map((job) => String(job.id));
		const gladiaCallsBefore = emulator.log.length;
		const server = await trigger({}, { credentials: { webhookSigningSecret: SECRET } });
		const statuses = await fire(server, UNSIGNED_REQUESTS, () => {
			const body = randomBody(jobIds);
			return {
				body,
				headers: randomHeaders(body),
				contentType: random.pick([
					'application/json',
					'text/plain',
					null,
					'application/json; charset=utf-8',
				]),
				method: random.pick(['POST', 'PUT'] as const),
			};
		});

		expect(statuses).toHaveLength(UNSIGNED_REQUESTS);
		expect(server.crashes()).toEqual([]);
		expect(server.executions()).toHaveLength(0);
		expect(emulator.log.length).toBe(gladiaCallsBefore);
		// n8n itself answers 422 to invalid application/json; everything the node sees is a 401.
		expect(new Set(statuses)).toEqual(new Set([401, 422]));
		expect(statuses.filter((status) => status === 401).length).toBeGreaterThan(
			(UNSIGNED_REQUESTS * 2) / 3,
		);
	}, 60_000);

	it('400 random correctly signed requests: no crash, executions only for real jobs', async () => {
		const jobs = [await finishedJob(), await finishedJob()];
		const jobIds = jobs.map((job) => String(job.id));
		const server = await trigger({}, { credentials: { webhookSigningSecret: SECRET } });
		const statuses = await fire(server, 400, () => {
			const body = randomBody(jobIds).toString();
			return { body, headers: svixHeaders(body), contentType: 'text/plain', method: 'POST' };
		});

		expect(server.crashes()).toEqual([]);
		for (const status of statuses) expect([200, 400, 404, 409]).toContain(status);
		const executed = server.executions().map((execution) => execution.items[0].json);
		expect(executed.length).toBeGreaterThan(0);
		for (const output of executed) {
			expect(jobIds).toContain(output.id);
			expect(output.verified).toBe(true);
		}
		// One execution per (job, event) at most, however often it was sent.
		const keys = executed.map((output) => `${String(output.id)} ${String(output.event)}`);
		expect(new Set(keys).size).toBe(keys.length);
	});
});
