import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteTranscription from './delete.operation';
import * as downloadAudio from './downloadAudio.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as transcribe from './transcribe.operation';

export { create, deleteTranscription as delete, downloadAudio, get, getMany, transcribe };

/**
 * Transcribe, the action most workflows need, comes first; the others follow alphabetically.
 * (Its place in the list changes nothing stored: workflows save the value, and the default
 * stays 'transcribe'.)
 */
const OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Transcribe',
		value: 'transcribe',
		description: 'Upload if needed, transcribe and wait for the result, in one step',
		action: 'Transcribe audio',
	},
	{
		name: 'Create',
		value: 'create',
		description: 'Start a transcription and return its ID without waiting',
		action: 'Create a transcription',
	},
	{
		name: 'Delete',
		value: 'delete',
		description: 'Delete a transcription, its audio and its result',
		action: 'Delete a transcription',
	},
	{
		name: 'Download Audio',
		value: 'downloadAudio',
		description: 'Download the original audio of a transcription',
		action: 'Download the audio of a transcription',
	},
	{
		name: 'Get',
		value: 'get',
		description: 'Get a transcription, optionally waiting until it is done',
		action: 'Get a transcription',
	},
	{
		name: 'Get Many',
		value: 'getMany',
		description: 'List transcriptions, with filters',
		action: 'Get many transcriptions',
	},
];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['transcription'] } },
		options: OPERATIONS,
		default: 'transcribe',
	},
	...transcribe.description,
	...create.description,
	...get.description,
	...getMany.description,
	...deleteTranscription.description,
	...downloadAudio.description,
];
