// Transcription → Delete: removes the job, its audio and its result at Gladia.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { itemLabel } from '../../helpers/errors';
import { deleteJob, getJob } from '../../transport/jobs';
import { transcriptionIdField } from '../common.description';
import { forEachItem, readTranscriptionId } from '../common';

export const description = updateDisplayOptions(
	{ show: { resource: ['transcription'], operation: ['delete'] } },
	[transcriptionIdField],
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const id = readTranscriptionId(this, itemIndex);
		try {
			await deleteJob(this, id, { itemIndex });
		} catch (error) {
			if (
				error instanceof NodeApiError &&
				error.httpCode === '403' &&
				(await isUnfinished.call(this, id, itemIndex))
			) {
				throw new NodeApiError(this.getNode(), error.errorResponse ?? {}, {
					message: `Gladia cannot delete transcription ${id} while it is queued or processing${itemLabel(itemIndex)}`,
					description:
						'Wait until it is done or failed (Transcription → Get with "Wait Until Done"), then delete it.',
					httpCode: '403',
					itemIndex,
				});
			}
			// Any other refusal (a 403 for a plan restriction too) keeps Gladia's own message.
			throw new NodeApiError(this.getNode(), error as never, { itemIndex });
		}
		return [{ json: { deleted: true, id }, pairedItem: { item: itemIndex } }];
	});
}

/** Whether the job is still queued or processing: Gladia's 403 then means "not yet". */
async function isUnfinished(
	this: IExecuteFunctions,
	id: string,
	itemIndex: number,
): Promise<boolean> {
	try {
		const job = await getJob(this, id, { itemIndex });
		return job.status === 'queued' || job.status === 'processing';
	} catch {
		return false;
	}
}
