// What the Gladia Trigger receives and what it outputs. Two body shapes:
//   per-job callback   { id, event, payload | error, custom_metadata }   (result embedded, unsigned)
//   dashboard webhook  { event, payload: { id } }                         (Svix-signed, id only)
import type { IDataObject, INode } from 'n8n-workflow';

import {
	jobFromCallback,
	readCallbackData,
	statusOfEvent,
	TRANSCRIPTION_EVENTS,
	type CallbackData,
} from '../helpers/callback';
import { isPlainObject as isObject } from '../helpers/checks';
import { jobFailedError } from '../helpers/errors';
import { simplifyJob, userMetadata } from '../helpers/output';
import type { JobStatus, PreRecordedJob } from '../helpers/types';

export type DeliverySource = 'callback' | 'webhook';

export interface Delivery extends Partial<CallbackData> {
	event: string;
	jobId: string;
	source: DeliverySource;
	// Callback only, as sent (unverified): the job's result, error and metadata (CallbackData).
}

// Gladia job ids are UUIDs; be a little lenient but never let a path separator or dot through:
// the id goes into GET /v2/pre-recorded/{id}.
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const MAX_EVENT_LENGTH = 100;

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

	if (source === 'webhook') return { event, jobId, source };
	return { event, jobId, source, ...readCallbackData(body) };
}

/** Whether Gladia's job status is consistent with the event claimed by the request. */
export function statusMatchesEvent(event: string, status: JobStatus): boolean {
	if (event === TRANSCRIPTION_EVENTS.success) return status === 'done';
	if (event === TRANSCRIPTION_EVENTS.error) return status === 'error';
	return true;
}

/** A callback's own view of its job (unverified); dashboard webhooks carry none. */
function callbackJobOf(delivery: Delivery): PreRecordedJob | undefined {
	if (delivery.source !== 'callback') return undefined;
	const data = { ...delivery, customMetadata: delivery.customMetadata ?? null };
	return jobFromCallback(delivery.jobId, delivery.event, data);
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
	const data = job ?? callbackJobOf(delivery);
	const base: IDataObject = {
		event: delivery.event,
		id: delivery.jobId,
		status: job?.status ?? statusOfEvent(delivery.event),
		custom_metadata: data ? userMetadata(data) : null,
		verified: job !== undefined,
		source: delivery.source,
		delivery_id: options.messageId ?? null,
	};
	if (delivery.event === TRANSCRIPTION_EVENTS.error) {
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
	if (delivery.event !== TRANSCRIPTION_EVENTS.success || !options.includeResult || !data)
		return base;
	if (!options.simplify) return { ...base, result: data.result ?? null };
	// The shaper's keys (id, status, custom_metadata, transcript, …) as the Gladia node outputs them.
	const { verified, source, delivery_id: deliveryId } = base;
	return { event: delivery.event, ...simplifyJob(data), verified, source, delivery_id: deliveryId };
}

// Each delete attempt gets little time (three at most): the sender is still waiting for our
// answer, after the job check's own budget.
export const TRIGGER_DELETE_TIMEOUT_MS = 2_000;

/** Delete From Gladia After Fetching: the job to delete, what to say instead, or nothing to do. */
export type DeletePlan = { job: PreRecordedJob } | { outcome: IDataObject } | undefined;

/**
 * Only a job read from Gladia is deleted (never on the word of an unverified request body), and
 * for a success event only when the output holds its result (Include Result), so nothing is
 * deleted that the workflow lacks. Other events (created) leave the job alone, silently.
 */
export function deletePlanFor(
	delivery: Delivery,
	job: PreRecordedJob | undefined,
	includeResult: boolean,
): DeletePlan {
	const { success, error } = TRANSCRIPTION_EVENTS;
	if (delivery.event !== success && delivery.event !== error) return undefined;
	const complete = delivery.event === error || includeResult;
	if (job && complete) return { job };
	return {
		outcome: {
			deleted: false,
			error:
				'Not deleted: only a job read from Gladia whose result is in this output is deleted (turn on Verify With Gladia, and Include Result for success events)',
		},
	};
}
