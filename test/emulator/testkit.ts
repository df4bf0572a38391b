/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Shared set-up for the emulator's own tests: one emulator per file, every response it sends
// checked against the OpenAPI after each test, then reset.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { startEmulator, validateResponse } from './index';
import type { EmulatorHandle, EmulatorOptions } from './types';

/** A Svix signing secret for tests (whsec_ + base64 of 32 bytes), built so no literal looks like a leaked one. */
export const TEST_WHSEC = `whsec_${Buffer.from('emulator-tests-signing-key-32by!').toString('base64')}`;

export interface TestContext {
	emu: EmulatorHandle;
	/** Authenticated axios client on the API origin; never throws on HTTP status. */
	api: AxiosInstance;
	/** Same, without the key. */
	anonymous: AxiosInstance;
}

/** Contract violations of every response recorded so far. */
export function contractViolations(emu: EmulatorHandle): string[] {
	return emu.responses.flatMap((r) => {
		const check = validateResponse(r.method, r.path, r.status, r.contentType, r.body);
		return check.valid ? [] : [`${r.method} ${r.path} → ${r.status}: ${check.errors.join('; ')}`];
	});
}

export function useEmulator(options: EmulatorOptions = {}): TestContext {
	const ctx = {} as TestContext;
	beforeAll(async () => {
		ctx.emu = await startEmulator({ speedFactor: 0.001, recordResponses: true, ...options });
		ctx.api = axios.create({
			baseURL: ctx.emu.url,
			headers: { 'x-gladia-key': ctx.emu.apiKey },
			validateStatus: () => true,
			maxRedirects: 0,
		});
		ctx.anonymous = axios.create({
			baseURL: ctx.emu.url,
			validateStatus: () => true,
			maxRedirects: 0,
		});
	});
	afterEach(async () => {
		await ctx.emu.deliveriesSettled();
		const violations = contractViolations(ctx.emu);
		ctx.emu.reset();
		expect(violations).toEqual([]);
	});
	afterAll(async () => {
		await ctx.emu?.close();
	});
	return ctx;
}

/** Polls `check` until it returns a truthy value (no fixed sleeps). */
export async function waitFor<T>(
	check: () => T | Promise<T>,
	timeoutMs = 5000,
	what = 'condition',
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

export async function uploadWav(
	api: AxiosInstance,
	wav: Buffer,
	filename = 'meeting.wav',
	query = '',
): Promise<{ audio_url: string; audio_metadata: Record<string, unknown> }> {
	const form = new FormData();
	form.append('audio', new Blob([wav], { type: 'audio/wav' }), filename);
	const response = await api.post(`/v2/upload${query}`, form);
	if (response.status !== 200)
		throw new Error(`upload failed: ${response.status} ${JSON.stringify(response.data)}`);
	return response.data;
}

/** Creates a job and waits until it is done or error; returns the final job JSON. */
export async function transcribe(
	api: AxiosInstance,
	body: Record<string, unknown>,
	path = '/v2/pre-recorded',
) {
	const created = await api.post(path, body);
	if (created.status !== 201)
		throw new Error(`create failed: ${created.status} ${JSON.stringify(created.data)}`);
	return waitForJob(api, created.data.id);
}

export async function waitForJob(api: AxiosInstance, id: string) {
	return waitFor(
		async () => {
			const job = await api.get(`/v2/pre-recorded/${id}`);
			return job.data.status === 'done' || job.data.status === 'error' ? job.data : undefined;
		},
		5000,
		`job ${id}`,
	);
}

export interface ReceivedRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

/** A tiny HTTP receiver for callbacks and webhooks; `failFirst` answers 500 to that many requests. */
export async function startReceiver(failFirst = 0) {
	const received: ReceivedRequest[] = [];
	let failures = failFirst;
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			});
			if (failures > 0) {
				failures--;
				res.writeHead(500).end('fail');
			} else {
				res.writeHead(200).end('ok');
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		received,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
