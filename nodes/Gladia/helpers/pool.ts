// Bounded-concurrency map behind "Max Concurrent Jobs": Gladia caps concurrent jobs per plan
// (Free 3, Paid 25), so a batch runs `limit` items at a time instead of one by one.

export type Settled<R> = { ok: true; value: R } | { ok: false; error: Error };

function toError(error: unknown): Error {
	return error instanceof Error ? error : new Error(String(error));
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight. Results keep input order (so
 * pairedItem stays index-based) and every item is settled on its own: one failure never
 * disturbs the others. After `signal` aborts no new item starts; the ones not started settle
 * with the abort reason.
 */
export async function mapConcurrent<T, R>(
	items: readonly T[],
	limit: number,
	fn: (item: T, index: number) => Promise<R>,
	signal?: AbortSignal,
): Promise<Array<Settled<R>>> {
	const results: Array<Settled<R>> = new Array(items.length);
	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
	let next = 0;

	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			if (signal?.aborted) {
				results[index] = {
					ok: false,
					error: toError(signal.reason ?? new Error('Execution cancelled')),
				};
				continue;
			}
			try {
				results[index] = { ok: true, value: await fn(items[index], index) };
			} catch (error) {
				results[index] = { ok: false, error: toError(error) };
			}
		}
	};

	await Promise.all(Array.from({ length: workers }, worker));
	return results;
}
