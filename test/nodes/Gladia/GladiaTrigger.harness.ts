/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// Shared setup of the Gladia Trigger tests (GladiaTrigger.*.test.ts). The trigger is driven over
// real HTTP: requests reach webhook() through the loopback n8n-like endpoint of
// test/helpers/webhook.ts (n8n-core's WebhookContext, n8n's body parsing and answers, static
// data persisted between requests), executions run in WorkflowExecute,
// "Verify With Gladia" talks to the emulator, and every signature comes from the real `svix`
// library or from the emulator's own Svix sender.
import { randomBytes } from 'node:crypto';

import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';
import { Webhook } from 'svix';

import { GladiaTrigger } from '../../../nodes/Gladia/GladiaTrigger.node';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import type { TestCredentials } from '../../helpers/engine';
import { startTriggerServer, type TriggerServer } from '../../helpers/webhook';

export const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
export const WRONG_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
export const ALL_EVENTS = ['transcription.success', 'transcription.error', 'transcription.created'];

export let emulator: EmulatorHandle;
export const servers: TriggerServer[] = [];
/** Starts the emulator for the test file and closes every trigger server after each test. */
export function useTriggerHarness(): void {
	beforeAll(async () => {
		// Jobs of 6 s of audio take ~6 ms; one delivery attempt keeps retries out of the counts.
		emulator = await startEmulator({
			speedFactor: 0.001,
			deliveryRetry: { attempts: 1, timeoutMs: 5000 },
		});
	});

	afterEach(async () => {
		await emulator.deliveriesSettled();
		await Promise.all(servers.splice(0).map(async (server) => await server.close()));
		emulator.reset();
	});

	afterAll(async () => {
		await emulator.close();
	});
}

export function credentials(extra: Partial<TestCredentials> = {}): TestCredentials {
	return { apiKey: emulator.apiKey, baseUrl: emulator.url, ...extra };
}

export async function trigger(
	parameters: INodeParameters = {},
	options: {
		credentials?: Partial<TestCredentials>;
		payloadSizeMaxBytes?: number;
		staticData?: IDataObject;
		nodeType?: INodeType;
		saveLatencyMs?: (saveIndex: number) => number;
	} = {},
): Promise<TriggerServer> {
	const server = await startTriggerServer({
		nodeType: options.nodeType ?? new GladiaTrigger(),
		parameters: { events: ALL_EVENTS, ...parameters },
		credentials: credentials(options.credentials),
		payloadSizeMaxBytes: options.payloadSizeMaxBytes,
		staticData: options.staticData,
		saveLatencyMs: options.saveLatencyMs,
	});
	servers.push(server);
	return server;
}

export interface SendOptions {
	method?: 'POST' | 'PUT';
	headers?: Record<string, string>;
	contentType?: string | null;
}

export async function send(url: string, body: Buffer | string, options: SendOptions = {}) {
	const headers: Record<string, string> = { ...options.headers };
	if (options.contentType !== null)
		headers['content-type'] = options.contentType ?? 'application/json';
	const response = await fetch(url, { method: options.method ?? 'POST', headers, body });
	const text = await response.text();
	let json: unknown = text;
	try {
		json = JSON.parse(text);
	} catch {
		// not JSON: keep the text
	}
	return { status: response.status, body: json, text };
}

/** Svix headers for `body`, signed by the real svix library. */
export function svixHeaders(
	body: string,
	options: { secret?: string; id?: string; timestamp?: number; prefix?: 'svix' | 'webhook' } = {},
): Record<string, string> {
	const id = options.id ?? `msg_${randomBytes(12).toString('hex')}`;
	const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
	const prefix = options.prefix ?? 'svix';
	return {
		[`${prefix}-id`]: id,
		[`${prefix}-timestamp`]: String(timestamp),
		[`${prefix}-signature`]: new Webhook(options.secret ?? SECRET).sign(
			id,
			new Date(timestamp * 1000),
			body,
		),
	};
}

export async function gladia<T = IDataObject>(
	method: string,
	path: string,
	body?: unknown,
): Promise<T> {
	const response = await fetch(`${emulator.url}${path}`, {
		method,
		headers: { 'x-gladia-key': emulator.apiKey, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await response.json()) as T;
}

/** Creates an emulator job (6 s of audio) and waits until Gladia has finished it. */
export async function finishedJob(
	options: {
		callback?: { url: string; method?: 'POST' | 'PUT' };
		metadata?: IDataObject;
		audio?: string;
	} = {},
): Promise<IDataObject> {
	const audio = options.audio ?? `https://media.example.com/${randomBytes(4).toString('hex')}.wav`;
	const created = await gladia<{ id: string }>('POST', '/v2/pre-recorded', {
		audio_url: `${audio}?emulator_duration=6`,
		...(options.metadata ? { custom_metadata: options.metadata } : {}),
		...(options.callback
			? {
					callback: true,
					callback_config: { url: options.callback.url, method: options.callback.method ?? 'POST' },
				}
			: {}),
	});
	for (let attempt = 0; attempt < 500; attempt++) {
		const job = await gladia('GET', `/v2/pre-recorded/${created.id}`);
		if (job.status === 'done' || job.status === 'error') {
			await emulator.deliveriesSettled();
			return job;
		}
		await new Promise((resolve) => setImmediate(resolve));
	}
	throw new Error(`job ${created.id} did not finish`);
}

/**
 * The refusal tests' describe block, which several files add to: each test gets a job Gladia has
 * just finished, read with `job()`.
 */
export function describeRefusals(tests: (job: () => IDataObject) => void): void {
	describe('GladiaTrigger refuses what it must (real HTTP, svix-signed)', () => {
		let job: IDataObject;

		beforeEach(async () => {
			job = await finishedJob();
		});

		tests(() => job);
	});
}

export function outputOf(server: TriggerServer, index = 0): IDataObject {
	const execution = server.executions()[index];
	expect(execution?.status).toBe('success');
	expect(execution.items).toHaveLength(1);
	return execution.items[0].json;
}

/** GETs of a job made by our node (its transport sends x-gladia-version; the test's own calls do not). */
export function nodeJobGets(jobId: string): number {
	return emulator.log.filter(
		(entry) =>
			entry.method === 'GET' &&
			entry.path === `/v2/pre-recorded/${jobId}` &&
			entry.headers['x-gladia-version'] !== undefined,
	).length;
}

export function dashboardBody(event: string, id: string): string {
	return JSON.stringify({ event, payload: { id } });
}

export async function signedTrigger(parameters: INodeParameters = {}) {
	return await trigger(parameters, { credentials: { webhookSigningSecret: SECRET } });
}
