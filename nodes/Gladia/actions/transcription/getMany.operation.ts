// Transcription → Get Many: list jobs with filters, over offset pagination.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { checkedNumber } from '../../helpers/checks';
import { checkedPricePerHour, costSummary } from '../../helpers/cost';
import { invalidParameter, itemLabel } from '../../helpers/errors';
import { lacksTranscription, simplifyJob, type SimplifyOptions } from '../../helpers/output';
import { mapConcurrent } from '../../helpers/pool';
import type { ListResponse, PreRecordedJob } from '../../helpers/types';
import { getJob, listJobs } from '../../transport/jobs';
import { customMetadataField, pricePerAudioHourField } from '../common.description';
import { forEachItem, parameterCheck } from '../common';

/** Shown with One Item per Transcription only (a cost summary always reads every match). */
const perTranscription = { show: { output: ['transcriptions'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'One Item per Transcription',
				value: 'transcriptions',
				description: 'Each transcription that matches the filters',
			},
			{
				name: 'Cost Summary',
				value: 'costSummary',
				description:
					'One item: every matching transcription counted, billed hours and estimated cost, in all and per status (e.g. last month with After and Before)',
			},
		],
		default: 'transcriptions',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: perTranscription,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { output: ['transcriptions'], returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'After',
				name: 'afterDate',
				type: 'dateTime',
				default: '',
				description: 'Only transcriptions created after this moment',
			},
			{
				displayName: 'Before',
				name: 'beforeDate',
				type: 'dateTime',
				default: '',
				description: 'Only transcriptions created before this moment',
			},
			customMetadataField(
				'Add Metadata Filter',
				'Only transcriptions whose custom metadata has all these values',
			),
			{
				displayName: 'Date',
				name: 'date',
				type: 'dateTime',
				default: '',
				description: 'Only transcriptions created on this day',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: [
					{ name: 'Done', value: 'done' },
					{ name: 'Error', value: 'error' },
					{ name: 'Processing', value: 'processing' },
					{ name: 'Queued', value: 'queued' },
				],
				default: [],
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		displayOptions: perTranscription,
		description:
			'Whether to return each transcription as a flat, LLM-ready object (transcript, "Speaker 1: …" text, utterances, summary…) instead of Gladia’s raw list item',
	},
	{
		displayName: 'Fetch Full Results',
		name: 'fetchFullResults',
		type: 'boolean',
		default: true,
		displayOptions: { show: { output: ['transcriptions'], simplify: [true] } },
		description:
			'Whether to read each finished transcription by ID for its transcript and add-on results (Gladia’s list gives only metadata). One extra request per finished transcription, 5 at a time.',
	},
	pricePerAudioHourField({ show: { output: ['transcriptions'], simplify: [true] } }),
	pricePerAudioHourField({ show: { output: ['costSummary'] } }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['transcription'], operation: ['getMany'] } },
	properties,
);

const PAGE_SIZE = 100;

interface Filters {
	status?: string[];
	date?: string;
	beforeDate?: string;
	afterDate?: string;
	customMetadata?: { entries?: Array<{ key?: unknown; value?: unknown }> };
}

function notADate(ctx: IExecuteFunctions, itemIndex: number, value: string, field: string) {
	return invalidParameter(
		ctx.getNode(),
		itemIndex,
		`Filters → ${field}`,
		`"${value}" is not a date`,
		'Use a date such as 2026-05-31 or 2026-05-31T14:00:00Z.',
	);
}

function isoDate(ctx: IExecuteFunctions, itemIndex: number, value: string, field: string): Date {
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) throw notADate(ctx, itemIndex, value, field);
	return date;
}

/**
 * The day the user picked, as YYYY-MM-DD. n8n's date picker gives a local time without a zone
 * ("2026-05-31T00:00:00"): its date part is the day meant, whatever the server's time zone.
 */
function calendarDay(ctx: IExecuteFunctions, itemIndex: number, value: unknown): string {
	const text = String(value).trim();
	const day = /^(\d{4}-\d{2}-\d{2})(?:[T ]|$)/.exec(text)?.[1];
	if (!day) return isoDate(ctx, itemIndex, text, 'Date').toISOString().slice(0, 10);
	// A day that does not exist (2026-02-31) would otherwise roll over into the next month.
	const real = new Date(`${day}T00:00:00Z`);
	if (Number.isNaN(real.getTime()) || !real.toISOString().startsWith(day))
		throw notADate(ctx, itemIndex, text, 'Date');
	return day;
}

function listQuery(ctx: IExecuteFunctions, itemIndex: number, filters: Filters): IDataObject {
	const qs: IDataObject = {};
	if (filters.status?.length) qs.status = filters.status;
	if (filters.date) qs.date = calendarDay(ctx, itemIndex, filters.date);
	if (filters.beforeDate)
		qs.before_date = isoDate(ctx, itemIndex, filters.beforeDate, 'Before').toISOString();
	if (filters.afterDate)
		qs.after_date = isoDate(ctx, itemIndex, filters.afterDate, 'After').toISOString();
	if (qs.before_date && qs.after_date && String(qs.before_date) <= String(qs.after_date)) {
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			'Filters → Before',
			`${String(qs.before_date)} is not later than After (${String(qs.after_date)}), so no transcription can match`,
			'Set Before to a moment after After, or remove one of them.',
		);
	}
	const metadata: IDataObject = {};
	for (const { key, value } of filters.customMetadata?.entries ?? []) {
		// An expression may give a number: read keys as Create stores them (helpers/body).
		const name = String(key ?? '').trim();
		if (name) metadata[name] = value ?? '';
	}
	// Gladia's docs show this filter as a JSON object in the query string.
	if (Object.keys(metadata).length) qs.custom_metadata = JSON.stringify(metadata);
	return qs;
}

/** Parallel reads of listed jobs, as in Get. */
const FULL_RESULT_CONCURRENCY = 5;

/**
 * Gladia's list items carry only metadata: each finished job is read by ID for its transcript.
 * A job that cannot be read (deleted meanwhile, …) keeps its list item and says why.
 */
async function withFullResults(
	ctx: IExecuteFunctions,
	jobs: PreRecordedJob[],
	itemIndex: number,
	options: SimplifyOptions,
): Promise<IDataObject[]> {
	const read = async (job: PreRecordedJob) =>
		lacksTranscription(job) ? await getJob(ctx, job.id, { itemIndex }) : job;
	const settled = await mapConcurrent(
		jobs,
		FULL_RESULT_CONCURRENCY,
		read,
		ctx.getExecutionCancelSignal(),
	);
	return settled.map((outcome, index) => {
		if (outcome.ok) return simplifyJob(outcome.value, options);
		const simple = simplifyJob(jobs[index], options);
		const reason = `Could not read the full result of ${jobs[index].id}: ${outcome.error.message}`;
		return { ...simple, warnings: [reason, ...(simple.warnings as string[])] };
	});
}

/**
 * Return All stops here with an error rather than run on: 1,000 pages of 100 = 100,000 jobs,
 * far beyond any real account's listing, so only a server that never stops paging reaches it.
 */
export const MAX_LIST_PAGES = 1000;

function listStopped(ctx: IExecuteFunctions, itemIndex: number, problem: string) {
	return new NodeOperationError(
		ctx.getNode(),
		`Get Many stopped: ${problem}; the list is incomplete, so nothing was returned${itemLabel(itemIndex)}`,
		{
			itemIndex,
			description:
				"Turn off Return All and set a Limit, or narrow the list with Filters (Status, Date, After, Before). If the Gladia credential's Base URL points at a proxy, check that it passes the offset and limit query parameters on.",
		},
	);
}

/**
 * Pages by offset ourselves: the `next` link is an absolute URL on Gladia's host, which would
 * bypass the credential's Base URL. A server that ignores the offset or never ends its `next`
 * links is caught: a page of jobs already seen, a `next` that does not move, or the page cap.
 */
async function collectJobs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	qs: IDataObject,
	limit: number,
): Promise<ListResponse['items']> {
	const jobs: ListResponse['items'] = [];
	const seen = new Set<string>();
	for (let offset = 0, pages = 0; jobs.length < limit; pages++) {
		if (pages >= MAX_LIST_PAGES)
			throw listStopped(
				ctx,
				itemIndex,
				`more than ${MAX_LIST_PAGES} pages (${jobs.length} transcriptions)`,
			);
		const pageQuery = { ...qs, offset, limit: Math.min(PAGE_SIZE, limit - jobs.length) };
		const page = await listJobs(ctx, pageQuery, { itemIndex });
		const items = Array.isArray(page.items) ? page.items : [];
		const fresh = items.filter((job) => !seen.has(job.id));
		if (items.length && !fresh.length)
			throw listStopped(
				ctx,
				itemIndex,
				`page ${pages + 1} (offset ${offset}) brought only transcriptions already listed`,
			);
		for (const job of fresh) seen.add(job.id);
		jobs.push(...fresh);
		if (!page.next || items.length === 0) break;
		if (page.next === page.current)
			throw listStopped(ctx, itemIndex, `page ${pages + 1} links to itself as the next page`);
		offset += items.length;
	}
	return jobs.slice(0, limit);
}

function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	const fail = parameterCheck(ctx, itemIndex);
	const raw = ctx.getNodeParameter('limit', itemIndex, 50) as number;
	return (
		checkedNumber(raw, 'Limit', fail, { min: 1, integer: true }) ??
		fail(
			'Limit',
			'is empty',
			'Enter how many transcriptions to return (at least 1), or turn on Return All.',
		)
	);
}

function readPrice(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const value = ctx.getNodeParameter('pricePerAudioHour', itemIndex, 0);
	return checkedPricePerHour(value, parameterCheck(ctx, itemIndex));
}

/**
 * Cost Summary: every job matching the filters (never cut by Limit: a partial total would
 * mislead), as one item; `filters` is the query sent, so the period is visible.
 */
async function summaryItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	qs: IDataObject,
): Promise<INodeExecutionData> {
	const price = readPrice(ctx, itemIndex);
	const listed = await collectJobs(ctx, itemIndex, qs, Infinity);
	return { json: { ...costSummary(listed, price), filters: qs }, pairedItem: { item: itemIndex } };
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const qs = listQuery(
			this,
			itemIndex,
			this.getNodeParameter('filters', itemIndex, {}) as Filters,
		);
		if (this.getNodeParameter('output', itemIndex, 'transcriptions') === 'costSummary')
			return [await summaryItem(this, itemIndex, qs)];
		const limit = readLimit(this, itemIndex);
		const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
		const listed = await collectJobs(this, itemIndex, qs, limit);
		if (!simplify)
			return listed.map((job) => ({
				json: job as unknown as IDataObject,
				pairedItem: { item: itemIndex },
			}));
		const options = { pricePerAudioHour: readPrice(this, itemIndex) };
		const fetch = this.getNodeParameter('fetchFullResults', itemIndex, true) as boolean;
		const simplified = fetch
			? await withFullResults(this, listed, itemIndex, options)
			: listed.map((job) => simplifyJob(job, options));
		return simplified.map((json) => ({ json, pairedItem: { item: itemIndex } }));
	});
}
