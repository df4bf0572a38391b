// What an AI Agent gets back when it calls the Gladia node as a tool. n8n hands the tool's
// output items to the model as JSON, in full: a raw or even a simplified 1-hour job (words,
// utterances, subtitles) is far too big for a model's context. The tool answer keeps what a
// model needs (status, languages, speakers, summary, the transcript) and bounds the
// transcript, saying how to get the rest.
import type { IDataObject } from 'n8n-workflow';

/** Characters of transcript in a tool answer: about 1,000 tokens, ~5 minutes of speech. */
export const TOOL_TRANSCRIPT_BUDGET = 4000;
/** Characters of summary in a tool answer (Gladia's summaries are usually far shorter). */
export const TOOL_SUMMARY_BUDGET = 2000;

/**
 * Whether the node runs as an AI Agent tool. n8n gives a community node with `usableAsTool`
 * a tool variant whose type is the node's own + "Tool" (`n8n-nodes-gladia.gladiaTool`); the
 * agent runs that variant either as a sub-node (`isToolExecution()` true, n8n 2.x) or, with
 * AI Agent v3, as a regular node of the workflow (`isToolExecution()` false). The type
 * suffix is there in both cases and in n8n 1.x too.
 */
export function isToolNodeType(nodeType: string): boolean {
	return nodeType.endsWith('Tool');
}

/** Where to cut `text` to keep at most `budget` characters: after a sentence, else a word. */
export function cutPoint(text: string, budget: number): number {
	if (text.length <= budget) return text.length;
	const head = text.slice(0, budget + 1);
	let sentenceEnd = -1;
	for (const match of head.matchAll(/[.!?…](?=\s)|\n/g)) {
		if (match.index + 1 <= budget) sentenceEnd = match.index + 1;
	}
	// A sentence end in the last half of the budget; otherwise a word end, or a hard cut.
	if (sentenceEnd >= budget / 2) return sentenceEnd;
	const space = head.lastIndexOf(' ', budget);
	return space >= budget / 2 ? space : budget;
}

/** `text` within `budget` characters, with a bracketed note of what was left out and why. */
export function truncate(text: string, budget: number, rest: string): string {
	const cut = cutPoint(text, budget);
	if (cut >= text.length) return text;
	const kept = text.slice(0, cut).trimEnd();
	const more = (text.length - kept.length).toLocaleString('en-US');
	return `${kept} [… ${more} more characters; ${rest}]`;
}

function speakerCount(utterances: unknown): number | null {
	if (!Array.isArray(utterances)) return null;
	const speakers = new Set(
		(utterances as IDataObject[]).map((u) => u?.speaker).filter((s) => typeof s === 'string'),
	);
	return speakers.size || null;
}

function nonEmpty(value: unknown): boolean {
	if (value === null || value === undefined || value === '') return false;
	if (Array.isArray(value)) return value.length > 0;
	if (typeof value === 'object') return Object.keys(value).length > 0;
	return true;
}

/**
 * A simplified job (`simplifyJob` in output.ts) as a bounded tool answer: id, status,
 * duration, languages, speakers, summary, transcript ("Speaker 1: …" lines when diarized)
 * cut at a sentence near `budget`, translation languages and errors. Keys with no value are
 * left out, so a model reads only what is there.
 */
export function toolAnswer(simple: IDataObject, budget = TOOL_TRANSCRIPT_BUDGET): IDataObject {
	const id = String(simple.id ?? '');
	const speakerLines = String(simple.speaker_transcript ?? '');
	const transcript = speakerLines.includes(': ') ? speakerLines : String(simple.transcript ?? '');
	const getTheRest = (what: string) =>
		`call Get with Transcription ID ${id} and Simplify off for the full ${what}`;
	const summary = typeof simple.summary === 'string' ? simple.summary : '';
	const status = String(simple.status ?? '');
	const answer: IDataObject = {
		id,
		status,
		error_code: simple.error_code,
		audio_duration_seconds: simple.audio_duration,
		languages: simple.languages,
		speakers: speakerCount(simple.utterances),
		summary: summary && truncate(summary, TOOL_SUMMARY_BUDGET, getTheRest('summary')),
		transcript: transcript && truncate(transcript, budget, getTheRest('transcript')),
		transcript_characters: transcript.length || undefined,
		translation_languages: Object.keys((simple.translations as IDataObject | null) ?? {}),
		errors: simple.errors,
		note:
			status === 'queued' || status === 'processing'
				? `Gladia is still transcribing: call Get with Transcription ID ${id} later`
				: undefined,
	};
	return Object.fromEntries(Object.entries(answer).filter(([, value]) => nonEmpty(value)));
}
