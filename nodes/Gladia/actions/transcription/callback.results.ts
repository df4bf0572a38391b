// The outputs of a finished callback batch, in input order: each item's result items, or its
// error. Built in webhook() when the last job calls back, or in execute() when no job of the
// batch needs a callback (every item failed before the wait or came with a finished job).
import type { INode, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorItem, itemLabel, jobFailedError } from '../../helpers/errors';
import type { BinaryPreparer } from '../../helpers/output';
import type { PreRecordedJob } from '../../helpers/types';
import type { RequestContext } from '../../transport';
import { getJob } from '../../transport/jobs';
import { CALLBACK_READ_POLICY, settle, withRetries } from '../../transport/retry';
import { jobToItems, markReused, type OutputSettings } from '../common';
import { deleteAfterFetching } from './deleteAfter';

export type ItemOutcome =
	| { ok: true; items: INodeExecutionData[] }
	| { ok: false; error: NodeApiError | NodeOperationError };

const failure = (error: NodeApiError | NodeOperationError): ItemOutcome => ({ ok: false, error });

/** An item that has no result, with why and what to do. */
export function itemFailure(
	node: INode,
	itemIndex: number,
	message: string,
	description?: string,
): ItemOutcome {
	return failure(
		new NodeOperationError(node, `${message}${itemLabel(itemIndex)}`, { itemIndex, description }),
	);
}

/** One item's outcome from its job: Poll mode's items, or the job's failure. */
export async function outcomeOfJob(
	ctx: RequestContext & BinaryPreparer,
	job: PreRecordedJob,
	itemIndex: number,
	settings: OutputSettings,
): Promise<ItemOutcome> {
	const node = ctx.getNode();
	if (job.status === 'error') return failure(jobFailedError(node, job, itemIndex));
	if (job.status !== 'done') {
		return itemFailure(
			node,
			itemIndex,
			`Job ${job.id} was still ${job.status} when the batch ended`,
			'Read its result later with Transcription → Get.',
		);
	}
	const items = await jobToItems(ctx, job, itemIndex, settings);
	return { ok: true, items: await deleteAfterFetching(ctx, job, items, itemIndex, settings) };
}

/** Gladia's record of a job, retried briefly only (Gladia may be waiting for our answer). */
export async function readJobBriefly(ctx: RequestContext, id: string) {
	return await settle(
		async () =>
			await withRetries(async () => await getJob(ctx, id, { retry: false }), {
				policy: CALLBACK_READ_POLICY,
			}),
	);
}

/** The outcome of an item that came with a job finished earlier (no callback comes for it). */
export async function outcomeOfExistingJob(
	ctx: RequestContext & BinaryPreparer,
	jobId: string,
	itemIndex: number,
	settings: OutputSettings,
): Promise<ItemOutcome> {
	const read = await readJobBriefly(ctx, jobId);
	if (read.ok) return await outcomeOfJob(ctx, read.value, itemIndex, settings);
	return itemFailure(
		ctx.getNode(),
		itemIndex,
		`Could not read job ${jobId} from Gladia: ${(read.error as Error).message}`,
		'Its result stays at Gladia: read it with Transcription → Get.',
	);
}

/**
 * With Reuse Earlier Job on, each result says whether its job was reused (an item that came
 * with an earlier job) or created for this batch, as in Poll mode.
 */
export function withReusedFlags(
	outcomes: ItemOutcome[],
	reusedItems: ReadonlyMap<number, string>,
	reuseOn: boolean,
): ItemOutcome[] {
	if (!reuseOn) return outcomes;
	return outcomes.map((outcome, i) =>
		outcome.ok ? { ok: true, items: markReused(outcome.items, reusedItems.has(i)) } : outcome,
	);
}

/** The first failure, thrown, when the node does not continue on fail. */
function throwFirstFailure(outcomes: ItemOutcome[]): void {
	const first = outcomes.find((outcome) => !outcome.ok);
	if (first && !first.ok) throw first.error;
}

/**
 * The node's outputs as webhook() returns them. On Error → Continue: failures are error items
 * in place (regular output) or on output 1 (error output), as n8n does for execute().
 */
export function webhookOutputs(node: INode, outcomes: ItemOutcome[]): INodeExecutionData[][] {
	const errors = outcomes.flatMap((outcome, index) =>
		outcome.ok ? [] : [errorItem(outcome.error, index, node)],
	);
	if (node.onError === 'continueErrorOutput') {
		return [outcomes.flatMap((outcome) => (outcome.ok ? outcome.items : [])), errors];
	}
	if (node.onError !== 'continueRegularOutput') throwFirstFailure(outcomes);
	return [
		outcomes.flatMap((outcome, index) =>
			outcome.ok ? outcome.items : [errorItem(outcome.error, index, node)],
		),
	];
}

/** The node's output as execute() returns it (n8n routes error items itself). */
export function executeOutput(
	node: INode,
	continueOnFail: boolean,
	outcomes: ItemOutcome[],
): INodeExecutionData[] {
	if (!continueOnFail) throwFirstFailure(outcomes);
	return outcomes.flatMap((outcome, index) =>
		outcome.ok ? outcome.items : [errorItem(outcome.error, index, node)],
	);
}
