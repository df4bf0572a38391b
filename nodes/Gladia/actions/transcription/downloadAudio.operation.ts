// Transcription → Download Audio: the job's original file as binary data.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { downloadJobFile } from '../../transport/files';
import { transcriptionIdField } from '../common.description';
import { forEachItem, readTranscriptionId } from '../common';

const properties: INodeProperties[] = [
	transcriptionIdField,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['transcription'], operation: ['downloadAudio'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const id = readTranscriptionId(this, itemIndex);
		const property =
			(this.getNodeParameter('binaryPropertyName', itemIndex) as string).trim() || 'data';
		const file = await downloadJobFile(this, itemIndex, id);
		return [
			{
				json: {
					id,
					file_name: file.fileName ?? null,
					mime_type: file.mimeType,
					size: file.bytes ?? null,
				},
				binary: { [property]: file },
				pairedItem: { item: itemIndex },
			},
		];
	});
}
