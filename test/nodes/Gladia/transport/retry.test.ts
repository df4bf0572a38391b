/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Classification runs on real failures: axios (n8n's HTTP client) against a loopback server,
// wrapped in NodeApiError exactly as n8n-core's httpRequestWithAuthentication does.
import axios from 'axios';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { gladiaNetworkError } from '../../../../nodes/Gladia/helpers/errors';

import {
	backoffDelayMs,
	DEFAULT_RETRY_POLICY,
	httpStatusOf,
	isAmbiguousError,
	isRetryableError,
	isTransferTimeout,
	nextDelayMs,
	REFUSED_CONNECTION_POLICY,
	refusedRetryDelayMs,
	retryAfterFromError,
	withRetries,
	type RetryOptions,
	type RetryPolicy,
} from '../../../../nodes/Gladia/transport/retry';

const node: INode = {
	id: '1',
	name: 'Gladia',
	type: 'n8n-nodes-gladia.gladia',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

let server: Server;
let baseUrl: string;

beforeAll(async () => {
	server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		if (url.pathname === '/reset') {
			req.socket.destroy();
			return;
		}
		if (url.pathname === '/hang') return; // never answers: the client times out
		const status = Number(url.pathname.slice(1));
		const retryAfter = url.searchParams.get('retryAfter');
		res.writeHead(status, {
			'content-type': 'application/json',
			...(retryAfter ? { 'Retry-After': retryAfter } : {}),
		});
		res.end(JSON.stringify({ statusCode: status, message: `status ${status}`, request_id: 'G-1' }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

/** The error n8n would hand our code for this request. */
async function realFailure(url: string, timeout = 2000): Promise<NodeApiError> {
	try {
		await axios.get(url, { timeout });
	} catch (error) {
		return new NodeApiError(node, error as JsonObject);
	}
	throw new Error(`${url} unexpectedly succeeded`);
}

describe('classifying real failures', () => {
	it.each([400, 401, 403, 404, 413, 422])('never retries HTTP %i', async (status) => {
		const error = await realFailure(`${baseUrl}/${status}`);
		expect(httpStatusOf(error)).toBe(status);
		expect(isRetryableError(error)).toBe(false);
		expect(isAmbiguousError(error)).toBe(false);
	});

	it('retries 429 without treating it as ambiguous (Gladia refused the request)', async () => {
		const error = await realFailure(`${baseUrl}/429`);
		expect(isRetryableError(error)).toBe(true);
		expect(isAmbiguousError(error)).toBe(false);
	});

	it.each([500, 502, 503, 504, 408])('retries %i and treats it as ambiguous', async (status) => {
		const error = await realFailure(`${baseUrl}/${status}`);
		expect(isRetryableError(error)).toBe(true);
		expect(isAmbiguousError(error)).toBe(true);
	});

	it('retries a connection reset and treats it as ambiguous', async () => {
		const error = await realFailure(`${baseUrl}/reset`);
		expect(httpStatusOf(error)).toBeUndefined();
		expect(isRetryableError(error)).toBe(true);
		expect(isAmbiguousError(error)).toBe(true);
	});

	it('retries a timeout and treats it as ambiguous', async () => {
		const error = await realFailure(`${baseUrl}/hang`, 50);
		expect(isRetryableError(error)).toBe(true);
		expect(isAmbiguousError(error)).toBe(true);
	});

	it('tells our own transfer timeout apart from other failures (uploads are not resent after one)', async () => {
		const timeout = await realFailure(`${baseUrl}/hang`, 50);
		expect(isTransferTimeout(timeout)).toBe(true);
		// As gladiaRequest reports it: our message, the network code copied onto the error.
		const reported = gladiaNetworkError(node, timeout, {
			method: 'POST',
			url: `${baseUrl}/v2/upload`,
			timeout: 50,
		});
		expect(reported.message).toContain('no answer within');
		expect(isTransferTimeout(reported)).toBe(true);
		for (const other of ['reset', '503', '429']) {
			expect(isTransferTimeout(await realFailure(`${baseUrl}/${other}`))).toBe(false);
		}
	});

	it('retries a refused connection without ambiguity (nothing was sent)', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		const error = await realFailure(`http://127.0.0.1:${port}/`);
		expect(isRetryableError(error)).toBe(true);
		expect(isAmbiguousError(error)).toBe(false);
	});

	it('reads Retry-After given in seconds', async () => {
		const error = await realFailure(`${baseUrl}/429?retryAfter=2`);
		expect(retryAfterFromError(error)).toBe(2000);
	});

	it('reads Retry-After given as an HTTP date', async () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		const date = new Date(now + 7000).toUTCString();
		const error = await realFailure(`${baseUrl}/503?retryAfter=${encodeURIComponent(date)}`);
		expect(retryAfterFromError(error, now)).toBe(7000);
		expect(retryAfterFromError(error, now + 60_000)).toBe(0);
	});

	it('ignores a missing or unreadable Retry-After', async () => {
		expect(retryAfterFromError(await realFailure(`${baseUrl}/429`))).toBeUndefined();
		expect(
			retryAfterFromError(await realFailure(`${baseUrl}/429?retryAfter=soon`)),
		).toBeUndefined();
	});

	it('does not retry a cancelled request or an unknown error', async () => {
		const controller = new AbortController();
		controller.abort();
		const cancelled = await axios
			.get(`${baseUrl}/200`, { signal: controller.signal })
			.catch((e) => e);
		expect(isRetryableError(new NodeApiError(node, cancelled as JsonObject))).toBe(false);
		expect(isRetryableError(new Error('boom'))).toBe(false);
		expect(isRetryableError(undefined)).toBe(false);
	});
});

describe('backoffDelayMs (full jitter)', () => {
	const policy: RetryPolicy = {
		maxAttempts: 10,
		baseDelayMs: 100,
		maxDelayMs: 1000,
		maxTotalMs: 10_000,
	};

	it('doubles the ceiling per attempt up to maxDelayMs', () => {
		const ceiling = (attempt: number) => backoffDelayMs(attempt, policy, () => 0.999999);
		expect([1, 2, 3, 4, 5, 6].map(ceiling)).toEqual([99, 199, 399, 799, 999, 999]);
	});

	it('can be as short as zero', () => {
		expect(backoffDelayMs(4, policy, () => 0)).toBe(0);
	});
});

describe('refusedRetryDelayMs (a loop of its own, like the poller)', () => {
	it('allows two more attempts after a refusal, with jittered waits under a second', () => {
		const longest = (refused: number) => refusedRetryDelayMs(refused, () => 0.999999);
		expect([1, 2].map(longest)).toEqual([249, 499]);
		expect(refusedRetryDelayMs(1, () => 0)).toBe(0);
	});

	it('gives up at the policy’s attempt count, having waited less than its total', () => {
		expect(refusedRetryDelayMs(REFUSED_CONNECTION_POLICY.maxAttempts)).toBeUndefined();
		expect(refusedRetryDelayMs(REFUSED_CONNECTION_POLICY.maxAttempts + 5)).toBeUndefined();
		let waited = 0;
		for (let refused = 1; ; refused++) {
			const delay = refusedRetryDelayMs(refused, () => 0.999999);
			if (delay === undefined) break;
			waited += delay;
		}
		expect(waited).toBeLessThanOrEqual(REFUSED_CONNECTION_POLICY.maxTotalMs);
	});
});

describe('nextDelayMs', () => {
	const policy: RetryPolicy = {
		maxAttempts: 10,
		baseDelayMs: 100,
		maxDelayMs: 1000,
		maxTotalMs: 10_000,
	};

	it('waits the Retry-After plus at most 20 % jitter', () => {
		for (let i = 0; i < 50; i++) {
			const delay = nextDelayMs(3, policy, 2000);
			expect(delay).toBeGreaterThanOrEqual(2000);
			expect(delay).toBeLessThanOrEqual(2400);
		}
	});

	it('backs off as usual without a Retry-After, or with Retry-After: 0', () => {
		for (const hint of [undefined, 0]) {
			const delay = nextDelayMs(2, policy, hint);
			expect(delay).toBeGreaterThanOrEqual(0);
			expect(delay).toBeLessThan(200);
		}
	});
});

describe('withRetries', () => {
	const fast: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 1000 };

	it('retries retryable failures until one succeeds', async () => {
		const error503 = await realFailure(`${baseUrl}/503`);
		const attempts: number[] = [];
		const value = await withRetries(
			async (attempt) => {
				attempts.push(attempt);
				if (attempt < 3) throw error503;
				return 'ok';
			},
			{ policy: fast },
		);
		expect(value).toBe('ok');
		expect(attempts).toEqual([1, 2, 3]);
	});

	/** withRetries over a send that always fails with `error`; reports how often it was called. */
	async function alwaysFailing(error: unknown, options: RetryOptions = { policy: fast }) {
		let attempts = 0;
		const outcome = await withRetries(async () => {
			attempts++;
			throw error;
		}, options).catch((thrown: unknown) => thrown);
		return { outcome, attempts };
	}

	it('throws a non-retryable failure after the first attempt', async () => {
		const error422 = await realFailure(`${baseUrl}/422`);
		expect(await alwaysFailing(error422)).toEqual({ outcome: error422, attempts: 1 });
	});

	it('gives up after maxAttempts with the last error', async () => {
		const reset = await realFailure(`${baseUrl}/reset`);
		expect(await alwaysFailing(reset)).toEqual({ outcome: reset, attempts: fast.maxAttempts });
	});

	it('honours Retry-After', async () => {
		const error = await realFailure(`${baseUrl}/429?retryAfter=0.15`);
		const started = Date.now();
		await withRetries(
			async (attempt) => {
				if (attempt === 1) throw error;
			},
			{ policy: fast },
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(150);
	});

	it('does not wait when Retry-After would exceed the total budget', async () => {
		const error = await realFailure(`${baseUrl}/429?retryAfter=30`);
		const started = Date.now();
		expect(await alwaysFailing(error)).toEqual({ outcome: error, attempts: 1 });
		expect(Date.now() - started).toBeLessThan(500);
	});

	it('stops at once when the signal aborts during a wait', async () => {
		const error = await realFailure(`${baseUrl}/429?retryAfter=5`);
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(new Error('stopped')), 30);
		const { outcome, attempts } = await alwaysFailing(error, {
			policy: { ...fast, maxTotalMs: 60_000 },
			signal: controller.signal,
		});
		expect((outcome as Error).message).toBe('stopped');
		expect(attempts).toBe(1);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('has a bounded default policy', () => {
		const { maxAttempts, maxDelayMs, maxTotalMs } = DEFAULT_RETRY_POLICY;
		expect(maxAttempts).toBeGreaterThan(1);
		expect(maxDelayMs).toBeLessThanOrEqual(maxTotalMs);
		expect(Number.isFinite(maxTotalMs)).toBe(true);
	});
});
