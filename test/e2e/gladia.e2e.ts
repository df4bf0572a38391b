/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Real n8n end to end: for each n8n version, n8n loads this package from dist/ as a
// community package, the examples are imported and run through n8n's REST API, and Gladia
// traffic goes to the emulator over real HTTP.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import axios from 'axios';
import { Webhook } from 'svix';

import type { ExecutionDetail, Item, WorkflowJson } from '../../scripts/lib/n8n';
import {
	batchWorkflow,
	activeSignedTrigger,
	E2E_API_KEY,
	E2E_SIGNING_SECRET,
	e2eVersions,
	eventually,
	executionsOf,
	gladiaCredential,
	MANUAL_START,
	runExample,
	transcribeEachUrl,
	useE2eEnv,
	type E2eEnv,
} from './helpers/env';
import { startRecordingOrigin, type RecordingOrigin } from '../helpers/recorder';

const MEETING = '01-meeting-transcript-summary.json';
const CALLBACK_CRM = '02-callback-trigger-crm.json';
const BATCH = '03-batch-subtitles-to-files.json';

const TERMINAL = ['success', 'error', 'crashed', 'canceled'];

/** POST /v2/pre-recorded requests the emulator received since `since` (index into its log). */
function createRequests(env: E2eEnv, since = 0) {
	return env.emulator.log.slice(since).filter((r) => r.method === 'POST' && r.path === '/v2/pre-recorded');
}

/** Executions whose run data includes `nodeName`, fully read. */
async function executionsThatRan(env: E2eEnv, workflowId: string, nodeName: string): Promise<ExecutionDetail[]> {
	const out: ExecutionDetail[] = [];
	for (const summary of await executionsOf(env, workflowId)) {
		if (!TERMINAL.includes(summary.status)) continue;
		const execution = await env.client.execution(summary.id);
		if (execution.runData[nodeName]) out.push(execution);
	}
	return out;
}

describe.each(e2eVersions())('n8n %s', (version) => {
	const env = useE2eEnv(version);

	beforeAll(() => {
		process.stdout.write(`[n8n ${version}] started in ${env.timings.n8nStartSeconds.toFixed(1)} s\n`);
	});

	/** Manual Trigger → one Gladia node with these parameters; the finished execution. */
	async function runGladiaNode(name: string, parameters: Record<string, unknown>): Promise<ExecutionDetail> {
		const { id } = await env.client.importWorkflow({
			name: `e2e: ${name}`,
			nodes: [
				MANUAL_START,
				{
					id: 'e2e-rd-2',
					name: 'Gladia',
					type: 'n8n-nodes-gladia.gladia',
					typeVersion: 1,
					position: [220, 0],
					parameters,
					credentials: gladiaCredential(env),
				},
			],
			connections: { Start: { main: [[{ node: 'Gladia', type: 'main', index: 0 }]] } },
		});
		return await env.client.waitForExecution(await env.client.runWorkflow(id));
	}

	test('loads the package: the Gladia node and the Gladia Trigger are known node types', async () => {
		const names = await env.client.nodeTypeNames();
		expect(names).toEqual(expect.arrayContaining(['n8n-nodes-gladia.gladia', 'n8n-nodes-gladia.gladiaTrigger']));
	});

	test('example (a): a meeting recording becomes a speaker-labelled transcript and a summary', async () => {
		const logStart = env.emulator.log.length;
		const execution = await runExample(env, MEETING);
		expect(execution.error?.message).toBeUndefined();
		expect(execution.status).toBe('success');

		const [notes, ...more] = env.client.nodeOutput(execution, 'Meeting Notes');
		expect(more).toHaveLength(0);
		const json = notes.json as { speaker_transcript: string; summary: string; speakers: number; gladia_job_id: string };
		expect(json.speaker_transcript).toMatch(/^Speaker 1: .+/m);
		expect(json.speaker_transcript).toMatch(/^Speaker 2: .+/m);
		expect(json.speakers).toBeGreaterThanOrEqual(2);
		expect(typeof json.summary).toBe('string');
		expect(json.summary.length).toBeGreaterThan(20);

		// One job, created with the options the example sets.
		const creates = createRequests(env, logStart);
		expect(creates).toHaveLength(1);
		const job = env.emulator.jobs().find((j) => j.id === json.gladia_job_id);
		expect(job).toBeDefined();
		expect(job!.request).toMatchObject({
			audio_url: 'https://files.gladia.io/example/audio-transcription/split_infinity.wav',
			diarization: true,
			summarization: true,
			summarization_config: { type: 'bullet_points' },
		});
		expect(creates[0].hadKey).toBe(true);
	});

	test('example (c): a batch of URLs becomes subtitle files, one job per URL, at most 2 at a time', async () => {
		const logStart = env.emulator.log.length;
		const jobsBefore = new Set(env.emulator.jobs().map((j) => j.id));
		const execution = await runExample(env, BATCH);
		expect(execution.error?.message).toBeUndefined();
		expect(execution.status).toBe('success');

		const results = env.client.nodeOutput(execution, 'Transcribe with Subtitles');
		expect(results).toHaveLength(4);
		results.forEach((item: Item, index: number) => {
			expect(item.json.status).toBe('done');
			expect(item.binary?.subtitles_srt?.fileName).toMatch(/\.srt$/);
			expect(item.binary?.subtitles_vtt?.fileName).toMatch(/\.vtt$/);
			expect(item.pairedItem).toEqual({ item: index });
		});

		// The files on disk, written by n8n's own Read/Write Files node.
		const folder = env.filesDir;
		const files = readdirSync(folder).sort();
		expect(files.filter((f) => f.endsWith('.srt'))).toHaveLength(4);
		expect(files.filter((f) => f.endsWith('.vtt'))).toHaveLength(4);
		for (const file of files) {
			const text = readFileSync(path.join(folder, file), 'utf8');
			if (file.endsWith('.srt')) expect(text).toMatch(/^1\r?\n\d\d:\d\d:\d\d,\d{3} --> /);
			else expect(text).toMatch(/^WEBVTT/);
		}

		// No duplicate jobs: exactly one create per URL.
		const newJobs = env.emulator.jobs().filter((j) => !jobsBefore.has(j.id));
		expect(createRequests(env, logStart)).toHaveLength(4);
		expect(newJobs.map((j) => j.audioUrl).sort()).toEqual([
			'https://example.com/podcast/episode-101.mp3',
			'https://example.com/podcast/episode-102.mp3',
			'https://example.com/podcast/episode-103.mp3',
			'https://example.com/podcast/episode-104.mp3',
		]);
		// Max Concurrent Jobs = 2: never more than two jobs unfinished at Gladia at once.
		const events = newJobs.flatMap((j) => [
			{ at: Date.parse(j.createdAt), delta: 1 },
			{ at: Date.parse(j.completedAt!), delta: -1 },
		]);
		events.sort((a, b) => a.at - b.at || a.delta - b.delta);
		let open = 0;
		let peak = 0;
		for (const event of events) peak = Math.max(peak, (open += event.delta));
		expect(peak).toBeLessThanOrEqual(2);
	});

	test('example (b): Create with a callback → Gladia Trigger → the CRM call, once per job', async () => {
		const workflowId = env.examples[CALLBACK_CRM].id;
		expect(env.examples[CALLBACK_CRM].active).toBe(true);
		// The example starts from its form, as in the editor: submit it with its default values.
		const form = new FormData();
		form.append('field-0', 'https://files.gladia.io/example/audio-transcription/split_infinity.wav');
		form.append('field-1', 'contact-42');
		const formUrl = `${env.n8n.url}/form/${webhookIdOf(env, CALLBACK_CRM, 'Submit Call Recording')}`;
		expect((await axios.post(formUrl, form, { validateStatus: () => true })).status).toBe(200);
		const [execution] = await eventually('the form submission to run Create Transcription', async () => {
			const runs = await executionsThatRan(env, workflowId, 'Create Transcription');
			return runs.length ? runs : undefined;
		});
		expect(execution.status).toBe('success');
		const [created] = env.client.nodeOutput(execution, 'Create Transcription');
		const jobId = created.json.id as string;
		expect(jobId).toMatch(/^[0-9a-f-]{36}$/);

		// Gladia (the emulator) calls the trigger's production URL once the job is done.
		const crmRuns = await eventually('the CRM stand-in to receive the call', async () => {
			const runs = await executionsThatRan(env, workflowId, 'CRM Stand-in');
			return runs.length ? runs : undefined;
		});
		const callbacks = env.emulator.callbacks.filter((d) => d.jobId === jobId);
		expect(callbacks).toHaveLength(1);
		expect(callbacks[0].url).toBe(`${env.n8n.url}/webhook/${webhookIdOf(env, CALLBACK_CRM, 'Gladia Trigger')}/webhook`);
		expect(callbacks[0].status).toBe(200);

		const triggerRuns = await executionsThatRan(env, workflowId, 'Gladia Trigger');
		expect(triggerRuns).toHaveLength(1);
		expect(triggerRuns[0].status).toBe('success');
		const [event] = env.client.nodeOutput(triggerRuns[0], 'Gladia Trigger');
		expect(event.json).toMatchObject({ id: jobId, status: 'done' });

		expect(crmRuns).toHaveLength(1);
		const [crmCall] = env.client.nodeOutput(crmRuns[0], 'CRM Stand-in');
		const body = (crmCall.json as { body: Record<string, unknown> }).body;
		expect(body).toMatchObject({ contact_id: 'contact-42', gladia_job_id: jobId, status: 'done' });
		expect(String(body.summary).length).toBeGreaterThan(20);
		expect(String(body.transcript)).toMatch(/^Speaker \d+: .+/m);
	});

	test('callback-resume: the execution waits, and Gladia’s callback to its resume URL resumes it once', async () => {
		const logStart = env.emulator.log.length;
		const workflow: WorkflowJson = {
			name: 'e2e: transcribe with callback wait',
			nodes: [
				MANUAL_START,
				{
					id: 'e2e-cb-2',
					name: 'Transcribe',
					type: 'n8n-nodes-gladia.gladia',
					typeVersion: 1,
					position: [220, 0],
					parameters: {
						resource: 'transcription',
						operation: 'transcribe',
						audioSource: 'url',
						// 100 minutes of audio: 5 s at the emulator's speed (0.05 s per audio minute),
						// time to knock on the door before Gladia's callback.
						audioUrl: 'https://example.com/calls/long-call.wav?emulator_duration=6000',
						waitMode: 'callback',
						diarization: true,
						options: {},
					},
					credentials: gladiaCredential(env),
				},
				{
					id: 'e2e-cb-3',
					name: 'After Resume',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [440, 0],
					parameters: {
						mode: 'manual',
						assignments: { assignments: [{ id: 'a1', name: 'transcript', value: '={{ $json.speaker_transcript }}', type: 'string' }] },
						includeOtherFields: false,
						options: {},
					},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Transcribe', type: 'main', index: 0 }]] },
				Transcribe: { main: [[{ node: 'After Resume', type: 'main', index: 0 }]] },
			},
		};
		const { id } = await env.client.importWorkflow(workflow);
		const executionId = await env.client.runWorkflow(id);
		const waiting = await env.client.waitForExecution(executionId, { statuses: ['waiting', ...TERMINAL] });
		expect(waiting.error?.message).toBeUndefined();
		expect(waiting.status).toBe('waiting');

		// The job carries this execution's resume URL as its callback.
		const creates = createRequests(env, logStart);
		expect(creates).toHaveLength(1);
		const job = env.emulator.jobs().find((j) => j.audioUrl.includes('long-call.wav'))!;
		const callbackUrl = (job.request.callback_config as { url: string }).url;
		expect(callbackUrl.startsWith(`${env.n8n.url}/webhook-waiting/${executionId}`)).toBe(true);

		// Someone else knocking: the real job id under another batch key, and a job outside the batch.
		const wrongBatch = new URL(callbackUrl);
		wrongBatch.searchParams.set('n8n_gladia_batch', '00000000-0000-4000-8000-000000000000');
		const forged = await axios.post(
			wrongBatch.href,
			{ id: job.id, event: 'transcription.success', payload: { transcription: { full_transcript: 'forged' } } },
			{ validateStatus: () => true },
		);
		expect(forged.status).toBe(403);
		const stranger = await axios.post(
			callbackUrl,
			{ id: '11111111-1111-4111-8111-111111111111', event: 'transcription.success', payload: {} },
			{ validateStatus: () => true },
		);
		expect(stranger.status).toBe(403);
		expect((await env.client.execution(executionId)).status).toBe('waiting');

		// Gladia's real callback resumes it, and the next node gets the result.
		const done = await env.client.waitForExecution(executionId, { timeoutMs: 60000 });
		expect(done.status).toBe('success');
		const [transcribed] = env.client.nodeOutput(done, 'Transcribe');
		expect(transcribed.json).toMatchObject({ id: job.id, status: 'done' });
		const [after] = env.client.nodeOutput(done, 'After Resume');
		expect(String(after.json.transcript)).toMatch(/^Speaker \d+: .+/m);

		const callbacks = env.emulator.callbacks.filter((d) => d.jobId === job.id);
		expect(callbacks).toHaveLength(1);
		expect(callbacks[0].status).toBe(200);
		expect(createRequests(env, logStart)).toHaveLength(1);
		expect(await executionsOf(env, id)).toHaveLength(1);
	});

	describe('resource locator: Transcription ID picked from the list, or pasted as a URL', () => {
		/** A job made straight at the emulator; its id. */
		async function createJob(audioUrl: string): Promise<string> {
			const response = await axios.post(`${env.emulator.url}/v2/pre-recorded`, { audio_url: audioUrl }, { headers: { 'x-gladia-key': E2E_API_KEY } });
			return (response.data as { id: string }).id;
		}

		/** What the editor asks n8n for when the From List dropdown opens or the user types. */
		async function listResults(filter?: string, paginationToken?: string) {
			return await env.client.request<{ results: Array<{ name: string; value: string }>; paginationToken?: string }>(
				'POST',
				'/rest/dynamic-node-parameters/resource-locator-results',
				{
					nodeTypeAndVersion: { name: 'n8n-nodes-gladia.gladia', version: 1 },
					path: 'parameters.transcriptionId',
					methodName: 'searchTranscriptions',
					currentNodeParameters: { resource: 'transcription', operation: 'get', transcriptionId: { __rl: true, mode: 'list', value: '' } },
					credentials: gladiaCredential(env),
					...(filter !== undefined ? { filter } : {}),
					...(paginationToken !== undefined ? { paginationToken } : {}),
				},
			);
		}

		test('resource-locator list: n8n’s editor endpoint lists the emulator’s jobs by file name, status and date', async () => {
			const id = await createJob('https://example.com/rl/Quarterly%20review.wav?emulator_duration=60');
			const all = await listResults();
			const known = env.emulator.jobs().filter((job) => !job.deleted).map((job) => job.id);
			expect(all.results.length).toBeGreaterThan(0);
			expect(all.results.map((r) => r.value).every((value) => known.includes(value))).toBe(true);
			const mine = all.results.find((r) => r.value === id);
			expect(mine?.name).toMatch(/^Quarterly review\.wav · (queued|processing|done) · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
			const filtered = await listResults('quarterly REVIEW');
			expect(filtered.results.map((r) => r.value)).toEqual([id]);
			const byUrl = await listResults(`${env.emulator.url}/v2/transcription/${id}`);
			expect(byUrl.results.map((r) => r.value)).toEqual([id]);
		});

		test('resource-locator url mode: Get with a pasted result_url returns that job; a plain id string still works', async () => {
			const id = await createJob('https://example.com/rl/pasted.wav?emulator_duration=30');
			const execution = await runGladiaNode('get by result_url', {
				resource: 'transcription',
				operation: 'get',
				transcriptionId: { __rl: true, mode: 'url', value: `${env.emulator.url}/v2/transcription/${id}` },
				waitUntilDone: true,
				options: { minPollIntervalSeconds: 0.2, maxPollIntervalSeconds: 1, maxWaitSeconds: 60 },
			});
			expect(execution.error?.message).toBeUndefined();
			expect(execution.status).toBe('success');
			const [job, ...more] = env.client.nodeOutput(execution, 'Gladia');
			expect(more).toHaveLength(0);
			expect(job.json).toMatchObject({ id, status: 'done' });

			// A workflow saved before Transcription ID was a resource locator holds a plain string.
			const older = await runGladiaNode('get by a plain id string', { resource: 'transcription', operation: 'get', transcriptionId: id });
			expect(older.error?.message).toBeUndefined();
			expect(env.client.nodeOutput(older, 'Gladia')[0].json).toMatchObject({ id, status: 'done' });
		});
	});

	describe('redirects: the API key and request bodies never leave the Base URL’s origin', () => {
		let elsewhere: RecordingOrigin;

		beforeAll(async () => {
			elsewhere = await startRecordingOrigin();
		});
		afterAll(async () => {
			await elsewhere?.close();
		});
		beforeEach(() => elsewhere.reset());

		/** The next call on `route` is answered with a redirect to the recording origin. */
		function redirectNext(route: 'get' | 'create' | 'list', status: 302 | 307) {
			env.emulator.injectFault({ route, kind: 'redirect', status, location: `${elsewhere.url}/steal` });
		}

		const refusal = (method: string, path: string, status: number) =>
			`Gladia answered ${method} ${path} with a redirect (HTTP ${status}) to ${elsewhere.url}: refused, the API key is only sent to ${env.emulator.url} [item 0]`;

		test('Get answered with a 302 to another origin: no key there, the execution fails naming it', async () => {
			const id = '00000000-0000-4000-8000-00000000e2e1';
			redirectNext('get', 302);
			const execution = await runGladiaNode('redirected get', { resource: 'transcription', operation: 'get', transcriptionId: id });
			expect(execution.status).toBe('error');
			expect(execution.error?.message).toBe(refusal('GET', `/v2/pre-recorded/${id}`, 302));
			expect(execution.runData.Gladia[0].error?.message).toBe(refusal('GET', `/v2/pre-recorded/${id}`, 302));
			expect(elsewhere.requests).toEqual([]);
			expect(JSON.stringify(execution)).not.toContain(E2E_API_KEY);
		});

		test('Create answered with a 307 to another origin: neither the key nor the body goes there, no job', async () => {
			const jobsBefore = env.emulator.jobs().length;
			redirectNext('create', 307);
			const execution = await runGladiaNode('redirected create', {
				resource: 'transcription',
				operation: 'create',
				audioSource: 'url',
				audioUrl: 'https://example.com/calls/redirected.wav?emulator_duration=30',
				metadata: { customMetadata: { entries: [{ key: 'customerId', value: 'c-42' }] } },
			});
			expect(execution.status).toBe('error');
			expect(execution.error?.message).toBe(refusal('POST', '/v2/pre-recorded', 307));
			expect(elsewhere.requests).toEqual([]);
			expect(env.emulator.jobs()).toHaveLength(jobsBefore);
			expect(JSON.stringify(execution)).not.toContain(E2E_API_KEY);
		});

		test('the credential test answered with a 302: refused with a clear message, no key elsewhere', async () => {
			redirectNext('list', 302);
			const result = await env.client.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: {
					id: env.credentialId,
					name: 'Gladia (emulator)',
					type: 'gladiaApi',
					data: { apiKey: E2E_API_KEY, baseUrl: env.emulator.url, webhookSigningSecret: '' },
				},
			});
			// n8n 1.x never applies a credential's responseCode rules (its errors lose the HTTP
			// response they came from), so it shows axios' own words there.
			const message = version.startsWith('1.')
				? 'Request failed with status code 302'
				: "The Base URL answered with a redirect (HTTP 302): refused, the API key is only sent to the Base URL. Set it to Gladia's API (https://api.gladia.io) or to a proxy that forwards requests instead of redirecting them.";
			expect(result).toEqual({ status: 'Error', message });
			expect(elsewhere.requests).toEqual([]);
			expect(env.emulator.log.at(-1)).toMatchObject({ path: '/v2/pre-recorded', fault: 'redirect', status: 302 });
		});
	});

	test('On Error → Continue (using error output): the failed item takes the error branch, paired', async () => {
		env.emulator.script('e2e-error-branch', { errorCode: 415 });
		const urls = ['first', 'e2e-error-branch', 'third'].map((name) => `https://example.com/calls/${name}.wav?emulator_duration=6`);
		const noOp = (name: string) => ({ id: name, name, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
		const { id } = await env.client.importWorkflow(
			batchWorkflow({
				name: 'e2e: error output',
				items: urls.map((url) => ({ url })),
				gladia: {
					parameters: transcribeEachUrl({
						options: { minPollIntervalSeconds: 0.05, maxPollIntervalSeconds: 0.5, maxWaitSeconds: 60 },
					}),
					onError: 'continueErrorOutput',
				},
				credentials: gladiaCredential(env),
				next: [noOp('Transcribed'), noOp('Failed')],
			}),
		);
		const execution = await env.client.waitForExecution(await env.client.runWorkflow(id));
		expect(execution.status).toBe('success');
		const [success, errors] = execution.runData.Gladia[0].data?.main ?? [];
		expect(success.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errors.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		const transcribed = execution.runData.Transcribed[0].data?.main?.[0] ?? [];
		expect(transcribed.map((item) => item.json.status)).toEqual(['done', 'done']);
		const failed = execution.runData.Failed[0].data?.main?.[0] ?? [];
		expect(failed).toHaveLength(1);
		expect(failed[0].json.error).toMatch(/^Gladia could not transcribe job [0-9a-f-]{36}: error code 415 \[item 1\]$/);
		expect(JSON.stringify(execution)).not.toContain(E2E_API_KEY);
	});

	describe('dashboard webhooks signed by Svix', () => {
		const webhookId = 'e2e-dashboard-webhook';
		let workflowId: string;
		let url: string;

		/** A finished job at the emulator, created directly (as if from Gladia's dashboard). */
		async function finishedJob(): Promise<string> {
			const res = await axios.post(
				`${env.emulator.url}/v2/pre-recorded`,
				{ audio_url: 'https://example.com/calls/inbound.wav?emulator_duration=30' },
				{ headers: { 'x-gladia-key': E2E_API_KEY } },
			);
			const id = res.data.id as string;
			await eventually(`job ${id} to finish`, async () =>
				env.emulator.jobs().find((j) => j.id === id && j.status === 'done') ? true : undefined,
			);
			return id;
		}

		function signed(secret: string, messageId: string, payload: string, at = new Date()) {
			const signature = new Webhook(secret).sign(messageId, at, payload);
			return {
				'content-type': 'application/json',
				'svix-id': messageId,
				'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
				'svix-signature': signature,
			};
		}

		const post = async (payload: string, headers: Record<string, string>) =>
			await axios.post(url, payload, { headers, validateStatus: () => true, transformRequest: (d: string) => d });

		beforeAll(async () => {
			({ workflowId, url } = await activeSignedTrigger(env, {
				workflowName: 'e2e: dashboard webhooks',
				credentialName: 'Gladia (signed webhooks)',
				webhookId,
			}));
		});

		test('exactly one execution per valid delivery, none for forged or replayed ones', async () => {
			const jobs = [await finishedJob(), await finishedJob(), await finishedJob()];
			const payloads = jobs.map((id) => JSON.stringify({ event: 'transcription.success', payload: { id } }));

			// Three valid deliveries.
			for (const [index, payload] of payloads.entries()) {
				const res = await post(payload, signed(E2E_SIGNING_SECRET, `msg_valid_${index}_${version}`, payload));
				expect(res.status).toBe(200);
			}

			// Forged: other secret, tampered body, no signature, stale timestamp, garbage signature.
			const otherSecret = 'whsec_' + Buffer.from('not the endpoint secret at all').toString('base64');
			const stale = new Date(Date.now() - 10 * 60 * 1000);
			const tampered = JSON.stringify({ event: 'transcription.success', payload: { id: jobs[0] }, extra: 1 });
			const forged: Array<[string, string, Record<string, string>]> = [
				['another secret', payloads[0], signed(otherSecret, 'msg_forged_1', payloads[0])],
				['tampered body', tampered, signed(E2E_SIGNING_SECRET, 'msg_forged_2', payloads[0])],
				['no signature', payloads[1], { 'content-type': 'application/json' }],
				['stale timestamp', payloads[1], signed(E2E_SIGNING_SECRET, 'msg_forged_3', payloads[1], stale)],
				[
					'garbage signature',
					payloads[2],
					{ ...signed(E2E_SIGNING_SECRET, 'msg_forged_4', payloads[2]), 'svix-signature': 'v1,AAAA' },
				],
			];
			for (const [what, payload, headers] of forged) {
				const res = await post(payload, headers);
				expect({ what, status: res.status }).toEqual({ what, status: 401 });
			}

			// Svix retrying a message it already delivered: acknowledged, not run again.
			const retry = await post(payloads[0], signed(E2E_SIGNING_SECRET, `msg_valid_0_${version}`, payloads[0]));
			expect(retry.status).toBe(200);

			const runs = await eventually('three executions', async () => {
				const all = await executionsOf(env, workflowId);
				return all.length >= 3 && all.every((e) => TERMINAL.includes(e.status)) ? all : undefined;
			});
			// Give a late (wrong) extra execution the chance to show up before counting.
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const final = await executionsOf(env, workflowId);
			expect(final).toHaveLength(3);
			expect(runs.every((e) => e.status === 'success')).toBe(true);
			const started = await Promise.all(final.map(async (e) => await env.client.execution(e.id)));
			const jobIds = started.map((e) => env.client.nodeOutput(e, 'Gladia Trigger')[0].json.id).sort();
			expect(jobIds).toEqual([...jobs].sort());
		});
	});
});

function webhookIdOf(env: E2eEnv, file: string, nodeName: string): string {
	const json = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'examples', file), 'utf8')) as WorkflowJson;
	const node = json.nodes.find((n) => n.name === nodeName);
	return String(node?.webhookId);
}
