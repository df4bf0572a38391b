import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	parseDelivery,
	parseEvent,
	statusMatchesEvent,
	TRIGGER_EVENTS,
	triggerOutput,
	type Delivery,
} from './helpers/delivery';
import {
	claimInProcess,
	confirmInProcess,
	findDelivered,
	jobEventKey,
	messageKey,
	releaseInProcess,
	rememberDelivered,
} from './helpers/replay';
import { decodeSigningSecret, verifySvixSignature } from './helpers/signature';
import type { PreRecordedJob } from './helpers/types';
import { CREDENTIAL_TYPE, gladiaRequest } from './transport';
import { httpStatusOf, isRetryableError, withRetries, type RetryPolicy } from './transport/retry';

interface TriggerCredentials {
	webhookSigningSecret?: string;
}

// Svix gives a delivery 15 s to be answered, and n8n needs some of them before and after
// webhook() (database reads, saving the execution). The job check gets 9 s in all: a slow
// read keeps the rest of that time, a quick failure (429, 5xx, reset) is tried again after a
// short pause. Past the budget the answer is 503, so the sender retries later: nothing is lost.
const VERIFY_BUDGET_MS = 9_000;
const VERIFY_RETRY: RetryPolicy = {
	maxAttempts: 4,
	baseDelayMs: 250,
	maxDelayMs: 1_000,
	maxTotalMs: 2_000,
};
// A retry is sent only when it still has this long to get an answer.
const MIN_ATTEMPT_MS = 1_500;
// How many times a copy waits for another request holding the same delivery, then claims again.
const MAX_CLAIM_ROUNDS = 3;

/** Answers the request ourselves with a status and a JSON message; no execution starts. */
function refuse(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	// Our own problems (5xx) are worth a warning; the sender's (4xx) only at debug level, so
	// a flood of forged requests cannot flood the logs.
	const log = status >= 500 ? context.logger.warn : context.logger.debug;
	log.call(context.logger, `Gladia Trigger refused a request (HTTP ${status}): ${message}`, {
		node: context.getNode().name,
	});
	const response = context.getResponseObject();
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify({ message }));
	return { noWebhookResponse: true };
}

/** A 200 that tells the sender the event arrived, without starting the workflow. */
function acknowledge(message: string): IWebhookResponseData {
	return { webhookResponse: { received: true, executed: false, message } };
}

function signingSecretOf(credentials: TriggerCredentials): string {
	return typeof credentials.webhookSigningSecret === 'string'
		? credentials.webhookSigningSecret.trim()
		: '';
}

/** GETs the job, retrying quick failures within VERIFY_BUDGET_MS (see above). */
async function readJob(context: IWebhookFunctions, jobId: string): Promise<PreRecordedJob> {
	const deadline = Date.now() + VERIFY_BUDGET_MS;
	const timeLeft = () => deadline - Date.now();
	const answer: unknown = await withRetries(
		async () =>
			await gladiaRequest.call(context, {
				method: 'GET',
				path: `/v2/pre-recorded/${encodeURIComponent(jobId)}`,
				retry: false,
				timeout: Math.max(MIN_ATTEMPT_MS, timeLeft()),
			}),
		{
			policy: VERIFY_RETRY,
			isRetryable: (error) =>
				isRetryableError(error) && timeLeft() - VERIFY_RETRY.maxDelayMs >= MIN_ATTEMPT_MS,
		},
	);
	return answer as PreRecordedJob;
}

/**
 * Checks the job against the event. A failure becomes the HTTP answer the sender should get:
 * 404 unknown job, 409 contradicting status, 503 try again.
 */
async function checkJob(
	context: IWebhookFunctions,
	delivery: Delivery,
): Promise<{ job: PreRecordedJob } | { status: number; message: string }> {
	const { jobId, event } = delivery;
	let job: PreRecordedJob;
	try {
		job = await readJob(context, jobId);
	} catch (error) {
		const httpCode = httpStatusOf(error) ?? 0;
		if (httpCode === 401 || httpCode === 403) {
			return {
				status: 500,
				message: `Gladia rejected the API key of the trigger's credential while checking job ${jobId}: fix the Gladia credential in n8n`,
			};
		}
		if (httpCode >= 400 && httpCode < 500 && httpCode !== 408 && httpCode !== 429) {
			return { status: 404, message: `Gladia has no transcription job with ID ${jobId}` };
		}
		return {
			status: 503,
			message: `Could not check job ${jobId} with Gladia right now (${httpCode ? `HTTP ${httpCode}` : 'no answer'}): retry later`,
		};
	}
	if (!statusMatchesEvent(event, job.status)) {
		return {
			status: 409,
			message: `Job ${jobId} is "${job.status}" at Gladia, which does not match the event ${event}`,
		};
	}
	return { job };
}

/**
 * Claims a delivery for this request. A copy arriving while another request still checks the
 * same delivery waits for it: "delivered" when that one started the workflow, else it claims
 * the delivery itself (so a refused original never turns its retry into a lost event).
 */
async function claimDelivery(
	scope: string,
	keys: string[],
): Promise<'claimed' | 'delivered' | 'busy'> {
	for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
		const claim = claimInProcess(scope, keys, Date.now());
		if (claim.status !== 'inFlight') return claim.status;
		if (await claim.outcome) return 'delivered';
	}
	return 'busy';
}

export class GladiaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Gladia Trigger',
		name: 'gladiaTrigger',
		icon: { light: 'file:../../icons/gladia.svg', dark: 'file:../../icons/gladia.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when a Gladia transcription is created, done or failed',
		defaults: { name: 'Gladia Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'gladiaApi', required: true }],
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
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [TRIGGER_EVENTS.success, TRIGGER_EVENTS.error],
				description:
					'Which events start the workflow. Other events are answered (200) and ignored. Transcription Created is sent by dashboard webhooks only.',
				options: [
					{
						name: 'Transcription Created',
						value: TRIGGER_EVENTS.created,
						description: 'A pre-recorded job was created (dashboard webhooks)',
					},
					{
						name: 'Transcription Error',
						value: TRIGGER_EVENTS.error,
						description: 'A job failed',
					},
					{
						name: 'Transcription Success',
						value: TRIGGER_EVENTS.success,
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
				const credentials = await this.getCredentials<TriggerCredentials>(CREDENTIAL_TYPE);
				const secret = signingSecretOf(credentials);
				if (secret !== '' && decodeSigningSecret(secret) === undefined) {
					throw new NodeOperationError(
						this.getNode(),
						'Webhook Signing Secret: not a valid Svix secret',
						{
							description:
								'Copy it again from app.gladia.io → Webhooks → your endpoint (it looks like whsec_ followed by base64), or leave it empty to accept unsigned events.',
						},
					);
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		const rawBody = Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
		const nowSeconds = Math.floor(Date.now() / 1000);
		const credentials = await readCredentials(this);
		if (!credentials) {
			return refuse(this, 503, 'Could not read the trigger’s credential right now: retry later');
		}

		// 1. Authenticity first, before reading anything from the body.
		const secret = signingSecretOf(credentials);
		let messageId: string | undefined;
		if (secret !== '') {
			const check = verifySvixSignature(secret, this.getHeaderData(), rawBody, nowSeconds);
			if (!check.ok) {
				return refuse(this, check.problem === 'secret' ? 500 : 401, check.message);
			}
			messageId = check.messageId;
		}

		// 2. Which event, and is it wanted.
		const parsed = parseEvent(rawBody);
		if ('message' in parsed) return refuse(this, 400, parsed.message);
		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(parsed.event)) {
			return acknowledge(`Event ${parsed.event} is not selected in this trigger`);
		}
		const delivery = parseDelivery(parsed.body, parsed.event);
		if ('message' in delivery) return refuse(this, 400, delivery.message);

		// 3. Replays: the same Svix message, or the same job event from any source.
		const store = this.getWorkflowStaticData('node');
		const keys = [
			...(messageId ? [messageKey(messageId)] : []),
			jobEventKey(delivery.jobId, delivery.event),
		];
		const scope = `${this.getWorkflow().id ?? ''}\n${this.getNode().name}`;
		const claim = findDelivered(store, keys, nowSeconds)
			? 'delivered'
			: await claimDelivery(scope, keys);
		if (claim === 'busy') {
			return refuse(this, 503, `Job ${delivery.jobId} is being received right now: retry later`);
		}
		if (claim === 'delivered') {
			return acknowledge(
				`Event ${delivery.event} of job ${delivery.jobId} was already received: not started again`,
			);
		}

		// 4. Gladia's own word on the job. Until the workflow starts, a failure gives the claim
		// back, so the sender's retry is not taken for a replay.
		let started = false;
		try {
			const outcome = await workflowDataFor(this, delivery, messageId);
			if ('status' in outcome) return refuse(this, outcome.status, outcome.message);
			rememberDelivered(store, keys, nowSeconds);
			started = true;
			return outcome;
		} finally {
			if (started) confirmInProcess(scope, keys);
			else releaseInProcess(scope, keys);
		}
	}
}

/** The credential, or undefined when it cannot be read now (the database is busy, say). */
async function readCredentials(
	context: IWebhookFunctions,
): Promise<TriggerCredentials | undefined> {
	try {
		return await context.getCredentials<TriggerCredentials>(CREDENTIAL_TYPE);
	} catch (error) {
		context.logger.warn(
			`Gladia Trigger could not read its credential: ${(error as Error).message}`,
			{ node: context.getNode().name },
		);
		return undefined;
	}
}

/** The trigger's output for a delivery, or the refusal to answer instead. */
async function workflowDataFor(
	context: IWebhookFunctions,
	delivery: Delivery,
	messageId: string | undefined,
): Promise<IWebhookResponseData | { status: number; message: string }> {
	const verify = context.getNodeParameter('verifyWithGladia', true) as boolean;
	const includeResult = context.getNodeParameter('includeResult', true) as boolean;
	let job: PreRecordedJob | undefined;
	if (verify || needsJobForOutput(delivery, includeResult)) {
		const checked = await checkJob(context, delivery);
		if ('status' in checked) return checked;
		job = checked.job;
	}
	const simplify = includeResult && (context.getNodeParameter('simplify', true) as boolean);
	const json: IDataObject = triggerOutput(context.getNode(), delivery, job, {
		includeResult,
		simplify,
		messageId,
	});
	return { workflowData: [context.helpers.returnJsonArray([json])] };
}

/** Dashboard webhooks carry only the id: their result or error code is Gladia's to tell. */
function needsJobForOutput(delivery: Delivery, includeResult: boolean): boolean {
	if (delivery.source !== 'webhook') return false;
	return (
		delivery.event === TRIGGER_EVENTS.error ||
		(includeResult && delivery.event === TRIGGER_EVENTS.success)
	);
}
