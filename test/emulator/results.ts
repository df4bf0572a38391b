// Deterministic, realistic transcription results honouring every requested add-on.
// Pipeline per utterance: text → custom spelling → custom vocabulary → PII redaction → words.
import { createHash } from 'node:crypto';
import { round } from './audio';
import { meetingChapters, meetingLines, meetingSummary } from './demo-meeting';
import { buildSubtitles } from './subtitles';
import type { ScriptedTranscript } from './types';

type Json = Record<string, unknown>;

export interface Utterance {
	text: string;
	start: number;
	end: number;
	speaker: number;
	channel: number;
	language: string;
	confidence?: number;
	words?: Word[];
	/** Generated transcripts: the meeting topic of the line, and its text in other languages. */
	topic?: number;
	translations?: Record<string, string>;
}
export interface Word {
	word: string;
	start: number;
	end: number;
	confidence: number;
}

/** Total words are capped so a 2-hour file still produces ≈ 20,000 words quickly. */
export const MAX_WORDS = 20000;
const WORDS_PER_SECOND = 2.5;

// ---------------------------------------------------------------- helpers

function hashNumber(text: string): number {
	return createHash('md5').update(text).digest().readUInt32BE(0);
}

function wordConfidence(token: string): number {
	return round(0.82 + (hashNumber(token.toLowerCase()) % 17) / 100, 2);
}

function levenshtein(a: string, b: string): number {
	const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let diagonal = previous[0];
		previous[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const above = previous[j];
			previous[j] = Math.min(
				previous[j] + 1,
				previous[j - 1] + 1,
				diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
			diagonal = above;
		}
	}
	return previous[b.length];
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function envelope(results: unknown, execTime: number, failed = false): Json {
	if (failed) {
		return {
			success: false,
			is_empty: true,
			exec_time: round(execTime),
			error: {
				status_code: 500,
				exception: 'EmulatorScriptedFailure',
				message: 'Add-on failed (scripted by the test)',
			},
			results: null,
		};
	}
	const isEmpty =
		results === null || results === '' || (Array.isArray(results) && results.length === 0);
	return { success: true, is_empty: isEmpty, exec_time: round(execTime), error: null, results };
}

// ---------------------------------------------------------------- entities (NER + PII)

export interface Entity {
	type: string;
	text: string;
	index: number;
}

const ENTITY_PATTERNS: Array<[string, RegExp]> = [
	['EMAIL_ADDRESS', /[\w.+-]+@[\w-]+\.[\w.-]*\w/g],
	['PHONE_NUMBER', /\b\d{3}-\d{3}-\d{4}\b/g],
	['MONEY', /\$\d[\d,]*(?:\.\d+)?/g],
	['NAME', /\b(?:Sarah Johnson|David Chen|Maria Garcia|John Smith)\b/g],
	['ORGANIZATION', /\bAcme Corp\b/g],
	['LOCATION_CITY', /\b(?:Berlin|Paris|Lyon|London|New York)\b/g],
	[
		'DATE',
		/\b(?:(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}(?:st|nd|rd|th)?|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/g,
	],
];

export function findEntities(text: string): Entity[] {
	const found: Entity[] = [];
	for (const [type, pattern] of ENTITY_PATTERNS) {
		for (const match of text.matchAll(pattern)) {
			const index = match.index ?? 0;
			// Skip overlaps (an email already covers a name inside it, for instance).
			if (found.some((e) => index < e.index + e.text.length && e.index < index + match[0].length))
				continue;
			found.push({ type, text: match[0], index });
		}
	}
	return found.sort((a, b) => a.index - b.index);
}

/** What each PII preset covers among the entity types the emulator can detect (approximation). */
const PII_PRESETS: Record<string, string[]> = {
	PCI: ['CREDIT_CARD', 'CREDIT_CARD_EXPIRATION', 'CVV', 'BANK_ACCOUNT', 'ROUTING_NUMBER'],
	NUMERICAL_EXCL_PCI: ['PHONE_NUMBER', 'MONEY', 'DATE', 'ACCOUNT_NUMBER', 'SSN'],
	HEALTH_INFORMATION: ['CONDITION', 'DRUG', 'INJURY', 'BLOOD_TYPE', 'MEDICAL_PROCESS'],
};
const PERSONAL = ['NAME', 'EMAIL_ADDRESS', 'PHONE_NUMBER', 'LOCATION_CITY', 'DATE', 'ORGANIZATION'];
const PARENT_TYPES: Record<string, string> = {
	LOCATION_CITY: 'LOCATION',
	NAME_GIVEN: 'NAME',
	NAME_FAMILY: 'NAME',
};

function piiTypes(entityTypes: unknown): Set<string> | undefined {
	if (entityTypes === undefined || entityTypes === null) return undefined; // all
	const requested = Array.isArray(entityTypes) ? entityTypes.map(String) : [String(entityTypes)];
	const types = new Set<string>();
	for (const type of requested) {
		const members = PII_PRESETS[type] ?? (isPreset(type) ? PERSONAL : [type]);
		members.forEach((member) => types.add(member));
	}
	return types;
}
function isPreset(type: string): boolean {
	return [
		'APPI',
		'APPI_SENSITIVE',
		'CCI',
		'CORE_ENTITIES',
		'CPRA',
		'GDPR',
		'GDPR_SENSITIVE',
		'HIPAA_SAFE_HARBOR',
		'LIDI',
		'QUEBEC_PRIVACY_ACT',
	].includes(type);
}

class Redactor {
	private readonly markers = new Map<string, string>();
	private readonly counters = new Map<string, number>();
	constructor(
		private readonly types: Set<string> | undefined,
		private readonly mode: 'MARKER' | 'MASK',
	) {}

	redact(text: string): string {
		let out = '';
		let cursor = 0;
		for (const entity of findEntities(text)) {
			const parent = PARENT_TYPES[entity.type];
			if (this.types && !this.types.has(entity.type) && !(parent && this.types.has(parent)))
				continue;
			out += text.slice(cursor, entity.index) + this.replacement(entity);
			cursor = entity.index + entity.text.length;
		}
		return out + text.slice(cursor);
	}

	private replacement(entity: Entity): string {
		if (this.mode === 'MASK') return entity.text.replace(/\S/g, '#');
		const key = `${entity.type}:${entity.text.toLowerCase()}`;
		let marker = this.markers.get(key);
		if (!marker) {
			const n = (this.counters.get(entity.type) ?? 0) + 1;
			this.counters.set(entity.type, n);
			marker = `[${entity.type}_${n}]`;
			this.markers.set(key, marker);
		}
		return marker;
	}
}

// ---------------------------------------------------------------- text effects

function applySpelling(text: string, dictionary: Record<string, string[]> | undefined): string {
	if (!dictionary) return text;
	let out = text;
	for (const [wanted, variants] of Object.entries(dictionary)) {
		for (const variant of variants ?? []) {
			if (!variant) continue;
			out = out.replace(new RegExp(`(?<![\\w])${escapeRegExp(variant)}(?![\\w])`, 'gi'), wanted);
		}
	}
	return out;
}

/** Words the vocabulary "corrected" (the caller boosts their confidence). */
function applyVocabulary(text: string, terms: string[], corrected: Set<string>): string {
	if (terms.length === 0) return text;
	return text.replace(/[A-Za-z][A-Za-z'-]*/g, (token) => {
		for (const term of terms) {
			if (term.includes(' ')) continue;
			const distance = levenshtein(token.toLowerCase(), term.toLowerCase());
			if (
				distance > 0 &&
				distance <= Math.max(1, Math.floor(term.length / 4)) &&
				token.length > 3
			) {
				corrected.add(term);
				return term;
			}
			if (distance === 0) corrected.add(term);
		}
		return token;
	});
}

function vocabularyTerms(params: Json): string[] {
	if (params.custom_vocabulary !== true) return [];
	const config = params.custom_vocabulary_config as { vocabulary?: unknown[] } | undefined;
	return (config?.vocabulary ?? [])
		.map((entry) =>
			typeof entry === 'string' ? entry : String((entry as { value?: unknown }).value ?? ''),
		)
		.filter(Boolean);
}

/** Word timings spread across the utterance in proportion to each word's length. */
function wordsFor(text: string, start: number, end: number, boosted: Set<string>): Word[] {
	const tokens = text.split(/\s+/).filter(Boolean);
	const totalChars = tokens.reduce((sum, token) => sum + token.length + 1, 0) || 1;
	const span = Math.max(0, end - start);
	let cursor = start;
	return tokens.map((token, i) => {
		const length = (span * (token.length + 1)) / totalChars;
		const word: Word = {
			word: i === 0 ? token : ` ${token}`,
			start: round(cursor),
			end: round(Math.min(end, cursor + length * 0.9)),
			confidence: boosted.has(token.replace(/[^\w'-]/g, '')) ? 0.99 : wordConfidence(token),
		};
		cursor += length;
		return word;
	});
}

function withWords(utterance: Utterance, boosted: Set<string>): Utterance {
	const words = wordsFor(utterance.text, utterance.start, utterance.end, boosted);
	const confidence = words.length
		? round(words.reduce((s, w) => s + w.confidence, 0) / words.length, 2)
		: 0;
	return { ...utterance, words, confidence };
}

function sentencesOf(text: string): string[] {
	return text
		.split(/(?<=[.!?])\s+/)
		.map((s) => s.trim())
		.filter(Boolean);
}

// ---------------------------------------------------------------- base transcript

export interface ResultInput {
	/** Identifies the audio (content hash or URL): different files → different transcripts. */
	seed: string;
	duration: number;
	channels: number;
	/** Defaulted request parameters. */
	params: Json;
	script?: ScriptedTranscript;
	/** Seconds the job spent processing. */
	transcriptionTime: number;
}

function chooseLanguages(
	params: Json,
	script?: ScriptedTranscript,
): { languages: string[]; switching: boolean } {
	if (script?.languages?.length)
		return { languages: script.languages, switching: script.languages.length > 1 };
	const config = (params.language_config ?? {}) as {
		languages?: string[];
		code_switching?: boolean;
	};
	const languages = config.languages?.length ? config.languages : ['en'];
	return { languages, switching: languages.length > 1 && config.code_switching === true };
}

function speakerCount(params: Json): number {
	const config = (params.diarization_config ?? {}) as Json;
	if (typeof config.number_of_speakers === 'number') return config.number_of_speakers;
	let speakers = 3;
	if (typeof config.max_speakers === 'number' && config.max_speakers > 0)
		speakers = Math.min(speakers, config.max_speakers);
	if (typeof config.min_speakers === 'number') speakers = Math.max(speakers, config.min_speakers);
	return Math.max(1, speakers);
}

function generatedUtterances(
	input: ResultInput,
	languages: string[],
	switching: boolean,
): Utterance[] {
	const targetWords = Math.max(
		4,
		Math.min(MAX_WORDS, Math.round(input.duration * WORDS_PER_SECOND)),
	);
	const speakers = speakerCount(input.params);
	const languageOf = (index: number) =>
		switching ? languages[index % languages.length] : languages[0];
	const lines = meetingLines(hashNumber(input.seed), targetWords, languageOf).map(
		(line, index) => ({
			...line,
			speaker: speakers > 3 ? index % speakers : line.speaker % speakers,
			words: line.text.split(/\s+/).filter(Boolean).length,
		}),
	);
	const total = lines.reduce((n, line) => n + line.words, 0);
	numberByAppearance(lines);
	// Speech fills ~92 % of the audio; the rest is pauses between utterances.
	const gap = (input.duration * 0.08) / (lines.length + 1);
	const speechPerWord = (input.duration * 0.92) / total;
	let cursor = gap;
	return lines.map((line) => {
		const start = cursor;
		const end = start + line.words * speechPerWord;
		cursor = end + gap;
		return {
			text: line.text,
			start: round(start),
			end: round(Math.min(end, input.duration)),
			speaker: line.speaker,
			channel: input.channels > 1 ? line.speaker % input.channels : 0,
			language: line.language,
			topic: line.topic,
			translations: line.translations,
		};
	});
}

/** Gladia numbers speakers from 0 in order of appearance (its diarization docs); so does this. */
function numberByAppearance(lines: Array<{ speaker: number }>) {
	const numbers = new Map<number, number>();
	for (const line of lines) {
		if (!numbers.has(line.speaker)) numbers.set(line.speaker, numbers.size);
		line.speaker = numbers.get(line.speaker)!;
	}
}

function scriptedUtterances(
	input: ResultInput,
	script: ScriptedTranscript,
	languages: string[],
): Utterance[] {
	const items = script.utterances ?? [];
	const wordCounts = items.map((u) => Math.max(1, u.text.split(/\s+/).filter(Boolean).length));
	const totalWords = wordCounts.reduce((a, b) => a + b, 0) || 1;
	let cursor = 0;
	return items.map((u, i) => {
		const share = (input.duration * wordCounts[i]) / totalWords;
		const start = u.start ?? cursor;
		const end = u.end ?? Math.min(input.duration, start + share);
		cursor = end;
		return {
			text: u.text,
			start: round(start),
			end: round(end),
			speaker: u.speaker ?? 0,
			channel: u.channel ?? 0,
			language: u.language ?? languages[i % languages.length] ?? 'en',
		};
	});
}

// ---------------------------------------------------------------- add-ons

function exportUtterance(u: Utterance, diarization: boolean): Json {
	const out: Json = {
		start: u.start,
		end: u.end,
		confidence: u.confidence ?? 0,
		channel: u.channel,
		words: u.words ?? [],
		text: u.text,
		language: u.language,
	};
	if (diarization) out.speaker = u.speaker;
	return out;
}

function transcriptBlock(
	utterances: Utterance[],
	params: Json,
	diarization: boolean,
	languages: string[],
	failSentences: boolean,
): Json {
	const block: Json = {
		full_transcript: utterances.map((u) => u.text).join(' '),
		languages,
		utterances: utterances.map((u) => exportUtterance(u, diarization)),
	};
	if (params.sentences === true) {
		block.sentences = [
			envelope(
				utterances.flatMap((u) => sentencesOf(u.text)),
				0.05,
				failSentences,
			),
		];
	}
	if (params.subtitles === true)
		block.subtitles = buildSubtitles(utterances, (params.subtitles_config ?? {}) as Json);
	return block;
}

function languagesByFrequency(utterances: Utterance[], fallback: string[]): string[] {
	const counts = new Map<string, number>();
	for (const u of utterances) counts.set(u.language, (counts.get(u.language) ?? 0) + u.text.length);
	const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([language]) => language);
	return sorted.length ? sorted : fallback.slice(0, 1);
}

function summary(utterances: Utterance[], type: string, speakers: number, seed: string): string {
	if (utterances.some((u) => u.topic !== undefined))
		return meetingSummary(utterances, type, hashNumber(seed));
	const firstSentences = utterances.slice(0, 6).map((u) => sentencesOf(u.text)[0] ?? u.text);
	if (utterances.length === 0) return '';
	if (type === 'bullet_points')
		return firstSentences
			.slice(0, 5)
			.map((s) => `- ${s}`)
			.join('\n');
	if (type === 'concise') return `A ${speakers}-speaker conversation: ${firstSentences[0]}`;
	return `This recording is a conversation between ${speakers} speaker${speakers === 1 ? '' : 's'}. ${firstSentences.slice(0, 3).join(' ')}`;
}

const POSITIVE = /\b(great|good|thanks|thank|accurate|perfect|works|merci|parfait)\b/i;
const NEGATIVE = /\b(problem|delay|worried|blocking|stretched|slow|retard|bloque)\b/i;
function sentimentOf(text: string): { sentiment: string; emotion: string } {
	const positive = POSITIVE.test(text);
	const negative = NEGATIVE.test(text);
	if (positive && negative) return { sentiment: 'mixed', emotion: 'confusion' };
	if (positive) return { sentiment: 'positive', emotion: 'contentment' };
	if (negative) return { sentiment: 'negative', emotion: 'distress' };
	return { sentiment: 'neutral', emotion: 'neutral' };
}

function promptsOf(params: Json): string[] {
	const config = (params.audio_to_llm_config ?? {}) as { prompts?: unknown[] };
	return (config.prompts ?? []).map((p) => (Array.isArray(p) ? p.join(' ') : String(p)));
}

// ---------------------------------------------------------------- entry point

/** The `result` of a done job (TranscriptionResultDTO). */
export function buildResult(input: ResultInput): Json {
	const { params, script } = input;
	const failed = new Set(script?.failAddons ?? []);
	const { languages, switching } = chooseLanguages(params, script);
	const diarization = params.diarization === true;

	const corrected = new Set<string>();
	const terms = vocabularyTerms(params);
	const spelling =
		params.custom_spelling === true
			? ((
					params.custom_spelling_config as
						| { spelling_dictionary?: Record<string, string[]> }
						| undefined
				)?.spelling_dictionary ?? undefined)
			: undefined;
	const piiConfig = (params.pii_redaction_config ?? {}) as Json;
	const redactor =
		params.pii_redaction === true
			? new Redactor(
					piiTypes(piiConfig.entity_types),
					piiConfig.processed_text_type === 'MASK' ? 'MASK' : 'MARKER',
				)
			: undefined;

	const base = script?.utterances
		? scriptedUtterances(input, script, languages)
		: generatedUtterances(input, languages, switching);
	const process = (raw: string) => {
		const text = applyVocabulary(applySpelling(raw, spelling), terms, corrected);
		return redactor ? redactor.redact(text) : text;
	};
	const utterances = base.map((u) => {
		const translations = u.translations
			? Object.fromEntries(
					Object.entries(u.translations).map(([lang, text]) => [lang, process(text)]),
				)
			: undefined;
		return withWords({ ...u, text: process(u.text), translations }, corrected);
	});
	const detected = languagesByFrequency(utterances, languages);
	const speakers = new Set(utterances.map((u) => u.speaker)).size;
	const execTime = 0.2 + utterances.length / 500;

	const result: Json = {
		metadata: {
			audio_duration: input.duration,
			number_of_distinct_channels: input.channels,
			billing_time: round(input.duration * input.channels),
			transcription_time: round(input.transcriptionTime),
		},
		transcription: transcriptBlock(
			utterances,
			params,
			diarization,
			detected,
			failed.has('sentences'),
		),
	};

	if (params.translation === true) {
		const config = (params.translation_config ?? {}) as { target_languages?: string[] };
		const translations = (config.target_languages ?? []).map((target) => {
			const translated = utterances.map((u) =>
				withWords(
					{
						...u,
						// The emulator only knows the languages its demo meeting is written in.
						text:
							u.language === target
								? u.text
								: (u.translations?.[target] ?? `[${target}] ${u.text}`),
						language: target,
					},
					corrected,
				),
			);
			return { error: null, ...transcriptBlock(translated, params, diarization, [target], false) };
		});
		result.translation = envelope(translations, execTime, failed.has('translation'));
	}
	if (params.summarization === true) {
		const type = String(((params.summarization_config ?? {}) as Json).type ?? 'general');
		result.summarization = envelope(
			summary(utterances, type, speakers, input.seed),
			execTime,
			failed.has('summarization'),
		);
	}
	if (params.named_entity_recognition === true) {
		const entities = utterances.flatMap((u) =>
			findEntities(u.text).map((e) => ({
				entity_type: e.type,
				text: e.text,
				start: u.start,
				end: u.end,
			})),
		);
		result.named_entity_recognition = envelope(
			entities,
			execTime,
			failed.has('named_entity_recognition'),
		);
	}
	if (params.sentiment_analysis === true) {
		const sentiments = utterances.map((u) => ({
			text: u.text,
			...sentimentOf(u.text),
			start: u.start,
			end: u.end,
			channel: u.channel,
			...(diarization ? { speaker: u.speaker } : {}),
		}));
		result.sentiment_analysis = envelope(sentiments, execTime, failed.has('sentiment_analysis'));
	}
	if (params.audio_to_llm === true) {
		const gist = summary(utterances, 'concise', speakers, input.seed);
		const answers = promptsOf(params).map((prompt) =>
			envelope({ prompt, response: `Answer to "${prompt}": ${gist}` }, execTime),
		);
		result.audio_to_llm = envelope(answers, execTime, failed.has('audio_to_llm'));
	}
	if (params.chapterization === true) {
		// Dropped from the request schema but still in Gladia's docs and results: kept for old workflows.
		result.chapterization = envelope(
			meetingChapters(utterances, hashNumber(input.seed)),
			execTime,
			failed.has('chapterization'),
		);
	}
	if (params.sentences === true) {
		// Deprecated top-level copy (still in the spec, description says it moves under transcription).
		result.sentences = envelope(
			utterances.flatMap((u) => sentencesOf(u.text)),
			0.05,
			failed.has('sentences'),
		);
	}
	return result;
}
