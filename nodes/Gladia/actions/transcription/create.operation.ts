// Transcription → Create: start a job (or find the earlier one, Reuse Earlier Job) and return
// {id, result_url} without waiting.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	maxConcurrentJobsField,
	optionsCollection,
	reuseEarlierJobFields,
	transcriptionAudioSourceFields,
} from '../common.description';
import {
	forEachItemConcurrently,
	maxConcurrentJobs,
	reuseIsOn,
	startTranscription,
} from '../common';
import { transcriptionOptionFields } from './options.description';

const properties: INodeProperties[] = [
	...transcriptionAudioSourceFields,
	...transcriptionOptionFields,
	optionsCollection([maxConcurrentJobsField, ...reuseEarlierJobFields]),
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
		const started = await startTranscription(this, itemIndex);
		const json = { id: started.id, result_url: started.result_url };
		// With Reuse Earlier Job on, `reused` says whether this is an earlier job (maybe still running).
		const reuse = reuseIsOn(this, itemIndex) ? { reused: started.reused } : {};
		return [{ json: { ...json, ...reuse }, pairedItem: { item: itemIndex } }];
	});
}
