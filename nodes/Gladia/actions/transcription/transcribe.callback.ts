// Transcribe, Wait Mode "Callback": the job is created with Gladia's callback pointing at this
// execution's resume URL, then the execution is parked (putExecutionToWait): n8n holds no
// worker and sends no poll while Gladia works. Gladia's callback resumes it through webhook().
//
// Which job the execution waits for: its idempotency key, chosen before the create, travels
// both in the callback URL (query `n8n_gladia_key`) and in the job's custom_metadata. webhook()
// accepts a callback only when both match, then reads the job from Gladia by id and checks the
// key again on Gladia's own record. Nothing is stored in n8n: static data is shared by all
// executions of a workflow (and not saved for waiting ones), and the input item is not
// readable from webhook(); the URL is per execution and already carries n8n's resume token.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { jobFromCallback, readCallbackData, TRANSCRIPTION_EVENTS } from '../../helpers/callback';
import { CREDENTIAL_TYPE } from '../../helpers/constants';
import { errorItem, jobFailedError } from '../../helpers/errors';
import type { InitTranscriptionRequest, PreRecordedJob } from '../../helpers/types';
import { baseUrlOf } from '../../transport';
import {
	createJobIdempotently,
	getJob,
	IDEMPOTENCY_FIELD,
	withIdempotencyKey,
} from '../../transport/jobs';
import {
	CALLBACK_READ_POLICY,
	httpStatusOf,
	isRetryableError,
	settle,
	withRetries,
} from '../../transport/retry';
import {
	forEachItem,
	jobToItems,
	outputSettingsFrom,
	prepareTranscription,
	waitOptionsFor,
} from '../common';

/** Query parameter of the callback URL carrying the idempotency key of the awaited job. */
export const CALLBACK_KEY_PARAM = 'n8n_gladia_key';

function isPrivateHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		host.endsWith('.local') ||
		host === '::1' ||
		host === '0.0.0.0' ||
		/^127\./.test(host) ||
		/^10\./.test(host) ||
		/^192\.168\./.test(host) ||
		/^172\.(1[6-9]|2\d|3[01])\./.test(host)
	);
}

/** Transcribe in Callback mode: create the job, then park the execution until Gladia calls back. */
export async function startCallbackWait(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	// n8n 1.x has no isToolExecution (seen on n8n 1.123.81).
	if (typeof this.isToolExecution === 'function' && this.isToolExecution()) {
		throw new NodeOperationError(
			node,
			'Wait Mode "Callback" cannot be used when the node runs as an AI tool',
			{
				description: 'Set Wait Mode to "Poll".',
			},
		);
	}
	if (items.length !== 1) {
		throw new NodeOperationError(
			node,
			`Wait Mode "Callback" handles one item per execution, but this node received ${items.length} items`,
			{
				description:
					'Use Wait Mode "Poll" to transcribe many items at once (Max Concurrent Jobs), or put a "Loop Over Items" node with Batch Size 1 before this node.',
			},
		);
	}

	const resumeUrl = new URL(String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
	const gladiaHost = new URL(baseUrlOf(credentials)).hostname;
	if (gladiaHost.endsWith('gladia.io') && isPrivateHost(resumeUrl.hostname)) {
		throw new NodeOperationError(
			node,
			`Gladia cannot call back ${resumeUrl.origin}: it is not reachable from the internet [item 0]`,
			{
				itemIndex: 0,
				description:
					'Set N8N_WEBHOOK_URL to the public address of this n8n instance (e.g. https://n8n.example.com/) and restart n8n, or use Wait Mode "Poll".',
			},
		);
	}

	// A failure before the wait is an error item (continueOnFail) or the node's error.
	return await forEachItem(this, items, async () => {
		const { body } = await prepareTranscription(this, 0);
		const tagged = withIdempotencyKey(body);
		resumeUrl.searchParams.set(CALLBACK_KEY_PARAM, tagged.key);
		const request: InitTranscriptionRequest = {
			...tagged.body,
			callback: true,
			callback_config: { url: resumeUrl.href, method: 'POST' },
		};
		delete request.callback_url;
		await createJobIdempotently.call(this, request, 0);
		await this.putExecutionToWait(new Date(Date.now() + waitOptionsFor(this, 0).maxWaitMs));
		// Shown as the node's output while it waits; webhook() replaces it with the result.
		return [{ ...items[0], pairedItem: { item: 0 } }];
	});
}

interface CallbackBody {
	id?: unknown;
	event?: unknown;
	payload?: unknown;
	error?: { code?: number; message?: string } | null;
	custom_metadata?: IDataObject | null;
}

function reject(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	// Answered here without workflowData: the execution keeps waiting for its own job.
	ctx.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

/** The execution's output for the finished job: Poll mode's items, or its error (On Error). */
async function resumeWith(
	ctx: IWebhookFunctions,
	job: PreRecordedJob,
): Promise<IWebhookResponseData> {
	const node = ctx.getNode();
	if (job.status === 'error') {
		const error = jobFailedError(node, job, 0);
		if (node.onError === 'continueErrorOutput') {
			return { workflowData: [[], [errorItem(error, 0, node)]] };
		}
		if (node.onError === 'continueRegularOutput') {
			return { workflowData: [[errorItem(error, 0, node)]] };
		}
		throw error;
	}
	const settings = outputSettingsFrom((name, fallback) => ctx.getNodeParameter(name, fallback));
	return { workflowData: [await jobToItems(ctx, job, 0, settings)] };
}

/** Gladia's callback for a job created by startCallbackWait: resumes the execution with its result. */
export async function receiveCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const key = (this.getQueryData() as IDataObject)[CALLBACK_KEY_PARAM];
	const body = this.getBodyData() as CallbackBody;
	const id = typeof body.id === 'string' ? body.id : undefined;
	const event = typeof body.event === 'string' ? body.event : undefined;
	const callbackJob = (jobId: string) =>
		jobFromCallback(jobId, String(event), readCallbackData(this.getBodyData()));
	if (typeof key !== 'string' || !key) {
		return reject(
			this,
			400,
			`Missing ${CALLBACK_KEY_PARAM}: this URL only accepts Gladia's callback for its own job`,
		);
	}
	if (!id || (event !== TRANSCRIPTION_EVENTS.success && event !== TRANSCRIPTION_EVENTS.error)) {
		return reject(this, 400, 'Not a Gladia transcription callback (expected id and event)');
	}
	const claimedKey = body.custom_metadata?.[IDEMPOTENCY_FIELD];
	if (claimedKey !== undefined && claimedKey !== key) {
		return reject(this, 403, `Job ${id} is not the job this execution waits for`);
	}

	// The job from Gladia itself: the full result, and proof it is the awaited job. Retried
	// briefly only: Gladia is waiting for our answer to its callback.
	const fetched = await settle(
		async () =>
			await withRetries(async () => await getJob(this, id, { retry: false }), {
				policy: CALLBACK_READ_POLICY,
			}),
	);
	let job: PreRecordedJob;
	if (fetched.ok) {
		if (fetched.value.custom_metadata?.[IDEMPOTENCY_FIELD] !== key) {
			return reject(this, 403, `Job ${id} is not the job this execution waits for`);
		}
		job = fetched.value;
		if (job.status !== 'done' && job.status !== 'error') {
			// The callback outran the job's own status (a lagging read): the callback is final.
			const { status, error_code, result } = callbackJob(id);
			job = { ...job, status, error_code, result };
		}
	} else if (
		claimedKey === key &&
		(body.payload || event === TRANSCRIPTION_EVENTS.error) &&
		(httpStatusOf(fetched.error) === 403 || isRetryableError(fetched.error))
	) {
		// Gladia refuses reads (zero-data-retention accounts) or is failing right now: the
		// callback carries the result. Never for a 404: an id Gladia does not know is not ours.
		job = callbackJob(id);
	} else if (httpStatusOf(fetched.error) === 404) {
		return reject(this, 403, `Job ${id} is not the job this execution waits for`);
	} else {
		return reject(
			this,
			502,
			`Could not read job ${id} from Gladia to check it: ${(fetched.error as Error).message}`,
		);
	}

	return await resumeWith(this, job);
}
