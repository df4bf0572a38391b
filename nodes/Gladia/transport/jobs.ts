// Gladia's pre-recorded job endpoints, named and typed: every caller reads, lists, deletes
// and creates jobs through these functions instead of building paths by hand.
//
// Idempotent create: a create whose answer was lost (reset, timeout, 5xx) may still have made a
// billed job at Gladia, so before sending it again we look for it by a key stored in its
// custom_metadata.
import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_CUSTOM_METADATA_CHARS } from '../helpers/body';
import { IDEMPOTENCY_FIELD } from '../helpers/constants';
import { REUSE_FIELD } from '../helpers/fingerprint';
import { invalidParameter } from '../helpers/errors';
import type {
	InitTranscriptionRequest,
	InitTranscriptionResponse,
	ListResponse,
	PreRecordedJob,
} from '../helpers/types';
import { gladiaRequest, type GladiaRequest, type RequestContext } from './index';
import {
	DEFAULT_RETRY_POLICY,
	httpStatusOf,
	isAmbiguousError,
	settle,
	withRetries,
	type RetryPolicy,
} from './retry';

/** custom_metadata key carrying the idempotency key (a user-supplied value is kept). */
export { IDEMPOTENCY_FIELD };
/** Gladia's documented limit on the stringified custom_metadata (one constant, in helpers/body). */
export const CUSTOM_METADATA_MAX_CHARS = MAX_CUSTOM_METADATA_CHARS;

/** The path of one job: `/v2/pre-recorded/{id}` (the id is encoded). */
export function jobPath(id: string): string {
	return `/v2/pre-recorded/${encodeURIComponent(id)}`;
}

/** How to send a job request: the request's own options, without method and path. */
export type JobRequestOptions = Omit<GladiaRequest, 'method' | 'path' | 'body' | 'qs'>;

async function send<T>(ctx: RequestContext, request: GladiaRequest): Promise<T> {
	return await gladiaRequest.call<RequestContext, [GladiaRequest], Promise<T>>(ctx, request);
}

/** GET /v2/pre-recorded/{id}. */
export async function getJob(
	ctx: RequestContext,
	id: string,
	options: JobRequestOptions = {},
): Promise<PreRecordedJob> {
	return await send<PreRecordedJob>(ctx, { ...options, method: 'GET', path: jobPath(id) });
}

/** GET /v2/pre-recorded with a query (filters, offset, limit). */
export async function listJobs(
	ctx: RequestContext,
	qs: IDataObject,
	options: JobRequestOptions = {},
): Promise<ListResponse> {
	return await send<ListResponse>(ctx, {
		...options,
		method: 'GET',
		path: '/v2/pre-recorded',
		qs,
	});
}

/** DELETE /v2/pre-recorded/{id}. */
export async function deleteJob(
	ctx: RequestContext,
	id: string,
	options: JobRequestOptions = {},
): Promise<void> {
	await send<unknown>(ctx, { ...options, method: 'DELETE', path: jobPath(id) });
}

/** Returns the body with the idempotency key added to (a copy of) the user's custom_metadata. */
export function withIdempotencyKey(
	body: InitTranscriptionRequest,
	key: string = randomUUID(),
): { body: InitTranscriptionRequest; key: string } {
	const metadata = body.custom_metadata;
	const userMetadata =
		metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)
			? (metadata as IDataObject)
			: {};
	const userKey = userMetadata[IDEMPOTENCY_FIELD];
	const idempotencyKey = typeof userKey === 'string' && userKey !== '' ? userKey : key;
	return {
		body: {
			...body,
			custom_metadata: { ...userMetadata, [IDEMPOTENCY_FIELD]: idempotencyKey },
		},
		key: idempotencyKey,
	};
}

/** Jobs whose custom_metadata has `field` = `value`, newest first (one filtered list call). */
export async function findJobsByMetadata(
	ctx: RequestContext,
	field: string,
	value: string,
	options: JobRequestOptions & { limit?: number } = {},
): Promise<{ jobs: PreRecordedJob[]; resultUrlOf: (id: string) => string }> {
	const { limit = 10, ...requestOptions } = options;
	// Gladia's docs show the filter as a JSON object in the query string.
	const qs = { custom_metadata: JSON.stringify({ [field]: value }), limit };
	const list = await listJobs(ctx, qs, requestOptions);
	// Checked here too: a server that ignored the filter must not hand us someone else's job.
	const jobs = list.items
		.filter((item) => item.custom_metadata?.[field] === value)
		.sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? ''));
	return { jobs, resultUrlOf: (id) => new URL(jobPath(id), list.current).href };
}

/** The job created with `key`, if Gladia has one (Get Many filtered on custom_metadata). */
export async function findJobByIdempotencyKey(
	this: IExecuteFunctions,
	key: string,
	itemIndex: number,
): Promise<InitTranscriptionResponse | undefined> {
	const { jobs, resultUrlOf } = await findJobsByMetadata(this, IDEMPOTENCY_FIELD, key, {
		itemIndex,
	});
	const job = jobs[0];
	return job ? { id: job.id, result_url: resultUrlOf(job.id) } : undefined;
}

/**
 * The earlier job to reuse for `fingerprint` (custom_metadata REUSE_FIELD): the newest done
 * one, read in full, else the newest still queued or processing. Failed jobs are skipped;
 * deleted ones are gone from the list (or 404 on the read, then the next is tried).
 */
export async function findReusableJob(
	ctx: RequestContext,
	fingerprint: string,
	itemIndex: number,
): Promise<{ job: PreRecordedJob; result_url: string } | undefined> {
	const { jobs, resultUrlOf } = await findJobsByMetadata(ctx, REUSE_FIELD, fingerprint, {
		itemIndex,
	});
	const done = jobs.filter((job) => job.status === 'done');
	for (const candidate of done) {
		const read = await settle(async () => await getJob(ctx, candidate.id, { itemIndex }));
		if (read.ok) return { job: read.value, result_url: resultUrlOf(candidate.id) };
		if (httpStatusOf(read.error) !== 404) throw read.error;
	}
	const running = jobs.find((job) => job.status === 'queued' || job.status === 'processing');
	return running ? { job: running, result_url: resultUrlOf(running.id) } : undefined;
}

function checkTaggedMetadataSize(ctx: IExecuteFunctions, body: IDataObject, itemIndex: number) {
	const metadataChars = JSON.stringify(body.custom_metadata).length;
	if (metadataChars > CUSTOM_METADATA_MAX_CHARS) {
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			'Custom Metadata',
			`is ${metadataChars} characters as JSON once the "${IDEMPOTENCY_FIELD}" key is added, over Gladia's ${CUSTOM_METADATA_MAX_CHARS}`,
			'Shorten the Custom Metadata option of this item.',
		);
	}
}

/** The error after an ambiguous failure: the job may exist, and how to find it. */
function mayExistError(ctx: IExecuteFunctions, error: unknown, key: string, itemIndex: number) {
	const original = error as Error & { description?: string | null };
	const hint = `Gladia may have created the job anyway. Before running this item again, look for it with Transcription → Get Many filtered on custom_metadata {"${IDEMPOTENCY_FIELD}": "${key}"}.`;
	return new NodeOperationError(ctx.getNode(), original, {
		itemIndex,
		description: original.description ? `${original.description}\n${hint}` : hint,
	});
}

/**
 * POST /v2/pre-recorded, retried on 429/5xx/network failures. After an ambiguous failure (the
 * request may have been carried out) the next attempt first looks the key up and returns the
 * existing job instead of creating a second one.
 */
export async function createJobIdempotently(
	this: IExecuteFunctions,
	body: InitTranscriptionRequest,
	itemIndex: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<InitTranscriptionResponse> {
	const tagged = withIdempotencyKey(body);
	checkTaggedMetadataSize(this, tagged.body, itemIndex);
	let mayExist = false;
	const attempt = async () => {
		if (mayExist) {
			const existing = await findJobByIdempotencyKey.call(this, tagged.key, itemIndex);
			if (existing) return existing;
		}
		const sent = await settle(
			async () =>
				await send<InitTranscriptionResponse>(this, {
					method: 'POST',
					path: '/v2/pre-recorded',
					body: tagged.body,
					itemIndex,
					retry: false,
				}),
		);
		if (sent.ok) return sent.value;
		mayExist ||= isAmbiguousError(sent.error);
		throw sent.error;
	};
	const signal = this.getExecutionCancelSignal();
	const created = await settle(async () => await withRetries(attempt, { policy, signal }));
	if (created.ok) return created.value;
	if (!mayExist) throw created.error;
	throw mayExistError(this, created.error, tagged.key, itemIndex);
}
