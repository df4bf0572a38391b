// Get Many → Output: Cost Summary in n8n's engine against the emulator: one item totalling the
// jobs of a period (After / Before), per status, every page read whatever Limit says.
import { sleep } from 'n8n-workflow';

import {
	apiCalls,
	audioUrl,
	FAST_EMULATOR,
	FAST_WAIT,
	runGladia,
	transcribeEachUrl,
	urlItems,
	useEmulator,
} from '../../../../helpers/gladia';

// Real list items carry only result.metadata (billing_time included): the summary needs no more.
const emulator = useEmulator({ ...FAST_EMULATOR, listItems: 'trimmed' });

async function transcribeAll(seconds: number[], extra: Record<string, unknown> = {}) {
	const result = await runGladia(
		emulator.get(),
		transcribeEachUrl({ options: { ...FAST_WAIT, maxConcurrentJobs: 10 }, ...extra }),
		{ items: urlItems(seconds), continueOnFail: true },
	);
	return result.items;
}

const summary = (extra: Record<string, unknown> = {}) => ({
	resource: 'transcription',
	operation: 'getMany',
	output: 'costSummary',
	...extra,
});

describe('Get Many → Cost Summary', () => {
	it('totals one period (After/Before) as one item: jobs, billed hours, cost, per status', async () => {
		await transcribeAll([60]); // before the period
		await sleep(20);
		const after = new Date().toISOString();
		await sleep(20);
		await transcribeAll([36, 36, 18]);
		emulator.get().script('broken', { errorCode: 422 });
		await transcribeAll([30], { audioUrl: audioUrl('broken', 30) });
		// Still queued or processing when summed: this job is made to take hours.
		emulator.get().configure({ speedFactor: 1000 });
		await runGladia(emulator.get(), {
			resource: 'transcription',
			operation: 'create',
			audioSource: 'url',
			audioUrl: audioUrl('long', 600),
		});
		await sleep(20);
		const before = new Date().toISOString();

		const result = await runGladia(
			emulator.get(),
			summary({ pricePerAudioHour: 2, filters: { afterDate: after, beforeDate: before } }),
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		const json = result.items[0].json;
		expect(json).toMatchObject({
			jobs: 5,
			jobs_without_billing_time: 2,
			billing_time: 90,
			billed_hours: 0.025,
			estimated_cost: 0.05,
			price_per_audio_hour: 2,
			filters: { after_date: after, before_date: before },
		});
		const byStatus = json.by_status as Record<string, { jobs: number; estimated_cost: unknown }>;
		expect(byStatus.done).toEqual({
			jobs: 3,
			jobs_without_billing_time: 0,
			billing_time: 90,
			billed_hours: 0.025,
			estimated_cost: 0.05,
		});
		expect(byStatus.error).toMatchObject({
			jobs: 1,
			jobs_without_billing_time: 1,
			estimated_cost: null,
		});
		const running = { ...byStatus.queued, ...byStatus.processing };
		expect(running).toMatchObject({ jobs: 1, jobs_without_billing_time: 1, estimated_cost: null });
	});

	it('counts every match, whatever Limit and Return All say (a partial total would mislead)', async () => {
		await transcribeAll(Array.from({ length: 12 }, () => 30));
		const result = await runGladia(
			emulator.get(),
			summary({ returnAll: false, limit: 5, pricePerAudioHour: 0.2 }),
		);
		expect(result.items[0].json).toMatchObject({
			jobs: 12,
			billing_time: 360,
			estimated_cost: 0.02,
		});
		expect(
			apiCalls(emulator.get()).filter(
				(call) => call.method === 'GET' && call.path === '/v2/pre-recorded',
			),
		).toHaveLength(1);
	});

	it('without a price: counts and billed hours, estimated_cost null', async () => {
		await transcribeAll([36]);
		const result = await runGladia(emulator.get(), summary());
		expect(result.items[0].json).toMatchObject({
			jobs: 1,
			billing_time: 36,
			billed_hours: 0.01,
			estimated_cost: null,
			price_per_audio_hour: null,
		});
	});

	it('refuses a bad price with the item and field named', async () => {
		const result = await runGladia(emulator.get(), summary({ pricePerAudioHour: -2 }));
		expect(result.error?.message).toBe('Price per Audio Hour: -2 is negative [item 0]');
		expect(apiCalls(emulator.get())).toHaveLength(0);
	});
});
