// Public types of the Gladia emulator (see ARCHITECTURE.md, "Emulator").

export interface WebhookConfig {
	urls: string[];
	/** Svix signing secret, `whsec_<base64>`. */
	secret: string;
	/** Header names: `svix-id/-timestamp/-signature` (default) or `webhook-*`. */
	headerPrefix?: 'svix' | 'webhook';
}

export interface DeliveryRetry {
	/** Total attempts per delivery (default 3). */
	attempts?: number;
	/** Delay before retry n is backoffMs × 2^(n-1) (default 50). */
	backoffMs?: number;
	/** Per-attempt timeout (default 5000). */
	timeoutMs?: number;
}

export interface EmulatorOptions {
	port?: number;
	storagePort?: number;
	host?: string;
	apiKeys?: string[];
	/** Processing time per job in seconds = audio_duration / 60 × speedFactor. */
	speedFactor?: number;
	/** Jobs processed at once (Gladia: Free 3, Paid 25). */
	concurrency?: number;
	/** Jobs allowed to wait `queued` beyond `concurrency`; one more create answers 429. */
	queueLimit?: number;
	/** Seconds sent in `Retry-After` with a concurrency 429; null/undefined sends none. */
	retryAfterSeconds?: number | null;
	webhook?: WebhookConfig | null;
	/** Retries of per-job callbacks and dashboard webhooks. */
	deliveryRetry?: DeliveryRetry;
	/** Upload size limit in bytes (Gladia: 1000 MB). */
	maxUploadBytes?: number;
	/** Longest audio a job accepts, in seconds (Gladia: 135 min). */
	maxDurationSeconds?: number;
	/** Keep every response body in `handle.responses` (for contract checks in tests). */
	recordResponses?: boolean;
	/**
	 * Fetch external audio_url values when a job starts (default true). Only loopback hosts are
	 * ever contacted, and `emulator_duration=` URLs are never fetched; see test/emulator/README.md.
	 */
	fetchAudioUrls?: boolean;
	/** List items with the whole job ('full', default) or trimmed like real list items ('trimmed'). */
	listItems?: 'full' | 'trimmed';
	/** Seeded processing-time jitter: each job takes T × a factor in [1 − factor, 1 + factor]. */
	jitter?: { factor: number; seed: number } | null;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	/** 0 when the connection was dropped without a response. */
	status: number;
	/** Whether an `x-gladia-key` header was present (its value is never recorded). */
	hadKey: boolean;
	bodySummary: string;
	/** Request headers, with `x-gladia-key` replaced by `[redacted]`. */
	headers: Record<string, string | string[] | undefined>;
	/** Fault injected into this request, if any. */
	fault?: FaultKind;
	at: string;
	/** Milliseconds from arrival until the response was sent or the connection closed. */
	ms?: number;
}

export interface RecordedResponse {
	method: string;
	path: string;
	status: number;
	contentType?: string;
	/** Parsed JSON, raw text, or undefined for an empty/binary body. */
	body: unknown;
}

export type FaultRoute = 'upload' | 'create' | 'list' | 'get' | 'delete' | 'file' | 'any';
export type FaultKind = '429' | '500' | '502' | 'slow' | 'reset' | 'ambiguous-create' | 'redirect';
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

export interface FaultSpec {
	route: FaultRoute;
	kind: FaultKind;
	/** How many matching requests it applies to (default 1). */
	count?: number;
	/** Applies to every Nth matching request only (e.g. 5 = 20 % of them), deterministically. */
	every?: number;
	/** 429 only: seconds for the Retry-After header. */
	retryAfter?: number;
	/** slow only: delay before the request is handled normally (default 2000). */
	delayMs?: number;
	/** redirect only: the status (default 302). */
	status?: RedirectStatus;
	/**
	 * redirect only: the Location header, sent as given (may be relative). Default: the same
	 * path and query on the storage origin, i.e. another origin than the API's.
	 */
	location?: string;
}

export interface ScriptedUtterance {
	text: string;
	speaker?: number;
	channel?: number;
	language?: string;
	start?: number;
	end?: number;
}

export interface ScriptedTranscript {
	utterances?: ScriptedUtterance[];
	languages?: string[];
	/** The job ends in `error` with this error_code (400–599). */
	errorCode?: number;
	/** Add-on result keys (e.g. 'translation') whose block reports a failure. */
	failAddons?: string[];
}

export interface Delivery {
	kind: 'callback' | 'webhook';
	url: string;
	method: string;
	event: string;
	jobId: string;
	/** The JSON body exactly as sent (parsed). */
	body: unknown;
	/** The raw body string that was signed/sent. */
	rawBody: string;
	headers: Record<string, string>;
	/** HTTP status of the last attempt; 0 for a network error or timeout. */
	status: number;
	attempts: number;
	ok: boolean;
	at: string;
	/** Every attempt: when it started, how long it took, its status (0: no answer) and why. */
	tries: DeliveryAttempt[];
}

export interface DeliveryAttempt {
	at: string;
	ms: number;
	status: number;
	error?: string;
}

export type JobStatus = 'queued' | 'processing' | 'done' | 'error';

export interface EmulatorJob {
	id: string;
	status: JobStatus;
	audioUrl: string;
	audioDuration: number;
	channels: number;
	/** The create body as received. */
	request: Record<string, unknown>;
	createdAt: string;
	startedAt: string | null;
	completedAt: string | null;
	/** Planned processing time (ms). */
	processingMs: number;
	errorCode: number | null;
	deleted: boolean;
	/** Path family the job was created on. */
	createdVia: 'pre-recorded' | 'transcription';
}

export interface EmulatorHandle {
	url: string;
	storageUrl: string;
	apiKey: string;
	log: LoggedRequest[];
	storageLog: LoggedRequest[];
	responses: RecordedResponse[];
	callbacks: Delivery[];
	webhooks: Delivery[];
	jobs(): EmulatorJob[];
	/** The temp folder holding uploaded files (undefined before the first upload). */
	uploadsDir(): string | undefined;
	injectFault(spec: FaultSpec): void;
	script(match: string, transcript: ScriptedTranscript): void;
	configure(partial: Partial<EmulatorOptions>): void;
	/** Resolves once no callback/webhook delivery is in flight. */
	deliveriesSettled(): Promise<void>;
	reset(): void;
	close(): Promise<void>;
}
