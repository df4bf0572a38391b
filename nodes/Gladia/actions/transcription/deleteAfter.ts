// Delete From Gladia After Fetching, for the Gladia node: once a finished job's output items are
// built (subtitle files included), the job is deleted at Gladia and every item says how that went
// (`gladia_delete`). Works in an execute context and in callback mode's webhook().
import type { INodeExecutionData } from 'n8n-workflow';

import { withDeleteOutcome } from '../../helpers/output';
import type { PreRecordedJob } from '../../helpers/types';
import { deleteFetchedJob } from '../../transport/deleteAfter';
import type { RequestContext } from '../../transport';

/**
 * The job's items, unchanged when the option is off; else the job deleted at Gladia (done or
 * failed jobs only) and the outcome on each item. A failed delete is a warning, never an error.
 */
export async function deleteAfterFetching(
	ctx: RequestContext,
	job: PreRecordedJob,
	items: INodeExecutionData[],
	itemIndex: number,
	settings: { deleteAfterFetch?: boolean },
): Promise<INodeExecutionData[]> {
	if (!settings.deleteAfterFetch) return items;
	const outcome = await deleteFetchedJob(ctx, job, { itemIndex });
	if (!outcome.deleted) warn(ctx, `Item ${itemIndex}: ${outcome.error}`);
	return withDeleteOutcome(items, outcome);
}

/** In the log, and (in an execute context) above the node's output in the editor. */
function warn(ctx: RequestContext, message: string): void {
	ctx.logger.warn(`Gladia: ${message}`, { node: ctx.getNode().name });
	if ('addExecutionHints' in ctx)
		ctx.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
}
