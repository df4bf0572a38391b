// Delete From Gladia After Fetching: removes a finished job (its audio and its transcript) at
// Gladia once its result is in the output. Used by the Gladia node (execute, and callback mode's
// webhook) and by the Gladia Trigger. It never throws: a failed delete must not lose a result
// that is already built, so the outcome is returned for the item to show.
import type { IDataObject } from 'n8n-workflow';

import type { PreRecordedJob } from '../helpers/types';
import type { RequestContext } from './index';
import { deleteJob } from './jobs';
import { cancelSignalOf, DELETE_AFTER_FETCH_POLICY, httpStatusOf, withRetries } from './retry';

/** What happened to the job at Gladia: `{ deleted: true }`, or `{ deleted: false, error }`. */
export interface DeleteOutcome extends IDataObject {
	deleted: boolean;
	error?: string;
}

export interface DeleteAfterFetchOptions {
	itemIndex?: number;
	/** Per attempt, in ms (the trigger has little time: its sender waits for the answer). */
	timeout?: number;
}

/** Deletes the job unless it is still queued or processing; the outcome, never an exception. */
export async function deleteFetchedJob(
	ctx: RequestContext,
	job: Pick<PreRecordedJob, 'id' | 'status'>,
	options: DeleteAfterFetchOptions = {},
): Promise<DeleteOutcome> {
	if (job.status !== 'done' && job.status !== 'error') {
		// Deleting now would throw away the transcript before it exists (Gladia refuses it anyway).
		return {
			deleted: false,
			error: `Not deleted: job ${job.id} is ${job.status}; only a done or failed job is deleted. Wait Until Done, or delete it later with Transcription → Delete.`,
		};
	}
	const { itemIndex, timeout } = options;
	try {
		await withRetries(
			async () => await deleteJob(ctx, job.id, { itemIndex, timeout, retry: false }),
			{ policy: DELETE_AFTER_FETCH_POLICY, signal: cancelSignalOf(ctx) },
		);
		return { deleted: true };
	} catch (error) {
		// Gladia just answered for this job, so a 404 now means it is gone already (deleted
		// elsewhere, or by an earlier attempt whose answer was lost): what was asked for.
		if (httpStatusOf(error) === 404) return { deleted: true };
		return {
			deleted: false,
			error: `Could not delete job ${job.id} at Gladia: ${reasonOf(error)}. The result is complete; delete the job later with Transcription → Delete.`,
		};
	}
}

/** The error's message without the parts that repeat here ("Gladia: …", "[item 0]"). */
function reasonOf(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.replace(/^Gladia: /, '').replace(/ \[item \d+\]$/, '');
}
