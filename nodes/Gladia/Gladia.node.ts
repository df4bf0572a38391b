import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as audio from './actions/audio/Audio.resource';
import { router } from './actions/router';
import * as transcription from './actions/transcription/Transcription.resource';
import { searchTranscriptions } from './actions/transcription/listSearch';
import { receiveCallback } from './actions/transcription/transcribe.callback';
import { CREDENTIAL_TYPE } from './helpers/constants';

export class Gladia implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Gladia',
		name: 'gladia',
		icon: { light: 'file:../../icons/gladia.svg', dark: 'file:../../icons/gladia.dark.svg' },
		group: ['transform'],
		version: 1,
		// Shown under the node's name on the canvas: the operation as the user reads it.
		subtitle:
			'={{ ({ transcribe: "Transcribe", create: "Create Transcription", get: "Get Transcription", getMany: "Get Many Transcriptions", delete: "Delete Transcription", downloadAudio: "Download Audio", upload: "Upload Audio" })[$parameter["operation"]] || $parameter["operation"] }}',
		description:
			'Transcribe audio and video to text with Gladia: speakers, summaries, translations and subtitles',
		defaults: { name: 'Gladia' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		// Transcribe's Wait Mode "Callback" (transcribe.callback.ts): Gladia calls the execution's resume
		// URL. Restart webhooks exist only for waiting executions; n8n never registers them.
		webhooks: (['POST', 'PUT'] as const).map((httpMethod) => ({
			name: 'default' as const,
			httpMethod,
			responseMode: 'onReceived',
			path: '',
			restartWebhook: true,
		})),
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Audio', value: 'audio' },
					{ name: 'Transcription', value: 'transcription' },
				],
				default: 'transcription',
			},
			...audio.description,
			...transcription.description,
		],
	};

	methods = { listSearch: { searchTranscriptions } };

	// Nothing to register at Gladia: each job carries its own callback URL (lint wants these).
	webhookMethods = {
		default: {
			checkExists: async (): Promise<boolean> => true,
			create: async (): Promise<boolean> => true,
			delete: async (): Promise<boolean> => true,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveCallback.call(this);
	}
}
