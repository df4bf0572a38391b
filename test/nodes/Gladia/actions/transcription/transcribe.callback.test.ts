// Transcribe with Wait Mode "Callback", end to end over real HTTP: the node runs in n8n's engine
// and parks the execution; the emulator, as Gladia, POSTs its callback to the resume URL, where
// a stand-in for n8n's waiting-webhook endpoint hands it to the node's webhook() through
// n8n-core's real WebhookContext (test/helpers/waiting-webhook.ts). A batch parks once for
// every item; only the last job's callback resumes the execution.
import axios from 'axios';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IRunExecutionData,
	IWebhookResponseData,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	startBatchWait,
	type BatchEntry,
} from '../../../../../nodes/Gladia/actions/transcription/transcribe.callback';
import { Gladia } from '../../../../../nodes/Gladia/Gladia.node';
import { BATCH_FIELDS, BATCH_PARAMS } from '../../../../../nodes/Gladia/helpers/callback';
import { IDEMPOTENCY_FIELD } from '../../../../../nodes/Gladia/transport/jobs';
import {
	buildRunContext,
	makeAdditionalData,
	runNode,
	type RunNodeResult,
} from '../../../../helpers/engine';
import { audioUrl, FAST_WAIT, runGladia, useEmulator } from '../../../../helpers/gladia';
import {
	startWaitingWebhookServer,
	type ParkedExecution,
	type WaitingWebhookServer,
} from '../../../../helpers/waiting-webhook';

// Gladia's speed (T = audio / 60): 12 s of audio takes 200 ms, long enough to park first.
const emulator = useEmulator({ speedFactor: 1 });
let n8n: WaitingWebhookServer;

beforeAll(async () => {
	n8n = await startWaitingWebhookServer(() => new Gladia());
});

afterAll(async () => {
	await n8n.close();
});

const transcribe = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'transcription',
	operation: 'transcribe',
	waitMode: 'callback',
	audioSource: 'url',
	audioUrl: audioUrl('weekly-sync', 12),
	diarization: true,
	options: { ...FAST_WAIT, maxWaitSeconds: 600 },
	...extra,
});

/** Runs the node until it parks, and registers the execution as waiting at the resume URL. */
async function park(
	parameters: INodeParameters,
	onError?: INode['onError'],
): Promise<ParkedExecution> {
	const run = await runGladia(emulator.get(), parameters, { onError });
	const credentials = { apiKey: emulator.get().apiKey, baseUrl: emulator.get().url };
	return n8n.park(run, { parameters, credentials, onError });
}

async function resumed(entry: ParkedExecution): Promise<IWebhookResponseData> {
	return await entry.resumed();
}

/** Every read of Gladia's jobs (one job, or the list). */
const jobReads = () =>
	emulator
		.get()
		.log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v2/pre-recorded'));

describe('Transcribe, Wait Mode "Callback"', () => {
	it('parks the execution with the resume URL as Gladia’s callback, then resumes with the result and 0 polls', async () => {
		emulator.get().script('weekly-sync', {
			utterances: [
				{ text: 'Let us start the weekly sync.', speaker: 0 },
				{ text: 'The release is on track.', speaker: 1 },
			],
		});
		const before = Date.now();
		const entry = await park(transcribe());
		expect(entry.run.status).toBe('waiting');
		expect(entry.run.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 600_000);
		expect(entry.run.waitTill!.getTime()).toBeLessThan(Date.now() + 600_000 + 1000);

		const [job] = emulator.get().jobs();
		const metadata = job.request.custom_metadata as IDataObject;
		expect(metadata[IDEMPOTENCY_FIELD]).toEqual(expect.any(String));
		expect(metadata[BATCH_FIELDS.item]).toBe(0);
		const callbackUrl = new URL((job.request.callback_config as IDataObject).url as string);
		expect(job.request.callback).toBe(true);
		expect((job.request.callback_config as IDataObject).method).toBe('POST');
		expect(
			`${callbackUrl.origin}${callbackUrl.pathname}?signature=${callbackUrl.searchParams.get('signature')}`,
		).toBe(entry.run.resumeUrl);
		expect(callbackUrl.searchParams.get(BATCH_PARAMS.batch)).toBe(metadata[BATCH_FIELDS.batch]);
		expect(callbackUrl.searchParams.get(BATCH_PARAMS.size)).toBe('1');

		const result = await resumed(entry);
		const [output] = result.workflowData![0];
		expect(output.pairedItem).toEqual({ item: 0 });
		expect(output.json).toMatchObject({
			id: job.id,
			status: 'done',
			file_name: 'weekly-sync.mp3',
			speaker_transcript:
				'Speaker 1: Let us start the weekly sync.\nSpeaker 2: The release is on track.',
		});

		// No status checks while Gladia worked: the only read is the batch's list, after the callback.
		const gets = jobReads();
		expect(gets.map((entry) => entry.path)).toEqual(['/v2/pre-recorded']);
		expect(Date.parse(gets[0].at)).toBeGreaterThanOrEqual(
			Date.parse(emulator.get().jobs()[0].completedAt!),
		);
		expect(emulator.get().callbacks).toHaveLength(1);
	});

	it('outputs exactly what Poll mode outputs for the same audio', async () => {
		emulator
			.get()
			.script('weekly-sync', { utterances: [{ text: 'Same words either way.', speaker: 0 }] });
		const entry = await park(transcribe());
		const viaCallback = (await resumed(entry)).workflowData![0][0].json;
		const viaPoll = (await runGladia(emulator.get(), transcribe({ waitMode: 'poll' }))).items[0]
			.json;
		const comparable = (json: IDataObject) => {
			const { id, created_at, completed_at, custom_metadata, ...rest } = json;
			return {
				...rest,
				has: [id, created_at, completed_at, custom_metadata].map((value) => value !== null),
			};
		};
		expect(comparable(viaCallback)).toEqual(comparable(viaPoll));
		expect(Object.keys(viaCallback)).toEqual(Object.keys(viaPoll));
	});

	it('refuses a callback for another job and keeps waiting for its own', async () => {
		const entry = await park(transcribe({ audioUrl: audioUrl('weekly-sync', 24) }));
		const foreign = {
			id: '8b3f4c2e-0000-4000-8000-000000000001',
			event: 'transcription.success',
			payload: {},
			custom_metadata: { [BATCH_FIELDS.batch]: 'someone-else' },
		};
		const callbackUrl = (emulator.get().jobs()[0].request.callback_config as IDataObject)
			.url as string;
		const refused = await axios.post(callbackUrl, foreign, { validateStatus: () => true });
		expect(refused.status).toBe(403);
		expect(refused.data).toEqual({
			message: `Job ${foreign.id} is not a job this execution waits for`,
		});
		expect(entry.resumedWith).toBeUndefined();

		const withoutKey = await axios.post(entry.run.resumeUrl, foreign, {
			validateStatus: () => true,
		});
		expect(withoutKey.status).toBe(400);
		expect(entry.resumedWith).toBeUndefined();

		const result = await resumed(entry);
		expect(result.workflowData![0][0].json.id).toBe(emulator.get().jobs()[0].id);
	});

	it('refuses a forged body that claims the right key for a job Gladia does not know', async () => {
		const entry = await park(transcribe({ audioUrl: audioUrl('weekly-sync', 24) }));
		const job = emulator.get().jobs()[0];
		const callbackUrl = (job.request.callback_config as IDataObject).url as string;
		const forged = {
			id: '8b3f4c2e-0000-4000-8000-000000000002',
			event: 'transcription.success',
			payload: { transcription: { full_transcript: 'injected' } },
			custom_metadata: job.request.custom_metadata,
		};
		const refused = await axios.post(callbackUrl, forged, { validateStatus: () => true });
		expect(refused.status).toBe(403);
		expect(entry.resumedWith).toBeUndefined();
		const result = await resumed(entry);
		expect(result.workflowData![0][0].json.transcript).not.toBe('injected');
	});

	it('uses the callback’s own result when Gladia cannot be read back right now', async () => {
		const entry = await park(transcribe({ audioUrl: audioUrl('weekly-sync', 24) }));
		const job = emulator.get().jobs()[0];
		// Every list of the batch fails (3 attempts): a batch of one falls back to the callback payload.
		emulator.get().injectFault({ route: 'list', kind: 'reset', count: 3 });
		const result = await resumed(entry);
		expect(result.workflowData![0][0].json).toMatchObject({
			id: job.id,
			status: 'done',
			file_name: null,
		});
		expect(String(result.workflowData![0][0].json.transcript).length).toBeGreaterThan(0);
		expect(jobReads().filter((entry) => entry.fault === 'reset')).toHaveLength(3);
	});

	it('fails the node when Gladia reports the job failed; continueOnFail gives an error item', async () => {
		emulator.get().script('unreadable', { errorCode: 422 });
		const failing = await park(transcribe({ audioUrl: audioUrl('unreadable', 12) }));
		await resumed(failing);
		expect(failing.error?.message).toMatch(
			/^Gladia could not transcribe job [0-9a-f-]{36}: error code 422/,
		);
		const answer = n8n.answers.find((entry) => entry.executionId === failing.run.executionId);
		expect(answer?.status).toBe(500);

		const continuing = await park(
			transcribe({ audioUrl: audioUrl('unreadable', 12) }),
			'continueRegularOutput',
		);
		const [item] = (await resumed(continuing)).workflowData![0];
		expect(item.json.error).toMatch(/error code 422/);
		expect(item.pairedItem).toEqual({ item: 0 });

		const routed = await park(
			transcribe({ audioUrl: audioUrl('unreadable', 12) }),
			'continueErrorOutput',
		);
		const outputs = (await resumed(routed)).workflowData!;
		expect(outputs[0]).toEqual([]);
		expect(outputs[1][0].json.error).toMatch(/error code 422/);
	});

	it('refuses to wait for Gladia’s cloud when n8n’s resume URL is not public', async () => {
		const run = await runGladia(emulator.get(), transcribe(), {
			credentials: { apiKey: 'not-used', baseUrl: 'https://api.gladia.io' },
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(
			/Gladia cannot call back http:\/\/127\.0\.0\.1:\d+: it is not reachable from the internet/,
		);
		expect((run.error as { description?: string }).description).toMatch(/N8N_WEBHOOK_URL/);
	});

	it('with continueOnFail, a failed create is an error item and the execution does not wait', async () => {
		const run = await runGladia(
			emulator.get(),
			transcribe({ audioUrl: 'ftp://example.com/a.mp3' }),
			{ continueOnFail: true },
		);
		expect(run.status).toBe('success');
		expect(run.items[0].json.error).toBeDefined();
		expect(run.waitTill).toBeUndefined();
	});
});

/** Transcribe for a batch: each item's audio URL comes from its json. */
const batchTranscribe = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'transcription',
	operation: 'transcribe',
	waitMode: 'callback',
	audioSource: 'url',
	audioUrl: '={{ $json.url }}',
	options: { ...FAST_WAIT, maxWaitSeconds: 600 },
	...extra,
});

/** One input item per audio; they finish in another order than they arrive. */
const inputs = (urls: string[]): INodeExecutionData[] =>
	urls.map((url, i) => ({ json: { url, recording: `rec-${i}` } }));

const credentials = () => ({ apiKey: emulator.get().apiKey, baseUrl: emulator.get().url });

async function parkBatch(
	parameters: INodeParameters,
	items: INodeExecutionData[],
	onError?: INode['onError'],
): Promise<ParkedExecution> {
	const run = await runGladia(emulator.get(), parameters, { items, onError });
	return n8n.park(run, { parameters, credentials: credentials(), onError });
}

const reads = () =>
	emulator
		.get()
		.log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v2/pre-recorded'));
const creates = () =>
	emulator
		.get()
		.log.filter((entry) => entry.method === 'POST' && entry.path === '/v2/pre-recorded');
const answersFor = (entry: ParkedExecution) =>
	n8n.answers.filter((answer) => answer.executionId === entry.run.executionId);
const jobOfItem = (index: number) =>
	emulator
		.get()
		.jobs()
		.find((job) => (job.request.custom_metadata as IDataObject)[BATCH_FIELDS.item] === index)!;

describe('Transcribe, Wait Mode "Callback", a batch of items', () => {
	it('creates every job with the resume URL, parks with 0 polls, and resumes once, in input order, with a failed job as an error item', async () => {
		emulator.get().script('broken', { errorCode: 422 });
		const urls = [30, 6, 18, 12, 24].map((seconds, i) =>
			audioUrl(i === 2 ? 'broken' : `call-${i}`, seconds),
		);
		const entry = await parkBatch(batchTranscribe(), inputs(urls), 'continueRegularOutput');
		expect(entry.run.status).toBe('waiting');
		expect(entry.run.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);

		const jobs = emulator.get().jobs();
		expect(creates()).toHaveLength(5);
		const batch = (jobs[0].request.custom_metadata as IDataObject)[BATCH_FIELDS.batch] as string;
		for (const job of jobs) {
			const url = new URL((job.request.callback_config as IDataObject).url as string);
			expect(url.searchParams.get(BATCH_PARAMS.batch)).toBe(batch);
			expect(url.searchParams.get(BATCH_PARAMS.size)).toBe('5');
			expect(`${url.origin}${url.pathname}?signature=${url.searchParams.get('signature')}`).toBe(
				entry.run.resumeUrl,
			);
			expect(job.request.custom_metadata).toMatchObject({ [BATCH_FIELDS.batch]: batch });
		}

		const result = await entry.resumed(10_000);
		await emulator.get().deliveriesSettled();
		const output = result.workflowData![0];
		expect(output.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		expect(output.map((item) => item.json.id ?? null)).toEqual([
			jobOfItem(0).id,
			jobOfItem(1).id,
			null,
			jobOfItem(3).id,
			jobOfItem(4).id,
		]);
		expect(output[2].json.error).toMatch(
			new RegExp(`^Gladia could not transcribe job ${jobOfItem(2).id}: error code 422`),
		);
		for (const index of [0, 1, 3, 4]) {
			expect(output[index].json).toMatchObject({ status: 'done', file_name: `call-${index}.mp3` });
			expect(output[index].json.gladia).toBeUndefined();
		}

		// 0 polls: Gladia was read only when a callback came (one list per callback).
		const firstDone = Math.min(
			...emulator
				.get()
				.jobs()
				.map((job) => Date.parse(job.completedAt!)),
		);
		expect(reads().every((read) => Date.parse(read.at) >= firstDone)).toBe(true);
		expect(reads().filter((read) => read.path === '/v2/pre-recorded')).toHaveLength(5);
		// Every callback answered 200; only one of them resumed the execution.
		const callbacks = emulator.get().callbacks;
		expect(callbacks.map((delivery) => delivery.status)).toEqual([200, 200, 200, 200, 200]);
		expect(callbacks.map((delivery) => delivery.attempts)).toEqual([1, 1, 1, 1, 1]);
		const answers = answersFor(entry);
		expect(answers).toHaveLength(5);
		expect(answers.filter((answer) => answer.body !== undefined)).toEqual([
			{
				executionId: entry.run.executionId,
				status: 200,
				body: { message: 'Workflow was started' },
			},
		]);
	});

	it('without continueOnFail, a failed job fails the node when the batch resumes', async () => {
		emulator.get().script('broken', { errorCode: 422 });
		const entry = await parkBatch(
			batchTranscribe(),
			inputs([audioUrl('a', 6), audioUrl('broken', 12)]),
		);
		await entry.resumed(10_000);
		expect(entry.error?.message).toBe(
			`Gladia could not transcribe job ${jobOfItem(1).id}: error code 422 [item 1]`,
		);
	});

	it('sends failed jobs to the error output with continueErrorOutput, pairing kept', async () => {
		emulator.get().script('broken', { errorCode: 422 });
		const urls = [audioUrl('broken', 6), audioUrl('a', 12), audioUrl('broken', 18)];
		const entry = await parkBatch(batchTranscribe(), inputs(urls), 'continueErrorOutput');
		const [ok, failed] = (await entry.resumed(10_000)).workflowData!;
		expect(ok.map((item) => [item.pairedItem, item.json.id])).toEqual([
			[{ item: 1 }, jobOfItem(1).id],
		]);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(failed[1].json.error).toMatch(/error code 422 \[item 2\]$/);
	});

	it('keeps an item that failed before the wait as its error item, in place, after the resume', async () => {
		const urls = [audioUrl('a', 6), 'ftp://example.com/a.mp3', audioUrl('b', 12)];
		const entry = await parkBatch(batchTranscribe(), inputs(urls), 'continueRegularOutput');
		expect(creates()).toHaveLength(2);
		const url = new URL(
			(emulator.get().jobs()[0].request.callback_config as IDataObject).url as string,
		);
		expect(url.searchParams.getAll(BATCH_PARAMS.failed)).toHaveLength(1);
		expect(url.searchParams.get(BATCH_PARAMS.failed)).toMatch(/^1:.*ftp/);

		const output = (await entry.resumed(10_000)).workflowData![0];
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(output[0].json.id).toBe(jobOfItem(0).id);
		expect(output[2].json.id).toBe(jobOfItem(2).id);
		expect(output[1].json.error).toMatch(/Audio URL.*\[item 1\]$/);
		expect(String(output[1].json.error).match(/\[item 1\]/g)).toHaveLength(1);
	});

	it('reports an item whose create failed after the others were sent as an error item, in place', async () => {
		// A 429 whose Retry-After is past the create's retry budget fails that create at once.
		emulator.get().injectFault({ route: 'create', kind: '429', retryAfter: 600, count: 1 });
		const parameters = batchTranscribe({
			options: { ...FAST_WAIT, maxWaitSeconds: 600, maxConcurrentJobs: 1 },
		});
		const urls = [audioUrl('a', 6), audioUrl('b', 12), audioUrl('c', 18)];
		const entry = await parkBatch(parameters, inputs(urls), 'continueRegularOutput');
		expect(emulator.get().jobs()).toHaveLength(2);
		const output = (await entry.resumed(10_000)).workflowData![0];
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
		expect(output[0].json.error).toBe(
			'Gladia has no job for this item: creating it failed before the wait [item 0]',
		);
		expect(output.slice(1).map((item) => item.json.id)).toEqual([jobOfItem(1).id, jobOfItem(2).id]);
	});

	it('without continueOnFail, bad input stops the node before any job exists', async () => {
		const run = await runGladia(emulator.get(), batchTranscribe(), {
			items: inputs([audioUrl('a', 6), 'ftp://example.com/a.mp3']),
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(/Audio URL.*\[item 1\]$/);
		expect(run.waitTill).toBeUndefined();
		expect(emulator.get().jobs()).toHaveLength(0);
	});

	it('resumes once when the last two callbacks arrive at the same moment; the other is told who resumes', async () => {
		// The stand-in n8n refuses callbacks (409) until the execution is registered, so both
		// jobs finish first; their callbacks are then sent again together.
		emulator.get().configure({ deliveryRetry: { attempts: 1 } });
		try {
			const run = await runGladia(emulator.get(), batchTranscribe(), {
				items: inputs([audioUrl('a', 6), audioUrl('b', 6)]),
			});
			await waitUntil(() => emulator.get().callbacks.length === 2);
			await emulator.get().deliveriesSettled();
			const entry = n8n.park(run, { parameters: batchTranscribe(), credentials: credentials() });
			const sent = await Promise.all(
				emulator
					.get()
					.callbacks.map(
						async (delivery) =>
							await axios.post(delivery.url, delivery.body, { validateStatus: () => true }),
					),
			);
			const result = await entry.resumed();
			expect(sent.map((answer) => answer.status)).toEqual([200, 200]);
			const started = sent.filter((answer) => answer.data.message === 'Workflow was started');
			expect(started).toHaveLength(1);
			const other = sent.find((answer) => answer !== started[0])!;
			expect(other.data.message).toMatch(
				/^Job [0-9a-f-]{36} recorded: every job is finished, job [0-9a-f-]{36} \(the last one\) resumes the execution$/,
			);
			expect(result.workflowData![0].map((item) => item.json.id)).toEqual([
				jobOfItem(0).id,
				jobOfItem(1).id,
			]);
			// A callback repeated after the resume reaches n8n only: the execution is not waiting.
			const late = await axios.post(
				emulator.get().callbacks[0].url,
				emulator.get().callbacks[0].body,
				{
					validateStatus: () => true,
				},
			);
			expect(late.status).toBe(409);
		} finally {
			emulator.get().configure({ deliveryRetry: { attempts: 3 } });
		}
	});

	it('refuses a callback for a job outside the batch, and one whose URL lost its batch', async () => {
		const entry = await parkBatch(
			batchTranscribe(),
			inputs([audioUrl('a', 24), audioUrl('b', 24)]),
		);
		const job = emulator.get().jobs()[0];
		const callbackUrl = (job.request.callback_config as IDataObject).url as string;
		const outsider = await axios.post(
			callbackUrl,
			{
				id: '8b3f4c2e-0000-4000-8000-000000000003',
				event: 'transcription.success',
				payload: { transcription: { full_transcript: 'injected' } },
				custom_metadata: job.request.custom_metadata,
			},
			{ validateStatus: () => true },
		);
		expect(outsider.status).toBe(403);
		expect(outsider.data).toEqual({
			message: 'Job 8b3f4c2e-0000-4000-8000-000000000003 is not a job this execution waits for',
		});
		const bare = await axios.post(
			entry.run.resumeUrl,
			{ id: job.id, event: 'transcription.success' },
			{
				validateStatus: () => true,
			},
		);
		expect(bare.status).toBe(400);
		expect(bare.data.message).toMatch(/^Missing n8n_gladia_batch/);
		expect(entry.resumedWith).toBeUndefined();
		expect((await entry.resumed(10_000)).workflowData![0]).toHaveLength(2);
	});
});

describe('startBatchWait: items that come with a job Gladia already finished', () => {
	/** A finished job made straight at the emulator, as an earlier run would have left it. */
	async function finishedJob(name: string): Promise<string> {
		const response = await axios.post(
			`${emulator.get().url}/v2/pre-recorded`,
			{ audio_url: audioUrl(name, 6) },
			{ headers: { 'x-gladia-key': emulator.get().apiKey } },
		);
		const id = (response.data as { id: string }).id;
		await waitUntil(
			() =>
				emulator
					.get()
					.jobs()
					.find((job) => job.id === id)?.status === 'done',
		);
		return id;
	}

	/** Gladia, whose execute() hands startBatchWait these entries (what "Reuse Earlier Job" will do). */
	function gladiaWithEntries(entries: BatchEntry[]): Gladia {
		const nodeType = new Gladia();
		nodeType.execute = async function (this: IExecuteFunctions) {
			return [await startBatchWait.call(this, this.getInputData(), entries)];
		};
		return nodeType;
	}

	it('waits only for the new job and resumes with the reused one read from Gladia, in place', async () => {
		const reused = await finishedJob('earlier');
		const logStart = emulator.get().log.length;
		const nodeType = gladiaWithEntries([
			{ body: { audio_url: audioUrl('fresh', 12) } },
			{ jobId: reused },
		]);
		const parameters = batchTranscribe();
		const run = await runNode({
			nodeType,
			parameters,
			credentials: credentials(),
			items: inputs(['x', 'y']),
		});
		const entry = n8n.park(run, { parameters, credentials: credentials() });
		const url = new URL(
			(
				emulator
					.get()
					.jobs()
					.find((job) => job.id !== reused)!.request.callback_config as IDataObject
			).url as string,
		);
		expect(url.searchParams.get(BATCH_PARAMS.existing)).toBe(`1:${reused}`);
		const output = (await entry.resumed(10_000)).workflowData![0];
		expect(output.map((item) => [item.pairedItem, item.json.id, item.json.status])).toEqual([
			[
				{ item: 0 },
				emulator
					.get()
					.jobs()
					.find((job) => job.id !== reused)!.id,
				'done',
			],
			[{ item: 1 }, reused, 'done'],
		]);
		expect(
			emulator
				.get()
				.log.slice(logStart)
				.filter((e) => e.method === 'POST'),
		).toHaveLength(1);
	});

	it('does not wait at all when every item already has a finished job', async () => {
		const reused = await finishedJob('earlier');
		const run = await runNode({
			nodeType: gladiaWithEntries([{ jobId: reused }, { failed: 'Bad input' }]),
			parameters: batchTranscribe(),
			credentials: credentials(),
			items: inputs(['x', 'y']),
			continueOnFail: true,
		});
		expect(run.status).toBe('success');
		expect(run.waitTill).toBeUndefined();
		expect(run.items.map((item) => [item.pairedItem, item.json.id ?? item.json.error])).toEqual([
			[{ item: 0 }, reused],
			[{ item: 1 }, 'Bad input [item 1]'],
		]);
	});
});

describe('Max Wait without every callback', () => {
	/** What n8n does when the wait times out: load the saved execution and run it again. */
	async function runAfterMaxWait(run: RunNodeResult, parameters: INodeParameters) {
		const saved = JSON.parse(JSON.stringify(run.runExecutionData)) as IRunExecutionData;
		const { workflow, workflowData, credentialsHelper } = buildRunContext({
			nodeType: new Gladia(),
			parameters,
			credentials: credentials(),
		});
		const hooks = new ExecutionLifecycleHooks('manual', run.executionId, workflowData);
		const done = new Promise<IRun>((resolve) =>
			hooks.addHandler('workflowExecuteAfter', (result) => resolve(result)),
		);
		const additionalData = makeAdditionalData(credentialsHelper, hooks, run.executionId);
		void new WorkflowExecute(additionalData, 'manual', saved).processRunExecutionData(workflow);
		const result = await done;
		return result.data.resultData.runData.Gladia.at(-1)!.data!.main[0]!;
	}

	it('passes each input item on with gladia.status "timed_out" and its job id', async () => {
		// Long audio (10 min = 10 s here): the jobs are still running when the wait "times out".
		const parameters = batchTranscribe({ options: { ...FAST_WAIT, maxWaitSeconds: 60 } });
		const items = inputs([audioUrl('long-a', 600), audioUrl('long-b', 600)]);
		const run = await runGladia(emulator.get(), parameters, { items });
		expect(run.status).toBe('waiting');
		const output = await runAfterMaxWait(run, parameters);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [i, item] of output.entries()) {
			expect(item.json).toEqual({
				url: items[i].json.url,
				recording: `rec-${i}`,
				gladia: {
					status: 'timed_out',
					message: expect.stringMatching(
						/^No result: Gladia's callbacks did not all arrive within Max Wait \(60 s\)/,
					),
					id: jobOfItem(i).id,
					batch: (jobOfItem(i).request.custom_metadata as IDataObject)[BATCH_FIELDS.batch],
				},
			});
		}
		// The marker is on n8n's own copies of the items, not on the previous node's output.
		expect(items[0].json.gladia).toBeUndefined();
	});
});

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await sleep(10);
	}
}

describe('Callback batches with Reuse Earlier Job and Delete From Gladia After Fetching', () => {
	const reuse = (extra: IDataObject = {}) =>
		batchTranscribe({
			options: { ...FAST_WAIT, maxWaitSeconds: 600, reuseEarlierJob: true, ...extra },
		});
	const urls = () => [audioUrl('standup', 12), audioUrl('review', 6)];

	it('a re-run reuses the finished jobs: nothing created, nothing waits, results in place', async () => {
		const first = await parkBatch(reuse(), inputs(urls()));
		const firstOutput = (await first.resumed(10_000)).workflowData![0];
		expect(firstOutput.map((item) => [item.json.status, item.json.reused])).toEqual([
			['done', false],
			['done', false],
		]);
		await emulator.get().deliveriesSettled();
		const createsBefore = creates().length;

		const again = await runGladia(emulator.get(), reuse(), { items: inputs(urls()) });
		expect(again.status).toBe('success');
		expect(again.waitTill).toBeUndefined();
		expect(creates()).toHaveLength(createsBefore);
		expect(again.items.map((item) => [item.pairedItem, item.json.id, item.json.reused])).toEqual(
			firstOutput.map((item, i) => [{ item: i }, item.json.id, true]),
		);
	});

	it('an earlier job still running is polled to its end before the batch parks; a changed option creates anew', async () => {
		// 60 s of audio = 1 s here: still running when the re-run looks for it.
		const items = inputs([audioUrl('long-call', 60)]);
		const first = await parkBatch(reuse(), items);
		expect(first.run.status).toBe('waiting');
		const again = await runGladia(emulator.get(), reuse(), { items });
		expect(again.status).toBe('success');
		expect(creates()).toHaveLength(1);
		expect(again.items[0].json).toMatchObject({ status: 'done', reused: true });
		expect(
			reads().filter((read) => read.path.startsWith('/v2/pre-recorded/')).length,
		).toBeGreaterThan(0);

		const changed = await parkBatch({ ...reuse(), diarization: true }, items);
		expect(changed.run.status).toBe('waiting');
		expect(creates()).toHaveLength(2);
		await changed.resumed(10_000);
	});

	it('deletes each finished job at Gladia once the resumed batch’s output is built', async () => {
		const entry = await parkBatch(batchTranscribe({ deleteAfterFetch: true }), inputs(urls()));
		const output = (await entry.resumed(10_000)).workflowData![0];
		expect(output.map((item) => [item.json.status, item.json.gladia_delete])).toEqual([
			['done', { deleted: true }],
			['done', { deleted: true }],
		]);
		const deletes = emulator
			.get()
			.log.filter((e) => e.method === 'DELETE' && e.status === 202)
			.map((e) => e.path);
		expect(deletes.sort()).toEqual(output.map((item) => `/v2/pre-recorded/${item.json.id}`).sort());
	});
});
