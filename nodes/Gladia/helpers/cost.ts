// What Gladia's jobs cost: Gladia bills per hour of audio and reports each job's billed seconds
// (`result.metadata.billing_time`); the user gives the price per hour of their plan.
import type { IDataObject } from 'n8n-workflow';

import type { Check } from './checks';
import type { PreRecordedJob } from './types';

export const PRICE_FIELD = 'Price per Audio Hour';

/** Costs are shown to 4 decimals: a 30-second job at $0.61/h costs $0.0051, not $0.01. */
const COST_DECIMALS = 4;
/** Hours to 4 decimals too (0.0001 h ≈ 0.4 s). */
const HOUR_DECIMALS = 4;

function rounded(value: number, decimals: number): number {
	return Number(value.toFixed(decimals));
}

/**
 * The price the user entered: a number of at least 0, or undefined when it is 0 or empty
 * (no estimate asked for). Anything else fails with the field's name.
 */
export function checkedPricePerHour(value: unknown, fail: Check): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	// Only numbers and numeric text: Number() would read true as 1 and "  " as 0.
	const text = typeof value === 'string' ? value.trim() : undefined;
	const price = typeof value === 'number' ? value : text ? Number(text) : NaN;
	if (!Number.isFinite(price))
		fail(
			PRICE_FIELD,
			`${typeof value === 'string' ? JSON.stringify(value) : String(value)} is not a number`,
			"Enter your plan's price for one hour of audio as a number with a dot, e.g. 0.61 (0 for no estimate).",
		);
	if (price < 0)
		fail(
			PRICE_FIELD,
			`${price} is negative`,
			"Enter your plan's price for one hour of audio, e.g. 0.61 (0 for no estimate).",
		);
	return price === 0 ? undefined : price;
}

/** Billed seconds of a job, or undefined when Gladia gave none (queued, processing, most errors). */
export function billingSecondsOf(job: Pick<PreRecordedJob, 'result'>): number | undefined {
	const seconds = job.result?.metadata?.billing_time;
	return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : undefined;
}

/** billing_time / 3600 × price, or null without a billing time. */
export function estimatedCost(
	billingSeconds: number | undefined,
	pricePerHour: number,
): number | null {
	if (billingSeconds === undefined) return null;
	return rounded((billingSeconds / 3600) * pricePerHour, COST_DECIMALS);
}

interface Tally {
	jobs: number;
	jobs_without_billing_time: number;
	billing_time: number;
}

function tallyToJson(tally: Tally, pricePerHour: number | undefined): IDataObject {
	// Jobs that all lack a billing time (queued, say) have no known cost: null, not 0.
	const unknown = tally.jobs > 0 && tally.jobs_without_billing_time === tally.jobs;
	const seconds = unknown ? undefined : tally.billing_time;
	return {
		jobs: tally.jobs,
		jobs_without_billing_time: tally.jobs_without_billing_time,
		billing_time: seconds === undefined ? null : rounded(seconds, 3),
		billed_hours: seconds === undefined ? null : rounded(seconds / 3600, HOUR_DECIMALS),
		estimated_cost: pricePerHour === undefined ? null : estimatedCost(seconds, pricePerHour),
	};
}

/**
 * One summary of many jobs: counted, billed seconds and hours, the estimated cost (null without
 * a price), in all and per status. Jobs without a billing time are counted apart, never as 0 s.
 * The cost is computed from the total seconds (not a sum of rounded per-job costs).
 */
export function costSummary(
	jobs: Array<Pick<PreRecordedJob, 'status' | 'result'>>,
	pricePerHour: number | undefined,
): IDataObject {
	const empty = (): Tally => ({ jobs: 0, jobs_without_billing_time: 0, billing_time: 0 });
	const total = empty();
	const byStatus: Record<string, Tally> = {};
	for (const job of jobs) {
		const seconds = billingSecondsOf(job);
		for (const tally of [total, (byStatus[String(job.status)] ??= empty())]) {
			tally.jobs++;
			if (seconds === undefined) tally.jobs_without_billing_time++;
			else tally.billing_time += seconds;
		}
	}
	const by_status: IDataObject = {};
	for (const [status, tally] of Object.entries(byStatus).sort())
		by_status[status] = tallyToJson(tally, pricePerHour);
	return {
		...tallyToJson(total, pricePerHour),
		price_per_audio_hour: pricePerHour ?? null,
		by_status,
	};
}
