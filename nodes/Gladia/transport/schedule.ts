// When to poll a job of known expected run time E (audio_duration / 60 s). Gladia's real run
// time varies around E, so polls are spread over a window of E (7 polls from 0.5 E to 1.5 E at
// first). Each finished job tells how long it really took (completed_at − created_at, both
// Gladia's clock); once a batch shows steady run times, one poll at the longest seen suffices.
import type { PreRecordedJob } from '../helpers/types';

/** A window of run times, as shares of E. */
export interface RunTimeWindow {
	low: number;
	high: number;
}

/** What a job's run time may be before any job of the batch has finished. */
export const PRIOR_WINDOW: RunTimeWindow = { low: 0.5, high: 1.5 };
/** Polls spread over the window (its two ends included). */
const POLLS_PER_WINDOW = 7;
/** Finished jobs needed before their run times replace the prior window. */
const MIN_OBSERVATIONS = 5;
/** Run times within this ratio of each other count as steady. */
const STEADY_SPREAD = 1.05;

/** The spread of run times / E seen in one batch. */
export class RunTimeLearner {
	private low = Infinity;
	private high = 0;
	private count = 0;

	/** Learns from a job that finished (not one that failed: those end early for other reasons). */
	observe(job: PreRecordedJob, expectedMs: number | undefined) {
		if (job.status !== 'done' || !expectedMs || !job.completed_at || !job.created_at) return;
		const ranMs = Date.parse(job.completed_at) - Date.parse(job.created_at);
		if (!Number.isFinite(ranMs) || ranMs <= 0) return;
		const share = ranMs / expectedMs;
		this.low = Math.min(this.low, share);
		this.high = Math.max(this.high, share);
		this.count++;
	}

	window(): RunTimeWindow {
		if (this.count < MIN_OBSERVATIONS) return PRIOR_WINDOW;
		if (this.high <= this.low * STEADY_SPREAD) return { low: this.high, high: this.high };
		return {
			low: Math.min(PRIOR_WINDOW.low, this.low),
			high: Math.max(PRIOR_WINDOW.high, this.high),
		};
	}
}

/**
 * The next share of E to poll at, after `elapsedShare` of E has passed since the job started:
 * the window's start, then evenly spaced points up to its end; undefined once past the end.
 */
export function nextShareInWindow(window: RunTimeWindow, elapsedShare: number): number | undefined {
	if (elapsedShare < window.low) return window.low;
	const step = (window.high - window.low) / (POLLS_PER_WINDOW - 1);
	if (step <= 0) return undefined;
	// The small epsilon keeps a poll that lands exactly on a point from picking that point again.
	const next = window.low + step * Math.floor((elapsedShare - window.low) / step + 1 + 1e-9);
	return next <= window.high + 1e-9 ? next : undefined;
}
