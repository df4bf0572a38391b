// Turns Gladia's answers into n8n errors that say what happened, to which item, and what to do.
// Messages are built only from Gladia's error body and our own text, then scrubbed of the API
// key, so the key can never reach an error message, the UI or an error item.
import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { GladiaErrorBody, PreRecordedJob } from './types';

/** What to do about a Gladia HTTP status, in the user's terms. */
const STATUS_HINTS: Record<number, string> = {
	400: 'Gladia rejected the request. Check the fields listed above.',
	401: 'Gladia rejected the API key. Check the Gladia credential (app.gladia.io → API keys).',
	403: 'Gladia refused this action for this job or plan.',
	404: 'No such transcription: check the ID (it may have been deleted or belong to another API key).',
	413: 'The file is too large for Gladia (limit: 1000 MB). Compress or split it.',
	422: 'Gladia could not accept these parameters. Check the option values.',
	429: 'Too many concurrent Gladia jobs for your plan. Lower "Max Concurrent Jobs" or retry later.',
};

function hintFor(status: number): string {
	if (STATUS_HINTS[status]) return STATUS_HINTS[status];
	if (status >= 500) return 'Gladia had an internal problem. Retry later.';
	return 'Gladia could not process the request.';
}

/** Replaces every occurrence of a secret with a masked form. */
export function scrub(text: string, secrets: Array<string | undefined>): string {
	let result = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) result = result.split(secret).join('*****');
	}
	return result;
}

/** A JSON value with every secret masked in its strings (keys included). */
function scrubJson<T>(value: T, secrets: Array<string | undefined>): T {
	const present = secrets.filter((secret): secret is string => !!secret && secret.length >= 4);
	if (!present.length) return value;
	// As JSON text a secret may appear escaped (quotes, backslashes): mask both spellings.
	const spellings = present.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
	return JSON.parse(scrub(JSON.stringify(value), spellings)) as T;
}

export function itemLabel(itemIndex: number | undefined): string {
	return itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
}

/** An error body that is not Gladia's JSON (a proxy's HTML page, say), as one short line. */
function readableText(text: string): string | undefined {
	const collapse = (part: string) => part.replace(/\s+/g, ' ').trim().slice(0, 200);
	if (/<(!doctype|html|head|body|title|h1|p|div)\b/i.test(text)) {
		const title = /<title[^>]*>([^<]*)</i.exec(text) ?? /<h1[^>]*>([^<]*)</i.exec(text);
		return title && collapse(title[1]) ? collapse(title[1]) : 'an HTML page';
	}
	const line = text.split(/\r?\n/).find((part) => part.trim());
	return line ? collapse(line) : undefined;
}

/** Gladia's JSON error body; anything else with `notGladia` set and a one-line message. */
function parseErrorBody(
	body: unknown,
	secrets: Array<string | undefined>,
): GladiaErrorBody & { notGladia?: boolean } {
	if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as GladiaErrorBody;
	const raw = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
	const text = scrub(raw, secrets); // before shortening, so no part of a secret is kept
	try {
		const parsed = JSON.parse(text) as unknown;
		if (parsed && typeof parsed === 'object') return parsed as GladiaErrorBody;
	} catch {
		// not JSON: a proxy's or web server's page, never shown raw
	}
	const message = readableText(text);
	return { notGladia: true, ...(message ? { message } : {}) };
}

/** A job lookup (GET or DELETE of /v2/pre-recorded/{id}): the only place 404 means "no such job". */
function isJobPath(path: string): boolean {
	return /^\/v2\/pre-recorded\/[^/]+$/.test(path);
}

const NOT_GLADIA_HINT =
	"The answer did not come from Gladia's API: check the Base URL of the Gladia credential (Gladia's is https://api.gladia.io) and any proxy in between.";

/** What to do about this failure: a wrong address reads differently from a missing job. */
function hintForFailure(status: number, path: string, notGladia: boolean): string {
	if (status === 404 && (notGladia || !isJobPath(path)))
		return `Nothing is served at ${path}: check the Base URL of the Gladia credential (Gladia's is https://api.gladia.io; a proxy must forward /v2/… unchanged).`;
	if (notGladia && status !== 401) return `${NOT_GLADIA_HINT} ${hintFor(status)}`;
	return hintFor(status);
}

export interface GladiaHttpFailure {
	statusCode: number;
	body: unknown;
	headers?: IDataObject;
	method: string;
	path: string;
	itemIndex?: number;
	/** Values that must never appear in the error (the API key). */
	secrets?: Array<string | undefined>;
}

/**
 * A Gladia error response → NodeApiError carrying Gladia's message, each validation error,
 * the HTTP code, the request_id and the item index. The response headers stay on the error
 * (for Retry-After) but not in its message.
 */
export function gladiaApiError(node: INode, failure: GladiaHttpFailure): NodeApiError {
	const secrets = failure.secrets ?? [];
	// Scrubbed before anything is built from it: n8n stores the whole error (errorResponse and
	// `messages` included) in the execution, not only the message the user sees.
	const { notGladia, ...body } = scrubJson(parseErrorBody(failure.body, secrets), secrets);
	const status = failure.statusCode;
	const gladiaMessage = body.message ?? `HTTP ${status}`;
	const validation = Array.isArray(body.validation_errors) ? body.validation_errors : [];

	const message = scrub(
		`Gladia: ${gladiaMessage}${validation.length ? ` (${validation.join('; ')})` : ''} (HTTP ${status})${itemLabel(failure.itemIndex)}`,
		secrets,
	);
	const description = scrub(
		[
			...validation.map((entry) => `• ${entry}`),
			hintForFailure(status, failure.path, notGladia === true),
			`${failure.method} ${failure.path} → HTTP ${status}${body.request_id ? `, request_id ${body.request_id}` : ''}`,
		].join('\n'),
		secrets,
	);
	const errorResponse: JsonObject = {
		message: gladiaMessage,
		statusCode: status,
		request_id: body.request_id ?? null,
		validation_errors: validation,
		headers: scrubJson(failure.headers ?? {}, secrets) as JsonObject,
	};
	const error = new NodeApiError(node, errorResponse, {
		message,
		description,
		httpCode: String(status),
		itemIndex: failure.itemIndex,
	});
	error.context.requestId = body.request_id;
	error.context.validationErrors = validation;
	return error;
}

export interface GladiaRedirect {
	statusCode: number;
	method: string;
	path: string;
	/** Where the redirect points, resolved; undefined when the answer has no usable Location. */
	target?: string;
	/** The credential's Base URL: the only place the API key goes. */
	baseUrl: string;
	/** other-origin: the key would leave; request-body: a POST would be resent; too-many: a loop. */
	reason: 'other-origin' | 'request-body' | 'too-many' | 'no-location';
	itemIndex?: number;
	secrets?: Array<string | undefined>;
}

/** The scheme, host and port of a URL (never its path, query or user:password). */
export function originOf(url: string | undefined): string | undefined {
	try {
		return url === undefined ? undefined : new URL(url).origin;
	} catch {
		return undefined;
	}
}

/** The end of a redirect error's message: where it pointed and why we did not go. */
function redirectRefusal(reason: GladiaRedirect['reason'], target?: string, base?: string): string {
	if (reason === 'no-location' || !target) return ' that names no valid location';
	if (reason === 'other-origin')
		return ` to ${target}: refused, the API key is only sent to ${base}`;
	if (reason === 'request-body')
		return ` to ${target}: refused, a request body is never sent a second time`;
	return ` to ${target}: refused after too many redirects`;
}

/**
 * A redirect we did not follow. Only origins are named: a Location's path or query may carry
 * tokens, and the Base URL may carry a proxy's user:password.
 */
export function gladiaRedirectError(node: INode, redirect: GladiaRedirect): NodeApiError {
	const target = originOf(redirect.target);
	const base = originOf(redirect.baseUrl) ?? redirect.baseUrl;
	const status = redirect.statusCode;
	// A URL's host name comes back lower-cased.
	const secrets = (redirect.secrets ?? []).flatMap((secret) => [secret, secret?.toLowerCase()]);
	const message = scrub(
		`Gladia answered ${redirect.method} ${redirect.path} with a redirect (HTTP ${status})${redirectRefusal(redirect.reason, target, base)}${itemLabel(redirect.itemIndex)}`,
		secrets,
	);
	const description = scrub(
		`Nothing was sent to the redirect's target. Gladia's API does not redirect its calls: check the Base URL of the Gladia credential (${base}); it must be Gladia's API (https://api.gladia.io) or a proxy that forwards requests instead of redirecting them.`,
		secrets,
	);
	return new NodeApiError(
		node,
		{ message, statusCode: status, location: target ?? null },
		{ message, description, httpCode: String(status), itemIndex: redirect.itemIndex },
	);
}

// Our own words for network codes: n8n replaces any message containing a raw code such as
// "ECONNREFUSED" with a generic text, which would drop the item and the URL.
const NETWORK_REASONS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection closed unexpectedly',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ETIMEDOUT: 'connection timed out',
	ECONNABORTED: 'no answer in time',
	ERR_CANCELED: 'execution cancelled',
};

/** A request that got no HTTP answer (refused, DNS, timeout, aborted). */
export function gladiaNetworkError(
	node: INode,
	cause: unknown,
	request: {
		method: string;
		url: string;
		itemIndex?: number;
		timeout?: number;
		secrets?: Array<string | undefined>;
	},
): NodeApiError {
	const facts = cause as { code?: string; message?: string; cause?: { code?: string } };
	const code = facts.code ?? facts.cause?.code;
	const timedOut = code === 'ECONNABORTED' || /timeout/i.test(facts.message ?? '');
	const reason = timedOut
		? `no answer within ${Math.round((request.timeout ?? 0) / 1000)} s`
		: ((code && NETWORK_REASONS[code]) ?? 'network error');
	const message = scrub(
		`Could not reach Gladia (${request.method} ${request.url}): ${reason}${itemLabel(request.itemIndex)}`,
		request.secrets ?? [],
	);
	const error = new NodeApiError(
		node,
		{ message, networkCode: code ?? null },
		{
			message,
			description: timedOut
				? 'Gladia did not answer in time. Retry, or check the Base URL of the Gladia credential.'
				: 'Check the Base URL of the Gladia credential and the network between n8n and Gladia.',
			itemIndex: request.itemIndex,
		},
	);
	// Like Node's own network errors, expose the code (retry.ts decides on it). Set after
	// construction: a `code` in the error response would make n8n swap our message for its own.
	return Object.assign(error, { code });
}

/** Plain-language meaning of a failed job's error_code (Gladia's codes mirror HTTP statuses). */
function jobErrorHint(code: number | null | undefined): string {
	if (code === 413) return 'The file is too large (limit 1000 MB).';
	if (code && code >= 500)
		return 'A failure on Gladia’s side; transcribing again later usually works.';
	if (code && code >= 400)
		return 'Gladia could not process this audio: check that the URL is publicly reachable, the file is a supported audio/video format, and it is at most 135 minutes long.';
	return 'Gladia reported the job as failed.';
}

/** A job that ended with `status: error`. */
export function jobFailedError(node: INode, job: PreRecordedJob, itemIndex?: number): NodeApiError {
	const code = job.error_code ?? undefined;
	const message = `Gladia could not transcribe job ${job.id}: error code ${code ?? 'unknown'}${itemLabel(itemIndex)}`;
	return new NodeApiError(
		node,
		{ message, error_code: code ?? null, id: job.id, request_id: job.request_id ?? null },
		{
			message,
			description: `${jobErrorHint(code)}${job.request_id ? ` (request_id ${job.request_id})` : ''}`,
			httpCode: code ? String(code) : undefined,
			itemIndex,
		},
	);
}

/** A bad parameter value, named by its place in the UI. */
export function invalidParameter(
	node: INode,
	itemIndex: number,
	field: string,
	problem: string,
	fix: string,
): NodeOperationError {
	return new NodeOperationError(node, `${field}: ${problem}${itemLabel(itemIndex)}`, {
		itemIndex,
		description: fix,
	});
}

/** The JSON of an error item for continueOnFail: the message plus what helps to act on it. */
export function errorItemJson(error: Error): IDataObject {
	const details = error as Error & {
		description?: string | null;
		httpCode?: string | null;
		context?: IDataObject;
	};
	const json: IDataObject = { error: error.message };
	if (details.description) json.description = details.description;
	if (details.httpCode) json.httpCode = details.httpCode;
	if (details.context?.requestId) json.requestId = details.context.requestId;
	return json;
}

/**
 * A failed item for On Error → Continue. With "using error output" the error itself rides in
 * `error`: that is what n8n reads to send the item to the error output (n8n 2 then shows its
 * message as the json, and keeps the whole error, description included, in the execution).
 * With "regular output" the item keeps the readable fields in its json instead.
 */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	node: INode,
): INodeExecutionData {
	const item: INodeExecutionData = { json: errorItemJson(error), pairedItem: { item: itemIndex } };
	if (node.onError === 'continueErrorOutput') item.error = error;
	return item;
}
