/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// Fetching an external audio_url when a job starts, as Gladia does: the bytes decide whether the
// job can run and how long the audio is. Only loopback hosts are ever contacted (tests serve
// audio there); any other host stands for audio the emulator cannot reach and is not fetched.
import { createHash } from 'node:crypto';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { basename } from 'node:path';
import { inspectAudio, SNIFF_BYTES, type AudioInfo } from './audio';

/**
 * Job error_codes for audio that cannot be used. Gladia documents none of these; they are the
 * emulator's choice (see test/emulator/README.md, "Guesses").
 */
export const ERROR_CODE_AUDIO_UNREACHABLE = 400;
export const ERROR_CODE_AUDIO_URL_NOT_FOUND = 404;
export const ERROR_CODE_NOT_AUDIO = 422;

export interface FetchedAudio {
	ok: true;
	info: AudioInfo;
	size: number;
	filename: string;
	/** Content fingerprint: same bytes → same transcript. */
	seed: string;
}
export interface AudioFetchFailure {
	ok: false;
	errorCode: number;
	message: string;
}

const MAX_REDIRECTS = 5;

export function isLoopbackUrl(url: string): boolean {
	try {
		const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
		return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
	} catch {
		return false;
	}
}

function failure(errorCode: number, message: string): AudioFetchFailure {
	return { ok: false, errorCode, message };
}

function request(url: string, timeoutMs: number): Promise<IncomingMessage> {
	return new Promise((resolve, reject) => {
		const get = url.startsWith('https:') ? httpsGet : httpGet;
		const req = get(url, { headers: { accept: '*/*' }, timeout: timeoutMs }, resolve);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', reject);
	});
}

/** Reads the whole body, keeping only the first bytes (for sniffing) and the total size. */
function sniff(response: IncomingMessage): Promise<{ head: Buffer; size: number }> {
	return new Promise((resolve, reject) => {
		const head: Buffer[] = [];
		let kept = 0;
		let size = 0;
		response.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (kept < SNIFF_BYTES) {
				const part = chunk.subarray(0, SNIFF_BYTES - kept);
				head.push(part);
				kept += part.length;
			}
		});
		response.on('end', () => resolve({ head: Buffer.concat(head), size }));
		response.on('error', reject);
		response.on('aborted', () => reject(new Error('the connection closed mid-body')));
	});
}

/** GETs the audio (following loopback redirects) and says what it is, or why it cannot be used. */
export async function fetchAudio(
	audioUrl: string,
	timeoutMs: number,
): Promise<FetchedAudio | AudioFetchFailure> {
	let url = audioUrl;
	for (let hop = 0; ; hop++) {
		let response: IncomingMessage;
		try {
			response = await request(url, timeoutMs);
		} catch (error) {
			return failure(
				ERROR_CODE_AUDIO_UNREACHABLE,
				`Could not download the audio from audio_url: ${(error as Error).message}`,
			);
		}
		const status = response.statusCode ?? 0;
		const location = response.headers.location;
		if (status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
			response.resume();
			url = new URL(location, url).toString();
			if (!isLoopbackUrl(url)) {
				return failure(
					ERROR_CODE_AUDIO_UNREACHABLE,
					'audio_url redirects to a host the emulator does not contact',
				);
			}
			continue;
		}
		if (status !== 200) {
			response.resume();
			return status === 404
				? failure(ERROR_CODE_AUDIO_URL_NOT_FOUND, 'Audio file not found at audio_url (HTTP 404)')
				: failure(
						ERROR_CODE_AUDIO_UNREACHABLE,
						`Could not download the audio from audio_url (HTTP ${status})`,
					);
		}
		return describe(response, url);
	}
}

async function describe(
	response: IncomingMessage,
	url: string,
): Promise<FetchedAudio | AudioFetchFailure> {
	let body: { head: Buffer; size: number };
	try {
		body = await sniff(response);
	} catch (error) {
		return failure(
			ERROR_CODE_AUDIO_UNREACHABLE,
			`Could not download the audio from audio_url: ${(error as Error).message}`,
		);
	}
	const filename = decodeURIComponent(basename(new URL(url).pathname)) || 'audio';
	const info = inspectAudio(body.head, body.size, filename);
	if (!info) {
		return failure(
			ERROR_CODE_NOT_AUDIO,
			'The file at audio_url is not a supported audio or video file',
		);
	}
	const seed = createHash('sha256')
		.update(body.head)
		.update(`${body.size}:${filename}`)
		.digest('hex');
	return { ok: true, info, size: body.size, filename, seed };
}
