// Transcribe, Wait Mode "Callback", for a whole batch under n8n queue mode: the execution runs
// on a worker and parks; every job's callback reaches the webhook processor, which runs the
// node's webhook() on an execution it loads from PostgreSQL; only the last callback resumes
// it (on a worker again). Then a wait that times out, reloaded from the database by main.
// Run with `npm run build && npx jest -c test/queue/jest.config.js --runInBand test/queue/callback.queue.ts`.
import axios from 'axios';

import type { N8nClient, QueueTopology } from '../../scripts/queue';
import type { EmulatorHandle } from '../emulator';
import {
	countBy,
	loadExecutions,
	postJsonFull,
	productionUrl,
	report,
	SPEED,
	startQueueEnv,
	waitForExecutions,
} from './helpers';
import { urlBatchWorkflow } from './workflows';

// Callbacks get a patient sender, as in queue-mode.queue.ts (Gladia documents no retry policy):
// a loaded machine answers slowly.
const PATIENT_SENDER = { attempts: 8, backoffMs: 5000, timeoutMs: 15_000 };

let topo: QueueTopology;
let emulator: EmulatorHandle;
let client: N8nClient;
let credentialId: string;
const figures: Record<string, unknown> = {};

beforeAll(
	async () => {
		({ emulator, topo, client, credentialId } = await startQueueEnv({
			deliveryRetry: PATIENT_SENDER,
		}));
	},
	15 * 60 * 1000,
);

afterAll(async () => {
	report('callback batch figures', figures);
	await topo?.stop();
	await emulator?.close();
}, 120_000);

/** Webhook { items } → one item per URL → Transcribe (callback, On Error → Continue). */
async function importBatchWorkflow(name: string, path: string, options: Record<string, unknown>) {
	const json = urlBatchWorkflow(name, path, { waitMode: 'callback', continueOnFail: true });
	const gladia = json.nodes.find((node) => node.name === 'Gladia') as {
		parameters: Record<string, unknown>;
	};
	gladia.parameters.options = { ...(gladia.parameters.options as object), ...options };
	const { id } = await client.importWorkflow(json, { credentialIds: { gladiaApi: credentialId } });
	await client.activateWorkflow(id);
	return id;
}

const audioUrl = (tag: string, seconds: number) =>
	`https://media.example.com/queue/${tag}.wav?emulator_duration=${seconds}`;

const itemIndexOf = (job: { request: Record<string, unknown> }) =>
	(job.request.custom_metadata as Record<string, unknown>).n8n_gladia_item as number;

test('a batch of 10 in Callback mode: parked once, callbacks through the webhook processor, one resume in input order', async () => {
	emulator.script('queue-broken', { errorCode: 422 });
	const workflowId = await importBatchWorkflow('Queue: callback batch', 'queue-callback-batch', {
		maxConcurrentJobs: 5,
	});
	// 30 to 75 min of audio → 3 to 7.5 s each, finishing in another order than the items came.
	const minutes = [45, 30, 75, 35, 60, 40, 70, 50, 65, 55];
	const urls = minutes.map((m, i) => audioUrl(i === 6 ? 'queue-broken' : `batch-${i}`, m * 60));
	const jobsBefore = emulator.jobs().length;
	const logStart = emulator.log.length;
	const started = await postJsonFull(productionUrl(topo, 'queue-callback-batch'), {
		items: urls.map((url) => ({ url })),
	});
	expect(started.status).toBe(200);

	const [parked] = await waitForExecutions(client, workflowId, 1, {
		statuses: ['waiting', 'success', 'error'],
		timeoutMs: 120_000,
	});
	expect(parked.status).toBe('waiting');
	const [execution] = await waitForExecutions(client, workflowId, 1, { timeoutMs: 180_000 });
	expect(execution.status).toBe('success');
	expect(countBy(await waitForExecutions(client, workflowId, 1), (e) => e.status)).toEqual({
		success: 1,
	});

	const jobs = emulator.jobs().slice(jobsBefore);
	expect(jobs).toHaveLength(10);
	const jobOf = (index: number) => jobs.find((job) => itemIndexOf(job) === index)!;
	const [detail] = await loadExecutions(client, [execution.id]);
	const output = detail.runData.Gladia.at(-1)!.data!.main![0];
	expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
	]);
	for (const [i, item] of output.entries()) {
		if (i === 6) expect(item.json.error).toMatch(/error code 422/);
		else expect(item.json).toMatchObject({ id: jobOf(i).id, status: 'done' });
	}

	await emulator.deliveriesSettled();
	const jobIds = new Set(jobs.map((job) => job.id));
	const callbacks = emulator.callbacks.filter((c) => jobIds.has(c.jobId));
	expect(callbacks).toHaveLength(10);
	for (const callback of callbacks) {
		expect(callback.url.startsWith(`${topo.webhookUrl}/webhook-waiting/${execution.id}?`)).toBe(
			true,
		);
	}
	const tries = callbacks.map((c) =>
		c.tries.map((t) => `${t.status}/${t.ms}ms${t.error ? `/${t.error}` : ''}`),
	);
	report('callback tries', tries);
	// Answered 200, or, when a slow answer made the sender try again after the resume, refused
	// by n8n as finished (409): either way the node saw the callback.
	for (const callback of callbacks) {
		expect(callback.ok || callback.tries.some((t) => t.status === 409)).toBe(true);
	}
	// 0 polls: Gladia was read only after the first callback was sent.
	const firstSent = Math.min(...callbacks.map((c) => Date.parse(c.at)));
	const reads = emulator.log
		.slice(logStart)
		.filter((r) => r.method === 'GET' && r.path.startsWith('/v2/pre-recorded'));
	expect(reads.filter((r) => Date.parse(r.at) < firstSent)).toEqual([]);

	// A callback sent again after the resume: refused by n8n, the execution stays finished.
	const late = await axios.post(callbacks[0].url, callbacks[0].body, {
		validateStatus: () => true,
	});
	expect(late.status).toBe(409);

	figures.batch = {
		items: 10,
		executions: 1,
		jobs: jobs.length,
		callbacks: callbacks.length,
		callbackAttempts: callbacks.reduce((sum, c) => sum + c.attempts, 0),
		lists: reads.filter((r) => r.path === '/v2/pre-recorded').length,
		jobReads: reads.filter((r) => r.path !== '/v2/pre-recorded').length,
		polls: 0,
		lateCallbackStatus: late.status,
	};
	report('batch', figures.batch);
});

test('a timed-out batch wait in queue mode: the Gladia node passes each item on with gladia.status "timed_out"', async () => {
	emulator.configure({ speedFactor: 20 }); // 10 min of audio: 200 s, far past Max Wait
	let workflowId: string;
	const jobsBefore = emulator.jobs().length;
	try {
		workflowId = await importBatchWorkflow('Queue: callback timeout', 'queue-callback-timeout', {
			maxWaitSeconds: 2,
		});
		const started = await postJsonFull(productionUrl(topo, 'queue-callback-timeout'), {
			items: [{ url: audioUrl('slow-a', 600) }, { url: audioUrl('slow-b', 600) }],
		});
		expect(started.status).toBe(200);
		await waitForExecutions(client, workflowId, 1, { statuses: ['waiting'], timeoutMs: 120_000 });
	} finally {
		emulator.configure({ speedFactor: SPEED });
	}
	const startedAt = Date.now();
	// n8n's main instance looks for due waits about once a minute, then a worker runs them.
	const [execution] = await waitForExecutions(client, workflowId, 1, { timeoutMs: 180_000 });
	expect(execution.status).toBe('success');
	const [detail] = await loadExecutions(client, [execution.id]);
	const output = detail.runData.Gladia.at(-1)!.data!.main![0];
	const jobs = emulator.jobs().slice(jobsBefore);
	expect(output.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1]);
	for (const [i, item] of output.entries()) {
		expect(item.json).toMatchObject({
			gladia: { status: 'timed_out', id: jobs.find((job) => itemIndexOf(job) === i)!.id },
		});
	}
	figures.timedOut = {
		maxWaitSeconds: 2,
		resumedByN8nAfterSeconds: (Date.now() - startedAt) / 1000,
	};
	report('timed out', figures.timedOut);
});
