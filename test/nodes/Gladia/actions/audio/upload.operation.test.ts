// Audio → Upload in n8n's engine against the emulator: several items, and failures per item.
import { makeWav } from '../../../../emulator';
import { makeBinaryItem } from '../../../../helpers/engine';
import {
	apiCalls,
	runGladia,
	UPLOAD_BINARY as upload,
	useEmulator,
} from '../../../../helpers/gladia';

const emulator = useEmulator();

describe('Upload', () => {
	it('uploads every item, keeping order and pairing; a bad item becomes an error item', async () => {
		const items = [
			await makeBinaryItem({ data: makeWav(1), fileName: 'one.wav', mimeType: 'audio/wav' }),
			{ json: { note: 'no file here' } },
			await makeBinaryItem({ data: makeWav(2), fileName: 'two.wav', mimeType: 'audio/wav' }),
		];
		const result = await runGladia(emulator.get(), upload, { items, continueOnFail: true });
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect((result.items[0].json.audio_metadata as { filename: string }).filename).toBe('one.wav');
		expect(result.items[1].json.error).toBe(
			'Input Binary Field: the input item has no binary property "data" [item 1]',
		);
		expect((result.items[2].json.audio_metadata as { filename: string }).filename).toBe('two.wav');
		expect(apiCalls(emulator.get())).toHaveLength(2);
	});

	it('stops at the first failure without continueOnFail', async () => {
		const items = [
			{ json: {} },
			await makeBinaryItem({ data: makeWav(1), fileName: 'ok.wav', mimeType: 'audio/wav' }),
		];
		const result = await runGladia(
			emulator.get(),
			{ ...upload, options: { maxConcurrentJobs: 1 } },
			{ items },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Input Binary Field: the input item has no binary property "data" [item 0]',
		);
		expect(apiCalls(emulator.get())).toHaveLength(0);
	});

	it('passes on Gladia’s rejection of a file that is not audio', async () => {
		const item = await makeBinaryItem({
			data: Buffer.from('%PDF-1.7 not audio at all'),
			fileName: 'invoice.pdf',
			mimeType: 'application/pdf',
		});
		const result = await runGladia(emulator.get(), upload, { items: [item] });
		expect(result.error?.message).toMatch(
			/^Gladia: The uploaded file is not a supported audio or video file \(.*\) \(HTTP 400\) \[item 0\]$/,
		);
	});
});
