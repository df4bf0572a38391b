// Options → Reuse Earlier Job (Create, Transcribe in Poll mode), in n8n's engine against the
// emulator: the same audio with the same options bills nothing twice; anything else makes a job.
import { BinaryDataService } from 'n8n-core';
import { sleep, type INodeParameters } from 'n8n-workflow';

import { REUSE_FIELD } from '../../../../../nodes/Gladia/helpers/fingerprint';
import { makeWav } from '../../../../emulator';
import { makeBinaryItem, setBinaryMode } from '../../../../helpers/engine';
import { apiCalls, audioUrl, FAST_WAIT, runGladia, useEmulator } from '../../../../helpers/gladia';

const emulator = useEmulator();

const REUSE: INodeParameters = { ...FAST_WAIT, reuseEarlierJob: true };

const transcribe = (extra: INodeParameters = {}, options: INodeParameters = REUSE) => ({
	resource: 'transcription',
	operation: 'transcribe',
	audioSource: 'url',
	audioUrl: audioUrl('meeting', 3),
	options,
	...extra,
});

const create = (extra: INodeParameters = {}) => ({
	...transcribe(extra, { reuseEarlierJob: true }),
	operation: 'create',
});

const jobCount = () => emulator.get().jobs().length;
const callsTo = (method: string, path: string) =>
	apiCalls(emulator.get()).filter((call) => call.method === method && call.path === path).length;

async function untilJob(id: string, statuses: string[]): Promise<void> {
	for (let tries = 0; tries < 1000; tries++) {
		const job = emulator
			.get()
			.jobs()
			.find((candidate) => candidate.id === id);
		if (job && statuses.includes(job.status)) return;
		await sleep(10);
	}
	throw new Error(`job ${id} never reached ${statuses.join('/')}`);
}

/** A job made outside the node, e.g. by an earlier run or another workflow. */
async function postJob(body: Record<string, unknown>): Promise<string> {
	const response = await fetch(`${emulator.get().url}/v2/pre-recorded`, {
		method: 'POST',
		headers: { 'x-gladia-key': emulator.get().apiKey, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(201);
	return ((await response.json()) as { id: string }).id;
}

const fingerprintOf = (jobIndex = 0) =>
	emulator.get().jobs()[jobIndex].request.custom_metadata as Record<string, string>;

describe('Reuse Earlier Job, Audio URL', () => {
	it('returns the earlier result with no new job, no poll, and says it was reused', async () => {
		emulator.get().script('meeting', { utterances: [{ text: 'Budget is approved.' }] });
		const first = await runGladia(emulator.get(), transcribe());
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({ status: 'done', reused: false });
		const [job] = emulator.get().jobs();
		expect(fingerprintOf()[REUSE_FIELD]).toMatch(/^v1:[0-9a-f]{64}$/);
		// Bookkeeping stays out of the simplified output.
		expect(first.items[0].json.custom_metadata).toBeNull();

		// List items as Gladia sends them (no transcript): the reused job is read in full.
		emulator.get().configure({ listItems: 'trimmed' });
		const before = apiCalls(emulator.get()).length;
		const second = await runGladia(emulator.get(), transcribe());
		expect(second.error).toBeUndefined();
		expect(jobCount()).toBe(1);
		expect(second.items).toEqual([
			{ json: { ...first.items[0].json, reused: true }, pairedItem: { item: 0 } },
		]);
		expect(second.items[0].json.id).toBe(job.id);
		// One filtered list call and one read of the done job.
		const calls = apiCalls(emulator.get()).slice(before);
		expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
			'GET /v2/pre-recorded',
			`GET /v2/pre-recorded/${job.id}`,
		]);
		expect(JSON.parse(String(calls[0].query.custom_metadata))).toEqual({
			[REUSE_FIELD]: fingerprintOf()[REUSE_FIELD],
		});
	});

	it('makes a new job when an option changes, and reuses each one after', async () => {
		await runGladia(emulator.get(), transcribe());
		const changed = await runGladia(emulator.get(), transcribe({ diarization: true }));
		expect(changed.items[0].json.reused).toBe(false);
		expect(jobCount()).toBe(2);
		expect(fingerprintOf(1)[REUSE_FIELD]).not.toBe(fingerprintOf(0)[REUSE_FIELD]);
		const again = await runGladia(emulator.get(), transcribe({ diarization: true }));
		expect(again.items[0].json).toMatchObject({ reused: true, id: changed.items[0].json.id });
		expect(jobCount()).toBe(2);
	});

	it('keeps the user metadata (and its size check) next to the fingerprint; it does not count', async () => {
		const labelled = (value: string) =>
			transcribe({ customMetadata: { entries: [{ key: 'crmId', value }] } });
		const first = await runGladia(emulator.get(), labelled('A-1'));
		expect(fingerprintOf()).toMatchObject({ crmId: 'A-1', [REUSE_FIELD]: expect.any(String) });
		expect(first.items[0].json.custom_metadata).toEqual({ crmId: 'A-1' });
		// The same audio under another label is the same transcription: reused.
		const second = await runGladia(emulator.get(), labelled('A-2'));
		expect(second.items[0].json.reused).toBe(true);
		// Just under Gladia's 2000 characters alone, over it with n8n's keys: a clear error, no job.
		const long = await runGladia(emulator.get(), {
			...labelled('x'.repeat(1960)),
			audioUrl: audioUrl('long-label', 3),
		});
		expect(long.error?.message).toMatch(
			/^Custom Metadata: is \d+ characters as JSON once the "n8n_idempotency_key" key is added, over Gladia's 2000 \[item 0\]$/,
		);
		expect(jobCount()).toBe(1);
	});

	it('off by default: every run creates, with no look-up and no reused field', async () => {
		await runGladia(emulator.get(), transcribe({}, FAST_WAIT));
		const second = await runGladia(emulator.get(), transcribe({}, FAST_WAIT));
		expect(jobCount()).toBe(2);
		expect(second.items[0].json).not.toHaveProperty('reused');
		expect(callsTo('GET', '/v2/pre-recorded')).toBe(0);
		expect(fingerprintOf(1)).not.toHaveProperty(REUSE_FIELD);
	});
});

describe('Reuse Earlier Job, binary files', () => {
	afterEach(async () => {
		await setBinaryMode('default');
		jest.restoreAllMocks();
	});

	const binary = (extra: INodeParameters = {}) =>
		transcribe({ audioSource: 'binary', binaryPropertyName: 'data', ...extra });

	it('hashes the content as a stream: same bytes renamed → reused without upload; one byte changed → new', async () => {
		await setBinaryMode('filesystem');
		const wav = makeWav(4);
		const buffered = jest.spyOn(BinaryDataService.prototype, 'getAsBuffer');
		const item = async (data: Buffer, fileName: string) =>
			await makeBinaryItem({ data, fileName, mimeType: 'audio/wav' });

		const first = await runGladia(emulator.get(), binary(), {
			items: [await item(wav, 'call.wav')],
		});
		expect(first.items[0].json.reused).toBe(false);
		expect(callsTo('POST', '/v2/upload')).toBe(1);

		const renamed = await runGladia(emulator.get(), binary(), {
			items: [await item(Buffer.from(wav), 'call-copy.wav')],
		});
		expect(renamed.items[0].json).toMatchObject({ reused: true, id: first.items[0].json.id });
		expect(callsTo('POST', '/v2/upload')).toBe(1);

		const edited = Buffer.from(wav);
		edited[edited.length - 1] ^= 1;
		const changed = await runGladia(emulator.get(), binary(), {
			items: [await item(edited, 'call.wav')],
		});
		expect(changed.items[0].json.reused).toBe(false);
		expect(callsTo('POST', '/v2/upload')).toBe(2);
		expect(jobCount()).toBe(2);
		// Stored binaries were read as streams only (hash and upload), never as one buffer.
		expect(buffered).not.toHaveBeenCalled();
	});

	it('hashes in-memory binaries too (no binary store)', async () => {
		const item = await makeBinaryItem({ data: makeWav(4), fileName: 'a.wav' });
		expect(item.binary?.data.id).toBeUndefined();
		await runGladia(emulator.get(), binary(), { items: [item] });
		const again = await runGladia(emulator.get(), binary(), { items: [item] });
		expect(again.items[0].json.reused).toBe(true);
		expect(callsTo('POST', '/v2/upload')).toBe(1);
	});

	it('checks the binary before hashing: a missing property is the usual clear error', async () => {
		const result = await runGladia(emulator.get(), binary({ binaryPropertyName: 'audio' }), {
			items: [await makeBinaryItem({ data: makeWav(1) })],
		});
		expect(result.error?.message).toBe(
			'Input Binary Field: the input item has no binary property "audio" [item 0]',
		);
		expect(apiCalls(emulator.get())).toEqual([]);
	});
});

describe('Reuse Earlier Job, Reuse Key', () => {
	const signed = (signature: number) =>
		`https://media.example.com/rec.mp3?sig=${signature}&emulator_duration=3`;
	const keyed = (url: string, key: INodeParameters[string], extra: INodeParameters = {}) =>
		transcribe({ audioUrl: url, ...extra }, { ...REUSE, reuseKey: key });

	it('matches on the key instead of the audio (a signed URL that changes each run), options still count', async () => {
		const first = await runGladia(emulator.get(), keyed(signed(1), 'crm-42'));
		const sameKey = await runGladia(emulator.get(), keyed(signed(2), 'crm-42'));
		expect(sameKey.items[0].json).toMatchObject({ reused: true, id: first.items[0].json.id });
		const otherKey = await runGladia(emulator.get(), keyed(signed(1), 'crm-43'));
		expect(otherKey.items[0].json.reused).toBe(false);
		const otherOptions = await runGladia(
			emulator.get(),
			keyed(signed(1), 'crm-42', { diarization: true }),
		);
		expect(otherOptions.items[0].json.reused).toBe(false);
		expect(jobCount()).toBe(3);
	});

	it('refuses an empty key, a key without Reuse Earlier Job, and a non-text key, naming item and field', async () => {
		const empty = await runGladia(emulator.get(), keyed(audioUrl(), '  '));
		expect(empty.error?.message).toBe('Options → Reuse Key: is empty for this item [item 0]');
		expect(empty.error?.description).toMatch(/own key/);
		const off = await runGladia(
			emulator.get(),
			transcribe({}, { ...FAST_WAIT, reuseEarlierJob: false, reuseKey: 'crm-1' }),
		);
		expect(off.error?.message).toBe(
			'Options → Reuse Key: is set but Reuse Earlier Job is off [item 0]',
		);
		const object = await runGladia(emulator.get(), keyed(audioUrl(), '={{ { a: 1 } }}'));
		expect(object.error?.message).toBe(
			'Options → Reuse Key: is {"a":1}, not a text or a number [item 0]',
		);
		expect(apiCalls(emulator.get())).toEqual([]);
	});

	it('a number key works, and each item of a batch is matched on its own key', async () => {
		const items = [1, 2, 1].map((id) => ({ json: { recordingId: id } }));
		const parameters = transcribe(
			{
				audioUrl:
					'={{ "https://media.example.com/r" + $json.recordingId + ".mp3?emulator_duration=3" }}',
			},
			{ ...REUSE, reuseKey: '={{ $json.recordingId }}', maxConcurrentJobs: 1 },
		);
		const run = await runGladia(emulator.get(), parameters, { items });
		expect(run.items.map((item) => item.json.reused)).toEqual([false, false, true]);
		expect(run.items[2].json.id).toBe(run.items[0].json.id);
		expect(jobCount()).toBe(2);
	});
});

describe('Reuse Earlier Job, the earlier job’s state', () => {
	it('a failed earlier job is not reused: a new job is made', async () => {
		// One Reuse Key for both runs: the same recording, first from a broken file, then a good one.
		emulator.get().script('broken', { errorCode: 500 });
		const keyed = (url: string) => ({ ...REUSE, reuseKey: 'rec-7', audioUrl: url });
		const failed = await runGladia(emulator.get(), {
			...create(),
			audioUrl: audioUrl('broken', 3),
			options: { reuseEarlierJob: true, reuseKey: 'rec-7' },
		});
		await untilJob(String(failed.items[0].json.id), ['error']);
		const { audioUrl: fixed, ...options } = keyed(audioUrl('fixed', 3));
		const retry = await runGladia(emulator.get(), transcribe({ audioUrl: fixed }, options));
		expect(retry.items[0].json).toMatchObject({ status: 'done', reused: false });
		expect(retry.items[0].json.id).not.toBe(failed.items[0].json.id);
		expect(jobCount()).toBe(2);
	});

	it('a deleted earlier job is not reused: a new job is made', async () => {
		const first = await runGladia(emulator.get(), transcribe());
		const id = String(first.items[0].json.id);
		const deleted = await fetch(`${emulator.get().url}/v2/pre-recorded/${id}`, {
			method: 'DELETE',
			headers: { 'x-gladia-key': emulator.get().apiKey },
		});
		expect(deleted.status).toBe(202);
		const again = await runGladia(emulator.get(), transcribe());
		expect(again.items[0].json).toMatchObject({ status: 'done', reused: false });
		expect(again.items[0].json.id).not.toBe(id);
	});

	it('a running earlier job is waited for (Transcribe) or returned (Create), not doubled', async () => {
		emulator.get().configure({ speedFactor: 60 }); // 3 s of audio: 3 s of processing
		const created = await runGladia(emulator.get(), create());
		const id = String(created.items[0].json.id);
		expect(created.items[0].json).toEqual({ id, result_url: expect.any(String), reused: false });
		const createdAgain = await runGladia(emulator.get(), create());
		expect(createdAgain.items[0].json).toEqual({
			id,
			result_url: expect.stringMatching(new RegExp(`/v2/pre-recorded/${id}$`)),
			reused: true,
		});
		expect(emulator.get().jobs()[0].status).not.toBe('done');

		const waited = await runGladia(emulator.get(), transcribe());
		expect(waited.items[0].json).toMatchObject({ id, status: 'done', reused: true });
		expect(jobCount()).toBe(1);
		expect(callsTo('GET', `/v2/pre-recorded/${id}`)).toBeGreaterThan(0);
	});

	it('two items of a batch waiting for the same running earlier job both get its result', async () => {
		emulator.get().configure({ speedFactor: 20 }); // 3 s of audio: 1 s of processing
		const created = await runGladia(emulator.get(), create());
		const items = [{ json: {} }, { json: {} }];
		const run = await runGladia(
			emulator.get(),
			transcribe({}, { ...REUSE, maxConcurrentJobs: 2 }),
			{
				items,
			},
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => [item.json.id, item.json.status, item.json.reused])).toEqual([
			[created.items[0].json.id, 'done', true],
			[created.items[0].json.id, 'done', true],
		]);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(jobCount()).toBe(1);
	});

	it('several matches: the newest done one, before a newer running one; failed ones skipped', async () => {
		const first = await runGladia(emulator.get(), transcribe());
		const metadata = fingerprintOf();
		emulator.get().script('newer', { utterances: [{ text: 'The newer take.' }] });
		const newerDone = await postJob({ audio_url: audioUrl('newer', 3), custom_metadata: metadata });
		await untilJob(newerDone, ['done']);
		emulator.get().script('failing', { errorCode: 500 });
		const failing = await postJob({ audio_url: audioUrl('failing', 3), custom_metadata: metadata });
		await untilJob(failing, ['error']);
		emulator.get().configure({ speedFactor: 1000 }); // 3 s of audio: 50 s
		const running = await postJob({ audio_url: audioUrl('running', 3), custom_metadata: metadata });
		await untilJob(running, ['queued', 'processing']);

		const reused = await runGladia(emulator.get(), transcribe());
		expect(reused.items[0].json).toMatchObject({ id: newerDone, reused: true });
		expect(reused.items[0].json.transcript).toBe('The newer take.');
		expect(first.items[0].json.id).not.toBe(newerDone);
		expect(jobCount()).toBe(4);
	});
});

describe('Reuse Earlier Job, a failing look-up', () => {
	it('retries a failing list call, then reuses', async () => {
		await runGladia(emulator.get(), transcribe());
		emulator.get().injectFault({ route: 'list', kind: '500', count: 2 });
		const again = await runGladia(emulator.get(), transcribe());
		expect(again.items[0].json.reused).toBe(true);
		expect(callsTo('GET', '/v2/pre-recorded')).toBe(4); // 1 first run + 2 failed + 1
		expect(jobCount()).toBe(1);
	});

	it('a look-up that cannot be made stops the item with a clear error and creates nothing; other items go on', async () => {
		const items = [{ json: {} }, { json: {} }];
		const run = await runGladia(
			emulator.get(),
			transcribe({}, { ...REUSE, maxConcurrentJobs: 1 }),
			{
				items,
				continueOnFail: true,
				credentials: { apiKey: 'revoked-key', baseUrl: emulator.get().url },
			},
		);
		expect(run.items).toHaveLength(2);
		for (const [index, item] of run.items.entries()) {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.error).toMatch(
				new RegExp(
					`^Could not check Gladia for an earlier job to reuse \\(.+\\) \\[item ${index}\\]$`,
				),
			);
		}
		expect(JSON.stringify(run.items)).not.toContain('revoked-key');
		expect(callsTo('GET', '/v2/pre-recorded')).toBe(2);
		expect(callsTo('POST', '/v2/pre-recorded')).toBe(0);
	});
});
