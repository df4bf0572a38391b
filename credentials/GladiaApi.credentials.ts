import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { baseUrlProblem } from '../nodes/Gladia/helpers/url';

const GLADIA_API = 'https://api.gladia.io';

/**
 * A request addressed by `baseURL` (the credential test is the only one: the nodes send full
 * URLs they checked themselves) gets its Base URL trimmed like the nodes trim it, or a worded
 * error when it is malformed. n8n's credential test shows a thrown error's message as it is,
 * where a malformed address would otherwise show only "ERR_INVALID_URL" or "Invalid URL".
 */
function checkedBaseUrl(requestOptions: IHttpRequestOptions): IHttpRequestOptions {
	if (typeof requestOptions.baseURL !== 'string') return requestOptions;
	const baseUrl = requestOptions.baseURL.trim() || GLADIA_API;
	const problem = baseUrlProblem(baseUrl);
	if (problem) {
		throw new Error(
			`Base URL ${problem}. Set it to Gladia's API (${GLADIA_API}) or to your proxy's full address, starting with https:// or http://.`,
		);
	}
	return { ...requestOptions, baseURL: baseUrl.replace(/\/+$/, '') };
}

export class GladiaApi implements ICredentialType {
	name = 'gladiaApi';

	displayName = 'Gladia API';

	icon: Icon = { light: 'file:../icons/gladia.svg', dark: 'file:../icons/gladia.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-gladia/n8n-nodes-gladia#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your Gladia API key, from app.gladia.io → API keys',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: GLADIA_API,
			description: 'Where to send requests. Change it only for a proxy or a local Gladia emulator.',
			hint: 'If Test says ECONNREFUSED or "refused the connection", nothing listens at this address: check the host and port, or start your proxy. ENOTFOUND: no such host name.',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description:
				'Optional. The signing secret of your Gladia dashboard webhook endpoint (app.gladia.io → Webhooks). Only the Gladia Trigger uses it, to reject unsigned or forged events.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const checked = checkedBaseUrl(requestOptions);
		return {
			...checked,
			headers: { ...checked.headers, 'x-gladia-key': String(credentials.apiKey ?? '') },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v2/pre-recorded',
			qs: { limit: 1 },
			// n8n's redirect follower would pass x-gladia-key on to whatever host a redirect names.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Gladia rejected the API key (401). Copy a valid key from app.gladia.io → API keys.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						"The Base URL answered 404 for /v2/pre-recorded: it is not Gladia's API. Set it to https://api.gladia.io, or to a proxy that forwards /v2/… unchanged.",
				},
			},
			// n8n shows a rule's text as written: it cannot name the redirect's target.
			...[301, 302, 303, 307, 308].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `The Base URL answered with a redirect (HTTP ${status}): refused, the API key is only sent to the Base URL. Set it to Gladia's API (https://api.gladia.io) or to a proxy that forwards requests instead of redirecting them.`,
				},
			})),
		],
	};
}
