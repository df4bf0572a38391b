/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// The Gladia emulator: an HTTP server faithful to Gladia's published pre-recorded API
// (test/emulator/openapi.json, ../shared/gladia/API.md), plus a second "storage" origin that
// serves the media behind the /file 302, and a control API under /__emulator/.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, unlink } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { durationForUrl, durationOverride, inspectAudio, round, SNIFF_BYTES } from './audio';
import { fetchAudio, isLoopbackUrl, type AudioFetchFailure, type FetchedAudio } from './audio-url';
import {
	matchPathTemplate,
	validateComponent,
	validateQuery,
	validateUploadJson,
} from './contract';
import { Deliverer } from './delivery';
import { buildResult } from './results';
import type {
	Delivery,
	DeliveryRetry,
	EmulatorHandle,
	EmulatorJob,
	EmulatorOptions,
	FaultKind,
	FaultRoute,
	FaultSpec,
	JobStatus,
	LoggedRequest,
	RecordedResponse,
	ScriptedTranscript,
} from './types';
import { wavChunks, wavSize } from './wav';

type Json = Record<string, unknown>;

const MB = 1000 * 1000;
const DEFAULTS = {
	port: 0,
	storagePort: 0,
	host: '127.0.0.1',
	apiKeys: ['test-key'],
	speedFactor: 1,
	concurrency: 25,
	queueLimit: 300,
	retryAfterSeconds: null as number | null,
	webhook: null,
	deliveryRetry: { attempts: 3, backoffMs: 50, timeoutMs: 5000 },
	maxUploadBytes: 1000 * MB,
	maxDurationSeconds: 135 * 60,
	recordResponses: false,
	fetchAudioUrls: true,
	listItems: 'full' as 'full' | 'trimmed',
	jitter: null as { factor: number; seed: number } | null,
} satisfies Required<EmulatorOptions>;
type Config = Required<EmulatorOptions>;

/** Job error_code when the audio is longer than maxDurationSeconds (documented choice, API.md §13.5). */
export const ERROR_CODE_TOO_LONG = 400;
/** Job error_code when audio_url names an upload that does not exist (deleted or never uploaded). */
export const ERROR_CODE_AUDIO_NOT_FOUND = 404;
const MAX_JSON_BYTES = 10 * MB;
const MAX_CUSTOM_METADATA_CHARS = 2000;
const SIGNED_URL_TTL_MS = 15 * 60 * 1000;
const AUDIO_FETCH_TIMEOUT_MS = 10_000;

interface StoredFile {
	id: string;
	filename: string;
	extension: string;
	size: number;
	duration: number;
	channels: number;
	/** On-disk copy for multipart uploads; URL imports have none (storage synthesises a WAV). */
	path?: string;
	source?: string;
	/** Content fingerprint: same bytes → same transcript. */
	seed: string;
}

interface Job {
	id: string;
	status: JobStatus;
	createdVia: 'pre-recorded' | 'transcription';
	request: Json;
	params: Json;
	customMetadata: Json | null;
	audioUrl: string;
	file: StoredFile | undefined;
	fileMissing: boolean;
	duration: number;
	channels: number;
	seed: string;
	script?: ScriptedTranscript;
	createdAt: Date;
	startedAt?: Date;
	completedAt?: Date;
	processingMs: number;
	errorCode: number | null;
	result: Json | null;
	deleted: boolean;
	timer?: NodeJS.Timeout;
	/** Position among the jobs created since start or reset (keys the seeded jitter). */
	ordinal: number;
	/** Why the fetched audio_url cannot be transcribed. */
	fetchFailure?: AudioFetchFailure;
}

interface JobFailure {
	errorCode: number;
	message: string;
}

interface ActiveFault extends FaultSpec {
	remaining: number;
	/** Matching requests seen so far (for `every`). */
	seen: number;
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly validationErrors?: string[],
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

const gladiaRequestId = () => `G-${randomBytes(4).toString('hex')}`;
const iso = (date: Date | undefined) => (date ? date.toISOString() : null);

function errorBody(
	path: string,
	status: number,
	message: string,
	validationErrors?: string[],
): Json {
	const body: Json = {
		timestamp: new Date().toISOString(),
		path,
		request_id: gladiaRequestId(),
		statusCode: status,
		message,
	};
	if (validationErrors?.length) body.validation_errors = validationErrors;
	return body;
}

/** Query string → object: repeated keys become arrays; custom_metadata[key]=v and JSON forms are merged. */
function parseQuery(search: URLSearchParams): {
	query: Record<string, string | string[]>;
	parsed: Json;
} {
	const query: Record<string, string | string[]> = {};
	for (const [key, value] of search) {
		const existing = query[key];
		query[key] =
			existing === undefined
				? value
				: Array.isArray(existing)
					? [...existing, value]
					: [existing, value];
	}
	const parsed: Json = {};
	const metadata: Json = {};
	let hasMetadata = false;
	for (const [key, value] of Object.entries(query)) {
		const bracket = /^custom_metadata\[(.+)\]$/.exec(key);
		if (bracket) {
			metadata[bracket[1]] = Array.isArray(value) ? value[0] : value;
			hasMetadata = true;
		} else if (key === 'custom_metadata') {
			const raw = Array.isArray(value) ? value[0] : value;
			const decoded = parseJson(raw);
			if (
				!decoded.ok ||
				!decoded.value ||
				typeof decoded.value !== 'object' ||
				Array.isArray(decoded.value)
			) {
				throw new HttpError(400, 'Invalid query parameter', [
					'Field "custom_metadata" must be a JSON object or custom_metadata[key]=value pairs',
				]);
			}
			Object.assign(metadata, decoded.value);
			hasMetadata = true;
		} else if (key.endsWith('[]')) {
			parsed[key.slice(0, -2)] = value;
		} else {
			parsed[key] = value;
		}
	}
	if (hasMetadata) parsed.custom_metadata = metadata;
	return { query, parsed };
}

function metadataMatches(filter: Json, metadata: Json | null): boolean {
	if (!metadata) return false;
	return Object.entries(filter).every(([key, wanted]) => {
		const actual = metadata[key];
		if (wanted !== null && typeof wanted === 'object')
			return JSON.stringify(actual) === JSON.stringify(wanted);
		return actual !== undefined && String(actual) === String(wanted);
	});
}

function summarize(value: unknown, limit = 500): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** request_params: the defaulted parameter set (custom_metadata lives on the job). */
function defaultedParams(body: Json): Json {
	const flags = [
		'custom_vocabulary',
		'callback',
		'subtitles',
		'diarization',
		'translation',
		'summarization',
		'named_entity_recognition',
		'custom_spelling',
		'sentiment_analysis',
		'audio_to_llm',
		'pii_redaction',
		'sentences',
		'punctuation_enhanced',
	];
	const params: Json = { audio_url: body.audio_url };
	for (const flag of flags) params[flag] = body[flag] === true;
	const language = (body.language_config ?? {}) as Json;
	params.language_config = {
		languages: language.languages ?? [],
		code_switching: language.code_switching === true,
	};
	params.model = body.model ?? 'solaria-1';
	if (body.callback_url !== undefined) params.callback_url = body.callback_url;
	// Legacy (Alpha) option: gone from the request schema, still in Gladia's docs and results.
	if (body.chapterization === true) params.chapterization = true;
	const configs: Record<string, Json> = {
		custom_vocabulary_config: {},
		callback_config: { method: 'POST' },
		subtitles_config: { formats: ['srt'], style: 'default' },
		diarization_config: {},
		translation_config: {
			model: 'base',
			match_original_utterances: true,
			lipsync: true,
			context_adaptation: true,
			informal: false,
		},
		summarization_config: { type: 'general' },
		custom_spelling_config: {},
		audio_to_llm_config: { model: 'openai/gpt-5.4-nano' },
		pii_redaction_config: { processed_text_type: 'MARKER' },
	};
	for (const [key, defaults] of Object.entries(configs)) {
		const given = body[key];
		if (given && typeof given === 'object') params[key] = { ...defaults, ...(given as Json) };
	}
	return params;
}

/** Semantic checks the schema cannot express (422, "The parameters you gave are incorrect"). */
function semanticErrors(body: Json): string[] {
	const errors: string[] = [];
	const needs = (flag: string, config: string, field: string) => {
		if (body[flag] === true && !(body[config] as Json | undefined)?.[field]) {
			errors.push(`Field "${config}.${field}" is required when "${flag}" is true`);
		}
	};
	needs('callback', 'callback_config', 'url');
	needs('translation', 'translation_config', 'target_languages');
	needs('audio_to_llm', 'audio_to_llm_config', 'prompts');
	needs('custom_spelling', 'custom_spelling_config', 'spelling_dictionary');
	needs('custom_vocabulary', 'custom_vocabulary_config', 'vocabulary');
	if (
		body.custom_metadata !== undefined &&
		JSON.stringify(body.custom_metadata).length > MAX_CUSTOM_METADATA_CHARS
	) {
		errors.push(
			`Field "custom_metadata" must not exceed ${MAX_CUSTOM_METADATA_CHARS} characters when stringified`,
		);
	}
	return errors;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
	const emulator = new GladiaEmulator(options);
	await emulator.listen();
	return emulator.handle();
}

class GladiaEmulator {
	private readonly startOptions: Config;
	private config: Config;
	private readonly api: Server;
	private readonly storage: Server;
	private readonly sockets = new Set<Socket>();
	private tmpDir: string | undefined;
	private readonly signingKey = randomBytes(32);
	url = '';
	storageUrl = '';

	readonly log: LoggedRequest[] = [];
	readonly storageLog: LoggedRequest[] = [];
	readonly responses: RecordedResponse[] = [];
	readonly callbacks: Delivery[] = [];
	readonly webhooks: Delivery[] = [];
	private readonly jobs = new Map<string, Job>();
	private readonly files = new Map<string, StoredFile>();
	private readonly waiting: Job[] = [];
	private readonly running = new Set<Job>();
	private faults: ActiveFault[] = [];
	/** Pending `slow` delays, cleared on close so no timer outlives the emulator. */
	private readonly faultTimers = new Set<NodeJS.Timeout>();
	private scripts: Array<{ match: string; transcript: ScriptedTranscript }> = [];
	private jobsCreated = 0;
	private readonly deliverer: Deliverer;
	private closed = false;

	constructor(options: EmulatorOptions) {
		this.startOptions = { ...DEFAULTS, ...stripUndefined(options) };
		this.startOptions.deliveryRetry = { ...DEFAULTS.deliveryRetry, ...options.deliveryRetry };
		checkOptions(this.startOptions);
		this.config = { ...this.startOptions };
		this.deliverer = new Deliverer(
			this.callbacks,
			this.webhooks,
			() => this.config.deliveryRetry as Required<DeliveryRetry>,
		);
		this.api = createServer(
			{ maxHeaderSize: 16 * 1024 },
			(req, res) => void this.handleApi(req, res),
		);
		this.storage = createServer((req, res) => this.handleStorage(req, res));
		for (const server of [this.api, this.storage]) {
			server.on('connection', (socket: Socket) => {
				this.sockets.add(socket);
				socket.on('close', () => this.sockets.delete(socket));
			});
			// Malformed requests and oversized headers never reach the handler: answer them here.
			server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
				if (!socket.writable) {
					socket.destroy();
					return;
				}
				const overflow = error.code === 'HPE_HEADER_OVERFLOW';
				const status = overflow ? 431 : 400;
				const body = JSON.stringify(
					errorBody(
						'',
						status,
						overflow
							? 'Request header fields too large'
							: `Bad request: ${error.code ?? error.message}`,
					),
				);
				socket.end(
					`HTTP/1.1 ${status} ${overflow ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
						`content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
				);
			});
		}
	}

	async listen() {
		const listen = (server: Server, port: number) =>
			new Promise<number>((resolve, reject) => {
				server.once('error', reject);
				server.listen(port, this.config.host, () =>
					resolve((server.address() as AddressInfo).port),
				);
			});
		const apiPort = await listen(this.api, this.config.port);
		const storagePort = await listen(this.storage, this.config.storagePort);
		this.url = `http://${this.config.host}:${apiPort}`;
		this.storageUrl = `http://${this.config.host}:${storagePort}`;
	}

	handle(): EmulatorHandle {
		const config = () => this.config;
		return {
			url: this.url,
			storageUrl: this.storageUrl,
			/** The first currently valid key (follows configure({ apiKeys }) and reset()). */
			get apiKey() {
				return config().apiKeys[0];
			},
			log: this.log,
			storageLog: this.storageLog,
			responses: this.responses,
			callbacks: this.callbacks,
			webhooks: this.webhooks,
			jobs: () => this.publicJobs(),
			uploadsDir: () => this.tmpDir,
			injectFault: (spec) => this.injectFault(spec),
			script: (match, transcript) => this.addScript(match, transcript),
			configure: (partial) => this.configure(partial),
			deliveriesSettled: () => this.deliverer.settled(),
			reset: () => this.reset(),
			close: () => this.close(),
		};
	}

	// ------------------------------------------------------------------ control

	private injectFault(spec: FaultSpec) {
		const routes: FaultRoute[] = ['upload', 'create', 'list', 'get', 'delete', 'file', 'any'];
		const kinds: FaultKind[] = [
			'429',
			'500',
			'502',
			'slow',
			'reset',
			'ambiguous-create',
			'redirect',
		];
		if (!routes.includes(spec.route))
			throw new Error(`Unknown fault route "${spec.route}" (one of ${routes.join(', ')})`);
		if (!kinds.includes(spec.kind))
			throw new Error(`Unknown fault kind "${spec.kind}" (one of ${kinds.join(', ')})`);
		const statuses: Array<FaultSpec['status']> = [undefined, 301, 302, 303, 307, 308];
		if (!statuses.includes(spec.status))
			throw new Error(`Fault status must be one of 301, 302, 303, 307, 308, got ${spec.status}`);
		for (const key of ['count', 'every'] as const) {
			const value = spec[key];
			if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
				throw new Error(`Fault ${key} must be a positive integer, got ${value}`);
			}
		}
		this.faults.push({ ...spec, remaining: spec.count ?? 1, seen: 0 });
	}

	private addScript(match: string, transcript: ScriptedTranscript) {
		if (typeof match !== 'string' || !match)
			throw new Error('script(match, transcript): match must be a non-empty string');
		this.scripts.push({ match, transcript: transcript ?? {} });
	}

	private configure(partial: Partial<EmulatorOptions>) {
		const rest: Partial<EmulatorOptions> = stripUndefined(partial);
		// Addresses are fixed once listening.
		delete rest.port;
		delete rest.storagePort;
		delete rest.host;
		checkOptions(rest);
		this.config = {
			...this.config,
			...rest,
			deliveryRetry: { ...this.config.deliveryRetry, ...partial.deliveryRetry },
		};
		this.pump();
	}

	private reset() {
		for (const job of this.jobs.values()) if (job.timer) clearTimeout(job.timer);
		this.jobs.clear();
		this.waiting.length = 0;
		this.running.clear();
		this.faults = [];
		this.scripts = [];
		this.jobsCreated = 0;
		this.deliverer.cancelAll();
		for (const list of [this.log, this.storageLog, this.responses, this.callbacks, this.webhooks])
			list.length = 0;
		this.config = { ...this.startOptions };
	}

	private async close() {
		if (this.closed) return;
		this.closed = true;
		this.reset();
		for (const timer of this.faultTimers) clearTimeout(timer);
		const closing = [this.api, this.storage].map(
			(server) => new Promise<void>((resolve) => server.close(() => resolve())),
		);
		for (const socket of this.sockets) socket.destroy();
		await Promise.all(closing);
		await this.deliverer.settled();
		if (this.tmpDir) removeTempDir(this.tmpDir);
	}

	private publicJobs(): EmulatorJob[] {
		return [...this.jobs.values()].map((job) => ({
			id: job.id,
			status: job.status,
			audioUrl: job.audioUrl,
			audioDuration: job.duration,
			channels: job.channels,
			request: job.request,
			createdAt: job.createdAt.toISOString(),
			startedAt: iso(job.startedAt),
			completedAt: iso(job.completedAt),
			processingMs: job.processingMs,
			errorCode: job.errorCode,
			deleted: job.deleted,
			createdVia: job.createdVia,
		}));
	}

	private async handleControl(req: IncomingMessage, res: ServerResponse, action: string) {
		const send = (status: number, body: unknown) => this.sendJson(res, status, body);
		if (req.method === 'GET') {
			const views: Record<string, () => unknown> = {
				log: () => this.log,
				'storage-log': () => this.storageLog,
				jobs: () => this.publicJobs(),
				callbacks: () => this.callbacks,
				webhooks: () => this.webhooks,
				responses: () => this.responses,
				config: () => ({ ...this.config, url: this.url, storageUrl: this.storageUrl }),
			};
			return views[action]
				? send(200, views[action]())
				: send(404, { message: `Unknown control endpoint ${action}` });
		}
		if (req.method !== 'POST') return send(405, { message: 'Use GET or POST' });
		const body = ['reset', 'settle'].includes(action)
			? (req.resume(), {})
			: ((await this.readJson(req)) as Json);
		switch (action) {
			case 'reset':
				this.reset();
				return send(200, { ok: true });
			case 'faults':
				for (const spec of Array.isArray(body) ? body : [body]) this.injectFault(spec as FaultSpec);
				return send(200, { ok: true, faults: this.faults });
			case 'config':
				this.configure(body as Partial<EmulatorOptions>);
				return send(200, { ok: true });
			case 'script':
				this.addScript(body.match as string, body.transcript as ScriptedTranscript);
				return send(200, { ok: true });
			case 'settle':
				await this.deliverer.settled();
				return send(200, { ok: true });
			default:
				return send(404, { message: `Unknown control endpoint ${action}` });
		}
	}

	// ------------------------------------------------------------------ HTTP plumbing

	private sendJson(
		res: ServerResponse,
		status: number,
		body: unknown,
		headers: Record<string, string> = {},
	) {
		if (res.headersSent || res.destroyed) return;
		const text = JSON.stringify(body);
		res.writeHead(status, {
			'content-type': 'application/json; charset=utf-8',
			'content-length': Buffer.byteLength(text),
			// Gladia's SDKs read this call id from error responses.
			'x-aipi-call-id': randomUUID(),
			...headers,
		});
		res.end(text);
		this.record(res, status, 'application/json; charset=utf-8', body);
	}

	private sendError(res: ServerResponse, path: string, error: HttpError) {
		this.sendJson(
			res,
			error.status,
			errorBody(path, error.status, error.message, error.validationErrors),
			error.headers,
		);
	}

	private record(
		res: ServerResponse,
		status: number,
		contentType: string | undefined,
		body: unknown,
	) {
		const meta = (res as ServerResponse & { gladia?: { method: string; path: string } }).gladia;
		if (!this.config.recordResponses || !meta) return;
		this.responses.push({ method: meta.method, path: meta.path, status, contentType, body });
	}

	/**
	 * Reads a JSON body with a size cap; malformed JSON → Gladia 400. An oversized body is drained
	 * (not destroyed) so a keep-alive connection stays usable for the next request.
	 */
	private readJson(req: IncomingMessage): Promise<unknown> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= MAX_JSON_BYTES) chunks.push(chunk);
			});
			req.on('error', reject);
			req.on('end', () => {
				if (size > MAX_JSON_BYTES) return reject(new HttpError(413, 'payload too large'));
				const text = Buffer.concat(chunks).toString('utf8');
				if (!text.trim())
					return reject(new HttpError(400, 'Request body is empty, expected a JSON object'));
				const parsed = parseJson(text);
				if (!parsed.ok) return reject(new HttpError(400, `Invalid JSON body: ${parsed.error}`));
				resolve(parsed.value);
			});
		});
	}

	private takeFault(route: FaultRoute | undefined, isCreate: boolean): ActiveFault | undefined {
		if (!route) return undefined;
		const fault = this.faults.find(
			(f) =>
				f.remaining > 0 &&
				(f.route === route || f.route === 'any') &&
				(f.kind === 'ambiguous-create' ? isCreate : true) &&
				++f.seen % (f.every ?? 1) === 0,
		);
		if (!fault) return undefined;
		fault.remaining--;
		if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
		return fault;
	}

	private async handleApi(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://emulator.invalid');
		const method = (req.method ?? 'GET').toUpperCase();
		const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
		req.on('error', () => undefined);
		res.on('error', () => undefined);

		if (path.startsWith('/__emulator/')) {
			try {
				await this.handleControl(req, res, path.slice('/__emulator/'.length));
			} catch (error) {
				this.sendJson(res, error instanceof HttpError ? error.status : 400, {
					message: (error as Error).message,
				});
			}
			return;
		}

		// Marks the response as Gladia API traffic for recordResponses (control traffic is not).
		(res as ServerResponse & { gladia?: unknown }).gladia = { method, path: url.pathname };
		let query: Record<string, string | string[]> = {};
		let parsedQuery: Json = {};
		let queryError: HttpError | undefined;
		try {
			({ query, parsed: parsedQuery } = parseQuery(url.searchParams));
		} catch (error) {
			queryError = error as HttpError;
		}
		const entry = logRequest(this.log, req, res, url.pathname, query);

		const route = routeOf(method, path);
		const fault = this.takeFault(route?.fault, route?.fault === 'create');
		if (fault) entry.fault = fault.kind;
		try {
			if (fault && fault.kind !== 'ambiguous-create') {
				const handled = await this.applyFault(fault, req, res, url.pathname);
				if (handled) return;
			}
			if (!route) {
				req.resume();
				throw new HttpError(404, `Cannot ${method} ${url.pathname}`);
			}
			this.authenticate(req);
			if (queryError) throw queryError;
			await route.handler.call(this, {
				req,
				res,
				path: url.pathname,
				params: route.params,
				query: parsedQuery,
				entry,
				fault,
			});
		} catch (error) {
			req.resume();
			if (error instanceof HttpError) return this.sendError(res, url.pathname, error);
			this.sendError(
				res,
				url.pathname,
				new HttpError(500, `Internal emulator error: ${(error as Error).message}`),
			);
		}
	}

	/** Returns true when the fault answered (or dropped) the request. */
	private async applyFault(
		fault: ActiveFault,
		req: IncomingMessage,
		res: ServerResponse,
		path: string,
	): Promise<boolean> {
		switch (fault.kind) {
			case 'slow':
				await new Promise<void>((resolve) => {
					const timer = setTimeout(() => {
						this.faultTimers.delete(timer);
						resolve();
					}, fault.delayMs ?? 2000);
					this.faultTimers.add(timer);
				});
				return false;
			case 'reset':
				req.socket.destroy();
				return true;
			case '429': {
				req.resume();
				const headers: Record<string, string> =
					fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
				this.sendError(res, path, new HttpError(429, 'Too many requests', undefined, headers));
				return true;
			}
			case '500':
				req.resume();
				this.sendError(res, path, new HttpError(500, 'Internal server error'));
				return true;
			case '502': {
				// A gateway answers, not Gladia's app: HTML, as load balancers do. Clients must cope.
				req.resume();
				const html =
					'<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n';
				res.writeHead(502, {
					'content-type': 'text/html',
					'content-length': Buffer.byteLength(html),
				});
				res.end(html);
				this.record(res, 502, 'text/html', html);
				return true;
			}
			case 'redirect': {
				req.resume();
				const query = new URL(req.url ?? '/', this.url).search;
				const location = fault.location ?? `${this.storageUrl}${path}${query}`;
				res.writeHead(fault.status ?? 302, { location, 'content-length': 0 });
				res.end();
				return true;
			}
			default:
				return false;
		}
	}

	private authenticate(req: IncomingMessage) {
		const key = req.headers['x-gladia-key'];
		if (typeof key !== 'string' || !this.config.apiKeys.includes(key)) {
			req.resume();
			throw new HttpError(401, 'gladia key not found');
		}
	}

	// ------------------------------------------------------------------ upload

	async upload(ctx: RouteContext) {
		const { req, res, query, entry } = ctx;
		const contentType = String(req.headers['content-type'] ?? '');
		let file: StoredFile;
		if (/^multipart\/form-data/i.test(contentType)) {
			if (!/boundary=/i.test(contentType))
				throw new HttpError(400, 'Content-Type is missing Multipart Boundary.');
			const declared = Number(req.headers['content-length']);
			if (Number.isFinite(declared) && declared > this.config.maxUploadBytes + 64 * 1024) {
				req.resume();
				throw new HttpError(413, 'payload too large');
			}
			file = await this.receiveMultipart(req, entry);
		} else if (/^application\/json/i.test(contentType)) {
			const body = await this.readJson(req);
			entry.bodySummary = summarize(body);
			const check = validateUploadJson(body);
			if (!check.valid) throw new HttpError(400, 'Invalid parameter', check.errors);
			file = await this.importAndFetch(String((body as Json).audio_url));
		} else {
			req.resume();
			throw new HttpError(
				400,
				`Unsupported Content-Type "${contentType || '(none)'}": send multipart/form-data with an "audio" file part, or application/json with "audio_url"`,
			);
		}
		const override = durationOverride(
			`http://x/?${new URLSearchParams(query as Record<string, string>).toString()}`,
		);
		if (override !== undefined) file.duration = override;
		this.files.set(file.id, file);
		const metadata: Json = {
			id: file.id,
			filename: file.filename,
			extension: file.extension,
			size: file.size,
			audio_duration: file.duration,
			number_of_channels: file.channels,
		};
		if (file.source) metadata.source = file.source;
		this.sendJson(res, 200, { audio_url: `${this.url}/file/${file.id}`, audio_metadata: metadata });
	}

	private importUrl(audioUrl: string): StoredFile {
		const url = URL.canParse(audioUrl) ? new URL(audioUrl) : undefined;
		if (!url)
			throw new HttpError(400, 'Invalid parameter', ['Field "audio_url" must match format "uri"']);
		if (!/^https?:$/.test(url.protocol))
			throw new HttpError(400, 'Invalid parameter', ['Field "audio_url" must be an http(s) URL']);
		const filename = decodeURIComponent(basename(url.pathname)) || 'audio';
		const duration = durationOverride(audioUrl) ?? durationForUrl(audioUrl);
		const channels = Number(url.searchParams.get('emulator_channels')) || 1;
		return {
			id: randomUUID(),
			filename,
			extension: extname(filename).slice(1).toLowerCase() || 'mp4',
			size: Math.round(duration * 16000),
			duration,
			channels,
			source: audioUrl,
			seed: audioUrl,
		};
	}

	/** Streams the `audio` part to the temp dir; sniffs the first bytes for format and duration. */
	private receiveMultipart(req: IncomingMessage, entry: LoggedRequest): Promise<StoredFile> {
		return new Promise<StoredFile>((resolve, reject) => {
			let parser: busboy.Busboy;
			try {
				parser = busboy({
					headers: req.headers,
					// Browsers and n8n send UTF-8 file names; busboy's default would read them as latin1.
					defParamCharset: 'utf8',
					limits: {
						fileSize: this.config.maxUploadBytes,
						files: 5,
						fields: 50,
						fieldSize: 64 * 1024,
					},
				});
			} catch (error) {
				req.resume();
				return reject(new HttpError(400, `Invalid multipart body: ${(error as Error).message}`));
			}
			const id = randomUUID();
			this.tmpDir ??= makeTempDir();
			const target = join(this.tmpDir, id);
			let found: Promise<StoredFile> | undefined;
			let failure: HttpError | undefined;
			let audioAsField = false;
			const parts: string[] = [];

			// busboy reports a part without a filename as a plain field.
			parser.on('field', (name) => {
				parts.push(`${name}=(field)`);
				if (name === 'audio') audioAsField = true;
			});

			parser.on('file', (name, stream, info) => {
				parts.push(`${name}=${info.filename ?? '(no filename)'}`);
				if (name !== 'audio' || found) {
					stream.resume();
					return;
				}
				found = new Promise<StoredFile>((done, fail) => {
					const head: Buffer[] = [];
					let headBytes = 0;
					let size = 0;
					let tooLarge = false;
					let aborted = false;
					const out = createWriteStream(target);
					// A client that drops the connection mid-upload leaves no partial file behind.
					req.once('close', () => {
						if (req.complete) return;
						aborted = true;
						out.destroy();
						unlink(target, () => undefined);
					});
					stream.on('data', (chunk: Buffer) => {
						size += chunk.length;
						if (headBytes < SNIFF_BYTES) {
							head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
							headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
						}
					});
					stream.on('limit', () => {
						tooLarge = true;
					});
					stream.on('error', (error: Error) => {
						out.destroy();
						unlink(target, () => undefined);
						fail(new HttpError(400, `Invalid multipart body: ${error.message}`));
					});
					stream.pipe(out);
					out.on('error', fail);
					out.on('close', () => {
						const filename = info.filename ?? '';
						entry.bodySummary = `multipart: audio=${filename || '(no filename)'} (${size} bytes, ${info.mimeType})`;
						const discard = (error: HttpError) => {
							unlink(target, () => undefined);
							fail(error);
						};
						if (aborted) return discard(new HttpError(400, 'Upload aborted by the client'));
						if (tooLarge) return discard(new HttpError(413, 'payload too large'));
						if (!filename)
							return discard(
								new HttpError(400, 'Invalid parameter', [
									'Field "audio" must be a file part with a filename',
								]),
							);
						if (size === 0)
							return discard(
								new HttpError(400, 'Invalid parameter', ['Field "audio" is an empty file']),
							);
						const headBuffer = Buffer.concat(head);
						const audio = inspectAudio(headBuffer, size, filename);
						if (!audio) {
							return discard(
								new HttpError(400, 'The uploaded file is not a supported audio or video file', [
									'Field "audio" must be an audio or video file (aac, ac3, eac3, flac, m4a, mp2, mp3, ogg, opus, wav, 3gp, avi, flv, mkv, mov, mp4, wmv)',
								]),
							);
						}
						done({
							id,
							filename,
							extension: audio.extension,
							size,
							duration: audio.duration,
							channels: audio.channels,
							path: target,
							seed: createHash('sha256')
								.update(headBuffer)
								.update(`${size}:${filename}`)
								.digest('hex'),
						});
					});
				});
				found.catch(() => undefined);
			});
			parser.on('error', (error: Error) => {
				failure = new HttpError(400, `Invalid multipart body: ${error.message}`);
				req.unpipe(parser);
				req.resume();
				reject(failure);
			});
			parser.on('close', () => {
				if (failure) return;
				if (!found) {
					entry.bodySummary = `multipart: ${parts.join(', ') || '(no parts)'}`;
					const problem = audioAsField
						? 'Field "audio" must be a file part with a filename'
						: 'Field "audio" is required (multipart file part named "audio")';
					return reject(new HttpError(400, 'Invalid parameter', [problem]));
				}
				found.then(resolve, reject);
			});
			req.pipe(parser);
		});
	}

	// ------------------------------------------------------------------ jobs

	async create(ctx: RouteContext) {
		const { req, res, entry, fault } = ctx;
		const contentType = String(req.headers['content-type'] ?? '');
		if (!/^application\/json/i.test(contentType)) {
			req.resume();
			throw new HttpError(
				400,
				`Unsupported Content-Type "${contentType || '(none)'}": send application/json`,
			);
		}
		const body = await this.readJson(req);
		entry.bodySummary = summarize(body);
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			throw new HttpError(400, 'Invalid parameter', ['Body must be a JSON object']);
		}
		const check = validateComponent('InitTranscriptionRequest', body);
		if (!check.valid) throw new HttpError(400, 'Invalid parameter', check.errors);
		const request = body as Json;
		const semantic = semanticErrors(request);
		if (semantic.length) throw new HttpError(422, 'Invalid parameter', semantic);

		const active = this.waiting.length + this.running.size;
		if (active >= this.config.concurrency + this.config.queueLimit) {
			const headers: Record<string, string> =
				this.config.retryAfterSeconds !== null && this.config.retryAfterSeconds !== undefined
					? { 'retry-after': String(this.config.retryAfterSeconds) }
					: {};
			throw new HttpError(
				429,
				`Too many concurrent jobs: ${this.running.size} processing and ${this.waiting.length} queued (limit ${this.config.concurrency} + queue ${this.config.queueLimit})`,
				undefined,
				headers,
			);
		}

		const job = this.newJob(
			request,
			ctx.path.includes('/transcription') ? 'transcription' : 'pre-recorded',
		);
		this.jobs.set(job.id, job);
		this.waiting.push(job);
		setImmediate(() => this.pump());
		if (this.config.webhook)
			this.deliverer.webhook(this.config.webhook, 'transcription.created', job.id);

		if (fault?.kind === 'ambiguous-create') {
			// The job exists, but the client never learns its id.
			req.socket.destroy();
			return;
		}
		this.sendJson(res, 201, { id: job.id, result_url: `${this.url}/v2/transcription/${job.id}` });
	}

	private newJob(request: Json, createdVia: Job['createdVia']): Job {
		const audioUrl = String(request.audio_url);
		const own = this.ownUpload(audioUrl);
		const override = durationOverride(audioUrl);
		let file: StoredFile | undefined;
		let fileMissing = false;
		if (own) {
			file = this.files.get(own);
			fileMissing = !file;
		} else {
			file = this.importUrl(audioUrl);
		}
		const duration = override ?? file?.duration ?? 0;
		const channels = file?.channels ?? 1;
		const filename = file?.filename ?? '';
		const script = [...this.scripts]
			.reverse()
			.find((s) => audioUrl.includes(s.match) || (filename && filename.includes(s.match)));
		const id = randomUUID();
		const job: Job = {
			id,
			status: 'queued',
			createdVia,
			request,
			params: defaultedParams(request),
			customMetadata: (request.custom_metadata as Json | undefined) ?? null,
			audioUrl,
			file,
			fileMissing,
			duration,
			channels,
			seed: file?.seed ?? audioUrl,
			script: script?.transcript,
			createdAt: new Date(),
			processingMs: 0,
			errorCode: null,
			result: null,
			deleted: false,
			ordinal: this.jobsCreated++,
		};
		job.processingMs = this.processingTime(job);
		return job;
	}

	/** audio_duration / 60 × speedFactor seconds, times the seeded jitter factor if configured. */
	private processingTime(job: Job): number {
		const base = (job.duration / 60) * this.config.speedFactor * 1000;
		return Math.max(1, Math.round(base * jitterFactor(this.config.jitter, job.ordinal)));
	}

	/**
	 * External URLs are fetched when the job starts, except: the emulator's own uploads (already
	 * known), `emulator_duration=` URLs (the tests' way to name a duration without serving
	 * audio), non-loopback hosts (never contacted), or with fetchAudioUrls off.
	 */
	private fetchesAudio(audioUrl: string): boolean {
		return (
			this.config.fetchAudioUrls &&
			!this.ownUpload(audioUrl) &&
			durationOverride(audioUrl) === undefined &&
			isLoopbackUrl(audioUrl)
		);
	}

	/** `POST /v2/upload {audio_url}`: the URL is fetched now, and an unusable one is a 400. */
	private async importAndFetch(audioUrl: string): Promise<StoredFile> {
		const file = this.importUrl(audioUrl);
		if (!this.fetchesAudio(audioUrl)) return file;
		const fetched = await fetchAudio(audioUrl, AUDIO_FETCH_TIMEOUT_MS);
		if (!fetched.ok)
			throw new HttpError(400, 'Invalid parameter', [`Field "audio_url": ${fetched.message}`]);
		describeFetched(file, fetched);
		return file;
	}

	private useFetchedAudio(job: Job, fetched: FetchedAudio) {
		job.duration = fetched.info.duration;
		job.channels = fetched.info.channels;
		job.seed = fetched.seed;
		if (job.file) describeFetched(job.file, fetched);
	}

	/** Why the job's audio cannot be transcribed, if it cannot. */
	private audioFailure(job: Job): JobFailure | undefined {
		if (job.fetchFailure) return job.fetchFailure;
		if (job.fileMissing) {
			return {
				errorCode: ERROR_CODE_AUDIO_NOT_FOUND,
				message: 'Audio file not found: it was never uploaded or has been deleted',
			};
		}
		if (job.duration > this.config.maxDurationSeconds) {
			return {
				errorCode: ERROR_CODE_TOO_LONG,
				message: `Audio duration ${round(job.duration)} s exceeds the maximum of ${this.config.maxDurationSeconds / 60} minutes`,
			};
		}
		return undefined;
	}

	/** The upload id when audio_url points at this emulator's /file/<uuid>. */
	private ownUpload(audioUrl: string): string | undefined {
		try {
			const url = new URL(audioUrl);
			const match = /^\/file\/([0-9a-f-]{36})\/?$/i.exec(url.pathname);
			if (!match) return undefined;
			const ours = new URL(this.url);
			const sameServer =
				url.port === ours.port && ['127.0.0.1', 'localhost', ours.hostname].includes(url.hostname);
			return sameServer || this.files.has(match[1]) ? match[1] : undefined;
		} catch {
			return undefined;
		}
	}

	/** Starts queued jobs while slots are free. */
	private pump() {
		while (this.running.size < this.config.concurrency && this.waiting.length) {
			const job = this.waiting.shift()!;
			if (job.deleted || job.status !== 'queued') continue;
			job.status = 'processing';
			job.startedAt = new Date();
			this.running.add(job);
			if (this.fetchesAudio(job.audioUrl)) void this.fetchThenRun(job);
			else this.run(job);
		}
	}

	private async fetchThenRun(job: Job) {
		const fetched = await fetchAudio(job.audioUrl, AUDIO_FETCH_TIMEOUT_MS);
		// Reset or closed while the download ran: the job is gone.
		if (this.jobs.get(job.id) !== job || !this.running.has(job)) return;
		if (fetched.ok) this.useFetchedAudio(job, fetched);
		else job.fetchFailure = fetched;
		this.run(job);
	}

	/** Processes the job for its planned time; audio that cannot be used fails at once. */
	private run(job: Job) {
		job.processingMs = this.audioFailure(job) ? 0 : this.processingTime(job);
		job.timer = setTimeout(() => this.complete(job), job.processingMs);
	}

	private complete(job: Job) {
		this.running.delete(job);
		job.timer = undefined;
		if (!this.jobs.has(job.id)) return;
		job.completedAt = new Date();
		const failure =
			this.audioFailure(job) ??
			(job.script?.errorCode
				? {
						errorCode: job.script.errorCode,
						message: 'Transcription failed (scripted by the test)',
					}
				: undefined);
		if (failure) {
			job.status = 'error';
			job.errorCode = failure.errorCode;
		} else {
			job.result = buildResult({
				seed: job.seed,
				duration: job.duration,
				channels: job.channels,
				params: job.params,
				script: job.script,
				transcriptionTime: (job.completedAt.getTime() - job.createdAt.getTime()) / 1000,
			});
			job.status = 'done';
		}
		this.notify(job, failure?.message ?? '');
		this.pump();
	}

	private notify(job: Job, errorMessage: string) {
		const success = job.status === 'done';
		const event = success ? 'transcription.success' : 'transcription.error';
		const body: Json = success
			? { id: job.id, event, payload: job.result, custom_metadata: job.customMetadata }
			: {
					id: job.id,
					event,
					error: { code: job.errorCode, message: errorMessage },
					custom_metadata: job.customMetadata,
				};
		const callbackConfig = job.request.callback_config as
			| { url?: string; method?: string }
			| undefined;
		if (job.request.callback === true && callbackConfig?.url) {
			this.deliverer.callback(
				callbackConfig.url,
				callbackConfig.method ?? 'POST',
				event,
				job.id,
				body,
			);
		}
		if (typeof job.request.callback_url === 'string') {
			this.deliverer.callback(job.request.callback_url, 'POST', event, job.id, body);
		}
		if (this.config.webhook) this.deliverer.webhook(this.config.webhook, event, job.id);
	}

	private jobJson(job: Job, inList = false): Json {
		const json: Json = {
			id: job.id,
			request_id: `G-${job.id.slice(0, 8)}`,
			version: 2,
			status: job.status,
			created_at: job.createdAt.toISOString(),
			completed_at: iso(job.completedAt),
			custom_metadata: job.customMetadata,
			error_code: job.errorCode,
			kind: 'pre-recorded',
			file: job.file
				? {
						id: job.file.id,
						filename: job.file.filename,
						source: job.file.source ?? null,
						audio_duration: job.duration,
						number_of_channels: job.channels,
					}
				: null,
			request_params: job.params,
			result: job.result,
		};
		if (!inList) json.post_session_metadata = {};
		else if (this.config.listItems === 'trimmed') trimListItem(json);
		return json;
	}

	private findJob(id: string): Job {
		const job = this.jobs.get(id);
		if (!job || job.deleted) throw new HttpError(404, 'Not found');
		return job;
	}

	async get(ctx: RouteContext) {
		this.sendJson(ctx.res, 200, this.jobJson(this.findJob(ctx.params.id)));
	}

	async remove(ctx: RouteContext) {
		const job = this.findJob(ctx.params.id);
		if (job.status === 'queued' || job.status === 'processing') {
			throw new HttpError(403, `Job cannot be deleted while it is ${job.status}`);
		}
		job.deleted = true;
		this.jobs.delete(job.id);
		// Deleting a job deletes its audio too (Gladia docs: "audio + transcript").
		if (job.file?.path) {
			this.files.delete(job.file.id);
			unlink(job.file.path, () => undefined);
		}
		if (!ctx.res.headersSent) {
			ctx.res.writeHead(202, { 'content-length': 0 });
			ctx.res.end();
			this.record(ctx.res, 202, undefined, undefined);
		}
	}

	async list(ctx: RouteContext) {
		const { query, path } = ctx;
		const legacy = !path.startsWith('/v2/pre-recorded');
		const template = matchPathTemplate(path)!;
		const check = validateQuery(template, 'GET', query);
		if (!check.valid) throw new HttpError(400, 'Invalid query parameter', check.errors);
		const offset = (query.offset as number | undefined) ?? 0;
		const limit = (query.limit as number | undefined) ?? 20;
		const statuses = query.status as string[] | undefined;
		const kinds = query.kind as string[] | undefined;
		const metadata = query.custom_metadata as Json | undefined;
		const day = query.date ? String(query.date).slice(0, 10) : undefined;
		const before = query.before_date ? new Date(String(query.before_date)).getTime() : undefined;
		const after = query.after_date ? new Date(String(query.after_date)).getTime() : undefined;
		const matching = [...this.jobs.values()]
			.filter((job) => !statuses?.length || statuses.includes(job.status))
			// Only pre-recorded jobs exist here, so a kind filter either keeps all or none.
			.filter(() => !legacy || !kinds?.length || kinds.includes('pre-recorded'))
			.filter((job) => !metadata || metadataMatches(metadata, job.customMetadata))
			.filter((job) => !day || job.createdAt.toISOString().slice(0, 10) === day)
			.filter((job) => before === undefined || job.createdAt.getTime() < before)
			.filter((job) => after === undefined || job.createdAt.getTime() > after)
			.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
		const page = matching.slice(offset, offset + limit);
		const link = (pageOffset: number) => {
			const search = new URLSearchParams(new URL(ctx.req.url ?? '/', 'http://x').search);
			search.delete('offset');
			search.delete('limit');
			search.append('offset', String(pageOffset));
			search.append('limit', String(limit));
			return `${this.url}${ctx.path.replace(/\/+$/, '')}?${search.toString()}`;
		};
		this.sendJson(ctx.res, 200, {
			first: link(0),
			current: link(offset),
			next: offset + limit < matching.length ? link(offset + limit) : null,
			items: page.map((job) => this.jobJson(job, true)),
		});
	}

	/** GET …/:id/file and /file/:id → 302 to a signed URL on the storage origin (as production does). */
	async file(ctx: RouteContext) {
		let fileId: string;
		if (ctx.params.uploadId) {
			if (!this.files.has(ctx.params.uploadId)) throw new HttpError(404, 'Not found');
			fileId = ctx.params.uploadId;
		} else {
			const job = this.findJob(ctx.params.id);
			if (!job.file || !this.files.has(job.file.id)) {
				// External-URL jobs keep their media description even though no upload exists.
				if (!job.file) throw new HttpError(404, 'Not found');
				this.files.set(job.file.id, job.file);
			}
			fileId = job.file.id;
		}
		const expires = Date.now() + SIGNED_URL_TTL_MS;
		const signature = this.sign(fileId, expires);
		const location = `${this.storageUrl}/gladia-files/${fileId}?expires=${expires}&signature=${signature}`;
		ctx.res.writeHead(302, { location, 'content-length': 0 });
		ctx.res.end();
		this.record(ctx.res, 302, undefined, undefined);
	}

	private sign(fileId: string, expires: number) {
		return createHmac('sha256', this.signingKey).update(`${fileId}:${expires}`).digest('hex');
	}

	// ------------------------------------------------------------------ storage origin

	private handleStorage(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://storage.invalid');
		logRequest(this.storageLog, req, res, url.pathname, parseQuerySafe(url.searchParams).query);
		res.on('error', () => undefined);
		const fail = (status: number, code: string, message: string) => {
			// Object stores answer in XML.
			const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`;
			res.writeHead(status, {
				'content-type': 'application/xml',
				'content-length': Buffer.byteLength(xml),
			});
			res.end(xml);
		};
		const match = /^\/gladia-files\/([0-9a-f-]{36})$/.exec(url.pathname);
		if (req.method !== 'GET' && req.method !== 'HEAD')
			return fail(405, 'MethodNotAllowed', 'Only GET is allowed');
		if (!match) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
		const expires = Number(url.searchParams.get('expires'));
		const signature = url.searchParams.get('signature') ?? '';
		if (!expires || signature !== this.sign(match[1], expires)) {
			return fail(
				403,
				'SignatureDoesNotMatch',
				'The request signature we calculated does not match the signature you provided.',
			);
		}
		if (expires < Date.now()) return fail(403, 'AccessDenied', 'Request has expired');
		const file = this.files.get(match[1]);
		if (!file) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
		const headers = {
			'content-type': file.path ? 'application/octet-stream' : 'audio/wav',
			'content-disposition': `attachment; filename="${file.path ? file.filename : file.filename.replace(/\.[^.]*$/, '') + '.wav'}"`,
		};
		if (file.path) {
			res.writeHead(200, { ...headers, 'content-length': file.size });
			if (req.method === 'HEAD') return res.end();
			const stream = createReadStream(file.path);
			stream.on('error', () => res.destroy());
			stream.pipe(res);
			return;
		}
		// URL imports: no bytes were fetched, so a WAV of the right duration is synthesised on the fly.
		const options = { channels: file.channels };
		res.writeHead(200, { ...headers, 'content-length': wavSize(file.duration, options) });
		if (req.method === 'HEAD') return res.end();
		Readable.from(wavChunks(file.duration, options)).pipe(res);
	}
}

/**
 * Logs a request on arrival (so the log is in request order), never with the key's value; the
 * status lands once the response is sent (0 = the connection was dropped before any response).
 */
function logRequest(
	log: LoggedRequest[],
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
	query: LoggedRequest['query'],
): LoggedRequest {
	const hadKey = req.headers['x-gladia-key'] !== undefined;
	const entry: LoggedRequest = {
		method: (req.method ?? 'GET').toUpperCase(),
		path,
		query,
		status: 0,
		hadKey,
		bodySummary: '',
		headers: { ...req.headers, ...(hadKey ? { 'x-gladia-key': '[redacted]' } : {}) },
		at: new Date().toISOString(),
	};
	log.push(entry);
	const arrived = Date.now();
	const settle = () => {
		entry.status = res.headersSent ? res.statusCode : 0;
		entry.ms ??= Date.now() - arrived;
	};
	res.on('finish', settle);
	res.on('close', settle);
	return entry;
}

/**
 * Upload temp dirs, created on the first upload. close() removes its own; whatever a process
 * forgets to close is removed when it exits normally.
 */
const liveTempDirs = new Set<string>();
let exitHookInstalled = false;
function makeTempDir(): string {
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => liveTempDirs.forEach(removeTempDir));
	}
	const dir = mkdtempSync(join(tmpdir(), 'gladia-emulator-'));
	liveTempDirs.add(dir);
	return dir;
}
function removeTempDir(dir: string) {
	rmSync(dir, { recursive: true, force: true });
	liveTempDirs.delete(dir);
}

/**
 * List items as a real `GET /v2/transcription` returned them (test/fixtures/real/
 * list-gladia-case-2026.json): only the model and language settings of the request, and only the
 * metadata of the result.
 */
function trimListItem(item: Json) {
	const params = item.request_params as Json;
	item.request_params = { model: params.model, language_config: params.language_config };
	const result = item.result as Json | null;
	item.result = result ? { metadata: result.metadata } : null;
}

function describeFetched(file: StoredFile, fetched: FetchedAudio) {
	Object.assign(file, {
		filename: fetched.filename,
		extension: fetched.info.extension,
		size: fetched.size,
		duration: fetched.info.duration,
		channels: fetched.info.channels,
		seed: fetched.seed,
	});
}

/**
 * The seeded jitter: job n takes T × a factor in [1 − f, 1 + f], the same for the same seed and
 * n on every run (benchmarks compare runs; real processing times vary).
 */
export function jitterFactor(jitter: EmulatorOptions['jitter'], ordinal: number): number {
	if (!jitter) return 1;
	const hash = createHash('sha256').update(`${jitter.seed}:${ordinal}`).digest();
	const unit = hash.readUInt32BE(0) / 0x1_0000_0000;
	return 1 - jitter.factor + 2 * jitter.factor * unit;
}

/** Rejects option values the emulator cannot honour (constructor and configure, also via the control API). */
function checkOptions(options: Partial<EmulatorOptions>) {
	const { jitter, listItems } = options;
	if (jitter) {
		if (!(typeof jitter.factor === 'number' && jitter.factor >= 0 && jitter.factor <= 1))
			throw new Error(`jitter.factor must be a number from 0 to 1, got ${String(jitter.factor)}`);
		if (!Number.isFinite(jitter.seed))
			throw new Error(`jitter.seed must be a number, got ${String(jitter.seed)}`);
	}
	if (listItems !== undefined && listItems !== 'full' && listItems !== 'trimmed')
		throw new Error(`listItems must be "full" or "trimmed", got ${String(listItems)}`);
}

function parseQuerySafe(search: URLSearchParams) {
	try {
		return parseQuery(search);
	} catch {
		return { query: {}, parsed: {} };
	}
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, error: (error as Error).message };
	}
}

function stripUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

interface RouteContext {
	req: IncomingMessage;
	res: ServerResponse;
	path: string;
	params: Record<string, string>;
	query: Json;
	entry: LoggedRequest;
	fault?: ActiveFault;
}

type Handler = (this: GladiaEmulator, ctx: RouteContext) => Promise<void>;

interface Route {
	fault: FaultRoute;
	handler: Handler;
	params: Record<string, string>;
}

const proto = GladiaEmulator.prototype;
const ROUTES: Array<{
	method: string;
	pattern: RegExp;
	fault: FaultRoute;
	handler: Handler;
	names: string[];
}> = [
	{ method: 'POST', pattern: /^\/v2\/upload$/, fault: 'upload', handler: proto.upload, names: [] },
	{
		method: 'POST',
		pattern: /^\/v2\/(?:pre-recorded|transcription)$/,
		fault: 'create',
		handler: proto.create,
		names: [],
	},
	{
		method: 'GET',
		pattern: /^\/v2\/(?:pre-recorded|transcription)$/,
		fault: 'list',
		handler: proto.list,
		names: [],
	},
	{ method: 'GET', pattern: /^\/v1\/history$/, fault: 'list', handler: proto.list, names: [] },
	{
		method: 'GET',
		pattern: /^\/v2\/(?:pre-recorded|transcription)\/([^/]+)$/,
		fault: 'get',
		handler: proto.get,
		names: ['id'],
	},
	{
		method: 'DELETE',
		pattern: /^\/v2\/(?:pre-recorded|transcription)\/([^/]+)$/,
		fault: 'delete',
		handler: proto.remove,
		names: ['id'],
	},
	{
		method: 'GET',
		pattern: /^\/v2\/(?:pre-recorded|transcription)\/([^/]+)\/file$/,
		fault: 'file',
		handler: proto.file,
		names: ['id'],
	},
	{
		method: 'GET',
		pattern: /^\/file\/([^/]+)$/,
		fault: 'file',
		handler: proto.file,
		names: ['uploadId'],
	},
];

function routeOf(method: string, path: string): Route | undefined {
	for (const route of ROUTES) {
		const match = route.method === method ? route.pattern.exec(path) : null;
		if (!match) continue;
		const params: Record<string, string> = {};
		route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1])));
		return { fault: route.fault, handler: route.handler, params };
	}
	return undefined;
}
