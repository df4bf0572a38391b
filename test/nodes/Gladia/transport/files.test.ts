// Uploads from n8n's binary store and the original-audio download, in n8n's engine against
// the emulator (which parses the multipart body with busboy, and serves files behind a 302 to
// a second "storage" origin).
import type { INodeExecutionData } from 'n8n-workflow';

import { makeWav } from '../../../emulator';
import { makeBinaryItem, readBinary, setBinaryMode } from '../../../helpers/engine';
import { apiCalls, runGladia, UPLOAD_BINARY as upload, useEmulator } from '../../../helpers/gladia';

const emulator = useEmulator();

afterEach(async () => {
	await setBinaryMode('default');
});

describe('uploadBinary', () => {
	it('streams a filesystem-mode binary as multipart part "audio" with its file name and exact length', async () => {
		await setBinaryMode('filesystem');
		const wav = makeWav(300); // 300 s at 8 kHz, 16 bit: 4.8 MB
		const item = await makeBinaryItem({
			data: wav,
			fileName: 'board meeting.wav',
			mimeType: 'audio/wav',
		});
		expect(item.binary!.data.id).toBeDefined();

		const result = await runGladia(emulator.get(), upload, { items: [item] });
		expect(result.error).toBeUndefined();
		const [call] = apiCalls(emulator.get());
		expect(call.bodySummary).toBe(
			`multipart: audio=board meeting.wav (${wav.length} bytes, audio/wav)`,
		);
		expect(String(call.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
		expect(Number(call.headers['content-length'])).toBeGreaterThan(wav.length);
		expect(result.items[0].json).toMatchObject({
			audio_url: expect.stringMatching(new RegExp(`^${emulator.get().url}/file/`)),
			audio_metadata: {
				filename: 'board meeting.wav',
				size: wav.length,
				audio_duration: 300,
				number_of_channels: 1,
			},
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('falls back to an in-memory Blob when the binary has no id', async () => {
		const wav = makeWav(2);
		const item = await makeBinaryItem({ data: wav, fileName: 'short.wav', mimeType: 'audio/wav' });
		expect(item.binary!.data.id).toBeUndefined();
		const result = await runGladia(emulator.get(), upload, { items: [item] });
		expect(result.error).toBeUndefined();
		expect(apiCalls(emulator.get())[0].bodySummary).toBe(
			`multipart: audio=short.wav (${wav.length} bytes, audio/wav)`,
		);
	});

	it('names a missing binary property and lists the ones the item has', async () => {
		const item = await makeBinaryItem({
			data: makeWav(1),
			fileName: 'a.wav',
			property: 'recording',
		});
		const result = await runGladia(emulator.get(), upload, { items: [item] });
		expect(result.error?.message).toBe(
			'Input Binary Field: the input item has no binary property "data" [item 0]',
		);
		expect((result.error as unknown as { description: string }).description).toContain('recording');
		expect(apiCalls(emulator.get())).toHaveLength(0);
	});

	it('refuses an empty file and a file over 1000 MB before sending anything', async () => {
		const empty = await makeBinaryItem({ data: Buffer.alloc(0), fileName: 'empty.wav' });
		const huge = await makeBinaryItem({ data: makeWav(1), fileName: 'huge.wav' });
		huge.binary!.data.bytes = 1100 * 1024 * 1024; // what n8n's metadata would say for a 1.1 GB file
		const result = await runGladia(emulator.get(), upload, {
			items: [empty, huge],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error)).toEqual([
			'Input Binary Field: binary property "data" is empty (0 bytes) [item 0]',
			'Input Binary Field: file "huge.wav" is 1100 MB, over Gladia\'s 1000 MB limit [item 1]',
		]);
		expect(apiCalls(emulator.get())).toHaveLength(0);
	});

	it('says what to do when the stored file behind a binary is gone, before sending anything', async () => {
		await setBinaryMode('filesystem');
		const item = await makeBinaryItem({ data: makeWav(1), fileName: 'a.wav' });
		item.binary!.data.id = item.binary!.data.id!.replace(/[^/]+$/, 'pruned-file');
		const result = await runGladia(emulator.get(), upload, { items: [item] });
		expect(result.error?.message).toBe(
			'Input Binary Field: the file of binary property "data" cannot be read from n8n\'s binary data store (File not found) [item 0]',
		);
		expect((result.error as unknown as { description: string }).description).toMatch(
			/queue mode needs a shared binary data mode/,
		);
		expect(apiCalls(emulator.get())).toHaveLength(0);
	});

	it('tolerates spaces around the property name', async () => {
		const item = await makeBinaryItem({
			data: makeWav(1),
			fileName: 'a.wav',
			mimeType: 'audio/wav',
		});
		const result = await runGladia(
			emulator.get(),
			{ ...upload, binaryPropertyName: ' data ' },
			{ items: [item] },
		);
		expect(result.error).toBeUndefined();
		expect(apiCalls(emulator.get())).toHaveLength(1);
	});

	it('reports an item without any binary data', async () => {
		const result = await runGladia(emulator.get(), upload, {
			items: [{ json: { name: 'no file' } }],
		});
		expect(result.error?.message).toBe(
			'Input Binary Field: the input item has no binary property "data" [item 0]',
		);
		expect((result.error as unknown as { description: string }).description).toContain(
			'no binary data at all',
		);
	});
	it('sends the whole file again after a 502 or a dropped connection (an upload bills nothing)', async () => {
		await setBinaryMode('filesystem');
		const wav = makeWav(20);
		const item = await makeBinaryItem({ data: wav, fileName: 'retry.wav', mimeType: 'audio/wav' });
		emulator.get().injectFault({ route: 'upload', kind: '502' });
		emulator.get().injectFault({ route: 'upload', kind: 'reset' });
		const result = await runGladia(emulator.get(), upload, { items: [item] });
		expect(result.error).toBeUndefined();
		const calls = apiCalls(emulator.get());
		expect(calls.map((call) => call.status)).toEqual([502, 0, 200]);
		expect(calls[2].bodySummary).toBe(
			`multipart: audio=retry.wav (${wav.length} bytes, audio/wav)`,
		);
		expect(result.items[0].json).toMatchObject({ audio_metadata: { size: wav.length } });
	});
});

describe('importAudioUrl', () => {
	it('asks Gladia to fetch a public URL (JSON body) and returns its metadata', async () => {
		const result = await runGladia(emulator.get(), {
			...upload,
			audioSource: 'url',
			audioUrl: 'https://media.example.com/podcast.mp3?emulator_duration=42',
		});
		expect(result.error).toBeUndefined();
		expect(apiCalls(emulator.get())[0]).toMatchObject({
			method: 'POST',
			path: '/v2/upload',
			status: 200,
		});
		expect(apiCalls(emulator.get())[0].headers['content-type']).toMatch(/^application\/json/);
		expect(result.items[0].json).toMatchObject({ audio_metadata: { audio_duration: 42 } });
	});

	it('retries a 429 from Gladia (Free-plan limits) instead of failing the item', async () => {
		emulator.get().injectFault({ route: 'upload', kind: '429', retryAfter: 0 });
		const ok = await runGladia(emulator.get(), {
			...upload,
			audioSource: 'url',
			audioUrl: 'https://media.example.com/podcast.mp3?emulator_duration=42',
		});
		expect(ok.error).toBeUndefined();
		expect(apiCalls(emulator.get()).map((call) => call.status)).toEqual([429, 200]);
	});
});

/** A transcription of this binary item (uploaded first), and its id. */
async function createFromBinary(item: INodeExecutionData): Promise<string> {
	const created = await runGladia(
		emulator.get(),
		{
			resource: 'transcription',
			operation: 'create',
			audioSource: 'binary',
			binaryPropertyName: 'data',
		},
		{ items: [item] },
	);
	return created.items[0].json.id as string;
}

const downloadAudio = (transcriptionId: string, binaryPropertyName = 'data') => ({
	resource: 'transcription',
	operation: 'downloadAudio',
	transcriptionId,
	binaryPropertyName,
});

describe('downloadJobFile', () => {
	it('follows the 302 to the storage origin without sending the API key there', async () => {
		await setBinaryMode('filesystem');
		const wav = makeWav(3);
		const item = await makeBinaryItem({
			data: wav,
			fileName: 'interview.wav',
			mimeType: 'audio/wav',
		});
		const id = await createFromBinary(item);
		const result = await runGladia(emulator.get(), downloadAudio(id, 'audio'));
		expect(result.error).toBeUndefined();
		const file = result.items[0].binary!.audio;
		expect(file.fileName).toBe('interview.wav');
		expect((await readBinary(file)).equals(wav)).toBe(true);
		expect(result.items[0].json).toMatchObject({
			id,
			file_name: 'interview.wav',
			size: wav.length,
		});

		const fileCall = apiCalls(emulator.get()).find(
			(call) => call.path === `/v2/pre-recorded/${id}/file`,
		);
		expect(fileCall).toMatchObject({ status: 302, hadKey: true });
		expect(emulator.get().storageLog).toHaveLength(1);
		expect(emulator.get().storageLog[0]).toMatchObject({ status: 200, hadKey: false });
		expect(JSON.stringify(emulator.get().storageLog[0].headers)).not.toMatch(/x-gladia|redacted/);
	});

	it('keeps a file name with a % sign (a plain filename="…" is not percent-encoded)', async () => {
		const item = await makeBinaryItem({
			data: makeWav(1),
			fileName: 'Q3 100% final.wav',
			mimeType: 'audio/wav',
		});
		const result = await runGladia(emulator.get(), downloadAudio(await createFromBinary(item)));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.file_name).toBe('Q3 100% final.wav');
	});

	it('reports an unknown transcription', async () => {
		const result = await runGladia(
			emulator.get(),
			downloadAudio('00000000-0000-4000-8000-000000000000'),
		);
		expect(result.error?.message).toBe('Gladia: Not found (HTTP 404) [item 0]');
	});
});
