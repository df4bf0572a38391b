/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// Transcribe, Wait Mode "Callback", for a whole batch in a real n8n: the execution parks once
// for every item, each job's callback reaches n8n's /webhook-waiting endpoint, the callbacks
// before the last are answered without resuming (the execution stays waiting), and the last
// one resumes it once. Then a wait that times out: what the next node receives.
import axios from 'axios';

import type { ExecutionDetail, Item, WorkflowJson } from '../../scripts/lib/n8n';
import { batchWorkflow, e2eVersions, eventually, executionsOf, gladiaCredential, transcribeEachUrl, useE2eEnv, type E2eEnv } from './helpers/env';

const TERMINAL = ['success', 'error', 'crashed', 'canceled'];

/** Manual Trigger → the items → Transcribe (callback) → a Set node that keeps what it gets. */
function callbackWorkflow(name: string, env: E2eEnv, urls: string[], options: Record<string, unknown>): WorkflowJson {
	return batchWorkflow({
		name,
		items: urls.map((url, index) => ({ url, recording: `rec-${index}` })),
		gladia: {
			name: 'Transcribe',
			onError: 'continueRegularOutput',
			parameters: transcribeEachUrl({ waitMode: 'callback', options }),
		},
		credentials: gladiaCredential(env),
		next: [
			{
				id: 'cb-5',
				name: 'Next',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [{ id: 'n1', name: 'timed_out', value: "={{ $json.gladia?.status === 'timed_out' }}", type: 'boolean' }],
					},
					includeOtherFields: true,
					options: {},
				},
			},
		],
	});
}

const pairedIndexes = (items: Item[]) => items.map((item) => (item.pairedItem as { item: number }).item);

describe.each(e2eVersions())('n8n %s: Transcribe, Wait Mode "Callback", a batch', (version) => {
	const env = useE2eEnv(version);

	/** Jobs of this run at the emulator, by the item index they carry. */
	const jobsOfBatch = (since: number) => {
		const jobs = env.emulator.jobs().slice(since);
		return (index: number) => jobs.find((job) => (job.request.custom_metadata as Record<string, unknown>).n8n_gladia_item === index)!;
	};

	test('10 items: 0 polls, one resume with every result in input order, one failed job as an error item', async () => {
		env.emulator.script('broken-call', { errorCode: 422 });
		const jobsBefore = env.emulator.jobs().length;
		const logStart = env.emulator.log.length;
		const callbacksBefore = env.emulator.callbacks.length;
		// 60 to 105 minutes of audio: 3 to 5.25 s each at the emulator's speed, finishing in
		// another order than the items came.
		const minutes = [90, 60, 105, 75, 65, 100, 70, 95, 80, 85];
		const urls = minutes.map((m, i) => `https://example.com/calls/${i === 4 ? 'broken-call' : `call-${i}`}.wav?emulator_duration=${m * 60}`);
		const { id } = await env.client.importWorkflow(
			callbackWorkflow(`e2e: callback batch of 10 (${version})`, env, urls, { maxConcurrentJobs: 5, maxWaitSeconds: 600 }),
		);
		const started = Date.now();
		const executionId = await env.client.runWorkflow(id);
		const waiting = await env.client.waitForExecution(executionId, { statuses: ['waiting', ...TERMINAL] });
		const parkedSeconds = (Date.now() - started) / 1000;
		expect(waiting.error?.message).toBeUndefined();
		expect(waiting.status).toBe('waiting');
		const jobOf = jobsOfBatch(jobsBefore);
		expect(env.emulator.jobs().length - jobsBefore).toBe(10);

		// Callbacks before the last are answered without resuming: n8n keeps the execution waiting.
		await eventually('the first callbacks', async () => (env.emulator.callbacks.length - callbacksBefore >= 3 ? true : undefined), 60000);
		expect((await env.client.execution(executionId)).status).toBe('waiting');

		const done = await env.client.waitForExecution(executionId, { timeoutMs: 90000 });
		expect(done.status).toBe('success');
		const output = env.client.nodeOutput(done, 'Transcribe');
		expect(pairedIndexes(output)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		for (const [i, item] of output.entries()) {
			if (i === 4) expect(item.json.error).toMatch(new RegExp(`^Gladia could not transcribe job ${jobOf(4).id}: error code 422`));
			else expect(item.json).toMatchObject({ id: jobOf(i).id, status: 'done', file_name: `call-${i}.wav` });
		}
		const next = env.client.nodeOutput(done, 'Next');
		expect(next).toHaveLength(10);
		expect(next.every((item) => item.json.timed_out === false)).toBe(true);

		// 0 polls: every read of Gladia came after the first callback was sent, one list per callback.
		const callbacks = env.emulator.callbacks.slice(callbacksBefore);
		expect(callbacks).toHaveLength(10);
		const sentAt = callbacks.map((c) => Date.parse(c.at));
		const reads = env.emulator.log.slice(logStart).filter((r) => r.method === 'GET' && r.path.startsWith('/v2/pre-recorded'));
		expect(reads.filter((r) => Date.parse(r.at) < Math.min(...sentAt))).toEqual([]);
		const lists = reads.filter((r) => r.path === '/v2/pre-recorded');
		expect(callbacks.map((c) => c.status)).toEqual(Array.from({ length: 10 }, () => 200));
		// One list per callback that reached the node; on a loaded machine the emulator may give
		// up waiting for an answer (5 s) and send a callback again, which is then listed again.
		const attempts = callbacks.reduce((sum, c) => sum + c.attempts, 0);
		expect(lists.length).toBeGreaterThanOrEqual(10);
		expect(lists.length).toBeLessThanOrEqual(attempts);
		expect(await executionsOf(env, id)).toHaveLength(1);

		// A callback sent again after the resume never reaches the node: n8n refuses it (409).
		const last = callbacks[callbacks.length - 1];
		const late = await axios.post(last.url, last.body, { validateStatus: () => true });
		expect(late.status).toBe(409);
		expect((await env.client.execution(executionId)).status).toBe('success');

		const finished = await env.client.execution(executionId);
		process.stdout.write(
			`[n8n ${version}] callback batch of 10: parked after ${parkedSeconds.toFixed(1)} s, ` +
				`${reads.length - lists.length} job reads + ${lists.length} lists, 0 polls, ` +
				`${callbacks.length} callbacks (${attempts} attempts) answered ${[...new Set(callbacks.map((c) => c.status))].join('/')}, ` +
				`resumed ${((Date.parse(executionStoppedAt(finished)) - Math.max(...sentAt)) / 1000).toFixed(2)} s after the last callback was sent; ` +
				`a late callback got ${late.status}\n`,
		);
	});

	test('the same last callback delivered 3 times at once: 2.x resumes once (the others: 500); 1.x resumes on each', async () => {
		const jobsBefore = env.emulator.jobs().length;
		const urls = ['https://example.com/calls/race-long.wav?emulator_duration=6000', 'https://example.com/calls/race-short.wav?emulator_duration=600'];
		const workflow = callbackWorkflow(`e2e: callback batch, duplicated last callback (${version})`, env, urls, { maxWaitSeconds: 600 });
		// The next node calls an address the emulator logs: 2 calls (one per item) per resume.
		const probePath = '/v2/pre-recorded/00000000-0000-4000-8000-0000000000aa';
		workflow.nodes[4] = {
			id: 'cb-5',
			name: 'Next',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [800, 0],
			onError: 'continueRegularOutput',
			parameters: { method: 'GET', url: `${env.emulator.url}${probePath}`, options: {} },
		};
		const { id } = await env.client.importWorkflow(workflow);
		const executionId = await env.client.runWorkflow(id);
		await env.client.waitForExecution(executionId, { statuses: ['waiting', ...TERMINAL] });
		const jobs = env.emulator.jobs().slice(jobsBefore);
		const long = jobs.find((job) => job.audioUrl.includes('race-long'))!;
		const short = jobs.find((job) => job.audioUrl.includes('race-short'))!;
		await eventually('the short job’s callback', async () => (env.emulator.callbacks.some((c) => c.jobId === short.id && c.status === 200) ? true : undefined));
		// The long job's callback, sent 3 times at once before Gladia's own (still processing):
		// the callback is final for its own job, so each copy sees the batch complete.
		const callbackUrl = (long.request.callback_config as { url: string }).url;
		const body = { id: long.id, event: 'transcription.success', payload: { transcription: { full_transcript: 'early', utterances: [] }, metadata: {} }, custom_metadata: long.request.custom_metadata };
		const answers = await Promise.all([1, 2, 3].map(async () => await axios.post(callbackUrl, body, { validateStatus: () => true })));
		const done = await env.client.waitForExecution(executionId, { timeoutMs: 60000 });
		expect(done.status).toBe('success');
		const statuses = answers.map((answer) => answer.status).sort();
		await eventually('the next node’s calls', async () => (env.emulator.log.some((r) => r.path === probePath) ? true : undefined));
		await new Promise((resolve) => setTimeout(resolve, 3000)); // let any further resume finish
		const resumes = env.emulator.log.filter((r) => r.path === probePath).length / 2;
		if (version.startsWith('1.')) {
			// n8n 1.x updates a resuming execution without checking it still waits: every copy that
			// arrived before the first one set it running resumed it (409 after that).
			expect(resumes).toBe(statuses.filter((status) => status === 200).length);
		} else {
			// n8n 2.x resumes only a still-waiting execution (ExecutionAlreadyResumingError → 500).
			expect(statuses).toEqual([200, 500, 500]);
			expect(resumes).toBe(1);
		}
		process.stdout.write(`[n8n ${version}] the same last callback 3 times at once: answers ${statuses.join('/')}, resumes ${resumes}\n`);
	});

	test('a timed-out batch wait: the next node sees gladia.status "timed_out" on each item, with its job id', async () => {
		const jobsBefore = env.emulator.jobs().length;
		// These jobs take 200 s (10 minutes of audio at speed 20): far past Max Wait.
		env.emulator.configure({ speedFactor: 20 });
		let executionId: string;
		try {
			const urls = ['https://example.com/calls/slow-a.wav?emulator_duration=600', 'https://example.com/calls/slow-b.wav?emulator_duration=600'];
			const { id } = await env.client.importWorkflow(
				callbackWorkflow(`e2e: callback batch timing out (${version})`, env, urls, { maxWaitSeconds: 2 }),
			);
			executionId = await env.client.runWorkflow(id);
			const waiting = await env.client.waitForExecution(executionId, { statuses: ['waiting', ...TERMINAL] });
			expect(waiting.status).toBe('waiting');
		} finally {
			env.emulator.configure({ speedFactor: 0.05 });
		}
		const started = Date.now();
		// n8n checks for due waits about once a minute.
		const done = await env.client.waitForExecution(executionId, { timeoutMs: 150000 });
		const jobOf = jobsOfBatch(jobsBefore);
		expect(done.status).toBe('success');
		const next = env.client.nodeOutput(done, 'Next');
		expect(pairedIndexes(next)).toEqual([0, 1]);
		for (const [i, item] of next.entries()) {
			expect(item.json).toMatchObject({
				recording: `rec-${i}`,
				timed_out: true,
				gladia: { status: 'timed_out', id: jobOf(i).id },
			});
			expect(String((item.json.gladia as { message: string }).message)).toMatch(/^No result: Gladia's callbacks did not all arrive within Max Wait \(2 s\)/);
		}
		// The marker is on the waiting node's own copy: the items before it are unchanged.
		const split = env.client.nodeOutput(done, 'Split');
		expect(split.every((item) => item.json.gladia === undefined)).toBe(true);
		expect(jobOf(0).status).not.toBe('done');
		process.stdout.write(`[n8n ${version}] timed-out batch wait (Max Wait 2 s) resumed by n8n after ${((Date.now() - started) / 1000).toFixed(0)} s more\n`);
	});
});

function executionStoppedAt(execution: ExecutionDetail): string {
	const runs = Object.values(execution.runData).flat() as Array<{ startTime?: number; executionTime?: number }>;
	return new Date(Math.max(...runs.map((run) => (run.startTime ?? 0) + (run.executionTime ?? 0)))).toISOString();
}
