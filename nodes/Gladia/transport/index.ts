// gladiaRequest(): the one way to call Gladia. It authenticates through the credential type
// (x-gladia-key), joins paths to the credential's Base URL (so proxies and the emulator work;
// absolute URLs from Gladia's answers are never followed), sets explicit timeouts, and maps
// every error answer to a NodeApiError itself (helpers/errors.ts).
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
	IWebhookFunctions,
} from 'n8n-workflow';

import { version } from '../../../package.json';
import { CREDENTIAL_TYPE } from '../helpers/constants';
import { gladiaApiError, gladiaNetworkError } from '../helpers/errors';
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
	/** Do not follow redirects (uploads: no body buffering for replay; downloads: no key leak). */
	disableFollowRedirect?: boolean;
	/** Return status, headers and body instead of the body (redirects are answers then). */
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

function isRedirect(statusCode: number): boolean {
	return statusCode >= 300 && statusCode < 400;
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
	const url = `${baseUrlOf(credentials)}${request.path}`;
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
		disableFollowRedirect: request.disableFollowRedirect,
		sendCredentialsOnCrossOriginRedirect: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};

	const send = async (): Promise<IN8nHttpFullResponse> => {
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			throw gladiaNetworkError(this.getNode(), error, {
				method: request.method,
				url,
				itemIndex: request.itemIndex,
				timeout,
				secrets,
			});
		}
		const redirectIsAnswer = request.fullResponse && isRedirect(response.statusCode);
		if (response.statusCode >= 300 && !redirectIsAnswer) {
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
