// Idempotent create inside n8n's real engine against the emulator: faults are injected on the
// emulator's create route and the emulator's own job list is the proof (no duplicates).
import type { IDataObject } from 'n8n-workflow';

import {
	createJobIdempotently,
	IDEMPOTENCY_FIELD,
	withIdempotencyKey,
} from '../../../../nodes/Gladia/transport/jobs';
import type { InitTranscriptionRequest } from '../../../../nodes/Gladia/helpers/types';
import type { RetryPolicy } from '../../../../nodes/Gladia/transport/retry';
import { startEmulator, type EmulatorHandle } from '../../../emulator';
import { runNode } from '../../../helpers/engine';
import { probeNode } from '../helpers/probe';

let emulator: EmulatorHandle;

beforeAll(async () => {
	emulator = await startEmulator({ speedFactor: 0.01 });
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => emulator.reset());

const AUDIO_URL = 'https://media.example.com/standup.mp3?emulator_duration=6';

async function create(body: InitTranscriptionRequest, policy?: RetryPolicy) {
	const node = probeNode(async function () {
		try {
			return [{ ...(await createJobIdempotently.call(this, body, 0, policy)) } as IDataObject];
		} catch (error) {
			const { message, description } = error as Error & { description?: string };
			return [{ error: message, description: description ?? null }];
		}
	});
	const run = await runNode({
		nodeType: node,
		parameters: {},
		credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
	});
	return run.items[0].json;
}

const requests = (method: string, path = '/v2/pre-recorded') =>
	emulator.log.filter((entry) => entry.method === method && entry.path === path);

describe('withIdempotencyKey', () => {
	it('adds a fresh key and keeps the user’s own metadata untouched', () => {
		const userMetadata = { customer: 'ACME', tags: ['q3'] };
		const body = { audio_url: AUDIO_URL, custom_metadata: userMetadata };
		const first = withIdempotencyKey(body);
		const second = withIdempotencyKey(body);
		expect(first.body.custom_metadata).toEqual({ ...userMetadata, [IDEMPOTENCY_FIELD]: first.key });
		expect(first.key).toMatch(/^[0-9a-f-]{36}$/);
		expect(second.key).not.toBe(first.key);
		expect(body.custom_metadata).toEqual({ customer: 'ACME', tags: ['q3'] });
	});

	it('keeps a key the user set (to make re-runs idempotent themselves)', () => {
		const tagged = withIdempotencyKey({
			audio_url: AUDIO_URL,
			custom_metadata: { [IDEMPOTENCY_FIELD]: 'order-42' },
		});
		expect(tagged.key).toBe('order-42');
	});
});

describe('createJobIdempotently', () => {
	it('creates one job whose custom_metadata holds the user’s fields and the key', async () => {
		const result = await create({ audio_url: AUDIO_URL, custom_metadata: { customer: 'ACME' } });
		const jobs = emulator.jobs();
		expect(jobs).toHaveLength(1);
		expect(result.id).toBe(jobs[0].id);
		expect(result.result_url).toEqual(expect.stringContaining(jobs[0].id));
		expect(jobs[0].request.custom_metadata).toEqual({
			customer: 'ACME',
			[IDEMPOTENCY_FIELD]: expect.any(String),
		});
	});

	it('after an ambiguous create (job made, answer lost) finds the job instead of making a second', async () => {
		emulator.injectFault({ route: 'create', kind: 'ambiguous-create' });
		const result = await create({ audio_url: AUDIO_URL });
		const jobs = emulator.jobs();
		expect(jobs).toHaveLength(1);
		expect(result.id).toBe(jobs[0].id);
		expect(requests('POST')).toHaveLength(1);
		const lookups = requests('GET');
		expect(lookups).toHaveLength(1);
		expect(JSON.parse(String(lookups[0].query.custom_metadata))).toEqual({
			[IDEMPOTENCY_FIELD]: (jobs[0].request.custom_metadata as IDataObject)[IDEMPOTENCY_FIELD],
		});
	});

	it('after a 5xx that made no job, looks up, finds nothing, and sends the create again', async () => {
		emulator.injectFault({ route: 'create', kind: '500' });
		const result = await create({ audio_url: AUDIO_URL });
		expect(emulator.jobs()).toHaveLength(1);
		expect(result.id).toBe(emulator.jobs()[0].id);
		expect(requests('POST')).toHaveLength(2);
		expect(requests('GET')).toHaveLength(1);
	});

	it('resends after a 429 without a look-up (Gladia refused it, nothing was made)', async () => {
		emulator.injectFault({ route: 'create', kind: '429', retryAfter: 0.05 });
		await create({ audio_url: AUDIO_URL });
		expect(emulator.jobs()).toHaveLength(1);
		expect(requests('POST')).toHaveLength(2);
		expect(requests('GET')).toHaveLength(0);
	});

	it('never resends a create Gladia rejected as invalid', async () => {
		const result = await create({ audio_url: AUDIO_URL, diarization_config: { min_speakers: -1 } });
		expect(result.error).toMatch(/HTTP 4\d\d/);
		expect(requests('POST')).toHaveLength(1);
		expect(emulator.jobs()).toHaveLength(0);
	});

	it('refuses metadata that the key would push past Gladia’s 2000 characters, naming the field', async () => {
		const result = await create({
			audio_url: AUDIO_URL,
			custom_metadata: { notes: 'x'.repeat(1960) },
		});
		expect(result.error).toMatch(
			/^Custom Metadata: is \d+ characters as JSON once the "n8n_idempotency_key" key is added, over Gladia's 2000 \[item 0\]$/,
		);
		expect(result.description).toMatch(/Shorten the Custom Metadata option/);
		expect(emulator.log).toHaveLength(0);
	});

	it('when every attempt is ambiguous, says the job may exist and how to find it', async () => {
		emulator.injectFault({ route: 'create', kind: 'reset', count: 50 });
		const result = await create(
			{ audio_url: AUDIO_URL },
			{ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20, maxTotalMs: 1000 },
		);
		expect(result.error).toMatch(/connection closed unexpectedly \[item 0\]/);
		expect(requests('POST')).toHaveLength(3);
		expect(requests('GET')).toHaveLength(2);
		expect(result.description).toMatch(
			new RegExp(`Gladia may have created the job anyway.*"${IDEMPOTENCY_FIELD}": "[0-9a-f-]{36}"`),
		);
	});
});
