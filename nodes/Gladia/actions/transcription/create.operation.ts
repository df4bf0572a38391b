// Transcription → Create: start a job and return {id, result_url} without waiting.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { createJobIdempotently } from '../../transport/jobs';
import {
	maxConcurrentJobsField,
	optionsCollection,
	transcriptionAudioSourceFields,
} from '../common.description';
import { forEachItemConcurrently, maxConcurrentJobs, prepareTranscription } from '../common';
import { transcriptionOptionFields } from './options.description';

const properties: INodeProperties[] = [
	...transcriptionAudioSourceFields,
	...transcriptionOptionFields,
	optionsCollection([maxConcurrentJobsField]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['transcription'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItemConcurrently(this, items, maxConcurrentJobs(this), async (itemIndex) => {
		const { body } = await prepareTranscription(this, itemIndex);
		const created = await createJobIdempotently.call(this, body, itemIndex);
		return [
			{ json: { id: created.id, result_url: created.result_url }, pairedItem: { item: itemIndex } },
		];
	});
}
