// gladiaRequest(): the one way to call Gladia. It authenticates through the credential type
// (x-gladia-key), joins paths to the credential's Base URL (so proxies and the emulator work;
// absolute URLs from Gladia's answers are never followed), sets explicit timeouts, and maps
// every error answer to a NodeApiError itself (helpers/errors.ts). n8n never follows a
// redirect for us: its follower would send x-gladia-key (and a POST's body) to wherever the
// Location points. See followRedirect().
import type {
	GenericValue,
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { version } from '../../../package.json';
import { CREDENTIAL_TYPE } from '../helpers/constants';
import {
	gladiaApiError,
	gladiaNetworkError,
	gladiaRedirectError,
	itemLabel,
	originOf,
	type GladiaRedirect,
} from '../helpers/errors';
import { baseUrlProblem } from '../helpers/url';
import { cancelSignalOf, withRetries } from './retry';

export { CREDENTIAL_TYPE };
export const DEFAULT_BASE_URL = 'https://api.gladia.io';
export const VERSION_HEADER = `n8n-nodes-gladia/${version}`;

/** Timeouts (ms) by kind of call; n8n's own default would be 5 minutes for everything. */
export const TIMEOUTS = {
	read: 30_000,
	write: 60_000,
	transfer: 30 * 60_000,
} as const;

export type RequestContext =
	| IExecuteFunctions
	| IExecuteSingleFunctions
	| IWebhookFunctions
	| IHookFunctions
	| ILoadOptionsFunctions;

export interface GladiaRequest {
	method: IHttpRequestMethods;
	/** '/v2/…', joined to the credential's Base URL. */
	path: string;
	body?: IDataObject | FormData;
	qs?: IDataObject;
	timeout?: number;
	/** Default: true for GET/DELETE, false for POST (a create must not be blindly resent). */
	retry?: boolean;
	itemIndex?: number;
	/** 'stream' for file downloads; JSON otherwise. */
	encoding?: 'json' | 'stream';
	/**
	 * Return status, headers and body instead of the body. Redirects are then answers, for the
	 * caller to handle (the file download follows them without the key).
	 */
	fullResponse?: boolean;
}

export interface GladiaFullResponse<T> {
	statusCode: number;
	headers: IDataObject;
	body: T;
}

interface GladiaCredentials {
	apiKey?: string;
	baseUrl?: string;
}

/** The credential's Base URL without trailing slashes. */
export function baseUrlOf(credentials: GladiaCredentials): string {
	return (credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
}

/** The Base URL, or an error saying how to fix it (before any request, so the key goes nowhere). */
function checkedBaseUrl(node: INode, credentials: GladiaCredentials, itemIndex?: number): string {
	const baseUrl = baseUrlOf(credentials);
	const problem = baseUrlProblem(baseUrl);
	if (!problem) return baseUrl;
	throw new NodeOperationError(
		node,
		`Gladia credential → Base URL: ${problem}${itemLabel(itemIndex)}`,
		{
			itemIndex,
			description: `Open the Gladia credential and set Base URL to a full address such as ${DEFAULT_BASE_URL} (or your proxy's, starting with https://).`,
		},
	);
}

function isRedirect(statusCode: number): boolean {
	return statusCode >= 300 && statusCode < 400;
}

/** Same-origin redirects a GET or DELETE may take in a row (Gladia itself sends none). */
const MAX_SAME_ORIGIN_REDIRECTS = 3;

function discardBody(response: IN8nHttpFullResponse): void {
	(response.body as { destroy?: () => void } | undefined)?.destroy?.();
}

function resolvedLocation(response: IN8nHttpFullResponse, from: string): string | undefined {
	const location = response.headers.location;
	if (typeof location !== 'string' || !location.trim()) return undefined;
	try {
		return new URL(location, from).toString();
	} catch {
		return undefined;
	}
}

/**
 * Where a redirect may be followed with the key: a GET or DELETE to the Base URL's own
 * origin (scheme, host and port), a few hops at most. Everything else is refused: another
 * origin would get the key, and a POST (create, upload) would have to send its body again.
 */
function followRedirect(
	node: INode,
	response: IN8nHttpFullResponse,
	from: string,
	hop: number,
	redirect: Omit<GladiaRedirect, 'statusCode' | 'target' | 'reason'>,
): string {
	const target = resolvedLocation(response, from);
	const refuse = (reason: GladiaRedirect['reason']) =>
		gladiaRedirectError(node, { ...redirect, statusCode: response.statusCode, target, reason });
	if (!target) throw refuse('no-location');
	if (originOf(target) !== originOf(redirect.baseUrl)) throw refuse('other-origin');
	if (redirect.method !== 'GET' && redirect.method !== 'DELETE') throw refuse('request-body');
	if (hop >= MAX_SAME_ORIGIN_REDIRECTS) throw refuse('too-many');
	return target;
}

async function readStream(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream)
		chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(chunks);
}

/**
 * Calls Gladia. Resolves to the response body, or with `fullResponse` to
 * `GladiaFullResponse` (then pass that as T).
 */
export async function gladiaRequest<T = IDataObject>(
	this: RequestContext,
	request: GladiaRequest,
): Promise<T> {
	const credentials = await this.getCredentials<GladiaCredentials>(CREDENTIAL_TYPE);
	const baseUrl = checkedBaseUrl(this.getNode(), credentials, request.itemIndex);
	const url = `${baseUrl}${request.path}`;
	const secrets = [credentials.apiKey];
	const timeout =
		request.timeout ??
		(request.method === 'GET' || request.method === 'DELETE' ? TIMEOUTS.read : TIMEOUTS.write);
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		// Gladia reads repeated keys for arrays (status=done&status=error); nested objects
		// (custom_metadata) become bracket keys.
		arrayFormat: 'repeat',
		body: request.body as GenericValue | FormData | undefined,
		headers: { 'x-gladia-version': VERSION_HEADER },
		json: request.encoding !== 'stream',
		encoding: request.encoding === 'stream' ? 'stream' : undefined,
		timeout,
		// Redirects are handled below, by hand (n8n's follower would pass the key on to any host;
		// it also buffers an upload's whole body in memory to be able to replay it).
		disableFollowRedirect: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};

	const sendTo = async (target: string): Promise<IN8nHttpFullResponse> => {
		try {
			return (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				// A redirect's target carries its own query string.
				target === url ? options : { ...options, url: target, qs: undefined },
			)) as IN8nHttpFullResponse;
		} catch (error) {
			throw gladiaNetworkError(this.getNode(), error, {
				method: request.method,
				url: target,
				itemIndex: request.itemIndex,
				timeout,
				secrets,
			});
		}
	};

	const send = async (): Promise<IN8nHttpFullResponse> => {
		let target = url;
		let response = await sendTo(target);
		for (let hop = 0; isRedirect(response.statusCode) && !request.fullResponse; hop++) {
			discardBody(response);
			target = followRedirect(this.getNode(), response, target, hop, {
				method: request.method,
				path: request.path,
				baseUrl,
				itemIndex: request.itemIndex,
				secrets,
			});
			response = await sendTo(target);
		}
		if (response.statusCode >= 400) {
			const body =
				request.encoding === 'stream'
					? await readStream(response.body as AsyncIterable<Buffer>)
					: response.body;
			throw gladiaApiError(this.getNode(), {
				statusCode: response.statusCode,
				body,
				headers: response.headers,
				method: request.method,
				path: request.path,
				itemIndex: request.itemIndex,
				secrets,
			});
		}
		return response;
	};

	// Retries (transport/retry.ts): 429, 5xx, timeouts and resets, with backoff and Retry-After.
	const retry = request.retry ?? (request.method === 'GET' || request.method === 'DELETE');
	const response = retry ? await withRetries(send, { signal: cancelSignalOf(this) }) : await send();

	if (request.fullResponse) {
		const full: GladiaFullResponse<unknown> = {
			statusCode: response.statusCode,
			headers: response.headers,
			body: response.body,
		};
		return full as T;
	}
	return response.body as T;
}
