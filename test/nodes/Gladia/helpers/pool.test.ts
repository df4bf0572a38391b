import { sleep } from 'n8n-workflow';

import { mapConcurrent } from '../../../../nodes/Gladia/helpers/pool';

/** Runs `mapConcurrent` over `count` tasks of varying length and records how many overlapped. */
async function runTracked(
	count: number,
	limit: number,
	fail: (index: number) => boolean = () => false,
) {
	let inFlight = 0;
	let peak = 0;
	const started: number[] = [];
	const results = await mapConcurrent(
		Array.from({ length: count }, (_, index) => index),
		limit,
		async (item, index) => {
			started.push(index);
			inFlight++;
			peak = Math.max(peak, inFlight);
			// Later items finish sooner, so completion order differs from input order.
			await sleep(2 + ((count - index) % 5));
			inFlight--;
			if (fail(index)) throw new Error(`item ${index} failed`);
			return item * 10;
		},
	);
	return { results, peak, started };
}

describe('mapConcurrent', () => {
	it('keeps input order and never runs more than the limit at once', async () => {
		const { results, peak } = await runTracked(20, 4);
		expect(peak).toBe(4);
		expect(results).toEqual(
			Array.from({ length: 20 }, (_, index) => ({ ok: true, value: index * 10 })),
		);
	});

	it('runs everything at once when the limit exceeds the item count', async () => {
		const { peak } = await runTracked(5, 25);
		expect(peak).toBe(5);
	});

	it.each([0, -3, Number.NaN])('treats a limit of %p as 1', async (limit) => {
		const { results, peak } = await runTracked(3, limit);
		expect(peak).toBe(1);
		expect(results.every((result) => result.ok)).toBe(true);
	});

	it('isolates failures: other items still succeed, the failure keeps its own error', async () => {
		const { results } = await runTracked(6, 3, (index) => index === 1 || index === 4);
		expect(results.map((result) => result.ok)).toEqual([true, false, true, true, false, true]);
		const failed = results[4];
		expect(!failed.ok && failed.error.message).toBe('item 4 failed');
	});

	it('wraps non-Error rejections in an Error', async () => {
		const [result] = await mapConcurrent([1], 1, async () => {
			throw 'plain string';
		});
		expect(!result.ok && result.error).toEqual(new Error('plain string'));
	});

	it('returns an empty array for no items', async () => {
		await expect(mapConcurrent([], 3, async () => 1)).resolves.toEqual([]);
	});

	it('stops launching items once the signal aborts; unstarted items settle with the reason', async () => {
		const controller = new AbortController();
		const started: number[] = [];
		const results = await mapConcurrent(
			[0, 1, 2, 3, 4, 5],
			2,
			async (item) => {
				started.push(item);
				if (item === 1) controller.abort(new Error('cancelled by user'));
				await sleep(2);
				return item;
			},
			controller.signal,
		);
		expect(started).toEqual([0, 1]);
		expect(results.slice(0, 2)).toEqual([
			{ ok: true, value: 0 },
			{ ok: true, value: 1 },
		]);
		for (const result of results.slice(2)) {
			expect(!result.ok && result.error.message).toBe('cancelled by user');
		}
	});
});
