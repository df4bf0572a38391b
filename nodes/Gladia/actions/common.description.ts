// Parameters used by several operations. Operations wrap them with updateDisplayOptions.
import type { INodeProperties } from 'n8n-workflow';

import {
	ID_MODE_PATTERN,
	TRANSCRIPTION_ID_FIELD,
	URL_EXTRACT_PATTERN,
	URL_MODE_PATTERN,
} from './transcriptionId';

export const binaryPropertyField: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	displayOptions: { show: { audioSource: ['binary'] } },
	hint: 'The name of the input field containing the binary file data to be processed',
	description: 'Binary property holding the audio or video file (up to 1000 MB)',
};

export const audioUrlField: INodeProperties = {
	displayName: 'Audio URL',
	name: 'audioUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'https://example.com/meeting.mp3',
	displayOptions: { show: { audioSource: ['url'] } },
	description:
		'Public link to an audio or video file (YouTube, Vimeo and similar links work too), or the audio_url returned by Audio → Upload',
};

/** Where the audio comes from (Upload: binary by default; Create and Transcribe: URL). */
export function audioSourceField(
	defaultSource: 'binary' | 'url',
	descriptions: { binary: string; url: string },
): INodeProperties {
	return {
		displayName: 'Audio Source',
		name: 'audioSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Binary File', value: 'binary', description: descriptions.binary },
			{ name: 'URL', value: 'url', description: descriptions.url },
		],
		default: defaultSource,
	};
}

/** For Create and Transcribe, where a URL is passed to Gladia as is. */
export const transcriptionAudioSourceFields: INodeProperties[] = [
	audioSourceField('url', {
		binary: 'A file from a previous node; it is uploaded to Gladia first',
		url: 'A public URL, or an audio_url returned by Audio → Upload',
	}),
	audioUrlField,
	binaryPropertyField,
];

/** The operation's "Options" collection. */
export function optionsCollection(
	options: INodeProperties[],
	displayOptions?: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		...(displayOptions ? { displayOptions } : {}),
		options,
	};
}

/** Key/value pairs matched against (or stored as) a transcription's custom_metadata. */
export function customMetadataField(placeholder: string, description: string): INodeProperties {
	return {
		displayName: 'Custom Metadata',
		name: 'customMetadata',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder,
		default: {},
		description,
		options: [
			{
				displayName: 'Entry',
				name: 'entries',
				values: [
					{
						displayName: 'Key',
						name: 'key',
						type: 'string',
						default: '',
						placeholder: 'e.g. customerId',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
				],
			},
		],
	};
}

export const transcriptionIdField: INodeProperties = {
	displayName: TRANSCRIPTION_ID_FIELD,
	name: 'transcriptionId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The transcription to use: pick it from your recent jobs, or give its ID or result_url',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a transcription...',
			typeOptions: { searchListMethod: 'searchTranscriptions', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 45463597-20b7-4af7-b3b3-f5fb778203ab',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: ID_MODE_PATTERN,
						errorMessage:
							'Transcription ID: not an ID. Use the id returned by Create or Transcribe, e.g. 45463597-20b7-4af7-b3b3-f5fb778203ab.',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder:
				'e.g. https://api.gladia.io/v2/pre-recorded/45463597-20b7-4af7-b3b3-f5fb778203ab',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: URL_MODE_PATTERN,
						errorMessage:
							'Transcription ID: not a link to a transcription. Paste its result_url, e.g. https://api.gladia.io/v2/pre-recorded/45463597-20b7-4af7-b3b3-f5fb778203ab.',
					},
				},
			],
			extractValue: { type: 'regex', regex: URL_EXTRACT_PATTERN },
		},
	],
};

export const maxConcurrentJobsField: INodeProperties = {
	displayName: 'Max Concurrent Jobs',
	name: 'maxConcurrentJobs',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 100 },
	default: 3,
	description:
		'How many items are sent to Gladia at the same time. Gladia allows 3 concurrent jobs on the Free plan and 25 on paid plans.',
};

export const waitFields: INodeProperties[] = [
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1800,
		description:
			'How long to wait for one transcription before giving up on it (the job keeps running at Gladia). Gladia needs about 1 second per minute of audio, plus queueing.',
	},
	{
		displayName: 'Min Poll Interval (Seconds)',
		name: 'minPollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 1,
		description: 'Shortest time between two status checks of one job',
	},
	{
		displayName: 'Max Poll Interval (Seconds)',
		name: 'maxPollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 30,
		description: 'Longest time between two status checks of one job once it is overdue',
	},
];

/** How a finished job is output (Get, Transcribe). */
export const outputFields: INodeProperties[] = [
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return a flat, LLM-ready result (transcript, "Speaker 1: …" text, utterances, summary, translations…) instead of Gladia’s raw job object',
	},
	{
		displayName: 'Output Items',
		name: 'outputItems',
		type: 'options',
		options: [
			{
				name: 'One per Transcription',
				value: 'job',
				description: 'One item per transcription',
			},
			{
				name: 'One per Utterance',
				value: 'utterance',
				description:
					'One flat row per utterance (speaker, start, end, text…), ready for Google Sheets or a CRM',
			},
		],
		default: 'job',
	},
	{
		displayName: 'Subtitles as Binary',
		name: 'subtitlesAsBinary',
		type: 'boolean',
		default: false,
		description:
			'Whether to also output the subtitle files Gladia produced (Generate Subtitles) as binary properties: subtitles_srt, subtitles_vtt, and per translation subtitles_fr_srt, … (with One per Utterance, on the first row)',
	},
	pricePerAudioHourField({ show: { simplify: [true] } }),
	{
		displayName: 'Delete From Gladia After Fetching',
		name: 'deleteAfterFetch',
		type: 'boolean',
		default: false,
		description:
			'Whether to delete the transcription (audio and transcript) at Gladia once its result is in this node’s output. A failed delete keeps the result and says why in gladia_delete. Jobs still processing and jobs that fail the item are kept.',
	},
];

/** Reuse Earlier Job (Create, Transcribe): find the job Gladia already made for this audio and these options. */
export const reuseEarlierJobFields: INodeProperties[] = [
	{
		displayName: 'Reuse Earlier Job',
		name: 'reuseEarlierJob',
		type: 'boolean',
		default: false,
		description:
			'Whether to reuse the job Gladia already has for the same audio and the same options instead of creating (and paying for) a new one: a finished job’s result is returned, a running one is waited for. Makes a retried or re-run execution bill nothing twice. A job that failed or was deleted is not reused.',
	},
	{
		displayName: 'Reuse Key',
		name: 'reuseKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.recordingId }}',
		description:
			'With Reuse Earlier Job on: identifies the recording in place of its audio, e.g. a CRM recording ID (usually an expression). A job made with the same key and the same options is reused. Without it, the Audio URL or the binary file’s content identifies the recording.',
	},
];

/** Price per Audio Hour: estimated_cost from billing_time (Get, Transcribe, Get Many). */
export function pricePerAudioHourField(
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Price per Audio Hour',
		name: 'pricePerAudioHour',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 0,
		displayOptions,
		description:
			'Your Gladia plan’s price for one hour of audio, in your plan’s currency (e.g. 0.61 on Starter). Adds estimated_cost = billing_time / 3600 × price. 0 = no estimate.',
	};
}
