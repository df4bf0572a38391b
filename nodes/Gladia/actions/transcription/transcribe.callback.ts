// Transcribe, Wait Mode "Callback", for a whole batch: every item's job is created with Gladia's
// callback pointing at this execution's resume URL, then the execution is parked
// (putExecutionToWait): n8n holds no worker and sends no poll while Gladia works. Each job's
// callback reaches webhook() (callback.receive.ts); the last one resumes the execution once,
// with every item's result in input order.
//
// n8n stores nothing a waiting execution's webhook can read (static data is shared by all
// executions of a workflow, the input items are out of reach), so the batch is described in
// the resume URL itself (helpers/callback.ts BatchPlan) and in each job's custom_metadata.
import { randomUUID } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { BATCH_FIELDS, batchCallbackUrl, type BatchPlan } from '../../helpers/callback';
import { isPlainObject } from '../../helpers/checks';
import { CREDENTIAL_TYPE } from '../../helpers/constants';
import { itemLabel } from '../../helpers/errors';
import { mapConcurrent } from '../../helpers/pool';
import type { InitTranscriptionRequest } from '../../helpers/types';
import { baseUrlOf } from '../../transport';
import { createJobIdempotently } from '../../transport/jobs';
import { JobPoller } from '../../transport/poller';
import {
	completeTranscription,
	draftTranscription,
	findEarlierJob,
	forEachItemConcurrently,
	maxConcurrentJobs,
	readOutputSettings,
	reuseIsOn,
	waitOptionsFor,
} from '../common';
import {
	executeOutput,
	itemFailure,
	outcomeOfExistingJob,
	withReusedFlags,
} from './callback.results';

export { receiveCallback } from './callback.receive';

/**
 * One item of a callback batch: a job to create, a job that already finished (found by
 * "Reuse Earlier Job": no callback will come for it), or the error that stopped it before the
 * wait (On Error → Continue).
 */
export type BatchEntry =
	| { body: InitTranscriptionRequest }
	| { jobId: string }
	| { failed: string };

/** json key of the marker that tells the next node a timed-out wait passed the input on. */
export const TIMED_OUT_MARKER = 'gladia';

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

/** The execution's resume URL, once checked that the node may wait and Gladia can call it. */
async function checkedResumeUrl(ctx: IExecuteFunctions): Promise<string> {
	const node = ctx.getNode();
	// n8n 1.x has no isToolExecution (seen on n8n 1.123.81).
	if (typeof ctx.isToolExecution === 'function' && ctx.isToolExecution()) {
		throw new NodeOperationError(
			node,
			'Wait Mode "Callback" cannot be used when the node runs as an AI tool',
			{ description: 'Set Wait Mode to "Poll".' },
		);
	}
	const resumeUrl = new URL(String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	const credentials = await ctx.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
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
	return resumeUrl.href;
}

/** The error messages of error items, by item index (without the " [item N]" label). */
function failureMessages(errorItems: INodeExecutionData[]): Map<number, string> {
	return new Map(
		errorItems.map((item) => {
			const index = (item.pairedItem as { item: number }).item;
			return [index, String(item.json.error).replace(itemLabel(index), '')];
		}),
	);
}

/** Transcribe in Callback mode: check every item, then create the jobs and park the execution. */
export async function startCallbackWait(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	await checkedResumeUrl(this); // before any upload: refuse early when no callback can come
	// Every item is checked (and its audio uploaded) before any job exists, so the resume URL
	// can name the items that failed. Without continueOnFail the first failure stops the node.
	const entries: BatchEntry[] = [];
	let poller: JobPoller | undefined;
	const failures = await forEachItemConcurrently(
		this,
		items,
		maxConcurrentJobs(this),
		async (i) => {
			readOutputSettings(this, i); // a bad Price per Audio Hour fails before a job is billed
			const draft = await draftTranscription(this, i);
			const earlier = await findEarlierJob(this, i, draft);
			if (!earlier) {
				entries[i] = { body: (await completeTranscription(this, i, draft)).body };
				return [];
			}
			// An earlier job still running calls back the execution that created it, never this
			// one: it is waited for here, by polling, before the batch parks.
			if (earlier.job.status !== 'done') {
				poller ??= new JobPoller(this, waitOptionsFor(this, 0));
				const outcome = await poller.wait({ id: earlier.job.id, itemIndex: i });
				if (!outcome.ok) throw outcome.error;
			}
			entries[i] = { jobId: earlier.job.id };
			return [];
		},
	);
	const failed = failureMessages(failures);
	failed.forEach((message, i) => (entries[i] = { failed: message }));
	return await startBatchWait.call(this, items, entries);
}

/** The create request of a batch job: Gladia calls `callbackUrl` back; the job names its batch. */
function batchRequest(
	body: InitTranscriptionRequest,
	plan: BatchPlan,
	itemIndex: number,
	callbackUrl: string,
): InitTranscriptionRequest {
	const userMetadata = isPlainObject(body.custom_metadata) ? body.custom_metadata : {};
	const request: InitTranscriptionRequest = {
		...body,
		custom_metadata: {
			...userMetadata,
			[BATCH_FIELDS.batch]: plan.key,
			[BATCH_FIELDS.item]: itemIndex,
		},
		callback: true,
		callback_config: { url: callbackUrl, method: 'POST' },
	};
	delete request.callback_url;
	return request;
}

/**
 * Waits for a batch by callback: creates the jobs of `entries` that have a body (at most Max
 * Concurrent Jobs creates at once), each with the resume URL as its callback, and parks the
 * execution until the last one calls back. Items with a finished job or an error need no
 * callback; when no item needs one the output is built at once and nothing waits.
 */
export async function startBatchWait(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	entries: BatchEntry[],
): Promise<INodeExecutionData[]> {
	const plan: BatchPlan = {
		key: randomUUID(),
		size: entries.length,
		failed: new Map(),
		existing: new Map(),
	};
	entries.forEach((entry, i) => {
		if ('failed' in entry) plan.failed.set(i, entry.failed);
		if ('jobId' in entry) plan.existing.set(i, entry.jobId);
	});
	const callbackUrl = batchCallbackUrl(await checkedResumeUrl(this), plan);
	// A create that fails here leaves its item without a job; webhook() reports it then.
	const jobIds: Array<string | undefined> = [];
	const creates = await forEachItemConcurrently(this, items, maxConcurrentJobs(this), async (i) => {
		const entry = entries[i];
		if (!('body' in entry)) return [];
		jobIds[i] = (
			await createJobIdempotently.call(this, batchRequest(entry.body, plan, i, callbackUrl), i)
		).id;
		return [];
	});
	if (!jobIds.some(Boolean)) return await outputWithoutWait(this, plan, creates);

	const { maxWaitMs } = waitOptionsFor(this, 0);
	markTimedOut(items, plan, jobIds, maxWaitMs);
	await this.putExecutionToWait(new Date(Date.now() + maxWaitMs));
	// Shown as the node's output while it waits; the last callback replaces it with the results.
	return items.map((_item, i) => ({
		json: { status: 'waiting', id: jobIds[i] ?? plan.existing.get(i) ?? null, batch: plan.key },
		pairedItem: { item: i },
	}));
}

/** Every item failed or came with a finished job: the output now, without waiting. */
async function outputWithoutWait(
	ctx: IExecuteFunctions,
	plan: BatchPlan,
	createFailures: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const settings = readOutputSettings(ctx, 0);
	const failed = new Map([...plan.failed, ...failureMessages(createFailures)]);
	const indexes = Array.from({ length: plan.size }, (_, i) => i);
	const settled = await mapConcurrent(indexes, maxConcurrentJobs(ctx), async (i) => {
		const jobId = plan.existing.get(i);
		if (jobId) return await outcomeOfExistingJob(ctx, jobId, i, settings);
		return itemFailure(node, i, failed.get(i) ?? 'No job was created for this item');
	});
	const outcomes = settled.map((outcome, i) =>
		outcome.ok ? outcome.value : itemFailure(node, i, outcome.error.message),
	);
	const flagged = withReusedFlags(outcomes, plan.existing, reuseIsOn(ctx, 0));
	return executeOutput(node, ctx.continueOnFail(), flagged);
}

/**
 * When Max Wait passes without the last callback, n8n resumes this node disabled: the next
 * node receives the node's input items as they are. The marker added to them here (in the
 * copies n8n keeps for this node, saved with the waiting execution) is what it sees then:
 * `{ gladia: { status: 'timed_out', ... } }`. A resume by callback replaces them with results.
 */
function markTimedOut(
	items: INodeExecutionData[],
	plan: BatchPlan,
	jobIds: Array<string | undefined>,
	maxWaitMs: number,
): void {
	items.forEach((item, i) => {
		item.json = {
			...item.json,
			[TIMED_OUT_MARKER]: {
				status: 'timed_out',
				message: `No result: Gladia's callbacks did not all arrive within Max Wait (${maxWaitMs / 1000} s). This item is the node's input, passed on unchanged; read the job later with Transcription → Get.`,
				id: jobIds[i] ?? plan.existing.get(i) ?? null,
				batch: plan.key,
			},
		};
	});
}
