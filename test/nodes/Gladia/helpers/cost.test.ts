// helpers/cost.ts: the price check, the per-job estimate and the summary of many jobs.
import type { Check } from '../../../../nodes/Gladia/helpers/checks';
import {
	checkedPricePerHour,
	costSummary,
	estimatedCost,
} from '../../../../nodes/Gladia/helpers/cost';
import type { PreRecordedJob } from '../../../../nodes/Gladia/helpers/types';

const fail: Check = (field, problem, fix) => {
	throw new Error(`${field}: ${problem} | ${fix}`);
};

const job = (status: PreRecordedJob['status'], billing?: number) =>
	({
		status,
		result: billing === undefined ? null : { metadata: { billing_time: billing } },
	}) as PreRecordedJob;

describe('checkedPricePerHour', () => {
	it('reads numbers and numeric text; 0 and empty mean no estimate', () => {
		expect(checkedPricePerHour(0.61, fail)).toBe(0.61);
		expect(checkedPricePerHour(' 0.2 ', fail)).toBe(0.2);
		expect(checkedPricePerHour(0, fail)).toBeUndefined();
		expect(checkedPricePerHour('', fail)).toBeUndefined();
		expect(checkedPricePerHour(undefined, fail)).toBeUndefined();
	});

	it.each([
		['0,61', '"0,61" is not a number'],
		['abc', '"abc" is not a number'],
		['   ', '"   " is not a number'],
		[true, 'true is not a number'],
		[Number.NaN, 'NaN is not a number'],
		[Number.POSITIVE_INFINITY, 'Infinity is not a number'],
		[-0.5, '-0.5 is negative'],
		['-1', '-1 is negative'],
	])('refuses %p with the field named', (value, problem) => {
		expect(() => checkedPricePerHour(value, fail)).toThrow(`Price per Audio Hour: ${problem} | `);
	});
});

describe('estimatedCost', () => {
	it('is billing_time / 3600 × price, to 4 decimals; null without a billing time', () => {
		expect(estimatedCost(3600, 0.61)).toBe(0.61);
		expect(estimatedCost(30, 0.61)).toBe(0.0051);
		expect(estimatedCost(0, 0.61)).toBe(0);
		expect(estimatedCost(undefined, 0.61)).toBeNull();
	});
});

describe('costSummary', () => {
	it('totals billed time and cost in all and per status; jobs without a billing time apart', () => {
		const summary = costSummary(
			[
				job('done', 1800),
				job('done', 1800),
				job('done', 600),
				job('error'),
				job('error', 0),
				job('queued'),
			],
			0.61,
		);
		expect(summary).toEqual({
			jobs: 6,
			jobs_without_billing_time: 2,
			billing_time: 4200,
			billed_hours: 1.1667,
			estimated_cost: 0.7117,
			price_per_audio_hour: 0.61,
			by_status: {
				done: {
					jobs: 3,
					jobs_without_billing_time: 0,
					billing_time: 4200,
					billed_hours: 1.1667,
					estimated_cost: 0.7117,
				},
				error: {
					jobs: 2,
					jobs_without_billing_time: 1,
					billing_time: 0,
					billed_hours: 0,
					estimated_cost: 0,
				},
				// No queued job has a billing time yet: its cost is unknown, not 0.
				queued: {
					jobs: 1,
					jobs_without_billing_time: 1,
					billing_time: null,
					billed_hours: null,
					estimated_cost: null,
				},
			},
		});
	});

	it('computes the cost from the total, not from rounded per-job costs', () => {
		// 1,000 jobs of 1 s at $0.61/h: each rounds to $0.0002 (sum $0.2), the true total is $0.1694.
		const jobs = Array.from({ length: 1000 }, () => job('done', 1));
		expect(costSummary(jobs, 0.61).estimated_cost).toBe(0.1694);
	});

	it('without a price: billed hours, no estimated cost', () => {
		expect(costSummary([job('done', 7200)], undefined)).toMatchObject({
			jobs: 1,
			billed_hours: 2,
			estimated_cost: null,
			price_per_audio_hour: null,
			by_status: { done: { estimated_cost: null } },
		});
	});

	it('no jobs: zeros, not an error', () => {
		expect(costSummary([], 0.2)).toEqual({
			jobs: 0,
			jobs_without_billing_time: 0,
			billing_time: 0,
			billed_hours: 0,
			estimated_cost: 0,
			price_per_audio_hour: 0.2,
			by_status: {},
		});
	});
});
