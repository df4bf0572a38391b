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
import { DELETE_OUTCOME_FIELD } from '../helpers/output';
import { deleteFetchedJob } from '../transport/deleteAfter';
import { getJob } from '../transport/jobs';
import {
	httpStatusOf,
	isRetryableError,
	TRIGGER_CHECK_POLICY,
	withRetries,
} from '../transport/retry';
import {
	deletePlanFor,
	parseDelivery,
	parseEvent,
	statusMatchesEvent,
	TRIGGER_DELETE_TIMEOUT_MS,
	triggerOutput,
	type Delivery,
} from './delivery';
import {
	awaitSaveTurn,
	claimInProcess,
	confirmInProcess,
	findDelivered,
	jobEventKey,
	journalDelivered,
	messageKey,
	recordIsBehind,
	releaseInProcess,
	restoreRecord,
} from './replay';
import { decodeSigningSecret, verifySvixSignature } from './signature';

interface TriggerCredentials {
	webhookSigningSecret?: string;
}

// Svix gives a delivery 15 s to be answered, and n8n needs some of them before and after
// webhook() (database reads, saving the execution). The job check gets 9 s in all: a slow
// read keeps the rest of that time, a quick failure is tried again (TRIGGER_CHECK_POLICY).
// Past the budget the answer is 503, so the sender retries later: nothing is lost.
const VERIFY_BUDGET_MS = 9_000;
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

/**
 * Starts the workflow with `item`, answering the sender ourselves with what n8n would answer.
 * n8n saves the trigger's static data when the answer is sent: answering here, before n8n starts
 * the execution, is what gets the replay record saved (see restoreRecord).
 */
function startWorkflow(context: IWebhookFunctions, item: IDataObject): IWebhookResponseData {
	const response = context.getResponseObject();
	response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify({ message: 'Workflow was started' }));
	return { noWebhookResponse: true, workflowData: [context.helpers.returnJsonArray([item])] };
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

/** GETs the job, retrying quick failures within VERIFY_BUDGET_MS (see above). */
async function readJob(context: IWebhookFunctions, jobId: string): Promise<PreRecordedJob> {
	const deadline = Date.now() + VERIFY_BUDGET_MS;
	const timeLeft = () => deadline - Date.now();
	return await withRetries(
		async () =>
			await getJob(context, jobId, {
				retry: false,
				timeout: Math.max(MIN_ATTEMPT_MS, timeLeft()),
			}),
		{
			policy: TRIGGER_CHECK_POLICY,
			isRetryable: (error) =>
				isRetryableError(error) && timeLeft() - TRIGGER_CHECK_POLICY.maxDelayMs >= MIN_ATTEMPT_MS,
		},
	);
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
		// No execution starts; n8n saves what this puts back (a concurrent save may have lost it).
		if (recordIsBehind(scope, store, nowSeconds)) await saveRecord(scope, store);
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
		if (secret === '' && carriesSignature(this.getHeaderData() as IDataObject))
			outcome.json.signature = SIGNATURE_NOT_CHECKED;
		journalDelivered(scope, keys, nowSeconds);
		await saveRecord(scope, store);
		started = true;
		return startWorkflow(this, outcome.json);
	} finally {
		if (started) confirmInProcess(scope, keys);
		else releaseInProcess(scope, keys);
	}
}

/** Has n8n save the record, with this delivery, in this process's next save (see awaitSaveTurn). */
async function saveRecord(scope: string, store: IDataObject): Promise<void> {
	if (await awaitSaveTurn(scope)) restoreRecord(scope, store, Math.floor(Date.now() / 1000));
}

/** The trigger's output item for a delivery, or the refusal to answer instead. */
async function workflowDataFor(
	context: IWebhookFunctions,
	delivery: Delivery,
	messageId: string | undefined,
): Promise<{ json: IDataObject } | { status: number; message: string }> {
	const verify = context.getNodeParameter('verifyWithGladia', true) as boolean;
	const includeResult = context.getNodeParameter('includeResult', true) as boolean;
	let job: PreRecordedJob | undefined;
	if (verify || needsJobForOutput(delivery, includeResult)) {
		const checked = await checkJob(context, delivery);
		if ('status' in checked) return checked;
		job = checked.job;
	}
	const simplify = includeResult && (context.getNodeParameter('simplify', true) as boolean);
	const json = triggerOutput(context.getNode(), delivery, job, {
		includeResult,
		simplify,
		messageId,
	});
	// Delete From Gladia After Fetching: the output is built; n8n stores it with the execution
	// right after this returns (see the option's notice for what that leaves open).
	const plan = context.getNodeParameter('deleteAfterFetch', false)
		? deletePlanFor(delivery, job, includeResult)
		: undefined;
	if (plan)
		json[DELETE_OUTCOME_FIELD] =
			'job' in plan
				? await deleteFetchedJob(context, plan.job, { timeout: TRIGGER_DELETE_TIMEOUT_MS })
				: plan.outcome;
	return { json };
}

/** Dashboard webhooks carry only the id: their result or error code is Gladia's to tell. */
function needsJobForOutput(delivery: Delivery, includeResult: boolean): boolean {
	if (delivery.source !== 'webhook') return false;
	return (
		delivery.event === TRANSCRIPTION_EVENTS.error ||
		(includeResult && delivery.event === TRANSCRIPTION_EVENTS.success)
	);
}
