// Moving audio in and out of Gladia.
// - uploadBinary: multipart POST /v2/upload streamed from n8n's binary store, so a 1 GB file
//   does not sit in memory. Axios encodes any class instance that looks like a spec FormData
//   and reads its file part through `stream()`; redirects stay off, or axios' redirect
//   follower would buffer the whole body for a replay. In-memory binaries (no id) go as a Blob.
// - importAudioUrl: POST /v2/upload with JSON {audio_url}: Gladia fetches the file itself.
// - downloadJobFile: GET /v2/pre-recorded/{id}/file. Gladia answers 302 to signed storage on
//   another origin; we follow it ourselves, without the API key.
import { createHash } from 'node:crypto';
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { httpUrl, notHttpUrlProblem } from '../helpers/url';
import { invalidParameter, itemLabel } from '../helpers/errors';
import { MAX_FILE_BYTES } from '../helpers/constants';
import type { AudioUploadResponse } from '../helpers/types';
import {
	baseUrlOf,
	CREDENTIAL_TYPE,
	gladiaRequest,
	TIMEOUTS,
	type GladiaRequest,
	type RequestContext,
} from './index';
import { jobPath } from './jobs';
import { isRetryableUploadError, withRetries } from './retry';

const MB = 1024 * 1024;

interface StreamedFile {
	name: string;
	type: string;
	size: number;
	stream: () => AsyncIterable<Uint8Array>;
}

/** The minimal spec-compliant FormData axios needs: one file part, read lazily. */
class StreamingForm {
	private readonly parts: Array<[string, StreamedFile]>;

	constructor(field: string, file: StreamedFile) {
		this.parts = [[field, file]];
	}

	append(): void {
		throw new Error('StreamingForm is read-only');
	}

	entries(): IterableIterator<[string, StreamedFile]> {
		return this.parts[Symbol.iterator]();
	}

	[Symbol.iterator](): IterableIterator<[string, StreamedFile]> {
		return this.entries();
	}

	get [Symbol.toStringTag](): string {
		return 'FormData';
	}
}

function binaryByteSize(binary: IBinaryData): number | undefined {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (!binary.id && typeof binary.data === 'string')
		return Buffer.byteLength(binary.data, 'base64');
	return undefined;
}

/** The size of a binary kept in n8n's binary store; its file may be gone (pruned, other host). */
async function storedFileSize(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	id: string,
): Promise<number> {
	try {
		return (await ctx.helpers.getBinaryMetadata(id)).fileSize;
	} catch (error) {
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			'Input Binary Field',
			`the file of binary property "${propertyName}" cannot be read from n8n's binary data store (${(error as Error).message})`,
			'The stored file is gone (pruned, or kept on another n8n instance: queue mode needs a shared binary data mode such as database or S3). Run the node that produced the file again.',
		);
	}
}

/** The item's binary, checked: present, not empty, within Gladia's size limit. */
async function checkedBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	binaryPropertyName: string,
): Promise<{ binary: IBinaryData; size: number; fileName: string; mimeType: string }> {
	const field = 'Input Binary Field';
	const binaries = ctx.getInputData()[itemIndex]?.binary ?? {};
	const propertyName = String(binaryPropertyName ?? '').trim();
	const binary = binaries[propertyName];
	if (!propertyName) {
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			field,
			'is empty',
			'Enter the name of the binary property that holds the audio, usually "data".',
		);
	}
	if (!binary) {
		const available = Object.keys(binaries);
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			field,
			`the input item has no binary property "${propertyName}"`,
			available.length
				? `Binary properties on this item: ${available.join(', ')}. Set "${field}" to one of them.`
				: 'This item has no binary data at all. Read the file first (e.g. Read/Write Files from Disk, HTTP Request with "Response Format: File"), or use an audio URL instead.',
		);
	}
	let size = binaryByteSize(binary);
	if (binary.id) size = await storedFileSize(ctx, itemIndex, propertyName, binary.id);
	if (!size) {
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			field,
			`binary property "${propertyName}" is empty (0 bytes)`,
			'Check the step that produced the file.',
		);
	}
	if (size > MAX_FILE_BYTES) {
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			field,
			`file "${binary.fileName ?? propertyName}" is ${Math.round(size / MB)} MB, over Gladia's 1000 MB limit`,
			'Compress the audio (e.g. to mono MP3/Opus) or split it into parts before transcribing.',
		);
	}
	const mimeType = binary.mimeType || 'application/octet-stream';
	const extension = binary.fileExtension ?? mimeType.split('/')[1]?.split(/[;+]/)[0] ?? 'bin';
	return { binary, size, mimeType, fileName: binary.fileName || `audio.${extension}` };
}

/** Checks an audio URL the user typed (or an expression produced) before any request. */
export function checkedAudioUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field = 'Audio URL',
): string {
	const url = httpUrl(value);
	if (!url) {
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			field,
			notHttpUrlProblem(value),
			'Use a public http(s) link to an audio or video file (or a YouTube/Vimeo… link), or the audio_url returned by Audio → Upload.',
		);
	}
	return url;
}

/** Multipart upload of an item's binary to /v2/upload, streamed when the binary is stored out of memory. */
export async function uploadBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	binaryPropertyName: string,
): Promise<AudioUploadResponse> {
	const { binary, size, fileName, mimeType } = await checkedBinary(
		ctx,
		itemIndex,
		binaryPropertyName,
	);
	let form: FormData | StreamingForm;
	if (binary.id) {
		const id = binary.id;
		form = new StreamingForm('audio', {
			name: fileName,
			type: mimeType,
			size,
			stream: async function* () {
				yield* await ctx.helpers.getBinaryStream(id);
			},
		});
	} else {
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, binary);
		form = new FormData();
		form.append('audio', new Blob([buffer], { type: mimeType }), fileName);
	}
	return await postUpload(ctx, itemIndex, form as FormData);
}

/**
 * SHA-256 (hex) of an item's binary content, checked like an upload first. A stored binary is
 * hashed as it streams from n8n's binary store, so a 1 GB file never sits in memory; the name
 * and MIME type do not count (the same bytes renamed hash the same).
 */
export async function binaryContentHash(
	ctx: IExecuteFunctions,
	itemIndex: number,
	binaryPropertyName: string,
): Promise<string> {
	const { binary } = await checkedBinary(ctx, itemIndex, binaryPropertyName);
	const hash = createHash('sha256');
	if (binary.id) {
		for await (const chunk of await ctx.helpers.getBinaryStream(binary.id)) hash.update(chunk);
	} else {
		// Kept in memory by n8n already (no binary store): hashed as it is.
		hash.update(await ctx.helpers.getBinaryDataBuffer(itemIndex, binary));
	}
	return hash.digest('hex');
}

/** Asks Gladia to fetch a public URL itself (POST /v2/upload with JSON). */
export async function importAudioUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	url: string,
): Promise<AudioUploadResponse> {
	return await postUpload(ctx, itemIndex, { audio_url: checkedAudioUrl(ctx, itemIndex, url) });
}

/**
 * POST /v2/upload, retried on 429, 5xx, resets and refused connections: an upload creates no
 * billed job, and a streamed form re-reads the binary on each attempt. A transfer that ran
 * into its (30-minute) timeout is not tried again.
 */
async function postUpload(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: FormData | IDataObject,
): Promise<AudioUploadResponse> {
	const send = async () =>
		await gladiaRequest.call<RequestContext, [GladiaRequest], Promise<AudioUploadResponse>>(ctx, {
			method: 'POST',
			path: '/v2/upload',
			body,
			timeout: TIMEOUTS.transfer,
			retry: false,
			itemIndex,
		});
	return await withRetries(send, {
		signal: ctx.getExecutionCancelSignal(),
		isRetryable: isRetryableUploadError,
	});
}

function fileNameFrom(headers: IN8nHttpFullResponse['headers'], fallback: string): string {
	const disposition = String(headers['content-disposition'] ?? '');
	const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
	// Only the filename* form is percent-encoded; a plain filename="100% final.wav" is literal.
	const name = match?.[1] !== undefined ? safeDecode(match[1]) : (match?.[2] ?? '');
	return name.trim() || fallback;
}

function safeDecode(encoded: string): string {
	try {
		return decodeURIComponent(encoded);
	} catch {
		return encoded;
	}
}

/**
 * GET on storage outside Gladia's origin, with no credentials: the signed URL is the
 * authorization. Kept apart from anything that reads credentials (n8n lint rule).
 */
async function fetchUnauthenticated(
	ctx: IExecuteFunctions,
	url: string,
): Promise<IN8nHttpFullResponse> {
	return (await ctx.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		disableFollowRedirect: true,
		ignoreHttpStatusErrors: true,
		timeout: TIMEOUTS.transfer,
	})) as IN8nHttpFullResponse;
}

const MAX_REDIRECTS = 5;

function discard(response: IN8nHttpFullResponse): void {
	(response.body as { destroy?: () => void }).destroy?.();
}

/** The original audio of a job, as n8n binary data. */
export async function downloadJobFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	id: string,
): Promise<IBinaryData> {
	const base = baseUrlOf(await ctx.getCredentials(CREDENTIAL_TYPE));
	const getFromGladia = async (path: string) =>
		await gladiaRequest.call<RequestContext, [GladiaRequest], Promise<IN8nHttpFullResponse>>(ctx, {
			method: 'GET',
			path,
			encoding: 'stream',
			fullResponse: true,
			timeout: TIMEOUTS.transfer,
			itemIndex,
		});
	let url = `${base}${jobPath(id)}/file`;
	let response: IN8nHttpFullResponse = await getFromGladia(url.slice(base.length));
	for (let hop = 0; response.statusCode >= 300 && response.statusCode < 400; hop++) {
		discard(response);
		const location = response.headers.location;
		if (typeof location !== 'string' || hop >= MAX_REDIRECTS) {
			throw new NodeApiError(
				ctx.getNode(),
				{ statusCode: response.statusCode },
				{
					message: `Gladia's file download redirected ${hop >= MAX_REDIRECTS ? 'too many times' : 'without a location'}${itemLabel(itemIndex)}`,
					description:
						'Retry later; if it persists, report it to Gladia with the transcription ID.',
					itemIndex,
				},
			);
		}
		url = new URL(location, url).toString();
		// The key goes only to the credential's own Base URL; signed storage links carry their own authorization.
		response = url.startsWith(`${base}/`)
			? await getFromGladia(url.slice(base.length))
			: await fetchUnauthenticated(ctx, url);
	}
	if (response.statusCode >= 400) {
		discard(response);
		throw new NodeApiError(
			ctx.getNode(),
			{ statusCode: response.statusCode },
			{
				message: `The storage holding the audio answered HTTP ${response.statusCode} (${new URL(url).origin})${itemLabel(itemIndex)}`,
				description: 'The signed download link may have expired: run the node again.',
				httpCode: String(response.statusCode),
				itemIndex,
			},
		);
	}
	const mimeType = String(response.headers['content-type'] ?? 'application/octet-stream').split(
		';',
	)[0];
	const extension = mimeType.split('/')[1] ?? 'bin';
	return await ctx.helpers.prepareBinaryData(
		response.body as Buffer,
		fileNameFrom(response.headers, `gladia-${id}.${extension}`),
		mimeType,
	);
}
