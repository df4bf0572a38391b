// Transcription → Delete: removes the job, its audio and its result at Gladia.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { itemLabel } from '../../helpers/errors';
import { gladiaRequest } from '../../transport';
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
			await gladiaRequest.call(this, {
				method: 'DELETE',
				path: `/v2/pre-recorded/${encodeURIComponent(id)}`,
				itemIndex,
			});
		} catch (error) {
			if (error instanceof NodeApiError && error.httpCode === '403') {
				// Gladia answers 403 while the job is queued or processing.
				throw new NodeApiError(this.getNode(), error.errorResponse ?? {}, {
					message: `Gladia cannot delete transcription ${id} while it is queued or processing${itemLabel(itemIndex)}`,
					description:
						'Wait until it is done or failed (Transcription → Get with "Wait Until Done"), then delete it.',
					httpCode: '403',
					itemIndex,
				});
			}
			throw new NodeApiError(this.getNode(), error as never, { itemIndex });
		}
		return [{ json: { deleted: true, id }, pairedItem: { item: itemIndex } }];
	});
}
