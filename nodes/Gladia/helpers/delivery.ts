// What the Gladia Trigger receives and what it outputs. Two body shapes (../../../../shared/gladia/API.md §6):
//   per-job callback   { id, event, payload | error, custom_metadata }   (result embedded, unsigned)
//   dashboard webhook  { event, payload: { id } }                         (Svix-signed, id only)
import type { IDataObject, INode } from 'n8n-workflow';

import { jobFailedError } from './errors';
import { simplifyJob } from './output';
import type { JobStatus, PreRecordedJob, TranscriptionResult } from './types';

export const TRIGGER_EVENTS = {
	success: 'transcription.success',
	error: 'transcription.error',
	created: 'transcription.created',
} as const;

export type DeliverySource = 'callback' | 'webhook';

export interface Delivery {
	event: string;
	jobId: string;
	source: DeliverySource;
	/** Callback only, as sent (unverified): the job's result, error and metadata. */
	result?: TranscriptionResult;
	error?: { code: number | null; message: string };
	customMetadata?: IDataObject | null;
}

// Gladia job ids are UUIDs; be a little lenient but never let a path separator or dot through:
// the id goes into GET /v2/pre-recorded/{id}.
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const MAX_EVENT_LENGTH = 100;

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The event name of a JSON body, or why there is none. */
export function parseEvent(
	rawBody: Buffer,
): { body: IDataObject; event: string } | { message: string } {
	if (rawBody.length === 0) {
		return { message: 'The request has no body: expected a Gladia event as JSON' };
	}
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return { message: 'The request body is not valid JSON' };
	}
	if (!isObject(body)) return { message: 'The request body must be a JSON object' };
	const event = body.event;
	if (typeof event !== 'string' || event === '' || event.length > MAX_EVENT_LENGTH) {
		return { message: 'The request body has no "event" name' };
	}
	return { body, event };
}

/** The job id and, for callbacks, the embedded data of an event body. */
export function parseDelivery(body: IDataObject, event: string): Delivery | { message: string } {
	const payload = body.payload;
	const source: DeliverySource = body.id !== undefined ? 'callback' : 'webhook';
	const jobId = source === 'callback' ? body.id : isObject(payload) ? payload.id : undefined;
	if (typeof jobId !== 'string') {
		return {
			message: 'The request body has no job ID ("id", or "payload.id" for dashboard webhooks)',
		};
	}
	if (!JOB_ID.test(jobId))
		return { message: 'The job ID in the request body is not a Gladia job ID' };

	const delivery: Delivery = { event, jobId, source };
	if (source === 'callback') {
		if (isObject(payload)) delivery.result = payload as unknown as TranscriptionResult;
		if (isObject(body.error)) {
			delivery.error = {
				code: typeof body.error.code === 'number' ? body.error.code : null,
				message: typeof body.error.message === 'string' ? body.error.message : '',
			};
		}
		delivery.customMetadata = isObject(body.custom_metadata) ? body.custom_metadata : null;
	}
	return delivery;
}

/** Whether Gladia's job status is consistent with the event claimed by the request. */
export function statusMatchesEvent(event: string, status: JobStatus): boolean {
	if (event === TRIGGER_EVENTS.success) return status === 'done';
	if (event === TRIGGER_EVENTS.error) return status === 'error';
	return true;
}

/** The status an event implies, for outputs built without asking Gladia. */
function statusOfEvent(event: string): JobStatus | null {
	if (event === TRIGGER_EVENTS.success) return 'done';
	if (event === TRIGGER_EVENTS.error) return 'error';
	return null;
}

/** A job-shaped view of a callback body, so the shared output shaper can read it. */
function jobFromCallback(delivery: Delivery): PreRecordedJob {
	return {
		id: delivery.jobId,
		request_id: '',
		version: 2,
		kind: 'pre-recorded',
		status: statusOfEvent(delivery.event) ?? 'done',
		created_at: '',
		custom_metadata: delivery.customMetadata ?? null,
		error_code: delivery.error?.code ?? null,
		result: delivery.result ?? null,
	};
}

export interface TriggerOutputOptions {
	includeResult: boolean;
	simplify: boolean;
	/** The verified Svix message id, when the delivery was signed. */
	messageId?: string;
}

/**
 * The trigger's output item. With `job` (fetched from Gladia) everything but the event name
 * comes from Gladia; without it, from the callback body (then `verified: false`).
 */
export function triggerOutput(
	node: INode,
	delivery: Delivery,
	job: PreRecordedJob | undefined,
	options: TriggerOutputOptions,
): IDataObject {
	const data = job ?? (delivery.source === 'callback' ? jobFromCallback(delivery) : undefined);
	const base: IDataObject = {
		event: delivery.event,
		id: delivery.jobId,
		status: job?.status ?? statusOfEvent(delivery.event),
		custom_metadata: data?.custom_metadata ?? null,
		verified: job !== undefined,
		source: delivery.source,
		delivery_id: options.messageId ?? null,
	};
	if (delivery.event === TRIGGER_EVENTS.error) {
		if (job) {
			const failure = jobFailedError(node, job);
			base.error = {
				code: job.error_code ?? null,
				message: failure.message,
				hint: failure.description,
			};
		} else {
			base.error = delivery.error ?? null;
		}
	}
	if (delivery.event !== TRIGGER_EVENTS.success || !options.includeResult || !data) return base;
	if (!options.simplify) return { ...base, result: data.result ?? null };
	// The shaper's keys (id, status, custom_metadata, transcript, …) as the Gladia node outputs them.
	const { verified, source, delivery_id: deliveryId } = base;
	return { event: delivery.event, ...simplifyJob(data), verified, source, delivery_id: deliveryId };
}
