/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Example 04 (nightly batch) in a real n8n, run from its Schedule Trigger as imported: one
// execution creates a job per recording, parks without polling, and resumes once when the last
// job has called back. Every recording reaches "Store Transcript" in order with its transcript,
// cost and delete outcome; the jobs are gone from Gladia. A second night makes new jobs (the
// earlier ones were deleted, so there is nothing to reuse). Then a wait that times out goes to
// "Follow Up Later".
import { readFileSync } from 'node:fs';
import path from 'node:path';

import axios from 'axios';

import type { ExecutionDetail, Item, WorkflowJson } from '../../scripts/lib/n8n';
import { E2E_API_KEY, e2eVersions, executionsOf, useE2eEnv } from './helpers/env';

const NIGHTLY = '04-nightly-batch-callback.json';
const TRIGGER = 'Every Night';
const TRANSCRIBE = 'Transcribe Recordings';
const PRICE_PER_HOUR = 0.61;
const TERMINAL = ['success', 'error', 'crashed', 'canceled'];

interface Recording {
	recordingId: string;
	url: string;
}

const exampleJson = (): WorkflowJson =>
	JSON.parse(
		readFileSync(path.join(__dirname, '..', '..', 'examples', NIGHTLY), 'utf8'),
	) as WorkflowJson;

/** The example's Set node field that lists the placeholder recordings (a JSON array). */
function recordingsAssignment(json: WorkflowJson): { value: string } {
	const node = json.nodes.find((n) => n.name === "Tonight's Recordings");
	const { assignments } = (
		node?.parameters as { assignments: { assignments: Array<{ value: string }> } }
	).assignments;
	return assignments[0];
}

const recordingsOf = (json: WorkflowJson) =>
	JSON.parse(recordingsAssignment(json).value) as Recording[];

const createsIn = (requests: Array<{ method: string; path: string }>) =>
	requests.filter((r) => r.method === 'POST' && r.path === '/v2/pre-recorded');

const recordingIdOf = (job: { request: Record<string, unknown> }) =>
	(job.request.custom_metadata as Record<string, unknown> | undefined)?.recordingId;

describe.each(e2eVersions())(
	'n8n %s: example 04, nightly batch with a callback wait',
	(version) => {
		const env = useE2eEnv(version);
		let workflowId: string;
		const recordings = recordingsOf(exampleJson());
		const log = (message: string) => process.stdout.write(`[n8n ${version}] ${message}\n`);
		let firstNightJobs: string[] = [];

		beforeAll(() => {
			workflowId = env.examples[NIGHTLY].id;
		});

		/** Transcribe's new jobs and what "Store Transcript" got, in recording order; the job ids. */
		function expectNight(done: ExecutionDetail): string[] {
			const transcribed = env.client.nodeOutput(done, TRANSCRIBE);
			expect(
				transcribed.map(
					(item) => (item.json.custom_metadata as Record<string, unknown>).recordingId,
				),
			).toEqual(recordings.map((r) => r.recordingId));
			expect(transcribed.map((item) => item.json.reused)).toEqual(recordings.map(() => false));
			const stored = env.client.nodeOutput(done, 'Store Transcript');
			expect(stored.map((item) => item.json.recordingId)).toEqual(
				recordings.map((r) => r.recordingId),
			);
			for (const item of stored) expectStored(item);
			return transcribed.map((item) => String(item.json.id));
		}

		async function expectGone(jobIds: string[]): Promise<void> {
			const kept = env.emulator.jobs().map((job) => job.id);
			expect(jobIds.filter((id) => kept.includes(id))).toEqual([]);
			for (const id of jobIds) {
				const answer = await axios.get(`${env.emulator.url}/v2/pre-recorded/${id}`, {
					headers: { 'x-gladia-key': E2E_API_KEY },
					validateStatus: () => true,
				});
				expect({ id, status: answer.status }).toEqual({ id, status: 404 });
			}
		}

		/**
		 * Runs a copy of the example from its Schedule Trigger, its jobs made at this emulator
		 * speed; the execution once parked, and once finished.
		 */
		async function runNight(
			id: string,
			{ speedFactor, finishWithinMs }: { speedFactor: number; finishWithinMs: number },
		): Promise<{ waiting: ExecutionDetail; done: ExecutionDetail }> {
			env.emulator.configure({ speedFactor });
			let waiting: ExecutionDetail;
			let executionId: string;
			try {
				executionId = await env.client.runWorkflow(id, { trigger: TRIGGER });
				waiting = await env.client.waitForExecution(executionId, {
					statuses: ['waiting', ...TERMINAL],
				});
			} finally {
				env.emulator.configure({ speedFactor: 0.05 });
			}
			const done = await env.client.waitForExecution(executionId, { timeoutMs: finishWithinMs });
			return { waiting, done };
		}

		// At speed 1 the placeholder recordings (6 to 9 minutes of audio) take 6 to 9 s: the
		// execution is surely seen parked before the first callback resumes it.
		const NIGHT = { speedFactor: 1, finishWithinMs: 90000 };

		test('imported active; the 02:00 schedule does not fire during the test', async () => {
			expect(env.examples[NIGHTLY].active).toBe(true);
			const workflow = await env.client.workflow(workflowId);
			expect(workflow.active).toBe(true);
			expect(await executionsOf(env, workflowId)).toEqual([]);
		});

		test('one night: parks with 0 polls, resumes once, stores every recording in order, deletes the jobs', async () => {
			const logStart = env.emulator.log.length;
			const callbacksBefore = env.emulator.callbacks.length;
			const { waiting, done } = await runNight(workflowId, NIGHT);
			expect(waiting.error?.message).toBeUndefined();
			expect(waiting.status).toBe('waiting');
			expect(done.status).toBe('success');
			const requests = env.emulator.log.slice(logStart);

			// Before parking: one look for an earlier job per recording (Reuse Earlier Job), one create each.
			const lookups = requests.filter(
				(r) =>
					r.method === 'GET' &&
					r.path === '/v2/pre-recorded' &&
					String(r.query.custom_metadata).includes('n8n_reuse_key'),
			);
			expect(lookups).toHaveLength(recordings.length);
			expect(createsIn(requests)).toHaveLength(recordings.length);

			// 0 polls: no job is ever read on its own, and the batch is listed only once callbacks come in.
			const callbacks = env.emulator.callbacks.slice(callbacksBefore);
			expect(callbacks).toHaveLength(recordings.length);
			expect(callbacks.map((c) => c.status)).toEqual(recordings.map(() => 200));
			const firstCallback = Math.min(...callbacks.map((c) => Date.parse(c.at)));
			expect(
				requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v2/pre-recorded/')),
			).toEqual([]);
			const batchLists = requests.filter(
				(r) => r.method === 'GET' && String(r.query.custom_metadata).includes('n8n_gladia_batch'),
			);
			expect(batchLists.filter((r) => Date.parse(r.at) < firstCallback)).toEqual([]);
			// One list per callback that reached the node (a loaded machine may make the emulator send one again).
			expect(batchLists.length).toBeGreaterThanOrEqual(recordings.length);
			expect(batchLists.length).toBeLessThanOrEqual(
				callbacks.reduce((sum, c) => sum + c.attempts, 0),
			);

			// Resumed once: the nodes after the wait ran once, and a callback sent again is refused.
			expect(done.runData['Timed Out?']).toHaveLength(1);
			expect(done.runData['Store Transcript']).toHaveLength(1);
			expect(done.runData['Follow Up Later']).toBeUndefined();
			const late = await axios.post(callbacks[0].url, callbacks[0].body, {
				validateStatus: () => true,
			});
			expect(late.status).toBe(409);
			expect(await executionsOf(env, workflowId)).toHaveLength(1);

			const jobIds = expectNight(done);
			expect(new Set(callbacks.map((c) => c.jobId))).toEqual(new Set(jobIds));
			// Deleted at Gladia: one DELETE per job, and each is gone (404).
			const deletes = requests
				.filter((r) => r.method === 'DELETE')
				.map((r) => r.path.split('/').pop());
			expect(deletes.sort()).toEqual([...jobIds].sort());
			await expectGone(jobIds);
			firstNightJobs = jobIds;
			const stored = env.client.nodeOutput(done, 'Store Transcript');
			log(
				`nightly example: ${lookups.length} reuse lookups + ${createsIn(requests).length} creates, then parked; 0 job reads; ` +
					`${callbacks.length} callbacks, ${batchLists.length} batch lists, 1 resume, ${deletes.length} deletes; ` +
					`estimated_cost ${stored.map((item) => item.json.estimated_cost).join(' + ')}`,
			);
		});

		test('a second night: the earlier jobs were deleted, so each recording gets a new job (none reused)', async () => {
			expect(firstNightJobs).toHaveLength(recordings.length);
			const logStart = env.emulator.log.length;
			const { done } = await runNight(workflowId, NIGHT);
			expect(done.status).toBe('success');
			expect(createsIn(env.emulator.log.slice(logStart))).toHaveLength(recordings.length);
			const jobIds = expectNight(done);
			expect(jobIds.filter((id) => firstNightJobs.includes(id))).toEqual([]);
			await expectGone(jobIds);
		});

		test('a night whose wait times out: every recording goes to "Follow Up Later" with its job id', async () => {
			// The example with Max Wait 2 s, and recordings that take 200 s each (10 minutes of audio
			// at the emulator's speed 20).
			const json = exampleJson();
			const transcribe = json.nodes.find((n) => n.name === TRANSCRIBE)!;
			const parameters = transcribe.parameters as { options: Record<string, unknown> };
			parameters.options = { ...parameters.options, maxWaitSeconds: 2 };
			const slow = recordings.map((r) => ({ ...r, url: `${r.url}?emulator_duration=600` }));
			recordingsAssignment(json).value = JSON.stringify(slow);
			const { id } = await env.client.importWorkflow(json, {
				name: `${json.name} (Max Wait 2 s)`,
				credentialIds: { gladiaApi: env.credentialId },
			});
			const jobsBefore = new Set(env.emulator.jobs().map((job) => job.id));
			// n8n checks for due waits about once a minute.
			const { waiting, done } = await runNight(id, { speedFactor: 20, finishWithinMs: 150000 });
			expect(waiting.status).toBe('waiting');
			expect(done.status).toBe('success');
			expect(done.runData['Store Transcript']).toBeUndefined();
			const jobs = env.emulator.jobs().filter((job) => !jobsBefore.has(job.id));
			expect(jobs.map(recordingIdOf).sort()).toEqual(recordings.map((r) => r.recordingId).sort());
			// The example's own settings, as Gladia received them.
			expect(jobs.map((job) => job.request.diarization)).toEqual(recordings.map(() => true));
			const followUp = env.client.nodeOutput(done, 'Follow Up Later');
			expect(followUp.map((item) => item.json.recordingId)).toEqual(
				recordings.map((r) => r.recordingId),
			);
			for (const item of followUp) {
				const job = jobs.find((j) => recordingIdOf(j) === item.json.recordingId)!;
				expect(item.json.jobId).toBe(job.id);
				expect(String(item.json.message)).toMatch(/did not all arrive within Max Wait \(2 s\)/);
			}
			// A job not fetched is not deleted: it is still at Gladia for a later run to pick up.
			expect(jobs.every((job) => !job.deleted)).toBe(true);
		}, 200000);
	},
);

/** What "Store Transcript" keeps of one finished recording. */
function expectStored(item: Item): void {
	const { transcript, speaker_transcript, billing_time, estimated_cost, gladia_delete } =
		item.json as Record<string, unknown>;
	expect(typeof transcript === 'string' && transcript.length > 0).toBe(true);
	expect(String(speaker_transcript)).toMatch(/^Speaker \d+: /);
	expect(typeof billing_time === 'number' && billing_time > 0).toBe(true);
	expect(estimated_cost).toBeCloseTo(((billing_time as number) / 3600) * PRICE_PER_HOUR, 4);
	expect(gladia_delete).toEqual({ deleted: true });
}
