// Transcription → Transcribe: upload if needed → create → wait → result, in one step.
// Poll mode: a few items at a time (Max Concurrent Jobs), all waiting jobs polled by one loop.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { jobFailedError } from '../../helpers/errors';
import { JobPoller, type WaitOutcome } from '../../transport/poller';
import {
	maxConcurrentJobsField,
	optionsCollection,
	outputFields,
	reuseEarlierJobFields,
	transcriptionAudioSourceFields,
	waitFields,
} from '../common.description';
import {
	forEachItemConcurrently,
	markReused,
	maxConcurrentJobs,
	readOutputSettings,
	reuseIsOn,
	startTranscription,
	waitOptionsFor,
	type StartedJob,
} from '../common';
import { jobOutput } from './jobOutput';
import { startCallbackWait } from './transcribe.callback';
import { transcriptionOptionFields } from './options.description';

/** Callback wait mode sets Gladia's callback itself, so the user's own one is hidden there. */
const USER_CALLBACK_FIELDS = ['callback', 'callbackUrl', 'callbackMethod'];
/** Options that only matter while polling (callback mode never polls). */
const POLL_ONLY_OPTIONS = ['minPollIntervalSeconds', 'maxPollIntervalSeconds'];

/** Hidden in callback mode ("/" points at the node's top-level Wait Mode from inside Options). */
const pollOnly = (field: INodeProperties): INodeProperties =>
	POLL_ONLY_OPTIONS.includes(field.name)
		? { ...field, displayOptions: { hide: { '/waitMode': ['callback'] } } }
		: field;

const properties: INodeProperties[] = [
	...transcriptionAudioSourceFields,
	{
		displayName: 'Wait Mode',
		name: 'waitMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Callback',
				value: 'callback',
				description:
					'Pause until Gladia calls n8n back. Resumes once for all items, without polling; needs a public n8n URL.',
			},
			{
				name: 'Poll',
				value: 'poll',
				description: 'Check the status until done. Works everywhere, many items at once.',
			},
		],
		default: 'poll',
	},
	{
		displayName:
			'Gladia must be able to reach this n8n at its public webhook URL. On self-hosted n8n, set N8N_WEBHOOK_URL (WEBHOOK_URL before n8n 2) to that public address: localhost or a private network address will not work with Gladia. Every item\'s job is created (Max Concurrent Jobs at a time), then the execution waits, holding no worker, and resumes once, when the last job has called back, with all results in input order. Gladia runs as many jobs at once as your plan allows (Free 3, paid 25) and queues more on paid plans (up to 300); a create beyond that is refused (429), retried for up to 2 minutes, then fails its item: on the Free plan send batches of at most 3 (Loop Over Items) or use Poll. If Max Wait passes first, the next node gets each input item with gladia.status = "timed_out": check it with an If node.',
		name: 'callbackNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitMode: ['callback'] } },
	},
	...transcriptionOptionFields.map((field) =>
		USER_CALLBACK_FIELDS.includes(field.name)
			? { ...field, displayOptions: { ...field.displayOptions, hide: { waitMode: ['callback'] } } }
			: field,
	),
	// Transcribe makes the job, so there are subtitle files only with Generate Subtitles on.
	...outputFields.map((field) =>
		field.name === 'subtitlesAsBinary'
			? { ...field, displayOptions: { show: { subtitles: [true] } } }
			: field,
	),
	optionsCollection(
		[maxConcurrentJobsField, ...waitFields, ...reuseEarlierJobFields].map(pollOnly),
	),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['transcription'], operation: ['transcribe'] } },
	properties,
);

/** A started job's final state: a reused job that is done needs no poll; any other is waited for. */
async function finalState(
	poller: JobPoller,
	started: StartedJob,
	itemIndex: number,
): Promise<WaitOutcome> {
	if (!started.reused) {
		return await poller.wait({ id: started.id, itemIndex, audioDuration: started.audioDuration });
	}
	if (started.job.status === 'done') return { ok: true, job: started.job };
	return await poller.wait({ id: started.id, itemIndex });
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const waitMode = this.getNodeParameter('waitMode', 0, 'poll') as string;
	// Callback wait mode: create, then park the execution until Gladia calls back (transcribe.callback.ts).
	if (waitMode === 'callback') return await startCallbackWait.call(this, items);

	const poller = new JobPoller(this, waitOptionsFor(this, 0));
	return await forEachItemConcurrently(this, items, maxConcurrentJobs(this), async (itemIndex) => {
		readOutputSettings(this, itemIndex); // a bad Price per Audio Hour fails before a job is billed
		const started = await startTranscription(this, itemIndex);
		const outcome = await finalState(poller, started, itemIndex);
		if (!outcome.ok) throw outcome.error;
		if (outcome.job.status === 'error')
			throw jobFailedError(this.getNode(), outcome.job, itemIndex);
		const output = await jobOutput(this, outcome.job, itemIndex);
		if (!reuseIsOn(this, itemIndex)) return output;
		return markReused(output, started.reused);
	});
}
