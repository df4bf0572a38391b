// The Gladia Trigger's work: check an incoming event (signature, shape, replay, Gladia's own
// record of the job) and answer it, or start the workflow with one output item.
import {
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { TRANSCRIPTION_EVENTS } from '../helpers/callback';
import { CREDENTIAL_TYPE } from '../helpers/constants';
import type { PreRecordedJob } from '../helpers/types';
import { getJob } from '../transport/jobs';
import {
	parseDelivery,
	parseEvent,
	statusMatchesEvent,
	triggerOutput,
	type Delivery,
} from './delivery';
import {
	claimInProcess,
	findDelivered,
	jobEventKey,
	messageKey,
	releaseInProcess,
	rememberDelivered,
} from './replay';
import { decodeSigningSecret, verifySvixSignature } from './signature';

interface TriggerCredentials {
	webhookSigningSecret?: string;
}

// Gladia (or Svix) waits for our answer: the job check gets a short budget, and a failure
// answers 503 so the sender retries later instead of the event being lost.
const VERIFY_TIMEOUT_MS = 10_000;

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

/**
 * What the output says about a delivery that came signed while the credential has no secret.
 * Such deliveries are accepted (Gladia's per-job callbacks are never signed, so the trigger works
 * without a secret), but marked, so a workflow can tell it was not checked.
 */
export const SIGNATURE_NOT_CHECKED = 'not checked: no signing secret in the credential';

function carriesSignature(headers: IDataObject): boolean {
	return ['svix-signature', 'webhook-signature'].some((name) => headers[name] !== undefined);
}

function signingSecretOf(credentials: TriggerCredentials): string {
	return typeof credentials.webhookSigningSecret === 'string'
		? credentials.webhookSigningSecret.trim()
		: '';
}

/**
 * GETs the job with the API key and checks it against the event. A failure becomes the HTTP
 * answer the sender should get: 404 unknown job, 409 contradicting status, 503 try again.
 */
async function checkJob(
	context: IWebhookFunctions,
	delivery: Delivery,
): Promise<{ job: PreRecordedJob } | { status: number; message: string }> {
	const { jobId, event } = delivery;
	let job: PreRecordedJob;
	try {
		job = await getJob(context, jobId, { retry: false, timeout: VERIFY_TIMEOUT_MS });
	} catch (error) {
		const httpCode = Number((error as { httpCode?: string | null }).httpCode);
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

/** Activation: a signing secret that cannot be decoded fails now, not on every event later. */
export async function checkSigningSecret(this: IHookFunctions): Promise<void> {
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
}

/** One incoming request → an answer, or the workflow started with the event's item. */
export async function receiveEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const rawBody = Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
	const nowSeconds = Math.floor(Date.now() / 1000);
	const credentials = await this.getCredentials<TriggerCredentials>(CREDENTIAL_TYPE);

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
	if (findDelivered(store, keys, nowSeconds) || !claimInProcess(scope, keys, Date.now())) {
		return acknowledge(
			`Event ${delivery.event} of job ${delivery.jobId} was already received: not started again`,
		);
	}

	// 4. Gladia's own word on the job.
	const verify = this.getNodeParameter('verifyWithGladia', true) as boolean;
	const includeResult = this.getNodeParameter('includeResult', true) as boolean;
	let job: PreRecordedJob | undefined;
	if (verify || needsJobForOutput(delivery, includeResult)) {
		const checked = await checkJob(this, delivery);
		if ('status' in checked) {
			releaseInProcess(scope, keys);
			return refuse(this, checked.status, checked.message);
		}
		job = checked.job;
	}

	rememberDelivered(store, keys, nowSeconds);
	const simplify = includeResult && (this.getNodeParameter('simplify', true) as boolean);
	const json: IDataObject = triggerOutput(this.getNode(), delivery, job, {
		includeResult,
		simplify,
		messageId,
	});
	if (secret === '' && carriesSignature(this.getHeaderData() as IDataObject))
		json.signature = SIGNATURE_NOT_CHECKED;
	return { workflowData: [this.helpers.returnJsonArray([json])] };
}

/** Dashboard webhooks carry only the id: their result or error code is Gladia's to tell. */
function needsJobForOutput(delivery: Delivery, includeResult: boolean): boolean {
	if (delivery.source !== 'webhook') return false;
	return (
		delivery.event === TRANSCRIPTION_EVENTS.error ||
		(includeResult && delivery.event === TRANSCRIPTION_EVENTS.success)
	);
}
