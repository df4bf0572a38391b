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
