import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { TRANSCRIPTION_EVENTS } from './helpers/callback';
import { CREDENTIAL_TYPE } from './helpers/constants';
import { checkSigningSecret, receiveEvent } from './trigger/webhook';

export class GladiaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Gladia Trigger',
		name: 'gladiaTrigger',
		icon: { light: 'file:../../icons/gladia.svg', dark: 'file:../../icons/gladia.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			'Gladia speech-to-text: transcribe audio and video, and start workflows when a transcription is done',
		defaults: { name: 'Gladia Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		// Per-job callbacks may be configured with PUT, so the same URL answers both.
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'PUT', responseMode: 'onReceived', path: 'webhook' },
		],
		triggerPanel: {
			header: 'Paste this URL into Gladia',
			executionsHelp: {
				inactive:
					'<b>While building your workflow</b>, click "Listen for test event" and send an event to the <b>test URL</b>: use it as the <i>Callback URL</i> option of the Gladia node (Create Transcription), or add it as an endpoint in app.gladia.io → Webhooks. <br /><br /><b>Once your workflow works</b>, publish it and use the <b>production URL</b> instead. Gladia must be able to reach the URL: the n8n instance has to be reachable from the internet (set N8N_WEBHOOK_URL to its public address).',
				active:
					'<b>Your workflow listens for Gladia events.</b> Use the <b>production URL</b> as the <i>Callback URL</i> option of the Gladia node, or as an endpoint in app.gladia.io → Webhooks (then paste that endpoint’s signing secret into the Gladia credential). The n8n instance has to be reachable from the internet.',
			},
			activationHint:
				'Once you have finished building your workflow, publish it and paste its production URL into Gladia (dashboard Webhooks, or the Callback URL option of the Gladia node).',
		},
		properties: [
			{
				displayName:
					'Dashboard webhooks are signed. To reject forged events, paste your endpoint\'s signing secret (app.gladia.io → Webhooks) into the Webhook Signing Secret of the Gladia credential. Without it, signed events are accepted and marked <code>signature: "not checked: no signing secret in the credential"</code>.',
				name: 'signatureNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [TRANSCRIPTION_EVENTS.success, TRANSCRIPTION_EVENTS.error],
				description:
					'Which events start the workflow. Other events are answered (200) and ignored. Transcription Created is sent by dashboard webhooks only.',
				options: [
					{
						name: 'Transcription Created',
						value: TRANSCRIPTION_EVENTS.created,
						description: 'A pre-recorded job was created (dashboard webhooks)',
					},
					{
						name: 'Transcription Error',
						value: TRANSCRIPTION_EVENTS.error,
						description: 'A job failed',
					},
					{
						name: 'Transcription Success',
						value: TRANSCRIPTION_EVENTS.success,
						description: 'A job is done and its result is available',
					},
				],
			},
			{
				displayName: 'Verify With Gladia',
				name: 'verifyWithGladia',
				type: 'boolean',
				default: true,
				description:
					'Whether to fetch the job from Gladia with the API key before starting the workflow. Unknown jobs and events that do not match the job’s status are refused, and the output comes from Gladia’s data, never from the request body.',
			},
			{
				displayName: 'Include Result',
				name: 'includeResult',
				type: 'boolean',
				default: true,
				description:
					'Whether to output the transcription result of success events. Turn off to output only the event, job ID and metadata (fetch the result later with the Gladia node’s Get operation).',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				displayOptions: { show: { includeResult: [true] } },
				description:
					'Whether to return a simplified version of the response instead of the raw data',
			},
			{
				displayName: 'Delete From Gladia After Fetching',
				name: 'deleteAfterFetch',
				type: 'boolean',
				default: false,
				description:
					'Whether to delete the job (audio and transcript) at Gladia once this trigger has read it and built its output. Needs Verify With Gladia (or a dashboard webhook), and Include Result for success events. A failed delete still starts the workflow and says why in gladia_delete.',
			},
			{
				displayName:
					'The job is deleted before the workflow runs: from then on its result exists only in this execution. n8n saves the execution as it starts, but keep n8n saving executions (successful and failed), or, to delete only once the transcript is stored, leave this off and end the workflow with Gladia → Transcription → Delete.',
				name: 'deleteAfterFetchNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { deleteAfterFetch: [true] } },
			},
		],
	};

	// Gladia has no API to register webhooks (the URL is pasted into Gladia by hand, see the
	// trigger panel), so there is nothing remote to look up or delete. Activation still checks
	// the signing secret, so a bad one fails loudly now rather than refusing every event later.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await checkSigningSecret.call(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveEvent.call(this);
	}
}
