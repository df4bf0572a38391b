// The "From List" mode of Transcription ID: recent jobs, newest first, as the editor shows them.
//
// Gladia's list endpoint cannot search by file name or id, so a filter is applied here, page by
// page. A filter holding a full id is looked up directly instead (one GET, exact).
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { PreRecordedJob } from '../../helpers/types';
import { getJob, listJobs } from '../../transport/jobs';

/** Jobs asked for per page: one request fills the editor's dropdown. */
export const SEARCH_PAGE_SIZE = 50;
/** With a filter, pages scanned per call before answering (the editor asks for more on scroll). */
export const MAX_FILTERED_PAGES = 5;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The file name, else the last part of the audio URL, else the id. */
function fileLabel(job: PreRecordedJob): string {
	const source = job.file?.filename ?? job.file?.source ?? job.request_params?.audio_url;
	if (typeof source !== 'string' || source === '') return job.id;
	const path = source.split(/[?#]/)[0].replace(/\/+$/, '');
	const last = path.slice(path.lastIndexOf('/') + 1);
	try {
		return decodeURIComponent(last) || source;
	} catch {
		return last || source;
	}
}

/** "meeting.mp3 · done · 2026-12-01 09:53 UTC" */
export function jobListItem(job: PreRecordedJob): INodeListSearchItems {
	const date = job.created_at ? `${job.created_at.slice(0, 16).replace('T', ' ')} UTC` : '';
	return {
		name: [fileLabel(job), job.status, date].filter((part) => part !== '').join(' · '),
		value: job.id,
	};
}

function matches(job: PreRecordedJob, filter: string): boolean {
	const needle = filter.toLowerCase();
	return job.id.toLowerCase().includes(needle) || fileLabel(job).toLowerCase().includes(needle);
}

/** A filter with a full id (or a pasted result_url): that one job, or nothing. */
async function searchById(ctx: ILoadOptionsFunctions, id: string): Promise<INodeListSearchResult> {
	try {
		return { results: [jobListItem(await getJob(ctx, id.toLowerCase()))] };
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') return { results: [] };
		throw new NodeApiError(ctx.getNode(), error as JsonObject);
	}
}

/** The offset the editor hands back for the next page (our own token, a number as text). */
function offsetFrom(token: string | undefined): number {
	const offset = Number(token ?? 0);
	return Number.isInteger(offset) && offset >= 0 ? offset : 0;
}

export async function searchTranscriptions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = (filter ?? '').trim();
	const id = text.match(UUID)?.[0];
	if (id) return await searchById(this, id);

	let offset = offsetFrom(paginationToken);
	const results: INodeListSearchItems[] = [];
	for (let page = 0; page < (text ? MAX_FILTERED_PAGES : 1); page++) {
		const list = await listJobs(this, { offset, limit: SEARCH_PAGE_SIZE });
		const jobs = text ? list.items.filter((job) => matches(job, text)) : list.items;
		results.push(...jobs.map(jobListItem));
		offset += list.items.length;
		if (!list.next || list.items.length === 0) return { results };
		if (results.length >= SEARCH_PAGE_SIZE) break;
	}
	return { results, paginationToken: String(offset) };
}
