/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// Real n8n, Reuse Earlier Job: n8n is killed in the middle of a batch (every job created at
// Gladia, none finished), restarted, and the crashed execution is retried the way the editor's
// Retry does (POST /rest/executions/:id/retry). The emulator counts the jobs: no recording is
// transcribed (billed) twice, and a deliberate change of options does make new jobs.
import { randomUUID } from 'node:crypto';

import axios from 'axios';

import { N8nClient, startN8n, type N8nProcess, type WorkflowJson } from '../../scripts/lib/n8n';
import {
	batchWorkflow,
	e2eVersions,
	eventually,
	gladiaCredential,
	transcribeEachUrl,
	useE2eEnv,
	type E2eEnv,
} from './helpers/env';

const RECORDINGS = 10;
const PREFIX = 'reuse-e2e';

/**
 * Webhook → 10 recording URLs → Transcribe (Poll, all 10 at once, Reuse Earlier Job). A
 * production trigger, as a nightly batch would have: n8n can retry a crashed execution only
 * when it started from saved trigger data (a crashed manual run is "aborted before starting").
 */
function reuseWorkflow(
	env: E2eEnv,
	name: string,
	path: string,
	extra: Record<string, unknown> = {},
): WorkflowJson {
	const urls = Array.from(
		{ length: RECORDINGS },
		// Half of them short, half long: at the retry some may still be running (then waited for).
		(_, index) =>
			`https://media.example.com/${PREFIX}-${index}.mp3?emulator_duration=${index % 2 ? 180 : 60}`,
	);
	return batchWorkflow({
		name,
		trigger: {
			id: 'start',
			name: 'Start',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		},
		items: urls.map((url) => ({ url })),
		gladia: {
			name: 'Transcribe',
			parameters: transcribeEachUrl({
				...extra,
				options: {
					maxConcurrentJobs: RECORDINGS,
					minPollIntervalSeconds: 0.5,
					maxPollIntervalSeconds: 2,
					reuseEarlierJob: true,
				},
			}),
		},
		credentials: gladiaCredential(env),
	});
}

describe.each(e2eVersions())('n8n %s: Reuse Earlier Job', (version) => {
	let restarted: N8nProcess | undefined;
	// Declared before useE2eEnv: jest runs afterAll hooks in that order, so the restarted n8n
	// stops before the emulator it talks to.
	afterAll(async () => {
		await restarted?.stop();
	});
	const env = useE2eEnv(version);

	const jobs = () => env.emulator.jobs().filter((job) => job.audioUrl.includes(PREFIX));
	const creates = (since: number) =>
		env.emulator.log
			.slice(since)
			.filter((entry) => entry.method === 'POST' && entry.path === '/v2/pre-recorded');

	test('n8n killed mid-batch, restarted, the crashed execution retried: 10 jobs, not 20; changed options: 10 new', async () => {
		const log = (message: string) => process.stdout.write(`[n8n ${version}] ${message}\n`);
		const { id: workflowId } = await env.client.importWorkflow(
			reuseWorkflow(env, 'e2e: reuse batch', 'reuse-batch'),
		);
		await env.client.activateWorkflow(workflowId);
		// Jobs take 10 s (60 s of audio: 60 / 60 × 10) or 30 s: n8n is killed before any is done,
		// and the retry, which answers once its execution ends, waits well under the client's 30 s.
		env.emulator.configure({ speedFactor: 10 });
		expect((await axios.post(`${env.n8n.url}/webhook/reuse-batch`, {})).status).toBe(200);
		const crashedId = await eventually('the batch execution', async () => {
			const [newest] = await env.client.executions(workflowId);
			return newest?.id;
		});
		await eventually('all 10 jobs created at Gladia', async () =>
			jobs().length === RECORDINGS ? true : undefined,
		);
		expect(jobs().every((job) => job.status !== 'done')).toBe(true);
		process.kill(-(env.n8n.child.pid as number), 'SIGKILL');
		await env.n8n.stop();
		log(
			`killed with ${jobs().length} jobs created, ${jobs().filter((job) => job.status === 'done').length} done`,
		);

		restarted = await startN8n({ version, userFolder: env.n8n.userFolder, log });
		const client = new N8nClient(restarted.url, { version, n8nDir: restarted.install.dir });
		await client.signIn();
		const crashed = await client.waitForExecution(crashedId, {
			statuses: ['crashed', 'error'],
			timeoutMs: 60000,
		});
		expect(crashed.status).toBe('crashed');

		// The editor's "Retry with original workflow".
		const logMark = env.emulator.log.length;
		const doneAtRetry = jobs().filter((job) => job.status === 'done').length;
		const retry = await client.request<{ id?: string } | string>(
			'POST',
			`/rest/executions/${crashedId}/retry`,
			{
				loadWorkflow: false,
			},
		);
		const retryId = typeof retry === 'object' && retry ? String(retry.id) : undefined;
		const retried = retryId
			? await client.waitForExecution(retryId, { timeoutMs: 120000 })
			: await eventually(
					'the retried execution',
					async () => {
						const summaries = await client.executions(workflowId);
						const newest = summaries.find(
							(summary) => summary.id !== crashedId && summary.status === 'success',
						);
						return newest ? await client.execution(newest.id) : undefined;
					},
					120000,
				);
		expect(retried.status).toBe('success');
		const output = client.nodeOutput(retried, 'Transcribe');
		expect(output).toHaveLength(RECORDINGS);
		expect(output.map((item) => item.json.reused)).toEqual(Array(RECORDINGS).fill(true));
		expect(output.map((item) => item.json.status)).toEqual(Array(RECORDINGS).fill('done'));
		expect(new Set(output.map((item) => item.json.id))).toEqual(
			new Set(jobs().map((job) => job.id)),
		);
		expect(creates(logMark)).toHaveLength(0);
		expect(jobs()).toHaveLength(RECORDINGS);
		log(
			`retried (${doneAtRetry} jobs done by then, the others waited for): ${jobs().length} jobs for ${RECORDINGS} recordings, ${creates(logMark).length} created by the retry`,
		);

		// A deliberate change of options (speaker diarization) is a new transcription of each recording.
		env.emulator.configure({ speedFactor: 0.05 });
		const { id: changedId } = await client.importWorkflow(
			reuseWorkflow(env, 'e2e: reuse batch, diarization', 'reuse-changed', {
				diarization: true,
			}),
		);
		await client.activateWorkflow(changedId);
		expect((await axios.post(`${restarted.url}/webhook/reuse-changed`, {})).status).toBe(200);
		const changedRun = await eventually('the changed batch execution', async () => {
			const [newest] = await client.executions(changedId);
			return newest?.id;
		});
		const changed = await client.waitForExecution(changedRun, { timeoutMs: 120000 });
		expect(changed.status).toBe('success');
		const changedOutput = client.nodeOutput(changed, 'Transcribe');
		expect(changedOutput.map((item) => item.json.reused)).toEqual(Array(RECORDINGS).fill(false));
		expect(jobs()).toHaveLength(2 * RECORDINGS);
		log(`changed options: ${jobs().length - RECORDINGS} new jobs`);
	});
});
