// Price per Audio Hour on Transcribe, Get and Get Many (one item per transcription), in n8n's
// engine against the emulator: estimated_cost next to billing_time, and bad prices refused.
import {
	audioUrl,
	FAST_WAIT,
	runGladia,
	transcribeEachUrl as transcribe,
	urlItems,
	useEmulator,
} from '../../../../helpers/gladia';

const emulator = useEmulator();

/** Items whose audio the emulator treats as `seconds` long each. */
const recordings = (...seconds: number[]) => urlItems(seconds);

describe('Price per Audio Hour', () => {
	it('Transcribe adds estimated_cost = billing_time / 3600 × price, right after billing_time', async () => {
		const result = await runGladia(emulator.get(), transcribe({ pricePerAudioHour: 0.61 }), {
			items: recordings(30, 36),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.billing_time, item.json.estimated_cost])).toEqual([
			[30, 0.0051],
			[36, 0.0061],
		]);
		const keys = Object.keys(result.items[0].json);
		expect(keys.indexOf('estimated_cost')).toBe(keys.indexOf('billing_time') + 1);
	});

	it('is read per item, so an expression can price each item differently', async () => {
		const items = recordings(36, 36).map((item, index) => ({
			json: { ...item.json, price: [0.61, 0.2][index] },
		}));
		const result = await runGladia(
			emulator.get(),
			transcribe({ pricePerAudioHour: '={{ $json.price }}' }),
			{ items },
		);
		expect(result.items.map((item) => item.json.estimated_cost)).toEqual([0.0061, 0.002]);
	});

	it('leaves estimated_cost out at 0 (the default) and with Simplify off', async () => {
		const plain = await runGladia(emulator.get(), transcribe(), { items: recordings(30) });
		expect(plain.items[0].json).not.toHaveProperty('estimated_cost');
		const raw = await runGladia(
			emulator.get(),
			transcribe({ simplify: false, pricePerAudioHour: 1 }),
			{
				items: recordings(30),
			},
		);
		expect(raw.items[0].json).not.toHaveProperty('estimated_cost');
		expect(raw.items[0].json).toHaveProperty('result.metadata.billing_time', 30);
	});

	it.each([
		['-0.61', 'Price per Audio Hour: -0.61 is negative [item 1]'],
		['0,61', 'Price per Audio Hour: "0,61" is not a number [item 1]'],
		['about a dollar', 'Price per Audio Hour: "about a dollar" is not a number [item 1]'],
	])('refuses %p on the item that has it, before any job is created', async (price, message) => {
		const items = recordings(30, 30, 30).map((item, index) => ({
			json: { ...item.json, price: index === 1 ? price : '0.61' },
		}));
		const result = await runGladia(
			emulator.get(),
			transcribe({
				pricePerAudioHour: '={{ $json.price }}',
				options: { ...FAST_WAIT, maxConcurrentJobs: 1 },
			}),
			{ items, continueOnFail: true },
		);
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.estimated_cost).toBe(0.0051);
		expect(result.items[1].json.error).toBe(message);
		expect(result.items[1].json.description).toMatch(
			/^Enter your plan's price for one hour of audio/,
		);
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[2].json.estimated_cost).toBe(0.0051);
		expect(
			emulator
				.get()
				.jobs()
				.map((job) => job.audioUrl),
		).toEqual(expect.not.arrayContaining([items[1].json.url]));
		expect(emulator.get().jobs()).toHaveLength(2);
	});

	it('Get adds it too', async () => {
		const [done] = (await runGladia(emulator.get(), transcribe(), { items: recordings(36) })).items;
		const result = await runGladia(emulator.get(), {
			resource: 'transcription',
			operation: 'get',
			transcriptionId: String(done.json.id),
			pricePerAudioHour: 0.2,
		});
		expect(result.items[0].json).toMatchObject({ billing_time: 36, estimated_cost: 0.002 });
	});

	it('Get Many adds it per transcription; a job without a billing time gets null, not 0', async () => {
		await runGladia(emulator.get(), transcribe(), { items: recordings(36) });
		emulator.get().script('broken', { errorCode: 422 });
		await runGladia(emulator.get(), transcribe({ audioUrl: audioUrl('broken', 30) }), {
			continueOnFail: true,
		});
		const result = await runGladia(emulator.get(), {
			resource: 'transcription',
			operation: 'getMany',
			returnAll: true,
			pricePerAudioHour: 0.61,
		});
		const byStatus = Object.fromEntries(
			result.items.map((item) => [
				item.json.status,
				[item.json.billing_time, item.json.estimated_cost],
			]),
		);
		expect(byStatus).toEqual({ done: [36, 0.0061], error: [null, null] });
	});
});
