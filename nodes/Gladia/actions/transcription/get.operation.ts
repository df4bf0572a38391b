// Transcription → Get: one job by ID, optionally waiting until it is done.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { jobFailedError } from '../../helpers/errors';
import { getJob } from '../../transport/jobs';
import { JobPoller } from '../../transport/poller';
import {
	optionsCollection,
	outputFields,
	transcriptionIdField,
	waitFields,
} from '../common.description';
import {
	forEachItemConcurrently,
	readTranscriptionId,
	waitOptionsFor,
} from '../common';
import { jobOutput } from './jobOutput';

const properties: INodeProperties[] = [
	transcriptionIdField,
	{
		displayName: 'Wait Until Done',
		name: 'waitUntilDone',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait while the transcription is queued or processing, and fail the item if Gladia reports an error',
	},
	...outputFields,
	optionsCollection(waitFields, { show: { waitUntilDone: [true] } }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['transcription'], operation: ['get'] } },
	properties,
);

/** Parallel GETs for many IDs; waiting jobs share one poller. */
const READ_CONCURRENCY = 5;

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	let poller: JobPoller | undefined;
	return await forEachItemConcurrently(this, items, READ_CONCURRENCY, async (itemIndex) => {
		const id = readTranscriptionId(this, itemIndex);
		const wait = this.getNodeParameter('waitUntilDone', itemIndex, false) as boolean;
		let job = await getJob(this, id, { itemIndex });
		if (wait && (job.status === 'queued' || job.status === 'processing')) {
			poller ??= new JobPoller(this, waitOptionsFor(this, itemIndex));
			const outcome = await poller.wait({
				id: job.id,
				itemIndex,
				audioDuration: job.file?.audio_duration ?? undefined,
			});
			if (!outcome.ok) throw outcome.error;
			job = outcome.job;
		}
		if (wait && job.status === 'error') throw jobFailedError(this.getNode(), job, itemIndex);
		return await jobOutput(this, job, itemIndex);
	});
}
