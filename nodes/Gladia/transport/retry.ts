// Retry policy for Gladia calls: which failures are worth another attempt, how long to wait
// (exponential backoff with full jitter, or the server's Retry-After), and a bounded total.
import { sleep } from 'n8n-workflow';

export interface RetryPolicy {
	/** Attempts in total, the first one included. */
	maxAttempts: number;
	baseDelayMs: number;
	/** Cap on one backoff delay (a longer Retry-After is still honoured, within maxTotalMs). */
	maxDelayMs: number;
	/** Cap on the sum of all delays: past it the last error is thrown. */
	maxTotalMs: number;
}

// Long enough to outlast a plan's concurrency limit (429) while other jobs finish, short
// enough that a broken Gladia fails the item within two minutes.
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 8,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxTotalMs: 120_000,
};

/**
 * A refused connection is retried twice, quickly, whatever the caller's policy: it means nothing
 * listens at the Base URL (a wrong port, a stopped proxy), which a minute of retries does not fix,
 * while a restarting proxy is usually back within a second.
 */
export const REFUSED_CONNECTION_POLICY: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 250,
	maxDelayMs: 1000,
	maxTotalMs: 2000,
};

/** Reading a job back while Gladia waits for our answer to its callback: a few seconds at most. */
export const CALLBACK_READ_POLICY: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 200,
	maxDelayMs: 1000,
	maxTotalMs: 3000,
};

/**
 * The Gladia Trigger's job check while the sender waits (Svix gives a delivery 15 s): quick
 * failures (429, 5xx, reset) are tried again after a short pause, within the trigger's budget.
 */
export const TRIGGER_CHECK_POLICY: RetryPolicy = {
	maxAttempts: 4,
	baseDelayMs: 250,
	maxDelayMs: 1_000,
	maxTotalMs: 2_000,
};

/**
 * Delete From Gladia After Fetching: the result is already in the output, so a failing delete
 * is tried again only briefly, then reported on the item instead of holding it up.
 */
export const DELETE_AFTER_FETCH_POLICY: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 250,
	maxDelayMs: 1_000,
	maxTotalMs: 2_000,
};

/**
 * The poller's own backoff (it sends every poll with `retry: false`): delays between its min
 * and max poll intervals, never running out while Max Wait lasts; a job whose polls fail this
 * many times in a row (5xx, network) is given up.
 */
export function pollBackoffPolicy(minIntervalMs: number, maxIntervalMs: number): RetryPolicy {
	return {
		baseDelayMs: minIntervalMs,
		maxDelayMs: maxIntervalMs,
		maxTotalMs: Infinity,
		maxAttempts: Infinity,
	};
}
export const MAX_TRANSIENT_POLL_FAILURES = 8;

export interface RetryOptions {
	policy?: RetryPolicy;
	signal?: AbortSignal;
	isRetryable?: (error: unknown) => boolean;
	retryAfterMs?: (error: unknown) => number | undefined;
}

// Network failures where the request may or may not have reached Gladia.
const AMBIGUOUS_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);
// Network failures where nothing was sent: safe to resend even a create.
const NOT_SENT_NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

interface FailureFacts {
	status?: number;
	code?: string;
	message: string;
	/** Error class names along the cause chain (AbortError, CanceledError, …). */
	names: string[];
	headers?: Record<string, unknown>;
}

/**
 * Reads status, network code and response headers from whatever n8n threw: a NodeApiError
 * wrapping an AxiosError (`cause`), the AxiosError itself, or a full-response object.
 */
export function failureFacts(error: unknown): FailureFacts {
	const facts: FailureFacts = { message: '', names: [] };
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const node = current as Record<string, unknown>;
		const response = node.response as Record<string, unknown> | undefined;
		if (facts.status === undefined) {
			for (const candidate of [response?.status, node.statusCode, node.httpCode, node.status]) {
				const status = Number(candidate);
				if (Number.isInteger(status) && status >= 100 && status <= 599) {
					facts.status = status;
					break;
				}
			}
		}
		if (facts.code === undefined && typeof node.code === 'string' && /^[A-Z_]+$/.test(node.code)) {
			facts.code = node.code;
		}
		facts.headers ??= (response?.headers ?? node.headers) as Record<string, unknown> | undefined;
		if (typeof node.message === 'string') facts.message += ` ${node.message}`;
		if (typeof node.name === 'string') facts.names.push(node.name);
		current = node.cause ?? node.errorResponse ?? node.reason;
	}
	return facts;
}

function isCancellation(facts: FailureFacts): boolean {
	return (
		facts.code === 'ERR_CANCELED' ||
		facts.code === 'ABORT_ERR' ||
		facts.names.some((name) => name === 'AbortError' || name === 'CanceledError')
	);
}

function isAmbiguousNetworkFailure(facts: FailureFacts): boolean {
	if (facts.code !== undefined && AMBIGUOUS_NETWORK_CODES.has(facts.code)) return true;
	return /socket hang up|timeout of \d+ms exceeded|timed out/i.test(facts.message);
}

/** 408, 429, 5xx, timeouts and connection failures. Never other 4xx (400/401/403/404/413/422). */
export function isRetryableError(error: unknown): boolean {
	const facts = failureFacts(error);
	if (facts.status !== undefined)
		return facts.status === 408 || facts.status === 429 || facts.status >= 500;
	if (isCancellation(facts)) return false;
	if (facts.code !== undefined && NOT_SENT_NETWORK_CODES.has(facts.code)) return true;
	return isAmbiguousNetworkFailure(facts);
}

/** Nothing listens at the address (no HTTP answer, ECONNREFUSED). */
export function isConnectionRefused(error: unknown): boolean {
	const facts = failureFacts(error);
	return facts.status === undefined && facts.code === 'ECONNREFUSED';
}

/** The stricter of two policies, limit by limit. */
function stricter(a: RetryPolicy, b: RetryPolicy): RetryPolicy {
	return {
		maxAttempts: Math.min(a.maxAttempts, b.maxAttempts),
		baseDelayMs: Math.min(a.baseDelayMs, b.baseDelayMs),
		maxDelayMs: Math.min(a.maxDelayMs, b.maxDelayMs),
		maxTotalMs: Math.min(a.maxTotalMs, b.maxTotalMs),
	};
}

/**
 * True when a failed request may still have been carried out by Gladia (no answer, reset,
 * timeout, 5xx): resending a create blindly could bill a second job.
 */
export function isAmbiguousError(error: unknown): boolean {
	const facts = failureFacts(error);
	if (facts.status !== undefined) return facts.status === 408 || facts.status >= 500;
	if (isCancellation(facts)) return false;
	return isAmbiguousNetworkFailure(facts);
}

/** True when our own request timeout cut the request short (not a connect timeout). */
export function isTransferTimeout(error: unknown): boolean {
	const facts = failureFacts(error);
	return (
		facts.status === undefined &&
		(facts.code === 'ECONNABORTED' ||
			/timeout of \d+ms exceeded|no answer within/i.test(facts.message))
	);
}

/**
 * Uploads are retried like reads (an upload bills nothing; a streamed form re-reads the
 * binary), except after our own (30-minute) transfer timeout: that file is too slow to resend.
 */
export function isRetryableUploadError(error: unknown): boolean {
	return isRetryableError(error) && !isTransferTimeout(error);
}

/** The error's HTTP status, when there was a response. */
export function httpStatusOf(error: unknown): number | undefined {
	return failureFacts(error).status;
}

/** `Retry-After` in ms (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterFromError(error: unknown, now = Date.now()): number | undefined {
	const headers = failureFacts(error).headers;
	if (!headers) return undefined;
	const key = Object.keys(headers).find((name) => name.toLowerCase() === 'retry-after');
	const value = key === undefined ? undefined : headers[key];
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full jitter: a uniform delay in [0, min(maxDelay, base · 2^(attempt-1))]. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random = Math.random): number {
	const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
	return Math.floor(random() * cap);
}

/**
 * For loops that retry on their own (the poller): the wait after `refusedInARow` refused
 * connections in a row, or undefined once REFUSED_CONNECTION_POLICY's attempts are spent (its
 * capped delays stay within its total).
 */
export function refusedRetryDelayMs(
	refusedInARow: number,
	random = Math.random,
): number | undefined {
	if (refusedInARow >= REFUSED_CONNECTION_POLICY.maxAttempts) return undefined;
	return backoffDelayMs(refusedInARow, REFUSED_CONNECTION_POLICY, random);
}

/**
 * The delay before the next attempt: the server's Retry-After when it gave one (plus up to 20 %
 * jitter so a batch does not come back in lockstep), else exponential backoff with full jitter.
 */
export function nextDelayMs(attempt: number, policy: RetryPolicy, hint?: number): number {
	if (!hint) return backoffDelayMs(attempt, policy);
	return hint + Math.floor(Math.random() * hint * 0.2);
}

/**
 * Calls `send(attempt)` (attempt starts at 1) until it succeeds. Throws the last error when it
 * is not retryable, the attempts run out, the next wait would pass `maxTotalMs`, or `signal`
 * aborts (sleeps are cut short by the abort).
 */
export async function withRetries<T>(
	send: (attempt: number) => Promise<T>,
	options: RetryOptions = {},
): Promise<T> {
	const policy = options.policy ?? DEFAULT_RETRY_POLICY;
	const isRetryable = options.isRetryable ?? isRetryableError;
	const retryAfter = options.retryAfterMs ?? retryAfterFromError;
	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const outcome = await settle(async () => await send(attempt));
		if (outcome.ok) return outcome.value;
		const error = outcome.error;
		const limits = isConnectionRefused(error)
			? stricter(policy, REFUSED_CONNECTION_POLICY)
			: policy;
		if (options.signal?.aborted || attempt >= limits.maxAttempts || !isRetryable(error))
			throw error;
		const delay = nextDelayMs(attempt, limits, retryAfter(error));
		if (waitedMs + delay > limits.maxTotalMs) throw error;
		waitedMs += delay;
		await sleep(delay, options.signal);
	}
}

/** Runs `run` and reports how it ended, so callers decide outside a catch block what to rethrow. */
export async function settle<T>(
	run: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	try {
		return { ok: true, value: await run() };
	} catch (error) {
		return { ok: false, error };
	}
}

/** The execution's cancel signal, for contexts that have one (not every n8n context does). */
export function cancelSignalOf(context: object): AbortSignal | undefined {
	const withSignal = context as { getExecutionCancelSignal?: () => AbortSignal | undefined };
	return typeof withSignal.getExecutionCancelSignal === 'function'
		? withSignal.getExecutionCancelSignal()
		: undefined;
}
