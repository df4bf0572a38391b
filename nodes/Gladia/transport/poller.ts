// The one loop that waits for a batch of Gladia jobs. Each job is polled around its expected
// completion (Gladia transcribes about 60 s of audio per second; see schedule.ts), then with a
// capped backoff; a 429 pauses every poll; Max Wait bounds each job; a cancelled execution
// stops it at once.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { itemLabel } from '../helpers/errors';
import { mapConcurrent } from '../helpers/pool';
import type { JobStatus, PreRecordedJob } from '../helpers/types';
import { getJob } from './jobs';
import {
	backoffDelayMs,
	httpStatusOf,
	isConnectionRefused,
	isRetryableError,
	MAX_TRANSIENT_POLL_FAILURES,
	pollBackoffPolicy,
	refusedRetryDelayMs,
	retryAfterFromError,
	settle,
} from './retry';
import { nextShareInWindow, RunTimeLearner } from './schedule';

export interface PendingJob {
	id: string;
	itemIndex: number;
	/** Seconds of audio, when known (upload metadata); otherwise read from the job's `file`. */
	audioDuration?: number;
}

export interface WaitOptions {
	/** Longest wait for one job, counted from when it is handed to the poller. */
	maxWaitMs: number;
	/** Shortest gap between two polls of a job. */
	minIntervalMs?: number;
	/** Longest gap between two polls of a job once its expected completion has passed. */
	maxIntervalMs?: number;
}

export type WaitOutcome = { ok: true; job: PreRecordedJob } | { ok: false; error: Error };

export const DEFAULT_WAIT_OPTIONS: Required<WaitOptions> = {
	maxWaitMs: 30 * 60_000,
	minIntervalMs: 1000,
	maxIntervalMs: 30_000,
};

/** Seconds of audio Gladia transcribes per second of processing (Gladia documents ≈ audio_duration / 60). */
export const GLADIA_REALTIME_FACTOR = 60;
/** GET requests in flight at once when many jobs are due together. */
const POLL_CONCURRENCY = 10;
/** After the expected completion, the first backoff step as a share of the expected run time. */
const LATE_STEP_SHARE = 0.05;
const LATE_STEP_GROWTH = 1.5;

interface TrackedJob {
	job: PendingJob;
	registeredAt: number;
	/** When the job started at the latest, as far as the polls tell (re-set while it is queued). */
	startedBy: number;
	deadline: number;
	nextPollAt: number;
	lastStatus?: JobStatus;
	latePolls: number;
	transientFailures: number;
	/** Polls in a row that found nothing listening at the Base URL. */
	refusedPolls: number;
	settle: (outcome: WaitOutcome) => void;
}

function isTerminal(status: JobStatus): boolean {
	return status === 'done' || status === 'error';
}

function expectedRunMs(job: PendingJob): number | undefined {
	const seconds = job.audioDuration;
	return seconds !== undefined && seconds > 0
		? (seconds / GLADIA_REALTIME_FACTOR) * 1000
		: undefined;
}

/**
 * Waits for jobs as they are handed over (`wait()`), polling all of them from a single loop.
 * Several callers may wait at once (e.g. the Max Concurrent Jobs workers of one batch).
 */
export class JobPoller {
	private readonly options: Required<WaitOptions>;
	private readonly tracked = new Map<string, TrackedJob>();
	/** One wait per job id: items sharing a job (e.g. a reused earlier job) share its outcome. */
	private readonly waits = new Map<string, Promise<WaitOutcome>>();
	private readonly runTimes = new RunTimeLearner();
	private running = false;
	/** Account-wide pause after a 429 on a poll. */
	private pausedUntil = 0;
	private sleepingUntil = Infinity;
	private wake?: AbortController;

	constructor(
		private readonly ctx: IExecuteFunctions,
		options: WaitOptions,
	) {
		const min = Math.max(1, options.minIntervalMs ?? DEFAULT_WAIT_OPTIONS.minIntervalMs);
		this.options = {
			maxWaitMs: options.maxWaitMs,
			minIntervalMs: min,
			maxIntervalMs: Math.max(min, options.maxIntervalMs ?? DEFAULT_WAIT_OPTIONS.maxIntervalMs),
		};
	}

	/** Resolves once the job is done or failed at Gladia, could not be polled, timed out, or the execution was cancelled. */
	async wait(job: PendingJob): Promise<WaitOutcome> {
		const existing = this.waits.get(job.id);
		if (existing) return await existing;
		const waiting = this.track(job);
		this.waits.set(job.id, waiting);
		try {
			return await waiting;
		} finally {
			this.waits.delete(job.id);
		}
	}

	private async track(job: PendingJob): Promise<WaitOutcome> {
		return await new Promise<WaitOutcome>((resolve) => {
			const now = Date.now();
			const tracked: TrackedJob = {
				job: { ...job },
				registeredAt: now,
				startedBy: now,
				deadline: now + this.options.maxWaitMs,
				nextPollAt: now,
				latePolls: 0,
				transientFailures: 0,
				refusedPolls: 0,
				settle: (outcome) => {
					this.tracked.delete(job.id);
					resolve(outcome);
				},
			};
			const expected = expectedRunMs(job) ?? 0;
			const firstShare = this.runTimes.window().low;
			this.schedule(tracked, now + Math.max(this.options.minIntervalMs, expected * firstShare));
			this.tracked.set(job.id, tracked);
			if (!this.running) {
				this.running = true;
				void this.run();
			} else if (tracked.nextPollAt < this.sleepingUntil) {
				this.wake?.abort();
			}
		});
	}

	private schedule(tracked: TrackedJob, at: number) {
		// The last poll happens at the deadline, so a job finishing just in time is still caught.
		tracked.nextPollAt = Math.min(at, tracked.deadline);
	}

	private async run(): Promise<void> {
		const signal = this.ctx.getExecutionCancelSignal();
		for (;;) {
			if (this.tracked.size === 0) {
				this.running = false;
				return;
			}
			if (signal?.aborted) {
				this.cancelAll();
				this.running = false;
				return;
			}
			const now = Date.now();
			const due =
				now >= this.pausedUntil
					? [...this.tracked.values()].filter((t) => t.nextPollAt <= now)
					: [];
			if (due.length > 0) {
				await mapConcurrent(
					due,
					POLL_CONCURRENCY,
					async (tracked) => await this.poll(tracked),
					signal,
				);
				continue;
			}
			const earliest = Math.min(...[...this.tracked.values()].map((t) => t.nextPollAt));
			await this.sleepUntil(Math.max(earliest, this.pausedUntil), signal);
		}
	}

	private async sleepUntil(at: number, signal: AbortSignal | undefined) {
		this.wake = new AbortController();
		this.sleepingUntil = at;
		const signals = signal ? [signal, this.wake.signal] : [this.wake.signal];
		// Rejects when woken early or cancelled; the loop looks at the state again either way.
		await settle(async () => await sleep(Math.max(0, at - Date.now()), AbortSignal.any(signals)));
		this.sleepingUntil = Infinity;
		this.wake = undefined;
	}

	private async poll(tracked: TrackedJob) {
		const { job } = tracked;
		const response = await settle(
			async () =>
				// Failures are handled here, in the one loop, rather than by nested retries.
				await getJob(this.ctx, job.id, { itemIndex: job.itemIndex, retry: false }),
		);
		const now = Date.now();
		if (this.ctx.getExecutionCancelSignal()?.aborted) return;
		if (!response.ok) {
			this.onPollFailure(tracked, response.error, now);
			return;
		}
		const current = response.value;
		tracked.transientFailures = 0;
		tracked.refusedPolls = 0;
		tracked.lastStatus = current.status;
		if (isTerminal(current.status)) {
			this.runTimes.observe(current, expectedRunMs(job));
			tracked.settle({ ok: true, job: current });
			return;
		}
		if (now >= tracked.deadline) {
			tracked.settle({ ok: false, error: this.timeoutError(tracked) });
			return;
		}
		job.audioDuration ??= current.file?.audio_duration ?? undefined;
		this.schedule(tracked, this.nextPollAfterPending(tracked, current.status, now));
	}

	/** When to look again at a job that is still queued or processing. */
	private nextPollAfterPending(tracked: TrackedJob, status: JobStatus, now: number): number {
		const { minIntervalMs, maxIntervalMs } = this.options;
		const expected = expectedRunMs(tracked.job);
		if (expected !== undefined) {
			// Not started yet: its run time counts from now at the earliest.
			if (status === 'queued') tracked.startedBy = now;
			const elapsedShare = (now - tracked.startedBy) / expected;
			const share = nextShareInWindow(this.runTimes.window(), elapsedShare);
			if (share !== undefined)
				return Math.max(now + minIntervalMs, tracked.startedBy + share * expected);
		}
		const firstStep = expected !== undefined ? expected * LATE_STEP_SHARE : minIntervalMs;
		const step = firstStep * LATE_STEP_GROWTH ** tracked.latePolls++;
		return now + Math.min(maxIntervalMs, Math.max(minIntervalMs, step));
	}

	private onPollFailure(tracked: TrackedJob, error: unknown, now: number) {
		const policy = pollBackoffPolicy(this.options.minIntervalMs, this.options.maxIntervalMs);
		tracked.refusedPolls = isConnectionRefused(error) ? tracked.refusedPolls + 1 : 0;
		if (tracked.refusedPolls > 0) {
			// Nothing listens at the Base URL: the same short budget as for any other request (a
			// restarting proxy is back within a second, a wrong or stopped one never).
			const delay = refusedRetryDelayMs(tracked.refusedPolls);
			if (delay === undefined) {
				tracked.settle({ ok: false, error: this.refusedError(tracked, error) });
				return;
			}
			this.schedule(tracked, now + delay);
		} else if (httpStatusOf(error) === 429) {
			// Rate limits are per account: every poll waits, not only this job's.
			const delay =
				retryAfterFromError(error) ?? this.options.minIntervalMs + backoffDelayMs(2, policy);
			this.pausedUntil = Math.max(this.pausedUntil, now + delay);
			this.schedule(tracked, this.pausedUntil);
		} else if (
			isRetryableError(error) &&
			++tracked.transientFailures < MAX_TRANSIENT_POLL_FAILURES
		) {
			this.schedule(
				tracked,
				now + this.options.minIntervalMs + backoffDelayMs(tracked.transientFailures, policy),
			);
		} else {
			tracked.settle({
				ok: false,
				error: error instanceof Error ? error : new Error(String(error)),
			});
			return;
		}
		if (now >= tracked.deadline) tracked.settle({ ok: false, error: this.timeoutError(tracked) });
	}

	/** The refused poll's own error (it names the address), saying what became of the job. */
	private refusedError(tracked: TrackedJob, error: unknown): Error {
		const { id } = tracked.job;
		const failure = error instanceof Error ? error : new Error(String(error));
		return Object.assign(failure, {
			description: `Nothing answered at the Base URL of the Gladia credential (${tracked.refusedPolls} attempts): check it, or start your proxy. Job ${id} may still be running at Gladia: fetch its result later with Transcription → Get and ID ${id}.`,
		});
	}

	private timeoutError(tracked: TrackedJob): Error {
		const { id, itemIndex } = tracked.job;
		const waited = (Date.now() - tracked.registeredAt) / 1000;
		const seconds = waited < 10 ? Number(waited.toFixed(1)) : Math.round(waited);
		const state = tracked.lastStatus ? `still ${tracked.lastStatus}` : 'not finished';
		return new NodeOperationError(
			this.ctx.getNode(),
			`Gladia job ${id} is ${state} after ${seconds} s (Max Wait)${itemLabel(itemIndex)}`,
			{
				itemIndex,
				description: `The job keeps running at Gladia. Fetch its result later with Transcription → Get and ID ${id}, or raise Max Wait (or use Wait Mode "Callback") for long audio.`,
			},
		);
	}

	private cancelAll() {
		for (const tracked of [...this.tracked.values()]) {
			tracked.settle({
				ok: false,
				error: new NodeOperationError(
					this.ctx.getNode(),
					`The execution was cancelled while waiting for Gladia job ${tracked.job.id}${itemLabel(tracked.job.itemIndex)}`,
					{ itemIndex: tracked.job.itemIndex },
				),
			});
		}
	}
}

/** Waits for a fixed batch of jobs in one loop; the map is keyed by job id. */
export async function waitForJobs(
	this: IExecuteFunctions,
	jobs: PendingJob[],
	options: WaitOptions,
): Promise<Map<string, WaitOutcome>> {
	const poller = new JobPoller(this, options);
	const outcomes = await Promise.all(jobs.map(async (job) => await poller.wait(job)));
	return new Map(jobs.map((job, index) => [job.id, outcomes[index]]));
}
