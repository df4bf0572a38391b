// The one output shaper for Gladia jobs: a flat, LLM-ready summary of a job, one row per
// utterance (for Sheets and CRMs), and subtitles as n8n binary files. Gladia only includes
// the add-on blocks it produced, and a block may have failed: every reader here tolerates
// a missing block, a null result and a failed one (which then shows up under `errors`).
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { BATCH_FIELDS } from './callback';
import { IDEMPOTENCY_FIELD } from './constants';
import { REUSE_FIELD } from './fingerprint';
import { billingSecondsOf, estimatedCost } from './cost';
import type { AddonBlock, PreRecordedJob, Subtitle, Utterance } from './types';

type Block = Partial<AddonBlock<unknown>> | null | undefined;

function blockOf(job: PreRecordedJob, key: string): Block {
	const value = (job.result as IDataObject | null | undefined)?.[key];
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Block) : undefined;
}

/** A block's results, or undefined when it is missing, failed or empty. */
function resultsOf(block: Block): unknown {
	if (!block || block.success === false) return undefined;
	return block.results ?? undefined;
}

function blockError(block: Block): string | undefined {
	if (!block || (block.success !== false && !block.error)) return undefined;
	const error = block.error;
	if (!error) return 'failed without details';
	return [error.message, error.status_code ? `(${error.status_code})` : '']
		.filter(Boolean)
		.join(' ');
}

/** Gladia documents some results as JSON strings in the spec but arrays in practice. */
function asArray(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string') {
		try {
			const parsed = JSON.parse(value) as unknown;
			return Array.isArray(parsed) ? parsed : [];
		} catch {
			return [];
		}
	}
	return [];
}

function round(value: unknown, digits = 3): number | null {
	if (value === null || value === undefined || value === '') return null;
	const number = Number(value);
	return Number.isFinite(number) ? Number(number.toFixed(digits)) : null;
}

/** "Speaker 1" for Gladia's speaker 0; with no diarization, the channel when there are several. */
function speakerLabel(utterance: Partial<Utterance>, multiChannel: boolean): string | null {
	if (typeof utterance.speaker === 'number') return `Speaker ${utterance.speaker + 1}`;
	if (multiChannel && typeof utterance.channel === 'number')
		return `Channel ${utterance.channel + 1}`;
	return null;
}

function utterancesOf(job: PreRecordedJob): Array<Partial<Utterance>> {
	const utterances = job.result?.transcription?.utterances;
	return Array.isArray(utterances) ? utterances : [];
}

function isMultiChannel(job: PreRecordedJob, utterances: Array<Partial<Utterance>>): boolean {
	const channels = job.result?.metadata?.number_of_distinct_channels;
	return (
		(typeof channels === 'number' && channels > 1) ||
		new Set(utterances.map((u) => u.channel)).size > 1
	);
}

function simplifyUtterance(utterance: Partial<Utterance>, multiChannel: boolean): IDataObject {
	return {
		speaker: speakerLabel(utterance, multiChannel),
		start: round(utterance.start),
		end: round(utterance.end),
		text: (utterance.text ?? '').trim(),
		language: utterance.language ?? null,
		confidence: round(utterance.confidence),
		channel: utterance.channel ?? null,
	};
}

/** "Speaker 1: …" per utterance, one per line: ready to paste into an LLM prompt. */
function speakerTranscript(utterances: Array<Partial<Utterance>>, multiChannel: boolean): string {
	// Real translations hold utterances with an empty text: they give no line.
	return utterances
		.flatMap((utterance) => {
			const text = (utterance.text ?? '').trim();
			if (!text) return [];
			const label = speakerLabel(utterance, multiChannel);
			return [label ? `${label}: ${text}` : text];
		})
		.join('\n');
}

function subtitlesOf(subtitles: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	for (const subtitle of Array.isArray(subtitles) ? (subtitles as Subtitle[]) : []) {
		if (subtitle?.format && typeof subtitle.subtitles === 'string')
			out[subtitle.format] = subtitle.subtitles;
	}
	return out;
}

/** Result keys that are not add-on blocks. */
const NOT_ADDON_BLOCKS = new Set(['metadata', 'transcription']);

/**
 * Every failed add-on block, whatever its name (Gladia adds blocks over time: a failed
 * `punctuation_enhanced`, `diarization` or `moderation` must not vanish), plus failed
 * translation languages and audio-to-LLM prompts inside their blocks.
 */
function addonErrors(job: PreRecordedJob): IDataObject {
	const errors: IDataObject = {};
	for (const key of Object.keys(job.result ?? {})) {
		if (NOT_ADDON_BLOCKS.has(key)) continue;
		const error = blockError(blockOf(job, key));
		if (error) errors[key] = error;
	}
	if (!errors.sentences) {
		const failed = sentenceBlocks(job).map(blockError).find(Boolean);
		if (failed) errors.sentences = failed;
	}
	for (const entry of translationEntries(job))
		if (entry.error) errors[`translation.${entry.language}`] = entry.error;
	asArray(resultsOf(blockOf(job, 'audio_to_llm'))).forEach((entry, index) => {
		const error = blockError(entry as Block);
		if (error) errors[`audio_to_llm.${index + 1}`] = error;
	});
	return errors;
}

interface TranslationEntry {
	language: string;
	result: IDataObject;
	error?: string;
}

/** Each translated version in the translation block, keyed by its language. */
function translationEntries(job: PreRecordedJob): TranslationEntry[] {
	const entries = asArray(resultsOf(blockOf(job, 'translation'))) as Array<IDataObject | null>;
	return entries.map((translated, index) => {
		const result = translated ?? {};
		const languages = (result.languages as string[] | undefined) ?? [];
		const error = result.error as IDataObject | null | undefined;
		return {
			language: languages[0] ?? `#${index + 1}`,
			result,
			...(error ? { error: String(error.message ?? 'failed') } : {}),
		};
	});
}

function translationsOf(job: PreRecordedJob, multiChannel: boolean): IDataObject {
	const translations: IDataObject = {};
	for (const { language, result, error } of translationEntries(job)) {
		if (error) continue;
		translations[language] = {
			transcript: result.full_transcript ?? '',
			speaker_transcript: speakerTranscript(
				(result.utterances as Array<Partial<Utterance>> | undefined) ?? [],
				multiChannel,
			),
			subtitles: subtitlesOf(result.subtitles),
		};
	}
	return translations;
}

/** The sentences block, or the blocks newer jobs put inside `transcription.sentences`. */
function sentenceBlocks(job: PreRecordedJob): Block[] {
	const top = blockOf(job, 'sentences');
	if (top) return [top];
	const inTranscription = job.result?.transcription?.sentences;
	return Array.isArray(inTranscription) ? (inTranscription as Block[]) : [];
}

/**
 * Gladia's spec gives sentences as strings, its docs as objects with timing and speaker.
 * Both become `{ text, start, end, speaker, … }` (null where not given).
 */
function sentencesOf(job: PreRecordedJob): IDataObject[] {
	return sentenceBlocks(job)
		.flatMap((block) => asArray(resultsOf(block)))
		.flatMap((entry) => {
			const sentence = (
				typeof entry === 'string' ? { sentence: entry } : (entry ?? {})
			) as IDataObject;
			const raw = sentence.sentence ?? sentence.text;
			const text = typeof raw === 'string' ? raw.trim() : '';
			if (!text) return [];
			return [
				{
					text,
					start: round(sentence.start),
					end: round(sentence.end),
					speaker: speakerLabel(sentence as Partial<Utterance>, false),
					channel: typeof sentence.channel === 'number' ? sentence.channel : null,
					language: sentence.language ?? null,
					confidence: round(sentence.confidence),
				},
			];
		});
}

/**
 * Our own custom_metadata keys: the idempotency key, the Reuse Earlier Job fingerprint, and
 * the batch key and item index of Transcribe's callback wait.
 */
const BOOKKEEPING_FIELDS = [IDEMPOTENCY_FIELD, REUSE_FIELD, BATCH_FIELDS.batch, BATCH_FIELDS.item];

/** custom_metadata without our own bookkeeping (BOOKKEEPING_FIELDS). */
export function userMetadata(job: Pick<PreRecordedJob, 'custom_metadata'>): IDataObject | null {
	const metadata = job.custom_metadata;
	if (!metadata || typeof metadata !== 'object') return metadata ?? null;
	const entries = Object.entries(metadata);
	const rest = entries.filter(([key]) => !BOOKKEEPING_FIELDS.includes(key));
	return rest.length === entries.length || rest.length ? Object.fromEntries(rest) : null;
}

/**
 * A done job whose result has no transcription: Gladia's list gives only metadata per job,
 * so Get Many must fetch it by ID for a transcript.
 */
export function lacksTranscription(job: PreRecordedJob): boolean {
	return job.status === 'done' && !job.result?.transcription;
}

export const NO_TRANSCRIPTION_WARNING =
	'Gladia returned this transcription without its transcript (only its metadata, as in a list). Read it with Transcription → Get, or turn on Fetch Full Results in Get Many.';

/** Request flags whose result appears under the result key of the same name. */
const BLOCK_FLAGS = [
	'summarization',
	'translation',
	'chapterization',
	'sentiment_analysis',
	'named_entity_recognition',
	'audio_to_llm',
	'moderation',
	'name_consistency',
	'structured_data_extraction',
	'display_mode',
];

/** What a finished job should hold, given what was requested, and does not. */
function missingResults(job: PreRecordedJob): string[] {
	const params = (job.request_params ?? {}) as IDataObject;
	const result = (job.result ?? {}) as IDataObject;
	const missing = (what: string) => `${what} was requested but Gladia returned no ${what} result`;
	const warnings = BLOCK_FLAGS.filter((flag) => params[flag] === true && !result[flag]).map(
		missing,
	);
	if (params.sentences === true && !result.sentences && !job.result?.transcription?.sentences)
		warnings.push(missing('sentences'));
	warnings.push(...missingSubtitles(job, params), ...missingTranslations(job, params));
	const utterances = utterancesOf(job);
	const speakers = utterances.some((utterance) => typeof utterance.speaker === 'number');
	if (params.diarization === true && utterances.length && !speakers && !result.diarization)
		warnings.push('diarization was requested but no utterance has a speaker');
	return warnings;
}

function requestedList(config: unknown, key: string): string[] {
	const list = (config as IDataObject | null | undefined)?.[key];
	return Array.isArray(list) ? list.map(String) : [];
}

function missingSubtitles(job: PreRecordedJob, params: IDataObject): string[] {
	if (params.subtitles !== true) return [];
	const have = subtitlesOf(job.result?.transcription?.subtitles);
	const formats = requestedList(params.subtitles_config, 'formats');
	const absent = (formats.length ? formats : ['srt']).filter((format) => !(format in have));
	return absent.length
		? [`subtitles were requested but Gladia returned no ${absent.join(', ')} subtitles`]
		: [];
}

function missingTranslations(job: PreRecordedJob, params: IDataObject): string[] {
	if (params.translation !== true || !blockOf(job, 'translation')) return [];
	const have = new Set(translationEntries(job).map((entry) => entry.language));
	return requestedList(params.translation_config, 'target_languages')
		.filter((language) => !have.has(language))
		.map((language) => `translation to ${language} was requested but Gladia returned none`);
}

function warningsOf(job: PreRecordedJob): string[] {
	if (lacksTranscription(job)) return [NO_TRANSCRIPTION_WARNING];
	return job.status === 'done' ? missingResults(job) : [];
}

/**
 * A job as one flat object: what a workflow or an LLM needs, without Gladia's envelopes.
 * Keys are always present (null or empty when the feature was off, missing or failed);
 * `errors` names each add-on block that failed, with Gladia's message; `warnings` says what
 * was requested but is absent from a finished job (so a null summary is not mistaken for an
 * empty one).
 */
export interface SimplifyOptions {
	/** Price per Audio Hour: adds `estimated_cost` after `billing_time` (null when Gladia gave none). */
	pricePerAudioHour?: number;
}

export function simplifyJob(job: PreRecordedJob, options: SimplifyOptions = {}): IDataObject {
	const transcription = job.result?.transcription;
	const utterances = utterancesOf(job);
	const multiChannel = isMultiChannel(job, utterances);
	const summary = resultsOf(blockOf(job, 'summarization'));
	const redacted = Boolean((job.request_params as IDataObject | null | undefined)?.pii_redaction);
	const fullTranscript = transcription?.full_transcript ?? '';

	return {
		id: job.id,
		status: job.status,
		...(job.status === 'error' ? { error_code: job.error_code ?? null } : {}),
		created_at: job.created_at ?? null,
		completed_at: job.completed_at ?? null,
		file_name: job.file?.filename ?? null,
		audio_duration: round(job.result?.metadata?.audio_duration ?? job.file?.audio_duration),
		billing_time: round(job.result?.metadata?.billing_time),
		...(options.pricePerAudioHour !== undefined
			? { estimated_cost: estimatedCost(billingSecondsOf(job), options.pricePerAudioHour) }
			: {}),
		languages: transcription?.languages ?? [],
		transcript: fullTranscript,
		speaker_transcript: speakerTranscript(utterances, multiChannel),
		utterances: utterances.map((utterance) => simplifyUtterance(utterance, multiChannel)),
		sentences: sentencesOf(job),
		summary: typeof summary === 'string' ? summary : null,
		translations: translationsOf(job, multiChannel),
		entities: entitiesOf(job),
		sentiment: sentimentOf(job),
		chapters: asArray(resultsOf(blockOf(job, 'chapterization'))),
		llm_answers: llmAnswersOf(job),
		// Gladia redacts in place: with PII redaction on, the transcript itself is the redacted text.
		redacted_transcript: redacted ? fullTranscript : null,
		subtitles: subtitlesOf(transcription?.subtitles),
		custom_metadata: userMetadata(job),
		errors: addonErrors(job),
		warnings: warningsOf(job),
	};
}

function entitiesOf(job: PreRecordedJob): IDataObject[] {
	return asArray(resultsOf(blockOf(job, 'named_entity_recognition'))).map((entity) => {
		const e = (entity ?? {}) as IDataObject;
		return {
			type: e.entity_type ?? e.type ?? null,
			text: e.text ?? null,
			start: round(e.start),
			end: round(e.end),
		};
	});
}

function sentimentOf(job: PreRecordedJob): IDataObject[] {
	return asArray(resultsOf(blockOf(job, 'sentiment_analysis'))).map((row) => {
		const r = (row ?? {}) as IDataObject;
		return {
			text: r.text ?? null,
			sentiment: r.sentiment ?? null,
			emotion: r.emotion ?? null,
			start: round(r.start),
			end: round(r.end),
			speaker: typeof r.speaker === 'number' ? `Speaker ${r.speaker + 1}` : null,
		};
	});
}

function llmAnswersOf(job: PreRecordedJob): IDataObject[] {
	return asArray(resultsOf(blockOf(job, 'audio_to_llm'))).map((entry) => {
		const block = entry as Block;
		const results = (resultsOf(block) ?? {}) as IDataObject;
		const error = blockError(block);
		return {
			prompt: results.prompt ?? null,
			answer: results.response ?? null,
			...(error ? { error } : {}),
		};
	});
}

/**
 * One row per utterance, flat (no arrays or objects), for spreadsheets and CRMs. A job with
 * no utterance (silence, or not done) still gives one row, so no input item disappears.
 */
export function utteranceRows(job: PreRecordedJob): IDataObject[] {
	const utterances = utterancesOf(job);
	const multiChannel = isMultiChannel(job, utterances);
	const base = { id: job.id, status: job.status, file_name: job.file?.filename ?? null };
	if (!utterances.length) {
		return [
			{
				...base,
				utterance_index: null,
				speaker: null,
				start: null,
				end: null,
				text: '',
				language: null,
				confidence: null,
				channel: null,
			},
		];
	}
	return utterances.map((utterance, index) => ({
		...base,
		utterance_index: index,
		...simplifyUtterance(utterance, multiChannel),
	}));
}

const SUBTITLE_MIME_TYPES: Record<string, string> = {
	srt: 'application/x-subrip',
	vtt: 'text/vtt',
};

export interface BinaryPreparer {
	helpers: {
		prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData>;
	};
}

/** Each subtitle file of a job as an n8n binary: `subtitles_srt`, and `subtitles_fr_srt` for a translation. */
export async function subtitleBinaries(
	ctx: BinaryPreparer,
	job: PreRecordedJob,
): Promise<Record<string, IBinaryData>> {
	const baseName = (job.file?.filename ?? '').replace(/\.[^.]+$/, '') || job.id;
	const files: Array<{ key: string; fileName: string; format: string; content: string }> = [];
	const add = (subtitles: unknown, language?: string) => {
		for (const [format, content] of Object.entries(subtitlesOf(subtitles))) {
			const tag = language ? `${language}_${format}` : format;
			const fileName = language ? `${baseName}.${language}.${format}` : `${baseName}.${format}`;
			files.push({ key: `subtitles_${tag}`, fileName, format, content });
		}
	};
	add(job.result?.transcription?.subtitles);
	for (const { language, result, error } of translationEntries(job))
		if (!error && /^[a-z]{2,3}$/.test(language)) add(result.subtitles, language);
	const binaries: Record<string, IBinaryData> = {};
	for (const { key, fileName, format, content } of files) {
		binaries[key] = await ctx.helpers.prepareBinaryData(
			Buffer.from(content, 'utf8'),
			fileName,
			SUBTITLE_MIME_TYPES[format] ?? 'text/plain',
		);
	}
	return binaries;
}

/** The output key that says what Delete From Gladia After Fetching did: `{ deleted, error? }`. */
export const DELETE_OUTCOME_FIELD = 'gladia_delete';

/** The items of one job, each told what happened to the job at Gladia (every row: any may be used). */
export function withDeleteOutcome(
	items: INodeExecutionData[],
	outcome: IDataObject,
): INodeExecutionData[] {
	return items.map((item) => ({
		...item,
		json: { ...item.json, [DELETE_OUTCOME_FIELD]: outcome },
	}));
}
