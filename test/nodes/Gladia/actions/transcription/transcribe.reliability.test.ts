/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// Transcribe under stress, in n8n's engine against the emulator: rate limits, flaky polls,
// lost create answers and a cancelled execution. The emulator's own job list is the proof
// that nothing is lost and nothing is billed twice.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { IDEMPOTENCY_FIELD } from '../../../../../nodes/Gladia/transport/jobs';
import type { EmulatorHandle } from '../../../../emulator';
import { audioUrl, FAST_WAIT, runGladia, useEmulator } from '../../../../helpers/gladia';

// Gladia's speed (T = audio / 60): 6 s of audio takes 100 ms.
const emulator = useEmulator({ speedFactor: 1 });

function batch(count: number): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({
		json: { url: audioUrl(`call-${index}`, 6) },
	}));
}

const transcribe = (options: IDataObject = {}): INodeParameters => ({
	resource: 'transcription',
	operation: 'transcribe',
	waitMode: 'poll',
	audioSource: 'url',
	audioUrl: '={{ $json.url }}',
	options: { ...FAST_WAIT, ...options },
});

/** Every item delivered, in order, with its own job and nothing billed twice. */
function expectEveryResultOnce(
	emulator: EmulatorHandle,
	items: INodeExecutionData[],
	count: number,
) {
	expect(items).toHaveLength(count);
	items.forEach((item, index) => {
		expect(item.json.error).toBeUndefined();
		expect(item.json.status).toBe('done');
		expect(item.pairedItem).toEqual({ item: index });
	});
	const jobs = emulator.jobs();
	const perUrl = new Set(jobs.map((job) => job.audioUrl));
	const perKey = new Set(
		jobs.map((job) => (job.request.custom_metadata as IDataObject)[IDEMPOTENCY_FIELD]),
	);
	expect(jobs).toHaveLength(count);
	expect(perUrl.size).toBe(count);
	expect(perKey.size).toBe(count);
	expect(new Set(items.map((item) => item.json.id)).size).toBe(count);
}

describe('Transcribe reliability', () => {
	it('rides out a 429 storm: plan limit 3, no queue, 30 jobs sent at once', async () => {
		emulator.get().configure({ concurrency: 3, queueLimit: 0 });
		const run = await runGladia(emulator.get(), transcribe({ maxConcurrentJobs: 30 }), {
			items: batch(30),
		});
		expect(run.status).toBe('success');
		expectEveryResultOnce(emulator.get(), run.items, 30);
		const refused = emulator
			.get()
			.log.filter((entry) => entry.method === 'POST' && entry.status === 429);
		expect(refused.length).toBeGreaterThan(0);
	});

	it('delivers every result with 20 % of polls failing (5xx, resets) and create answers lost', async () => {
		const faults = emulator.get();
		faults.injectFault({ route: 'get', kind: '500', every: 9, count: 1000 });
		faults.injectFault({ route: 'get', kind: 'reset', every: 11, count: 1000 });
		faults.injectFault({ route: 'get', kind: '502', every: 19, count: 1000 });
		faults.injectFault({ route: 'create', kind: 'ambiguous-create', every: 4, count: 5 });
		faults.injectFault({ route: 'create', kind: '500', every: 7, count: 2 });
		const run = await runGladia(emulator.get(), transcribe({ maxConcurrentJobs: 10 }), {
			items: batch(20),
		});
		expect(run.status).toBe('success');
		expectEveryResultOnce(emulator.get(), run.items, 20);

		const polls = emulator
			.get()
			.log.filter(
				(entry) => entry.method === 'GET' && /^\/v2\/pre-recorded\/[^/]+$/.test(entry.path),
			);
		const failedPolls = polls.filter((entry) => entry.fault);
		expect(failedPolls.length / polls.length).toBeGreaterThanOrEqual(0.15);
		const lostAnswers = emulator.get().log.filter((entry) => entry.fault === 'ambiguous-create');
		expect(lostAnswers).toHaveLength(5);
	});

	it('stops polling at once when a waiting execution is cancelled', async () => {
		const controller = new AbortController();
		const pending = runGladia(
			emulator.get(),
			{
				...transcribe({ minPollIntervalSeconds: 0.02, maxPollIntervalSeconds: 0.05 }),
				audioUrl: audioUrl('all-hands', 3600),
			},
			{ signal: controller.signal },
		);
		const polls = () => emulator.get().log.filter((entry) => entry.method === 'GET').length;
		while (polls() < 1) await new Promise((resolve) => setTimeout(resolve, 10));
		controller.abort();
		const run = await pending;
		expect(run.status).toBe('canceled');
		const atStop = polls();
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(polls()).toBe(atStop);
		expect(emulator.get().jobs()).toHaveLength(1);
	});
});
