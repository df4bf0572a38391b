// Idempotent create: a create whose answer was lost (reset, timeout, 5xx) may still have made a
// billed job at Gladia, so before sending it again we look for it by a key stored in its
// custom_metadata.
import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { gladiaRequest, type GladiaRequest } from '../transport';
import {
	DEFAULT_RETRY_POLICY,
	isAmbiguousError,
	settle,
	withRetries,
	type RetryPolicy,
} from '../transport/retry';
import { MAX_CUSTOM_METADATA_CHARS } from './body';
import { invalidParameter } from './errors';
import type { InitTranscriptionRequest, InitTranscriptionResponse, ListResponse } from './types';

/** custom_metadata key carrying the idempotency key (a user-supplied value is kept). */
export const IDEMPOTENCY_FIELD = 'n8n_idempotency_key';
/** Gladia's documented limit on the stringified custom_metadata (one constant, in body.ts). */
export const CUSTOM_METADATA_MAX_CHARS = MAX_CUSTOM_METADATA_CHARS;

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

/** The job created with `key`, if Gladia has one (Get Many filtered on custom_metadata). */
export async function findJobByIdempotencyKey(
	this: IExecuteFunctions,
	key: string,
	itemIndex: number,
): Promise<InitTranscriptionResponse | undefined> {
	const list = await gladiaRequest.call<IExecuteFunctions, [GladiaRequest], Promise<ListResponse>>(
		this,
		{
			method: 'GET',
			path: '/v2/pre-recorded',
			// Gladia's docs show the filter as a JSON object in the query string.
			qs: { custom_metadata: JSON.stringify({ [IDEMPOTENCY_FIELD]: key }), limit: 10 },
			itemIndex,
		},
	);
	// Checked here too: a server that ignored the filter must not hand us someone else's job.
	const job = list.items.find((item) => item.custom_metadata?.[IDEMPOTENCY_FIELD] === key);
	if (!job) return undefined;
	return { id: job.id, result_url: new URL(`/v2/pre-recorded/${job.id}`, list.current).href };
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
	const metadataChars = JSON.stringify(tagged.body.custom_metadata).length;
	if (metadataChars > CUSTOM_METADATA_MAX_CHARS) {
		throw invalidParameter(
			this.getNode(),
			itemIndex,
			'Custom Metadata',
			`is ${metadataChars} characters as JSON once the "${IDEMPOTENCY_FIELD}" key is added, over Gladia's ${CUSTOM_METADATA_MAX_CHARS}`,
			'Shorten the Custom Metadata option of this item.',
		);
	}

	let mayExist = false;
	const created = await settle(
		async () =>
			await withRetries(
				async () => {
					if (mayExist) {
						const existing = await findJobByIdempotencyKey.call(this, tagged.key, itemIndex);
						if (existing) return existing;
					}
					const sent = await settle(
						async () =>
							await gladiaRequest.call<
								IExecuteFunctions,
								[GladiaRequest],
								Promise<InitTranscriptionResponse>
							>(this, {
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
				},
				{ policy, signal: this.getExecutionCancelSignal() },
			),
	);
	if (created.ok) return created.value;
	if (!mayExist) throw created.error;
	const original = created.error as Error & { description?: string | null };
	const hint = `Gladia may have created the job anyway. Before running this item again, look for it with Transcription → Get Many filtered on custom_metadata {"${IDEMPOTENCY_FIELD}": "${tagged.key}"}.`;
	throw new NodeOperationError(this.getNode(), original, {
		itemIndex,
		description: original.description ? `${original.description}\n${hint}` : hint,
	});
}
