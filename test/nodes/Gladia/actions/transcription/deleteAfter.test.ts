// Delete From Gladia After Fetching (Transcribe, Get) in n8n's engine against the emulator: the
// job is deleted only once its output is built, a refused delete is a warning on the item, and
// nothing else about the output changes.
import { DELETE_AFTER_FETCH_POLICY } from '../../../../../nodes/Gladia/transport/retry';
import { readBinary } from '../../../../helpers/engine';
import {
	audioUrl,
	FAST_WAIT,
	runGladia,
	transcribeEachUrl,
	urlItems,
	useEmulator,
} from '../../../../helpers/gladia';

const emulator = useEmulator();

const transcribe = (extra: Record<string, unknown> = {}) =>
	transcribeEachUrl({ deleteAfterFetch: true, ...extra });

/** `count` items of 3 s each, call-0 to call-<count - 1>. */
const urls = (count: number) => urlItems(new Array<number>(count).fill(3), 'call');

/** DELETE requests for job `id` that Gladia carried out (202). */
const deletesOf = (id?: string) =>
	emulator
		.get()
		.log.filter(
			(entry) =>
				entry.method === 'DELETE' &&
				entry.status === 202 &&
				(id === undefined || entry.path === `/v2/pre-recorded/${id}`),
		);

const jobExists = (id: string) =>
	emulator
		.get()
		.jobs()
		.some((job) => job.id === id);

describe('Delete From Gladia After Fetching', () => {
	it('Transcribe deletes every job once its result is built, and says so on the item', async () => {
		const result = await runGladia(
			emulator.get(),
			transcribe({ options: { ...FAST_WAIT, maxConcurrentJobs: 3 } }),
			{
				items: urls(3),
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ status: 'done', gladia_delete: { deleted: true } });
			expect(String(item.json.transcript).length).toBeGreaterThan(0);
			const id = String(item.json.id);
			expect(jobExists(id)).toBe(false);
			// The delete came after the last read of the job (its result was in hand).
			const log = emulator.get().log;
			const lastGet = log.reduce(
				(last, entry, index) =>
					entry.method === 'GET' && entry.path === `/v2/pre-recorded/${id}` ? index : last,
				-1,
			);
			const deleted = log.findIndex(
				(entry) => entry.method === 'DELETE' && entry.path === `/v2/pre-recorded/${id}`,
			);
			expect(lastGet).toBeGreaterThanOrEqual(0);
			expect(deleted).toBeGreaterThan(lastGet);
		});
		expect(deletesOf()).toHaveLength(3);
	});

	it('keeps subtitle files built before the delete', async () => {
		const result = await runGladia(
			emulator.get(),
			transcribe({ subtitles: true, subtitleFormats: ['srt'], subtitlesAsBinary: true }),
			{ items: urls(1) },
		);
		expect(result.error).toBeUndefined();
		const item = result.items[0];
		expect(item.json.gladia_delete).toEqual({ deleted: true });
		expect(jobExists(String(item.json.id))).toBe(false);
		const srt = await readBinary(item.binary!.subtitles_srt);
		expect(srt.toString('utf8')).toMatch(/^1\r?\n00:00:00,\d{3} --> /);
	});

	it('a refused delete keeps the result and warns on that item only; the others are deleted', async () => {
		// One item at a time, so the refusals (every attempt of one delete) hit the first item.
		emulator.get().injectFault({
			route: 'delete',
			kind: '500',
			count: DELETE_AFTER_FETCH_POLICY.maxAttempts,
		});
		const result = await runGladia(
			emulator.get(),
			transcribe({ options: { ...FAST_WAIT, maxConcurrentJobs: 1 } }),
			{ items: urls(3) },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		const [refused, ...deleted] = result.items;
		const id = String(refused.json.id);
		expect(refused.json.status).toBe('done');
		expect(String(refused.json.transcript).length).toBeGreaterThan(0);
		const warning = refused.json.gladia_delete as { deleted: boolean; error: string };
		expect(warning.deleted).toBe(false);
		expect(warning.error).toBe(
			`Could not delete job ${id} at Gladia: Internal server error (HTTP 500). The result is complete; delete the job later with Transcription → Delete.`,
		);
		expect(warning.error).toContain(`Could not delete job ${id} at Gladia`);
		expect(warning.error).toContain('delete the job later with Transcription → Delete');
		expect(JSON.stringify(result.items)).not.toContain(emulator.get().apiKey);
		// The editor shows it above the output too.
		expect(result.run.data.resultData.runData[result.node.name][0].hints).toEqual([
			{ message: `Item 0: ${warning.error}`, type: 'warning', location: 'outputPane' },
		]);
		expect(jobExists(id)).toBe(true);
		for (const item of deleted) {
			expect(item.json.gladia_delete).toEqual({ deleted: true });
			expect(jobExists(String(item.json.id))).toBe(false);
		}
		const attempts = emulator
			.get()
			.log.filter((entry) => entry.method === 'DELETE' && entry.path === `/v2/pre-recorded/${id}`);
		expect(attempts.map((entry) => entry.status)).toEqual(
			Array(DELETE_AFTER_FETCH_POLICY.maxAttempts).fill(500),
		);
	});

	it('tries a failing delete again: one 502 and the job is still deleted', async () => {
		emulator.get().injectFault({ route: 'delete', kind: '502', count: 1 });
		const result = await runGladia(emulator.get(), transcribe(), { items: urls(1) });
		expect(result.items[0].json.gladia_delete).toEqual({ deleted: true });
		expect(deletesOf(String(result.items[0].json.id))).toHaveLength(1);
	});

	it('in parallel, one refused delete (a redirect it never follows) marks exactly its own item', async () => {
		emulator.get().injectFault({ route: 'delete', kind: 'redirect', count: 1 });
		const result = await runGladia(
			emulator.get(),
			transcribe({ options: { ...FAST_WAIT, maxConcurrentJobs: 5 } }),
			{ items: urls(5) },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(5);
		const warned = result.items.filter(
			(item) => (item.json.gladia_delete as { deleted: boolean }).deleted === false,
		);
		expect(warned).toHaveLength(1);
		expect(jobExists(String(warned[0].json.id))).toBe(true);
		expect(String((warned[0].json.gladia_delete as { error: string }).error)).toMatch(
			/^Could not delete job [0-9a-f-]+ at Gladia: Gladia answered DELETE .* with a redirect \(HTTP 302\)/,
		);
		expect(deletesOf()).toHaveLength(4);
		// Each item still carries its own job: the one made from its URL.
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.file_name).toBe(`call-${index}.mp3`);
		});
	});

	it('with One per Utterance, deletes once and marks every row', async () => {
		emulator.get().script('call-0', {
			utterances: [
				{ text: 'One.', speaker: 0 },
				{ text: 'Two.', speaker: 1 },
			],
		});
		const result = await runGladia(emulator.get(), transcribe({ outputItems: 'utterance' }), {
			items: urls(1),
		});
		expect(result.items.map((item) => [item.json.text, item.json.gladia_delete])).toEqual([
			['One.', { deleted: true }],
			['Two.', { deleted: true }],
		]);
		expect(deletesOf()).toHaveLength(1);
	});

	it('keeps a job that fails the item (Gladia reported an error), so it can be looked at', async () => {
		emulator.get().script('call-0', { errorCode: 422 });
		const result = await runGladia(emulator.get(), transcribe(), {
			items: urls(1),
			continueOnFail: true,
		});
		expect(String(result.items[0].json.error)).toContain('Gladia could not transcribe job');
		expect(deletesOf()).toHaveLength(0);
		expect(emulator.get().jobs()).toHaveLength(1);
	});

	it('is off by default: no delete, no gladia_delete key', async () => {
		const result = await runGladia(emulator.get(), transcribe({ deleteAfterFetch: undefined }), {
			items: urls(1),
		});
		expect(result.items[0].json).not.toHaveProperty('gladia_delete');
		expect(emulator.get().log.filter((entry) => entry.method === 'DELETE')).toHaveLength(0);
		expect(jobExists(String(result.items[0].json.id))).toBe(true);
	});
});

describe('Get with Delete From Gladia After Fetching', () => {
	async function createJob(seconds = 3): Promise<string> {
		const created = await runGladia(emulator.get(), {
			resource: 'transcription',
			operation: 'create',
			audioSource: 'url',
			audioUrl: audioUrl('call', seconds),
		});
		return String(created.items[0].json.id);
	}

	const get = (id: string, extra: Record<string, unknown> = {}) => ({
		resource: 'transcription',
		operation: 'get',
		transcriptionId: id,
		deleteAfterFetch: true,
		...extra,
	});

	it('waits, outputs the result (raw too), then deletes the job', async () => {
		const id = await createJob();
		const result = await runGladia(
			emulator.get(),
			get(id, { waitUntilDone: true, simplify: false, options: FAST_WAIT }),
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id,
			status: 'done',
			result: { transcription: expect.any(Object) },
			gladia_delete: { deleted: true },
		});
		expect(jobExists(id)).toBe(false);
	});

	it('never deletes a job still processing: it says so, and the job stays', async () => {
		// 10 minutes of audio: still queued or processing when read without waiting.
		const id = await createJob(600);
		const result = await runGladia(emulator.get(), get(id));
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(['queued', 'processing']).toContain(json.status);
		expect(json.gladia_delete).toEqual({
			deleted: false,
			error: `Not deleted: job ${id} is ${String(json.status)}; only a done or failed job is deleted. Wait Until Done, or delete it later with Transcription → Delete.`,
		});
		expect(emulator.get().log.filter((entry) => entry.method === 'DELETE')).toHaveLength(0);
		expect(jobExists(id)).toBe(true);
	});

	it('a job already deleted fails the item with a clear error, the other items intact', async () => {
		const gone = await createJob();
		const kept = await createJob();
		const first = await runGladia(
			emulator.get(),
			get(gone, { waitUntilDone: true, options: FAST_WAIT }),
		);
		expect(first.items[0].json.gladia_delete).toEqual({ deleted: true });

		const again = await runGladia(
			emulator.get(),
			get('={{ $json.id }}', { waitUntilDone: true, options: FAST_WAIT }),
			{ items: [{ json: { id: gone } }, { json: { id: kept } }], continueOnFail: true },
		);
		expect(again.items).toHaveLength(2);
		expect(again.items[0].json.error).toMatch(/\[item 0\]/);
		expect(again.items[0].json.description).toMatch(/No such transcription.*deleted/);
		expect(again.items[1].json).toMatchObject({ id: kept, gladia_delete: { deleted: true } });
	});
});
