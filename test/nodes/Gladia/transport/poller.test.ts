/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// The poller inside n8n's real engine, against the emulator over HTTP. The emulator runs at
// Gladia's speed (speedFactor 1: T = audio_duration / 60), with audio of a few seconds so a
// job takes 100–500 ms.
import axios from 'axios';
import type { IDataObject } from 'n8n-workflow';

import {
	JobPoller,
	waitForJobs,
	type PendingJob,
	type WaitOptions,
} from '../../../../nodes/Gladia/transport/poller';
import { startEmulator, type EmulatorHandle, type LoggedRequest } from '../../../emulator';
import { runNode } from '../../../helpers/engine';
import { probeNode } from '../helpers/probe';

let emulator: EmulatorHandle;

beforeAll(async () => {
	emulator = await startEmulator({ speedFactor: 1 });
});

afterAll(async () => {
	await emulator.close();
});

beforeEach(() => {
	emulator.reset();
	emulator.configure({ concurrency: 25, queueLimit: 300 });
});

const FAST: WaitOptions = { maxWaitMs: 10_000, minIntervalMs: 20, maxIntervalMs: 200 };

/** Creates a job directly (test client) and returns its id. */
async function createJob(seconds: number, name = 'meeting'): Promise<string> {
	const response = await axios.post<{ id: string }>(
		`${emulator.url}/v2/pre-recorded`,
		{ audio_url: `https://media.example.com/${name}.mp3?emulator_duration=${seconds}` },
		{ headers: { 'x-gladia-key': emulator.apiKey } },
	);
	return response.data.id;
}

function pollsOf(id: string): LoggedRequest[] {
	return emulator.log.filter(
		(entry) => entry.method === 'GET' && entry.path === `/v2/pre-recorded/${id}`,
	);
}

/** How long after the emulator finished the job the first poll that saw it came in. */
function detectionLatencyMs(id: string): number {
	const job = emulator.jobs().find((candidate) => candidate.id === id)!;
	const completedAt = Date.parse(job.completedAt!);
	const seen = pollsOf(id).find((entry) => Date.parse(entry.at) >= completedAt)!;
	return Date.parse(seen.at) - completedAt;
}

async function wait(jobs: PendingJob[], options: WaitOptions = FAST, signal?: AbortSignal) {
	const node = probeNode(async function () {
		const outcomes = await waitForJobs.call(this, jobs, options);
		return jobs.map((job): IDataObject => {
			const outcome = outcomes.get(job.id)!;
			return outcome.ok
				? {
						id: job.id,
						ok: true,
						status: outcome.job.status,
						error_code: outcome.job.error_code ?? null,
					}
				: { id: job.id, ok: false, error: outcome.error.message };
		});
	});
	return await runNode({
		nodeType: node,
		parameters: {},
		credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		signal,
	});
}

describe('waitForJobs', () => {
	it('waits for a whole batch and returns every job in its final state', async () => {
		const ids = await Promise.all(
			[6, 9, 12, 6, 15, 9, 6, 12].map(async (seconds) => await createJob(seconds)),
		);
		const run = await wait(ids.map((id, itemIndex) => ({ id, itemIndex })));
		expect(run.status).toBe('success');
		expect(run.items.map((item) => item.json)).toEqual(
			ids.map((id) => ({ id, ok: true, status: 'done', error_code: null })),
		);
		// A first short poll learns the duration; then 0.5 T, 0.67 T, 0.83 T, T (and one more if late).
		for (const id of ids) expect(pollsOf(id).length).toBeLessThanOrEqual(6);
	});

	it('polls a job of known duration from half its expected run time (audio_duration / 60) on', async () => {
		const started = Date.now();
		const id = await createJob(30); // T = 500 ms
		const run = await wait([{ id, itemIndex: 0, audioDuration: 30 }]);
		expect(run.items[0].json).toMatchObject({ ok: true, status: 'done' });
		const polls = pollsOf(id);
		expect(Date.parse(polls[0].at) - started).toBeGreaterThanOrEqual(240);
		// 0.5 T, then a poll every T / 6 (0.67 T, 0.83 T, T): done at T is seen by the 4th.
		expect(polls.length).toBeLessThanOrEqual(5);
		expect(detectionLatencyMs(id)).toBeLessThan(100);
	});

	it('learns an unknown duration from the job’s file.audio_duration on a first short poll', async () => {
		const id = await createJob(30);
		await wait([{ id, itemIndex: 0 }]);
		const polls = pollsOf(id);
		expect(polls.length).toBeGreaterThanOrEqual(2);
		expect(polls.length).toBeLessThanOrEqual(6);
		expect(detectionLatencyMs(id)).toBeLessThan(100);
	});

	it('polls once per job when the batch so far took steady run times', async () => {
		const node = probeNode(async function () {
			const poller = new JobPoller(this, FAST);
			const waitFor = async (count: number) => {
				const ids = await Promise.all(
					Array.from({ length: count }, async () => await createJob(30)),
				);
				await Promise.all(
					ids.map(async (id, itemIndex) => await poller.wait({ id, itemIndex, audioDuration: 30 })),
				);
				return ids;
			};
			const first = await waitFor(5); // T = 500 ms each, all alike
			const later = await waitFor(5);
			return [{ first, later }];
		});
		const run = await runNode({
			nodeType: node,
			parameters: {},
			credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		});
		const { first, later } = run.items[0].json as { first: string[]; later: string[] };
		const total = (ids: string[]) => ids.reduce((sum, id) => sum + pollsOf(id).length, 0);
		// The first five are polled across the prior window (several polls each); the later ones
		// once at the longest run time seen, or twice when this one ran a little longer.
		for (const id of later) expect(pollsOf(id).length).toBeLessThanOrEqual(2);
		expect(total(later)).toBeLessThan(total(first));
	});

	it('gives two waits for the same job the same outcome, polling it as one job', async () => {
		const id = await createJob(12);
		const node = probeNode(async function () {
			const poller = new JobPoller(this, FAST);
			const [first, second] = await Promise.all([
				poller.wait({ id, itemIndex: 0 }),
				poller.wait({ id, itemIndex: 1 }),
			]);
			return [first, second].map((outcome) => ({
				ok: outcome.ok,
				status: outcome.ok ? outcome.job.status : null,
			}));
		});
		const run = await runNode({
			nodeType: node,
			parameters: {},
			credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		});
		expect(run.items.map((item) => item.json)).toEqual([
			{ ok: true, status: 'done' },
			{ ok: true, status: 'done' },
		]);
		expect(pollsOf(id).length).toBeLessThanOrEqual(6);
	});

	it('re-estimates a job Gladia still has queued', async () => {
		emulator.configure({ concurrency: 1 });
		const first = await createJob(12); // 200 ms
		const second = await createJob(12); // queued behind the first: done at ~400 ms
		const run = await wait([
			{ id: first, itemIndex: 0, audioDuration: 12 },
			{ id: second, itemIndex: 1, audioDuration: 12 },
		]);
		expect(run.items.map((item) => item.json.status)).toEqual(['done', 'done']);
		// Seen processing with an unknown start: a short search (5 % of T, growing ×1.5).
		expect(pollsOf(second).length).toBeLessThanOrEqual(8);
	});

	it('returns a job that failed at Gladia as a final state, with its error_code', async () => {
		emulator.script('broken-recording', { errorCode: 422 });
		const id = await createJob(6, 'broken-recording');
		const run = await wait([{ id, itemIndex: 0 }]);
		expect(run.items[0].json).toEqual({ id, ok: true, status: 'error', error_code: 422 });
	});

	it('fails a job that does not exist at once, without retrying', async () => {
		const id = '00000000-0000-4000-8000-000000000000';
		const run = await wait([{ id, itemIndex: 0 }]);
		expect(run.items[0].json).toMatchObject({
			id,
			ok: false,
			error: expect.stringContaining('404'),
		});
		expect(pollsOf(id)).toHaveLength(1);
	});

	it('stops at Max Wait with an error naming the job id, and leaves the job alone', async () => {
		const id = await createJob(600); // 10 s
		const started = Date.now();
		const run = await wait([{ id, itemIndex: 0 }], { ...FAST, maxWaitMs: 300 });
		expect(Date.now() - started).toBeLessThan(2000);
		expect(run.items[0].json).toMatchObject({ ok: false });
		expect(run.items[0].json.error).toMatch(
			new RegExp(
				`job ${id} is still (queued|processing) after \\d(\\.\\d)? s \\(Max Wait\\) \\[item 0\\]$`,
			),
		);
		expect(emulator.log.filter((entry) => entry.method === 'DELETE')).toHaveLength(0);
	});

	it('pauses every poll after a 429, honouring Retry-After', async () => {
		const ids = await Promise.all([6, 6, 6].map(async (seconds) => await createJob(seconds)));
		emulator.injectFault({ route: 'get', kind: '429', retryAfter: 0.4, count: 1 });
		const run = await wait(ids.map((id, itemIndex) => ({ id, itemIndex, audioDuration: 6 })));
		expect(run.items.every((item) => item.json.status === 'done')).toBe(true);
		const gets = emulator.log.filter((entry) => entry.method === 'GET');
		const limited = gets.find((entry) => entry.status === 429)!;
		expect(limited).toBeDefined();
		const limitedAt = Date.parse(limited.at);
		// Counted by job, not by clock slack: each job has at most one poll in flight, so during
		// the pause only polls the other two jobs had already sent may arrive, however loaded the
		// machine; and the throttled job's own next poll waits the whole Retry-After.
		const duringPause = gets.filter(
			(entry) =>
				entry !== limited &&
				Date.parse(entry.at) >= limitedAt &&
				Date.parse(entry.at) < limitedAt + 390,
		);
		expect(duringPause.length).toBeLessThanOrEqual(ids.length - 1);
		expect(new Set(duringPause.map((entry) => entry.path)).size).toBe(duringPause.length);
		const sameJobNext = gets.find(
			(entry) =>
				entry.path === limited.path && entry !== limited && Date.parse(entry.at) >= limitedAt,
		)!;
		expect(Date.parse(sameJobNext.at) - limitedAt).toBeGreaterThanOrEqual(390);
	});

	it('keeps polling through 5xx answers and connection resets', async () => {
		const ids = await Promise.all([6, 9, 12].map(async (seconds) => await createJob(seconds)));
		emulator.injectFault({ route: 'get', kind: '500', count: 2 });
		emulator.injectFault({ route: 'get', kind: '502', count: 1 });
		emulator.injectFault({ route: 'get', kind: 'reset', count: 2 });
		const run = await wait(ids.map((id, itemIndex) => ({ id, itemIndex })));
		expect(run.items.map((item) => item.json.status)).toEqual(['done', 'done', 'done']);
		expect(emulator.log.filter((entry) => entry.fault).length).toBe(5);
	});

	it('gives up on a job whose polls keep failing, with the last error', async () => {
		const id = await createJob(6);
		emulator.injectFault({ route: 'get', kind: '500', count: 50 });
		const run = await wait([{ id, itemIndex: 0 }], { ...FAST, maxIntervalMs: 40 });
		expect(run.items[0].json).toMatchObject({ ok: false, error: expect.stringContaining('500') });
		expect(pollsOf(id).length).toBe(8);
	});

	describe('a Base URL that stops listening mid-poll', () => {
		let gone: EmulatorHandle;

		beforeEach(async () => {
			// Jobs run 20 times longer than Gladia's pace: the poller, past its estimate, polls
			// every job once a second until the server goes away.
			gone = await startEmulator({ speedFactor: 20 });
		});
		afterEach(async () => {
			await gone.close();
		});

		// Default intervals (1 s minimum): eight transient failures would take 8 s or more; a
		// refused connection gets three quick attempts instead.
		it('fails every waiting item within seconds, naming the address and the job', async () => {
			const ids = await Promise.all(
				[60, 60, 60].map(async () => {
					const response = await axios.post<{ id: string }>(
						`${gone.url}/v2/pre-recorded`,
						{ audio_url: 'https://media.example.com/long.mp3?emulator_duration=60' },
						{ headers: { 'x-gladia-key': gone.apiKey } },
					);
					return response.data.id;
				}),
			);
			const node = probeNode(async function () {
				const outcomes = await waitForJobs.call(
					this,
					ids.map((id, itemIndex) => ({ id, itemIndex })),
					{ maxWaitMs: 120_000 },
				);
				return ids.map((id): IDataObject => {
					const outcome = outcomes.get(id)!;
					return outcome.ok
						? { id, ok: true }
						: {
								id,
								ok: false,
								error: outcome.error.message,
								description: (outcome.error as { description?: string }).description ?? null,
								closedFor: Date.now() - closedAt,
							};
				});
			});
			let closedAt = Infinity;
			const running = runNode({
				nodeType: node,
				parameters: {},
				credentials: { apiKey: gone.apiKey, baseUrl: gone.url },
			});
			// Every job has been polled twice: its duration is known, its estimate passed.
			const polledTwice = () =>
				ids.every((id) => gone.log.filter((e) => e.path.endsWith(id)).length >= 2);
			while (!polledTwice()) await new Promise((resolve) => setTimeout(resolve, 10));
			// The emulator forgets its log on close: count what it answered in the same tick.
			const answered = new Map(
				ids.map((id) => [id, gone.log.filter((entry) => entry.path.endsWith(id)).length]),
			);
			await gone.close();
			closedAt = Date.now();
			const run = await running;
			expect(run.items.map((item) => item.json)).toEqual(
				ids.map((id, itemIndex) => ({
					id,
					ok: false,
					error: `Could not reach Gladia (GET ${gone.url}/v2/pre-recorded/${id}): connection refused [item ${itemIndex}]`,
					description: `Nothing answered at the Base URL of the Gladia credential (3 attempts): check it, or start your proxy. Job ${id} may still be running at Gladia: fetch its result later with Transcription → Get and ID ${id}.`,
					closedFor: expect.any(Number),
				})),
			);
			for (const item of run.items) expect(item.json.closedFor).toBeLessThan(5_000);
			const sent = (id: string) => run.authenticatedRequests.filter((r) => r.url.endsWith(id));
			for (const id of ids) expect(sent(id).length - answered.get(id)!).toBe(3);
		});
	});

	it('stops polling at once when the execution is cancelled', async () => {
		const id = await createJob(600);
		const controller = new AbortController();
		const pending = wait(
			[{ id, itemIndex: 0 }],
			{ maxWaitMs: 60_000, minIntervalMs: 20, maxIntervalMs: 50 },
			controller.signal,
		);
		// The first poll reads the duration (10 s); the poller then sleeps until the estimate.
		while (pollsOf(id).length < 1) await new Promise((resolve) => setTimeout(resolve, 10));
		controller.abort();
		const abortedAt = Date.now();
		const run = await pending;
		expect(Date.now() - abortedAt).toBeLessThan(500);
		expect(run.status).toBe('canceled');
		const pollsAtStop = pollsOf(id).length;
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(pollsOf(id).length).toBe(pollsAtStop);
	});
});
