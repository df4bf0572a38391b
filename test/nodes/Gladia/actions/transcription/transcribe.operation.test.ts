// Transcription → Transcribe in n8n's engine against the emulator.
import { sleep } from 'n8n-workflow';

import { makeWav } from '../../../../emulator';
import { makeBinaryItem, setBinaryMode } from '../../../../helpers/engine';
import {
	apiCalls,
	audioUrl,
	createBodies,
	FAST_WAIT,
	runGladia,
	useEmulator,
} from '../../../../helpers/gladia';

const emulator = useEmulator();

const transcribe = (extra: Record<string, unknown> = {}) => ({
	resource: 'transcription',
	operation: 'transcribe',
	audioSource: 'url',
	audioUrl: audioUrl('meeting', 3),
	options: FAST_WAIT,
	...extra,
});

describe('Transcribe', () => {
	it('creates, waits and returns the simplified result', async () => {
		emulator.get().script('meeting', {
			utterances: [
				{ text: 'Hello and welcome.', speaker: 0 },
				{ text: 'Thanks for having me.', speaker: 1 },
			],
		});
		const result = await runGladia(
			emulator.get(),
			transcribe({ diarization: true, audioIntelligence: { sentences: true } }),
		);
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
		const json = result.items[0].json;
		expect(json.status).toBe('done');
		expect(json.transcript).toContain('Hello and welcome.');
		expect(json.speaker_transcript).toBe(
			'Speaker 1: Hello and welcome.\nSpeaker 2: Thanks for having me.',
		);
		expect((json.sentences as Array<{ text: string }>).map((sentence) => sentence.text)).toEqual([
			'Hello and welcome.',
			'Thanks for having me.',
		]);
		expect(json.errors).toEqual({});
		expect(json.warnings).toEqual([]);
		expect(json.billing_time).toBe(3);
		// The idempotency key Create stores in custom_metadata is bookkeeping: not in Simplify.
		expect(json.custom_metadata).toBeNull();
		expect(createBodies(emulator.get())[0].custom_metadata).toHaveProperty('n8n_idempotency_key');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(createBodies(emulator.get())[0]).toMatchObject({
			audio_url: audioUrl('meeting', 3),
			diarization: true,
		});
		expect(apiCalls(emulator.get()).every((call) => call.hadKey)).toBe(true);
	});
});

describe('Transcribe, more', () => {
	afterEach(async () => {
		await setBinaryMode('default');
	});

	it('uploads a binary (filesystem mode), transcribes it and outputs one row per utterance with subtitle files', async () => {
		await setBinaryMode('filesystem');
		emulator.get().script('standup', {
			utterances: [
				{ text: 'Yesterday I fixed the build.', speaker: 0 },
				{ text: 'Today I review PRs.', speaker: 0 },
			],
		});
		const item = await makeBinaryItem({
			data: makeWav(4),
			fileName: 'standup.wav',
			mimeType: 'audio/wav',
		});
		const result = await runGladia(
			emulator.get(),
			transcribe({
				audioSource: 'binary',
				binaryPropertyName: 'data',
				subtitles: true,
				subtitleFormats: ['srt'],
				outputItems: 'utterance',
				subtitlesAsBinary: true,
			}),
			{ items: [item] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((row) => row.json.text)).toEqual([
			'Yesterday I fixed the build.',
			'Today I review PRs.',
		]);
		expect(Object.keys(result.items[0].binary ?? {})).toEqual(['subtitles_srt']);
		expect(result.items[1].binary).toBeUndefined();
		expect(apiCalls(emulator.get())[0]).toMatchObject({ method: 'POST', path: '/v2/upload' });
	});

	it('refuses audio over 135 minutes after the upload, before creating any job', async () => {
		// 8200 s at 100 Hz: a long recording in 1.6 MB.
		const item = await makeBinaryItem({
			data: makeWav(8200, { sampleRate: 100 }),
			fileName: 'all-hands.wav',
			mimeType: 'audio/wav',
		});
		const result = await runGladia(
			emulator.get(),
			transcribe({ audioSource: 'binary', binaryPropertyName: 'data' }),
			{
				items: [item],
			},
		);
		expect(result.error?.message).toBe(
			"Input Binary Field: the audio is 137 minutes long, over Gladia's 135-minute limit; no transcription was created [item 0]",
		);
		expect((result.error as unknown as { description: string }).description).toContain(
			'Split the file',
		);
		expect(emulator.get().jobs()).toHaveLength(0);
		expect(apiCalls(emulator.get()).map((call) => call.path)).toEqual(['/v2/upload']);
	});

	it('fails an item whose job ends in error with its error code; continueOnFail keeps the others', async () => {
		emulator.get().script('broken', { errorCode: 415 });
		const items = [audioUrl('fine-1'), audioUrl('broken'), audioUrl('fine-2')].map((url) => ({
			json: { url },
		}));
		const result = await runGladia(emulator.get(), transcribe({ audioUrl: '={{ $json.url }}' }), {
			items,
			continueOnFail: true,
		});
		expect(
			result.items.map((item) => [item.pairedItem, item.json.status ?? item.json.error]),
		).toEqual([
			[{ item: 0 }, 'done'],
			[
				{ item: 1 },
				expect.stringMatching(
					/^Gladia could not transcribe job [0-9a-f-]+: error code 415 \[item 1\]$/,
				),
			],
			[{ item: 2 }, 'done'],
		]);

		const stopped = await runGladia(emulator.get(), transcribe({ audioUrl: audioUrl('broken') }));
		expect(stopped.status).toBe('error');
		expect(stopped.error?.message).toMatch(/error code 415 \[item 0\]/);
	});

	it('keeps at most Max Concurrent Jobs jobs at Gladia at once', async () => {
		// Gladia's real speed (6 s of audio: 100 ms per job), so jobs overlap measurably.
		emulator.get().configure({ speedFactor: 1 });
		const items = Array.from({ length: 6 }, (_, index) => ({
			json: { url: audioUrl(`talk-${index}`, 6) },
		}));
		const result = await runGladia(
			emulator.get(),
			transcribe({ audioUrl: '={{ $json.url }}', options: { ...FAST_WAIT, maxConcurrentJobs: 2 } }),
			{ items },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(6);
		const spans = emulator
			.get()
			.jobs()
			.map((job) => [Date.parse(job.createdAt), Date.parse(job.completedAt!)]);
		const overlapAt = (t: number) => spans.filter(([start, end]) => start <= t && t < end).length;
		const peak = Math.max(...spans.map(([start]) => overlapAt(start)));
		expect(peak).toBe(2);
		expect(result.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
			0, 1, 2, 3, 4, 5,
		]);
	});

	it('stops waiting when the execution is cancelled', async () => {
		const controller = new AbortController();
		const pending = runGladia(emulator.get(), transcribe({ audioUrl: audioUrl('endless', 6000) }), {
			signal: controller.signal,
		});
		while (emulator.get().jobs().length === 0) await sleep(5);
		const cancelledAt = Date.now();
		controller.abort();
		const result = await pending;
		expect(result.status).toBe('canceled');
		expect(Date.now() - cancelledAt).toBeLessThan(1000);
	});
});
