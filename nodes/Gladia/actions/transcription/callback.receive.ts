// Gladia's callback for one job of a callback batch (transcribe.callback.ts), in webhook().
//
// Each callback is checked without any stored state: the resume URL describes the batch
// (helpers/callback.ts readBatchPlan), one list call filtered on the batch key in
// custom_metadata gives every job's status, and the callback's own body is final for its own
// job when Gladia's record lags. While a job is unfinished the callback is answered 200
// without workflowData, so n8n keeps the execution waiting. When all are finished, only the
// callback of the job that finished last resumes it, so two "last" callbacks arriving at the
// same time cannot resume it twice (n8n 1.x does not stop a second resume itself).
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import {
	BATCH_FIELDS,
	jobFromCallback,
	readBatchPlan,
	readCallbackData,
	statusOfEvent,
	type BatchPlan,
} from '../../helpers/callback';
import { mapConcurrent } from '../../helpers/pool';
import type { PreRecordedJob } from '../../helpers/types';
import { listJobs } from '../../transport/jobs';
import {
	CALLBACK_READ_POLICY,
	httpStatusOf,
	isRetryableError,
	settle,
	withRetries,
} from '../../transport/retry';
import { outputSettingsFrom, reuseIsOnIn } from '../common';
import {
	itemFailure,
	outcomeOfExistingJob,
	outcomeOfJob,
	readJobBriefly,
	webhookOutputs,
	withReusedFlags,
	type ItemOutcome,
} from './callback.results';

/** Jobs read per list page (the list has no documented maximum). */
const LIST_PAGE_SIZE = 100;
/** Job reads at once when the batch resumes. */
const READS_AT_ONCE = 8;

interface CallbackBody {
	id?: unknown;
	event?: unknown;
	custom_metadata?: IDataObject | null;
}

function answer(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	// Answered here without workflowData: the execution keeps waiting.
	ctx.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

const isFinal = (job: PreRecordedJob) => job.status === 'done' || job.status === 'error';

/** Every job Gladia lists with this batch key (checked on each record too), page by page. */
async function listBatch(ctx: IWebhookFunctions, key: string): Promise<PreRecordedJob[]> {
	const filter = JSON.stringify({ [BATCH_FIELDS.batch]: key });
	const jobs: PreRecordedJob[] = [];
	for (let offset = 0; ; offset += LIST_PAGE_SIZE) {
		const page = await withRetries(
			async () =>
				await listJobs(
					ctx,
					{ custom_metadata: filter, limit: LIST_PAGE_SIZE, offset },
					{ retry: false },
				),
			{ policy: CALLBACK_READ_POLICY },
		);
		jobs.push(...page.items.filter((job) => job.custom_metadata?.[BATCH_FIELDS.batch] === key));
		if (!page.next || page.items.length < LIST_PAGE_SIZE) return jobs;
	}
}

/** The batch's jobs by item index (each item is created once; a duplicate keeps the oldest). */
function membersByIndex(jobs: PreRecordedJob[], plan: BatchPlan): Map<number, PreRecordedJob> {
	const members = new Map<number, PreRecordedJob>();
	for (const job of jobs) {
		const index = job.custom_metadata?.[BATCH_FIELDS.item];
		if (typeof index !== 'number' || !Number.isInteger(index) || index >= plan.size) continue;
		members.set(index, job); // the list is newest first: a later entry is older
	}
	return members;
}

/** When a job finished, for picking the last one; unknown (a lagging record) counts as now. */
const finishedAt = (job: PreRecordedJob) =>
	job.completed_at ? Date.parse(job.completed_at) : Number.POSITIVE_INFINITY;

/** The job that finished last (ties: the greatest id), the same for every callback that asks. */
function lastFinished(jobs: PreRecordedJob[]): PreRecordedJob {
	return jobs.reduce((last, job) => {
		const order = finishedAt(job) - finishedAt(last);
		return order > 0 || ((order === 0 || Number.isNaN(order)) && job.id > last.id) ? job : last;
	});
}

/** Gladia's callback for a job of this execution's batch: resumes once the last job is finished. */
export async function receiveCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const plan = readBatchPlan(this.getQueryData() as IDataObject);
	if (typeof plan === 'string') return answer(this, 400, plan);
	const body = this.getBodyData() as CallbackBody;
	const id = typeof body.id === 'string' ? body.id : undefined;
	const event = typeof body.event === 'string' ? body.event : undefined;
	if (!id || !event || statusOfEvent(event) === null) {
		return answer(this, 400, 'Not a Gladia transcription callback (expected id and event)');
	}
	const claimedKey = body.custom_metadata?.[BATCH_FIELDS.batch];
	if (claimedKey !== undefined && claimedKey !== plan.key) {
		return answer(this, 403, `Job ${id} is not a job this execution waits for`);
	}
	const ownJob = () => jobFromCallback(id, event, readCallbackData(this.getBodyData()));

	const listed = await settle(async () => await listBatch(this, plan.key));
	if (!listed.ok) {
		// Gladia refuses reads (zero-data-retention accounts) or is failing: a batch of one
		// can still resume from the callback's own result. Never for a 404.
		const status = httpStatusOf(listed.error);
		if (
			isBatchOfOne(plan) &&
			claimedKey === plan.key &&
			(status === 403 || isRetryableError(listed.error))
		) {
			return await resume(this, plan, new Map([[0, ownJob()]]), id);
		}
		return answer(
			this,
			502,
			`Could not list this batch's jobs at Gladia to check job ${id}: ${(listed.error as Error).message}`,
		);
	}
	return await decide(this, plan, membersByIndex(listed.value, plan), ownJob());
}

/** Not every job finished: answer. All finished: only the last job's callback resumes. */
async function decide(
	ctx: IWebhookFunctions,
	plan: BatchPlan,
	members: Map<number, PreRecordedJob>,
	fromCallback: PreRecordedJob,
): Promise<IWebhookResponseData> {
	const id = fromCallback.id;
	const own = [...members.entries()].find(([, job]) => job.id === id);
	if (!own) return answer(ctx, 403, `Job ${id} is not a job this execution waits for`);
	// The callback outran the job's own record (a lagging read): the callback is final.
	if (!isFinal(own[1]))
		members.set(own[0], { ...own[1], ...pick(fromCallback), completed_at: null });

	const jobs = [...members.values()];
	const unfinished = jobs.filter((job) => !isFinal(job)).length;
	if (unfinished > 0) {
		return answer(
			ctx,
			200,
			`Job ${id} recorded: ${jobs.length - unfinished} of ${jobs.length} jobs finished, the execution resumes when the last one calls back`,
		);
	}
	const last = lastFinished(jobs);
	if (last.id !== id) {
		return answer(
			ctx,
			200,
			`Job ${id} recorded: every job is finished, job ${last.id} (the last one) resumes the execution`,
		);
	}
	return await resume(ctx, plan, members, id);
}

const isBatchOfOne = (plan: BatchPlan) =>
	plan.size === 1 && plan.failed.size === 0 && plan.existing.size === 0;

/** A callback's status and result, over a job record that lags behind it. */
const pick = ({ status, error_code, result }: PreRecordedJob) => ({ status, error_code, result });

/** The execution's output: every item's results in input order (failures by On Error). */
async function resume(
	ctx: IWebhookFunctions,
	plan: BatchPlan,
	members: Map<number, PreRecordedJob>,
	ownId: string,
): Promise<IWebhookResponseData> {
	const node = ctx.getNode();
	const settings = outputSettingsFrom((name, fallback) => ctx.getNodeParameter(name, fallback));
	const ownJob = () =>
		jobFromCallback(
			ownId,
			String((ctx.getBodyData() as CallbackBody).event),
			readCallbackData(ctx.getBodyData()),
		);
	const indexes = Array.from({ length: plan.size }, (_, i) => i);
	const settled = await mapConcurrent(indexes, READS_AT_ONCE, async (i): Promise<ItemOutcome> => {
		const failed = plan.failed.get(i);
		if (failed !== undefined) return itemFailure(node, i, failed);
		const existing = plan.existing.get(i);
		if (existing) return await outcomeOfExistingJob(ctx, existing, i, settings);
		const member = members.get(i);
		if (!member) {
			return itemFailure(
				node,
				i,
				'Gladia has no job for this item: creating it failed before the wait',
				'Run this item again.',
			);
		}
		return await outcomeOfJob(
			ctx,
			await fullJob(ctx, member, member.id === ownId ? ownJob : undefined),
			i,
			settings,
		);
	});
	const outcomes = settled.map((outcome, i) =>
		outcome.ok ? outcome.value : itemFailure(node, i, outcome.error.message),
	);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const flagged = withReusedFlags(outcomes, plan.existing, reuseIsOnIn(options));
	return { workflowData: webhookOutputs(node, flagged) };
}

/**
 * The job with its result: the list's record when it has one, else Gladia's own. For the job
 * whose callback this is, the callback's result stands in when Gladia cannot be read or lags.
 */
async function fullJob(
	ctx: IWebhookFunctions,
	job: PreRecordedJob,
	fromCallback?: () => PreRecordedJob,
): Promise<PreRecordedJob> {
	if (job.status === 'error' || job.result) return job;
	const read = await readJobBriefly(ctx, job.id);
	if (read.ok && isFinal(read.value) && (read.value.status === 'error' || read.value.result)) {
		return read.value;
	}
	if (fromCallback) return { ...(read.ok ? read.value : job), ...pick(fromCallback()) };
	if (read.ok) return read.value;
	throw new Error(
		`Could not read job ${job.id} from Gladia: ${(read.error as Error).message}. Its result stays at Gladia: read it with Transcription → Get.`,
	);
}
