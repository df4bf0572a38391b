// What every operation does the same way: run items one by one or a few at a time, turn a
// failure into an error item (continueOnFail) or a thrown n8n error, read the shared
// parameters, get an item's audio to Gladia, and shape a finished job.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, UserError } from 'n8n-workflow';

import { buildTranscriptionBody } from '../helpers/body';
import { checkedNumber, isPlainObject, type Check } from '../helpers/checks';
import { MAX_AUDIO_SECONDS } from '../helpers/constants';
import { checkedPricePerHour } from '../helpers/cost';
import { errorItem, invalidParameter, itemLabel } from '../helpers/errors';
import {
	simplifyJob,
	subtitleBinaries,
	utteranceRows,
	type BinaryPreparer,
} from '../helpers/output';
import { reuseFingerprint, REUSE_FIELD, type AudioIdentity } from '../helpers/fingerprint';
import { mapConcurrent } from '../helpers/pool';
import type { InitTranscriptionRequest, PreRecordedJob } from '../helpers/types';
import { binaryContentHash, checkedAudioUrl, uploadBinary } from '../transport/files';
import { createJobIdempotently, findReusableJob } from '../transport/jobs';
import type { WaitOptions } from '../transport/poller';
import { settle } from '../transport/retry';
import { readTranscriptionOptions } from './transcription/options.description';

/** Errors reach n8n as NodeApiError / NodeOperationError, with the item index. */
export function asNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	// Anything else (n8n's helpers, the runtime) gets the item named like our own errors.
	const cause = error instanceof Error ? error : new Error(String(error));
	return new NodeOperationError(ctx.getNode(), cause, {
		itemIndex,
		message: `${cause.message}${itemLabel(itemIndex)}`,
	});
}

/** Runs `run` for each item in order; a failure becomes an error item or stops the node. */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	run: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push(...(await run(itemIndex)));
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx, error, itemIndex);
			output.push(errorItem(asNodeError(ctx, error, itemIndex), itemIndex, ctx.getNode()));
		}
	}
	return output;
}

/**
 * Runs `run` for up to `limit` items at once (Max Concurrent Jobs); output keeps input
 * order. Without continueOnFail the first failure stops new items from starting and is thrown.
 */
export async function forEachItemConcurrently(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	limit: number,
	run: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	const stop = new AbortController();
	const cancel = ctx.getExecutionCancelSignal();
	const signal = cancel ? AbortSignal.any([cancel, stop.signal]) : stop.signal;
	const settled = await mapConcurrent(
		items,
		limit,
		async (_item, itemIndex) => {
			try {
				return await run(itemIndex);
			} catch (error) {
				if (!continueOnFail) stop.abort(error);
				throw asNodeError(ctx, error, itemIndex);
			}
		},
		signal,
	);
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of settled.entries()) {
		if (outcome.ok) output.push(...outcome.value);
		else if (continueOnFail)
			output.push(errorItem(asNodeError(ctx, outcome.error, itemIndex), itemIndex, ctx.getNode()));
	}
	if (!continueOnFail) {
		const first = settled.findIndex((outcome) => !outcome.ok);
		if (first !== -1) {
			const failure = settled[first] as { ok: false; error: Error };
			throw asNodeError(ctx, failure.error, first);
		}
	}
	return output;
}

function optionCheck(ctx: IExecuteFunctions, itemIndex: number): Check {
	return (field, problem, fix) => {
		throw invalidParameter(ctx.getNode(), itemIndex, `Options → ${field}`, problem, fix);
	};
}

/** Options → Max Concurrent Jobs (read once, from item 0: one limit for the whole run). */
export function maxConcurrentJobs(ctx: IExecuteFunctions): number {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const value = options.maxConcurrentJobs as number | undefined;
	const limit = checkedNumber(value, 'Max Concurrent Jobs', optionCheck(ctx, 0), {
		min: 1,
		integer: true,
	});
	return limit ?? 3;
}

/** Options → Max Wait and the poll intervals, in ms; each must be a number above 0. */
export function waitOptionsFor(ctx: IExecuteFunctions, itemIndex: number): WaitOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fail = optionCheck(ctx, itemIndex);
	const seconds = (name: string, label: string, fallback: number) => {
		const value = checkedNumber(options[name] as number | undefined, label, fail, {});
		if (value !== undefined && value <= 0)
			fail(
				label,
				`${value} is not above 0`,
				`Enter a number of seconds above 0 (default ${fallback}).`,
			);
		return (value ?? fallback) * 1000;
	};
	return {
		maxWaitMs: seconds('maxWaitSeconds', 'Max Wait (Seconds)', 1800),
		minIntervalMs: seconds('minPollIntervalSeconds', 'Min Poll Interval (Seconds)', 1),
		maxIntervalMs: seconds('maxPollIntervalSeconds', 'Max Poll Interval (Seconds)', 30),
	};
}

export { readTranscriptionId } from './transcriptionId';

/** A placeholder audio_url used to check the options before a binary is uploaded. */
export const PENDING_UPLOAD_URL = 'https://upload.pending/audio';

export interface ItemAudio {
	audioUrl: string;
	/** Seconds, when Gladia told us (uploads). */
	audioDuration?: number;
}

function isBinarySource(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return ctx.getNodeParameter('audioSource', itemIndex) === 'binary';
}

/** The item's audio as a URL Gladia can read: the URL as given, or its binary uploaded first. */
export async function audioForItem(ctx: IExecuteFunctions, itemIndex: number): Promise<ItemAudio> {
	if (!isBinarySource(ctx, itemIndex)) {
		return {
			audioUrl: checkedAudioUrl(ctx, itemIndex, ctx.getNodeParameter('audioUrl', itemIndex)),
		};
	}
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const upload = await uploadBinary(ctx, itemIndex, property);
	const duration = upload.audio_metadata?.audio_duration;
	if (typeof duration === 'number' && duration > MAX_AUDIO_SECONDS) {
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			'Input Binary Field',
			`the audio is ${Math.round(duration / 60)} minutes long, over Gladia's ${MAX_AUDIO_SECONDS / 60}-minute limit; no transcription was created`,
			'Split the file into parts of at most 135 minutes (e.g. with FFmpeg) and transcribe each part.',
		);
	}
	return { audioUrl: upload.audio_url, audioDuration: duration };
}

export interface PreparedTranscription extends ItemAudio {
	body: InitTranscriptionRequest;
}

/** An item's create request before its audio is uploaded, and its fingerprint (Reuse Earlier Job on). */
export interface TranscriptionDraft {
	/** audio_url is the item's URL, or PENDING_UPLOAD_URL for a binary not uploaded yet. */
	body: InitTranscriptionRequest;
	fingerprint?: string;
}

/** Options → Reuse Earlier Job and Reuse Key: undefined when reuse is off. */
function reuseSettings(ctx: IExecuteFunctions, itemIndex: number): { key?: string } | undefined {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fail = (problem: string, fix: string) => {
		throw invalidParameter(ctx.getNode(), itemIndex, 'Options → Reuse Key', problem, fix);
	};
	const raw = options.reuseKey;
	if (raw !== undefined && typeof raw !== 'string' && typeof raw !== 'number') {
		fail(
			`is ${JSON.stringify(raw)}, not a text or a number`,
			'Use one value per recording, e.g. {{ $json.recordingId }}.',
		);
	}
	const key = raw === undefined ? undefined : String(raw).trim();
	if (options.reuseEarlierJob !== true) {
		if (key) {
			fail(
				'is set but Reuse Earlier Job is off',
				'Switch Options → Reuse Earlier Job on, or remove the Reuse Key option.',
			);
		}
		return undefined;
	}
	if (key === '') {
		fail(
			'is empty for this item',
			'Give each item its own key (e.g. {{ $json.recordingId }}), or remove the Reuse Key option to match on the audio itself.',
		);
	}
	return { key };
}

/** What identifies the item's recording: the user's key, the binary's content, or the URL. */
async function audioIdentityOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: InitTranscriptionRequest,
	key: string | undefined,
): Promise<AudioIdentity> {
	if (key) return { kind: 'key', key };
	if (!isBinarySource(ctx, itemIndex)) return { kind: 'url', url: body.audio_url };
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	return { kind: 'content', sha256: await binaryContentHash(ctx, itemIndex, property) };
}

/**
 * Step 1 of a create: options checked and the body built (before any upload); with Reuse
 * Earlier Job on, the fingerprint too (a binary is hashed, not uploaded).
 */
export async function draftTranscription(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<TranscriptionDraft> {
	const options = readTranscriptionOptions(ctx, itemIndex);
	const draftUrl = isBinarySource(ctx, itemIndex)
		? PENDING_UPLOAD_URL
		: checkedAudioUrl(ctx, itemIndex, ctx.getNodeParameter('audioUrl', itemIndex));
	const body = buildTranscriptionBody(draftUrl, options, itemIndex, ctx.getNode());
	const reuse = reuseSettings(ctx, itemIndex);
	if (!reuse) return { body };
	const audio = await audioIdentityOf(ctx, itemIndex, body, reuse.key);
	return { body, fingerprint: reuseFingerprint(body, audio) };
}

/** Step 2: the audio made reachable for Gladia (uploaded), the fingerprint stored in custom_metadata. */
export async function completeTranscription(
	ctx: IExecuteFunctions,
	itemIndex: number,
	draft: TranscriptionDraft,
): Promise<PreparedTranscription> {
	const audio = await audioForItem(ctx, itemIndex);
	const body: InitTranscriptionRequest = { ...draft.body, audio_url: audio.audioUrl };
	if (draft.fingerprint) {
		const metadata = isPlainObject(body.custom_metadata) ? body.custom_metadata : {};
		body.custom_metadata = { ...metadata, [REUSE_FIELD]: draft.fingerprint };
	}
	return { ...audio, body };
}

/**
 * The create request for an item (steps 1 and 2): options checked first, then the audio made
 * reachable for Gladia. Create, Transcribe and its callback mode all start here.
 */
export async function prepareTranscription(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<PreparedTranscription> {
	return await completeTranscription(ctx, itemIndex, await draftTranscription(ctx, itemIndex));
}

/**
 * The job Gladia already has for this draft's fingerprint (done, or still running), if any;
 * undefined without a fingerprint (Reuse Earlier Job off). A failed look-up (after the usual
 * retries) stops the item rather than creating a job the user asked not to pay for twice.
 */
export async function findEarlierJob(
	ctx: IExecuteFunctions,
	itemIndex: number,
	draft: TranscriptionDraft,
): Promise<{ job: PreRecordedJob; result_url: string } | undefined> {
	if (!draft.fingerprint) return undefined;
	const found = await settle(
		async () => await findReusableJob(ctx, draft.fingerprint as string, itemIndex),
	);
	if (found.ok) return found.value;
	const cause = found.error as Error & { description?: string | null };
	throw new NodeOperationError(ctx.getNode(), cause, {
		itemIndex,
		message: `Could not check Gladia for an earlier job to reuse (${cause.message})${itemLabel(itemIndex)}`,
		description:
			'No job was created. Run the node again once Gladia answers, or switch off Options → Reuse Earlier Job to create a new job without checking.',
	});
}

/** A job to wait for or output: an earlier one reused (with its state) or one just created. */
export type StartedJob =
	| { reused: true; id: string; result_url: string; job: PreRecordedJob }
	| { reused: false; id: string; result_url: string; audioDuration?: number };

/** Reuses the item's earlier job when allowed and found, else uploads and creates a new one. */
export async function startTranscription(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<StartedJob> {
	const draft = await draftTranscription(ctx, itemIndex);
	const earlier = await findEarlierJob(ctx, itemIndex, draft);
	if (earlier) return { reused: true, id: earlier.job.id, ...earlier };
	const { body, audioDuration } = await completeTranscription(ctx, itemIndex, draft);
	const created = await createJobIdempotently.call(ctx, body, itemIndex);
	return { reused: false, ...created, audioDuration };
}

/** Whether Options → Reuse Earlier Job is on (its outputs then say whether a job was reused). */
export function reuseIsOn(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return reuseIsOnIn(ctx.getNodeParameter('options', itemIndex, {}) as IDataObject);
}

/** The same, from the Options collection as read in any context (callback mode's webhook()). */
export function reuseIsOnIn(options: IDataObject): boolean {
	return options.reuseEarlierJob === true;
}

/** A job's output items, each saying whether the job was an earlier one reused. */
export function markReused(items: INodeExecutionData[], reused: boolean): INodeExecutionData[] {
	return items.map((item) => ({ ...item, json: { ...item.json, reused } }));
}

export interface OutputSettings {
	simplify: boolean;
	outputItems: 'job' | 'utterance';
	subtitlesAsBinary: boolean;
	/** Delete From Gladia After Fetching (actions/transcription/deleteAfter.ts); off when absent. */
	deleteAfterFetch?: boolean;
	/** Price per Audio Hour; undefined = no estimated_cost. */
	pricePerAudioHour?: number;
}

/** Reads one node parameter, with its default (execute and webhook contexts differ in how). */
export type ParameterReader = (name: string, fallback: boolean | string | number) => unknown;

/** Fails on a bad price with the field's name (the webhook context has no item to name). */
const failWithoutItem: Check = (field, problem, fix) => {
	throw new UserError(`${field}: ${problem}. ${fix}`);
};

/** The output parameters (outputFields in common.description.ts), from either context. */
export function outputSettingsFrom(
	read: ParameterReader,
	fail: Check = failWithoutItem,
): OutputSettings {
	const simplify = read('simplify', true) as boolean;
	return {
		simplify,
		outputItems: read('outputItems', 'job') as OutputSettings['outputItems'],
		subtitlesAsBinary: read('subtitlesAsBinary', false) as boolean,
		deleteAfterFetch: read('deleteAfterFetch', false) === true,
		// The price is shown (and read) with Simplify on only: raw output stays Gladia's job.
		pricePerAudioHour: simplify
			? checkedPricePerHour(read('pricePerAudioHour', 0), fail)
			: undefined,
	};
}

/** Fails with the item and the field named (a top-level parameter). */
export function parameterCheck(ctx: IExecuteFunctions, itemIndex: number): Check {
	return (field, problem, fix) => {
		throw invalidParameter(ctx.getNode(), itemIndex, field, problem, fix);
	};
}

export function readOutputSettings(ctx: IExecuteFunctions, itemIndex: number): OutputSettings {
	return outputSettingsFrom(
		(name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback),
		parameterCheck(ctx, itemIndex),
	);
}

/** A job as output items: simplified or raw, one item or one per utterance, subtitles as files. */
export async function jobToItems(
	ctx: BinaryPreparer, // an execute or webhook context (callback mode shapes in webhook())
	job: PreRecordedJob,
	itemIndex: number,
	settings: OutputSettings,
): Promise<INodeExecutionData[]> {
	const binary = settings.subtitlesAsBinary ? await subtitleBinaries(ctx, job) : {};
	const withBinary = Object.keys(binary).length ? { binary } : {};
	if (settings.outputItems === 'utterance') {
		// Subtitle files ride on the first row only, so a sheet gets each file once.
		return utteranceRows(job).map((json, row) => ({
			json,
			...(row === 0 ? withBinary : {}),
			pairedItem: { item: itemIndex },
		}));
	}
	const json = settings.simplify
		? simplifyJob(job, { pricePerAudioHour: settings.pricePerAudioHour })
		: (job as unknown as IDataObject);
	return [{ json, ...withBinary, pairedItem: { item: itemIndex } }];
}
