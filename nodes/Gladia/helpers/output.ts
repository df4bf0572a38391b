// The one output shaper for Gladia jobs: a flat, LLM-ready summary of a job, one row per
// utterance (for Sheets and CRMs), and subtitles as n8n binary files. Gladia only includes
// the add-on blocks it produced, and a block may have failed: every reader here tolerates
// a missing block, a null result and a failed one (which then shows up under `errors`).
import type { IBinaryData, IDataObject } from 'n8n-workflow';

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
	return utterances
		.map((utterance) => {
			const text = (utterance.text ?? '').trim();
			const label = speakerLabel(utterance, multiChannel);
			return label ? `${label}: ${text}` : text;
		})
		.filter((line) => line !== '')
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

/**
 * A job as one flat object: what a workflow or an LLM needs, without Gladia's envelopes.
 * Keys are always present (null or empty when the feature was off, missing or failed);
 * `errors` names each add-on block that failed, with Gladia's message.
 */
export function simplifyJob(job: PreRecordedJob): IDataObject {
	const transcription = job.result?.transcription;
	const utterances = utterancesOf(job);
	const multiChannel = isMultiChannel(job, utterances);
	const errors: IDataObject = {};
	const readBlock = (key: string) => {
		const block = blockOf(job, key);
		const error = blockError(block);
		if (error) errors[key] = error;
		return resultsOf(block);
	};

	const translations: IDataObject = {};
	for (const translated of asArray(readBlock('translation')) as IDataObject[]) {
		const languages = (translated?.languages as string[] | undefined) ?? [];
		const language = languages[0] ?? `#${Object.keys(translations).length + 1}`;
		if (translated?.error) {
			errors[`translation.${language}`] = (translated.error as IDataObject).message ?? 'failed';
			continue;
		}
		translations[language] = {
			transcript: translated?.full_transcript ?? '',
			speaker_transcript: speakerTranscript(
				(translated?.utterances as Array<Partial<Utterance>> | undefined) ?? [],
				multiChannel,
			),
			subtitles: subtitlesOf(translated?.subtitles),
		};
	}

	const summary = readBlock('summarization');
	const entities = asArray(readBlock('named_entity_recognition')).map((entity) => {
		const e = entity as IDataObject;
		return {
			type: e.entity_type ?? e.type ?? null,
			text: e.text ?? null,
			start: round(e.start),
			end: round(e.end),
		};
	});
	const sentiment = asArray(readBlock('sentiment_analysis')).map((row) => {
		const r = row as IDataObject;
		return {
			text: r.text ?? null,
			sentiment: r.sentiment ?? null,
			emotion: r.emotion ?? null,
			start: round(r.start),
			end: round(r.end),
			speaker: typeof r.speaker === 'number' ? `Speaker ${r.speaker + 1}` : null,
		};
	});
	// The spec gives sentences as strings; take the text of an object form too.
	const sentences = asArray(readBlock('sentences')).flatMap((entry) => {
		const text = typeof entry === 'string' ? entry : (entry as IDataObject | null)?.sentence;
		return typeof text === 'string' && text.trim() ? [text.trim()] : [];
	});
	const chapters = asArray(readBlock('chapterization'));
	const answers = asArray(readBlock('audio_to_llm')).map((entry) => {
		const block = entry as Block;
		const results = (resultsOf(block) ?? {}) as IDataObject;
		return {
			prompt: results.prompt ?? null,
			answer: results.response ?? null,
			...(blockError(block) ? { error: blockError(block) } : {}),
		};
	});
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
		languages: transcription?.languages ?? [],
		transcript: fullTranscript,
		speaker_transcript: speakerTranscript(utterances, multiChannel),
		utterances: utterances.map((utterance) => simplifyUtterance(utterance, multiChannel)),
		sentences,
		summary: typeof summary === 'string' ? summary : null,
		translations,
		entities,
		sentiment,
		chapters,
		llm_answers: answers,
		// Gladia redacts in place: with PII redaction on, the transcript itself is the redacted text.
		redacted_transcript: redacted ? fullTranscript : null,
		subtitles: subtitlesOf(transcription?.subtitles),
		custom_metadata: job.custom_metadata ?? null,
		errors,
	};
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

/** Each subtitle file of a job (`subtitles_srt`, `subtitles_vtt`) as an n8n binary. */
export async function subtitleBinaries(
	ctx: BinaryPreparer,
	job: PreRecordedJob,
): Promise<Record<string, IBinaryData>> {
	const files = subtitlesOf(job.result?.transcription?.subtitles);
	const baseName = (job.file?.filename ?? '').replace(/\.[^.]+$/, '') || job.id;
	const binaries: Record<string, IBinaryData> = {};
	for (const [format, content] of Object.entries(files)) {
		binaries[`subtitles_${format}`] = await ctx.helpers.prepareBinaryData(
			Buffer.from(content, 'utf8'),
			`${baseName}.${format}`,
			SUBTITLE_MIME_TYPES[format] ?? 'text/plain',
		);
	}
	return binaries;
}
