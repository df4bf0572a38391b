// Transcription → Get in n8n's engine against the emulator: output shapes and waiting.
import { readBinary } from '../../../../helpers/engine';
import { audioUrl, FAST_WAIT, runGladia, useEmulator } from '../../../../helpers/gladia';

const emulator = useEmulator();

async function createJob(
	parameters: Record<string, unknown> = {},
	url = audioUrl('call'),
): Promise<string> {
	const created = await runGladia(emulator.get(), {
		resource: 'transcription',
		operation: 'create',
		audioSource: 'url',
		audioUrl: url,
		...parameters,
	});
	expect(created.error).toBeUndefined();
	return created.items[0].json.id as string;
}

const get = (transcriptionId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'transcription',
	operation: 'get',
	transcriptionId,
	waitUntilDone: true,
	options: FAST_WAIT,
	...extra,
});

const SCRIPT = {
	utterances: [
		{ text: 'We ship on Friday.', speaker: 0 },
		{ text: 'Then QA starts Monday.', speaker: 1 },
		{ text: 'Agreed.', speaker: 0 },
	],
};

describe('Get', () => {
	it('waits until done and returns the simplified job (default)', async () => {
		emulator.get().script('call', SCRIPT);
		const id = await createJob({ diarization: true, summarization: true });
		const result = await runGladia(emulator.get(), get(id));
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			id,
			status: 'done',
			speaker_transcript:
				'Speaker 1: We ship on Friday.\nSpeaker 2: Then QA starts Monday.\nSpeaker 1: Agreed.',
			summary: expect.any(String),
			errors: {},
		});
	});

	it('returns Gladia’s raw job with Simplify off', async () => {
		const id = await createJob();
		const result = await runGladia(emulator.get(), get(id, { simplify: false }));
		expect(result.items[0].json).toMatchObject({
			id,
			status: 'done',
			kind: 'pre-recorded',
			request_params: expect.objectContaining({ audio_url: audioUrl('call') }),
			result: expect.objectContaining({
				transcription: expect.objectContaining({ utterances: expect.any(Array) }),
			}),
		});
	});

	it('outputs one row per utterance', async () => {
		emulator.get().script('call', SCRIPT);
		const id = await createJob({ diarization: true });
		const result = await runGladia(emulator.get(), get(id, { outputItems: 'utterance' }));
		expect(
			result.items.map((item) => [item.json.utterance_index, item.json.speaker, item.json.text]),
		).toEqual([
			[0, 'Speaker 1', 'We ship on Friday.'],
			[1, 'Speaker 2', 'Then QA starts Monday.'],
			[2, 'Speaker 1', 'Agreed.'],
		]);
		expect(result.items.every((item) => item.json.id === id)).toBe(true);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 0 },
		]);
	});

	it('outputs subtitle files as binary properties', async () => {
		emulator.get().script('call', SCRIPT);
		const id = await createJob({ subtitles: true, subtitleFormats: ['srt', 'vtt'] });
		const result = await runGladia(emulator.get(), get(id, { subtitlesAsBinary: true }));
		const { binary, json } = result.items[0];
		expect(Object.keys(binary ?? {})).toEqual(['subtitles_srt', 'subtitles_vtt']);
		expect(binary!.subtitles_srt).toMatchObject({
			fileName: 'call.srt',
			mimeType: 'application/x-subrip',
		});
		expect(binary!.subtitles_vtt).toMatchObject({ fileName: 'call.vtt', mimeType: 'text/vtt' });
		const subtitles = json.subtitles as Record<string, string>;
		expect((await readBinary(binary!.subtitles_srt)).toString('utf8')).toBe(subtitles.srt);
		expect((await readBinary(binary!.subtitles_vtt)).toString('utf8')).toMatch(/^WEBVTT/);
		expect(subtitles.srt).toContain('We ship on Friday.');
	});

	it('shows a failed add-on block as empty with its error, not as a failure', async () => {
		emulator.get().script('call', { ...SCRIPT, failAddons: ['summarization'] });
		const id = await createJob({
			summarization: true,
			audioIntelligence: { namedEntityRecognition: true },
		});
		const result = await runGladia(emulator.get(), get(id));
		expect(result.status).toBe('success');
		expect(result.items[0].json.summary).toBeNull();
		expect(result.items[0].json.errors).toEqual({ summarization: expect.any(String) });
	});

	it('returns a job as it is without Wait Until Done', async () => {
		const id = await createJob({}, audioUrl('long', 6000)); // 100 min of audio: still running
		const result = await runGladia(emulator.get(), get(id, { waitUntilDone: false }));
		expect(['queued', 'processing']).toContain(result.items[0].json.status);
	});

	it('fails with the error code when the job failed and Wait Until Done is on', async () => {
		emulator.get().script('broken', { errorCode: 422 });
		const id = await createJob({}, audioUrl('broken'));
		const failed = await runGladia(emulator.get(), get(id));
		expect(failed.error?.message).toBe(
			`Gladia could not transcribe job ${id}: error code 422 [item 0]`,
		);
		expect((failed.error as unknown as { description: string }).description).toContain(
			'supported audio/video format',
		);

		const asIs = await runGladia(emulator.get(), get(id, { waitUntilDone: false }));
		expect(asIs.items[0].json).toMatchObject({ id, status: 'error', error_code: 422 });
	});

	it('accepts a result_url as the ID and rejects what is not an ID', async () => {
		const id = await createJob();
		const byUrl = await runGladia(
			emulator.get(),
			get(`${emulator.get().url}/v2/transcription/${id}`),
		);
		expect(byUrl.items[0].json.id).toBe(id);

		const bad = await runGladia(emulator.get(), get('../../v2/upload'), { continueOnFail: true });
		expect(bad.items[0].json.error).toBe(
			'Transcription ID: "../../v2/upload" is not a transcription ID [item 0]',
		);
	});

	it('gets several IDs, each item paired with its own result', async () => {
		const ids = [await createJob(), await createJob({}, audioUrl('second'))];
		const result = await runGladia(emulator.get(), get('={{ $json.id }}'), {
			items: ids.map((id) => ({ json: { id } })),
		});
		expect(result.items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			[ids[0], { item: 0 }],
			[ids[1], { item: 1 }],
		]);
	});
});
