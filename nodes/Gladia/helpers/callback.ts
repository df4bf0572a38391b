// Gladia's per-job callback, read once for both of its readers: Transcribe's Wait Mode
// "Callback" (actions/transcription/transcribe.callback.ts) and the Gladia Trigger
// (trigger/delivery.ts). The body is { id, event, payload | error, custom_metadata }: the
// result is embedded, nothing is signed.
import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from './checks';
import type { JobStatus, PreRecordedJob, TranscriptionResult } from './types';

/** Gladia's event names (callbacks and dashboard webhooks). */
export const TRANSCRIPTION_EVENTS = {
	success: 'transcription.success',
	error: 'transcription.error',
	created: 'transcription.created',
} as const;

/** What a callback body carries besides its id and event (as sent: unverified). */
export interface CallbackData {
	result?: TranscriptionResult;
	error?: { code: number | null; message: string };
	customMetadata: IDataObject | null;
}

/** The embedded result, error and metadata of a callback body; anything malformed is left out. */
export function readCallbackData(body: IDataObject): CallbackData {
	const data: CallbackData = {
		customMetadata: isPlainObject(body.custom_metadata) ? body.custom_metadata : null,
	};
	if (isPlainObject(body.payload)) data.result = body.payload as unknown as TranscriptionResult;
	if (isPlainObject(body.error)) {
		data.error = {
			code: typeof body.error.code === 'number' ? body.error.code : null,
			message: typeof body.error.message === 'string' ? body.error.message : '',
		};
	}
	return data;
}

/** The status an event implies, for outputs built without asking Gladia. */
export function statusOfEvent(event: string): JobStatus | null {
	if (event === TRANSCRIPTION_EVENTS.success) return 'done';
	if (event === TRANSCRIPTION_EVENTS.error) return 'error';
	return null;
}

/**
 * A job-shaped view of a callback, so the shared output shaper can read it. What the callback
 * does not carry (dates, file, request parameters) is null, as for any field Gladia leaves out.
 */
export function jobFromCallback(id: string, event: string, data: CallbackData): PreRecordedJob {
	const failed = event === TRANSCRIPTION_EVENTS.error;
	return {
		id,
		request_id: '',
		version: 2,
		status: statusOfEvent(event) ?? 'done',
		created_at: null,
		completed_at: null,
		custom_metadata: data.customMetadata,
		error_code: failed ? (data.error?.code ?? null) : null,
		kind: 'pre-recorded',
		file: null,
		request_params: null,
		result: failed ? null : (data.result ?? null),
	};
}

// A batch waiting for its callbacks (Transcribe, Wait Mode "Callback"). n8n keeps nothing a
// waiting execution's webhook could read, so everything the webhook needs to know about the
// batch rides in the resume URL given to Gladia as every job's callback: the batch key (also in
// each job's custom_metadata, with the job's item index), the number of items, the items that
// failed before the wait (index and message) and the items that came with a finished job.

/** custom_metadata keys of a batch job: the batch key and the job's input item index. */
export const BATCH_FIELDS = { batch: 'n8n_gladia_batch', item: 'n8n_gladia_item' } as const;

/** Query parameters of the resume URL. */
export const BATCH_PARAMS = {
	batch: 'n8n_gladia_batch',
	size: 'n8n_gladia_size',
	failed: 'n8n_gladia_failed',
	existing: 'n8n_gladia_job',
} as const;

/** Longest error message carried in the URL for an item that failed before the wait. */
export const MAX_FAILURE_MESSAGE_CHARS = 300;

export interface BatchPlan {
	key: string;
	size: number;
	/** Items that have no job: their error message, by item index. */
	failed: Map<number, string>;
	/** Items that came with a job that already finished (no callback will come for it). */
	existing: Map<number, string>;
}

/** The resume URL for a batch: `resumeUrl` with the plan in its query. */
export function batchCallbackUrl(resumeUrl: string, plan: BatchPlan): string {
	const url = new URL(resumeUrl);
	url.searchParams.set(BATCH_PARAMS.batch, plan.key);
	url.searchParams.set(BATCH_PARAMS.size, String(plan.size));
	for (const [index, message] of plan.failed) {
		url.searchParams.append(
			BATCH_PARAMS.failed,
			`${index}:${message.slice(0, MAX_FAILURE_MESSAGE_CHARS)}`,
		);
	}
	for (const [index, jobId] of plan.existing) {
		url.searchParams.append(BATCH_PARAMS.existing, `${index}:${jobId}`);
	}
	return url.href;
}

const asList = (value: unknown): string[] =>
	(Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);

/** `index:value` pairs of a query parameter; undefined when one is malformed or out of range. */
function indexedValues(value: unknown, size: number): Map<number, string> | undefined {
	const pairs = new Map<number, string>();
	for (const entry of asList(value)) {
		const match = /^(\d+):(.*)$/s.exec(entry);
		if (!match || Number(match[1]) >= size) return undefined;
		pairs.set(Number(match[1]), match[2]);
	}
	return pairs;
}

/** The batch plan of a callback's query, or a sentence saying what is wrong with it. */
export function readBatchPlan(query: IDataObject): BatchPlan | string {
	const key = query[BATCH_PARAMS.batch];
	const size = Number(query[BATCH_PARAMS.size]);
	if (typeof key !== 'string' || !key) {
		return `Missing ${BATCH_PARAMS.batch}: this URL only accepts Gladia's callbacks for its own jobs`;
	}
	if (!Number.isInteger(size) || size < 1)
		return `${BATCH_PARAMS.size} is not a whole number above 0`;
	const failed = indexedValues(query[BATCH_PARAMS.failed], size);
	const existing = indexedValues(query[BATCH_PARAMS.existing], size);
	if (!failed || !existing) {
		return `${BATCH_PARAMS.failed} and ${BATCH_PARAMS.existing} must be index:value pairs below ${BATCH_PARAMS.size}`;
	}
	return { key, size, failed, existing };
}
