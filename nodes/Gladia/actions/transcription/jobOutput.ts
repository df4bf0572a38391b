// The output of Get and Transcribe for a finished job: as configured, or, when an AI Agent
// calls the node as a tool, a bounded answer (helpers/toolAnswer.ts) that fits a model's context;
// then, with Delete From Gladia After Fetching, the job deleted at Gladia.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { simplifyJob } from '../../helpers/output';
import { isToolNodeType, toolAnswer } from '../../helpers/toolAnswer';
import type { PreRecordedJob } from '../../helpers/types';
import { jobToItems, readOutputSettings } from '../common';
import { deleteAfterFetching } from './deleteAfter';

/** Whether an AI Agent runs this node as a tool (see isToolNodeType for the two ways). */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return isToolNodeType(ctx.getNode().type) || ctx.isToolExecution?.() === true;
}

/**
 * The items for one finished job. As a tool with Simplify on (the default) the answer is
 * bounded whatever Output Items says (one row per utterance would flood the model too);
 * Simplify off is an explicit request for Gladia's job object and stays as it is.
 */
export async function jobOutput(
	ctx: IExecuteFunctions,
	job: PreRecordedJob,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const settings = readOutputSettings(ctx, itemIndex);
	const items =
		runsAsTool(ctx) && settings.simplify
			? [{ json: toolAnswer(simplifyJob(job)), pairedItem: { item: itemIndex } }]
			: await jobToItems(ctx, job, itemIndex, settings);
	// Only now that the output is built may the job go (Delete From Gladia After Fetching).
	return await deleteAfterFetching(ctx, job, items, itemIndex, settings);
}
