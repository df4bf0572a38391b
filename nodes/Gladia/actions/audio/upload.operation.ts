// Audio → Upload: a binary file (streamed) or a public URL (imported by Gladia) → audio_url.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { importAudioUrl, uploadBinary } from '../../transport/files';
import {
	audioSourceField,
	audioUrlField,
	binaryPropertyField,
	maxConcurrentJobsField,
	optionsCollection,
} from '../common.description';
import { forEachItemConcurrently, maxConcurrentJobs } from '../common';

const properties: INodeProperties[] = [
	audioSourceField('binary', {
		binary: 'Upload a file from a previous node (streamed, up to 1000 MB)',
		url: 'Have Gladia fetch a public URL and store a copy',
	}),
	binaryPropertyField,
	{ ...audioUrlField, description: 'Public link to an audio or video file for Gladia to fetch' },
	optionsCollection([maxConcurrentJobsField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['audio'], operation: ['upload'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItemConcurrently(this, items, maxConcurrentJobs(this), async (itemIndex) => {
		const source = this.getNodeParameter('audioSource', itemIndex) as string;
		const uploaded =
			source === 'binary'
				? await uploadBinary(
						this,
						itemIndex,
						this.getNodeParameter('binaryPropertyName', itemIndex) as string,
					)
				: await importAudioUrl(
						this,
						itemIndex,
						this.getNodeParameter('audioUrl', itemIndex) as string,
					);
		return [{ json: uploaded as unknown as IDataObject, pairedItem: { item: itemIndex } }];
	});
}
