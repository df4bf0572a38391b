// The one mapper from the node's transcription options (actions/transcription/
// options.description.ts) to Gladia's InitTranscriptionRequest, with the pre-flight checks
// that catch bad input before any request. Every check names the field as the UI shows it.
import type { IDataObject, INode } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import {
	MODELS,
	PII_ENTITY_TYPES,
	PII_TEXT_TYPES,
	SUBTITLE_FORMATS,
	SUBTITLE_STYLES,
	SUMMARY_TYPES,
	TRANSCRIPTION_LANGUAGES,
	TRANSLATION_LANGUAGES,
	TRANSLATION_MODELS,
	CALLBACK_METHODS,
} from './constants';
import { invalidParameter } from './errors';
import type { InitTranscriptionRequest } from './types';

/** The node parameters of Create and Transcribe, as n8n hands them over. */
export interface TranscriptionOptions {
	model?: string;
	language?: { languages?: unknown; codeSwitching?: boolean };
	diarization?: boolean;
	diarizationOptions?: { numberOfSpeakers?: number; minSpeakers?: number; maxSpeakers?: number };
	translation?: boolean;
	translationTargetLanguages?: unknown;
	translationOptions?: {
		model?: string;
		matchOriginalUtterances?: boolean;
		lipsync?: boolean;
		contextAdaptation?: boolean;
		context?: string;
		informal?: boolean;
	};
	summarization?: boolean;
	summaryType?: string;
	piiRedaction?: boolean;
	piiEntityTypes?: unknown;
	piiProcessedTextType?: string;
	subtitles?: boolean;
	subtitleFormats?: unknown;
	subtitleOptions?: {
		minimumDuration?: number;
		maximumDuration?: number;
		maximumCharactersPerRow?: number;
		maximumRowsPerCaption?: number;
		style?: string;
	};
	customVocabulary?: boolean;
	vocabulary?: {
		entries?: Array<{
			value?: string;
			intensity?: number;
			pronunciations?: unknown;
			language?: string;
		}>;
	};
	vocabularyDefaultIntensity?: number;
	customSpelling?: boolean;
	spellingDictionary?: { entries?: Array<{ spelling?: string; variants?: unknown }> };
	audioIntelligence?: {
		namedEntityRecognition?: boolean;
		sentimentAnalysis?: boolean;
		sentences?: boolean;
		punctuationEnhanced?: boolean;
	};
	audioToLlm?: boolean;
	audioToLlmPrompts?: { prompts?: Array<{ prompt?: string }> };
	audioToLlmModel?: string;
	callback?: boolean;
	callbackUrl?: string;
	callbackMethod?: string;
	customMetadata?: { entries?: Array<{ key?: string; value?: unknown }> };
	additionalBody?: unknown;
}

/** Field labels as the UI shows them, so errors point at the right place. */
export const FIELD_LABELS = {
	model: 'Model',
	languages: 'Language → Languages',
	numberOfSpeakers: 'Speaker Options → Number of Speakers',
	minSpeakers: 'Speaker Options → Min Speakers',
	maxSpeakers: 'Speaker Options → Max Speakers',
	translationTargetLanguages: 'Target Languages',
	translationModel: 'Translation Options → Translation Model',
	summaryType: 'Summary Type',
	piiEntityTypes: 'PII Entity Types',
	piiProcessedTextType: 'PII Replacement',
	subtitleFormats: 'Subtitle Formats',
	subtitleStyle: 'Subtitle Options → Style',
	vocabulary: 'Vocabulary',
	vocabularyDefaultIntensity: 'Vocabulary Default Intensity',
	spellingDictionary: 'Spelling Dictionary',
	audioToLlmPrompts: 'Prompts',
	callbackUrl: 'Callback URL',
	callbackMethod: 'Callback Method',
	customMetadata: 'Custom Metadata',
	additionalBody: 'Additional Body (JSON)',
} as const;

/** Gladia's documented limit for custom_metadata, as JSON text. */
export const MAX_CUSTOM_METADATA_CHARS = 2000;

type Check = (field: string, problem: string, fix: string) => never;

/**
 * An array, or a separated string (what expressions often produce), as trimmed strings.
 * Codes split on commas and spaces; phrases (`separator` /,/) on commas only.
 */
export function toList(value: unknown, separator: RegExp = /[,\s]+/): string[] {
	const items = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(separator)
			: [];
	return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

function checkedCodes(
	value: unknown,
	allowed: readonly string[],
	field: string,
	fail: Check,
	normalize: (code: string) => string = (code) => code,
): string[] {
	if (
		value !== undefined &&
		value !== null &&
		value !== '' &&
		!Array.isArray(value) &&
		typeof value !== 'string'
	) {
		fail(
			field,
			`${JSON.stringify(value)} is not a list of codes`,
			'Give a list such as ["en", "fr"], or comma-separated codes: en, fr.',
		);
	}
	const codes = toList(value).map(normalize);
	const unknown = codes.filter((code) => !allowed.includes(code));
	if (unknown.length) {
		fail(
			field,
			`unknown value${unknown.length > 1 ? 's' : ''} ${unknown.map((code) => `"${code}"`).join(', ')}`,
			`Allowed values: ${allowed.slice(0, 12).join(', ')}${allowed.length > 12 ? ', …' : ''} (pick them from the dropdown, or write them comma-separated in an expression).`,
		);
	}
	return [...new Set(codes)];
}

function checkedEnum(
	value: string | undefined,
	allowed: readonly string[],
	field: string,
	fail: Check,
) {
	if (value !== undefined && !allowed.includes(value)) {
		fail(field, `unknown value "${value}"`, `Allowed values: ${allowed.join(', ')}.`);
	}
	return value;
}

function checkedNumber(
	value: number | undefined,
	field: string,
	fail: Check,
	{ min, max, integer }: { min?: number; max?: number; integer?: boolean },
): number | undefined {
	if (value === undefined || value === null || (value as unknown) === '') return undefined;
	const number = Number(value);
	const inRange =
		Number.isFinite(number) &&
		(min === undefined || number >= min) &&
		(max === undefined || number <= max) &&
		(!integer || Number.isInteger(number));
	if (!inRange) {
		const range = [
			min !== undefined ? `at least ${min}` : '',
			max !== undefined ? `at most ${max}` : '',
		]
			.filter(Boolean)
			.join(' and ');
		fail(
			field,
			`${String(value)} is not ${integer ? 'a whole number ' : 'a number '}${range}`.trim(),
			`Enter ${integer ? 'a whole number' : 'a number'} ${range}.`,
		);
	}
	return number;
}

/** The value as an absolute http(s) URL, or undefined. */
export function httpUrl(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	try {
		const url = new URL(text);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
	} catch {
		return undefined;
	}
}

/** Why a value is not an http(s) URL, for error messages. */
export function notHttpUrlProblem(value: unknown): string {
	const text =
		typeof value === 'string'
			? value.trim()
			: value === undefined || value === null
				? ''
				: JSON.stringify(value);
	return text ? `${JSON.stringify(text.slice(0, 200))} is not an http(s) URL` : 'is empty';
}

function checkedUrl(value: unknown, field: string, fail: Check): string {
	const url = httpUrl(value);
	if (!url)
		fail(
			field,
			notHttpUrlProblem(value),
			'Enter a full http(s) URL, e.g. https://example.com/gladia-callback.',
		);
	return url as string;
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges `extra` into `base`: objects merge key by key, anything else replaces, and `null`
 * removes the key (so Additional Body can also drop a field the options produced).
 */
export function deepMerge(base: IDataObject, extra: IDataObject): IDataObject {
	const result: IDataObject = { ...base };
	for (const [key, value] of Object.entries(extra)) {
		if (value === null) delete result[key];
		else if (isPlainObject(value) && isPlainObject(result[key])) {
			result[key] = deepMerge(result[key] as IDataObject, value);
		} else result[key] = value;
	}
	return result;
}

function parseAdditionalBody(value: unknown, fail: Check): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = jsonParse(value);
		} catch (error) {
			fail(
				FIELD_LABELS.additionalBody,
				`is not valid JSON (${(error as Error).message})`,
				'Enter a JSON object, e.g. {"sentences": true}, or leave it as {}.',
			);
		}
	}
	if (!isPlainObject(parsed)) {
		fail(
			FIELD_LABELS.additionalBody,
			'must be a JSON object',
			'Enter a JSON object such as {"sentences": true}, not an array or a single value.',
		);
	}
	return parsed as IDataObject;
}

function vocabularyConfig(options: TranscriptionOptions, fail: Check): IDataObject {
	const entries = options.vocabulary?.entries ?? [];
	const vocabulary = entries.map((entry) => {
		const value = String(entry.value ?? '').trim();
		if (!value)
			fail(
				FIELD_LABELS.vocabulary,
				'an entry has no Word or Phrase',
				'Fill in or remove the empty entry.',
			);
		const item: IDataObject = { value };
		// 0 (the field's default) means "use Vocabulary Default Intensity".
		const intensity = checkedNumber(
			entry.intensity,
			`${FIELD_LABELS.vocabulary} → Intensity`,
			fail,
			{ min: 0, max: 1 },
		);
		if (intensity) item.intensity = intensity;
		const pronunciations = toList(entry.pronunciations, /,/);
		if (pronunciations.length) item.pronunciations = pronunciations;
		if (entry.language) {
			item.language = checkedCodes(
				entry.language,
				TRANSCRIPTION_LANGUAGES,
				`${FIELD_LABELS.vocabulary} → Language`,
				fail,
				(c) => c.toLowerCase(),
			)[0];
		}
		return Object.keys(item).length === 1 ? value : item;
	});
	if (!vocabulary.length) {
		fail(
			FIELD_LABELS.vocabulary,
			'Custom Vocabulary is on but the list is empty',
			'Add at least one word or phrase, or turn Custom Vocabulary off.',
		);
	}
	const config: IDataObject = { vocabulary };
	const defaultIntensity = checkedNumber(
		options.vocabularyDefaultIntensity,
		FIELD_LABELS.vocabularyDefaultIntensity,
		fail,
		{ min: 0, max: 1 },
	);
	if (defaultIntensity !== undefined) config.default_intensity = defaultIntensity;
	return config;
}

function spellingConfig(options: TranscriptionOptions, fail: Check): IDataObject {
	const dictionary: IDataObject = {};
	for (const entry of options.spellingDictionary?.entries ?? []) {
		const spelling = String(entry.spelling ?? '').trim();
		const variants = toList(entry.variants, /,/);
		if (!spelling || !variants.length) {
			fail(
				FIELD_LABELS.spellingDictionary,
				`entry "${spelling || '(empty)'}" needs a spelling and at least one variant`,
				'Example: Spelling "Gladia", Variants "gladya, glad ia".',
			);
		}
		dictionary[spelling] = [
			...new Set([...((dictionary[spelling] as string[]) ?? []), ...variants]),
		];
	}
	if (!Object.keys(dictionary).length) {
		fail(
			FIELD_LABELS.spellingDictionary,
			'Custom Spelling is on but the dictionary is empty',
			'Add at least one entry, or turn Custom Spelling off.',
		);
	}
	return { spelling_dictionary: dictionary };
}

function customMetadata(options: TranscriptionOptions, fail: Check): IDataObject | undefined {
	const entries = options.customMetadata?.entries ?? [];
	if (!entries.length) return undefined;
	const metadata: IDataObject = {};
	for (const entry of entries) {
		const key = String(entry.key ?? '').trim();
		if (!key)
			fail(
				FIELD_LABELS.customMetadata,
				'an entry has no Key',
				'Fill in or remove the empty entry.',
			);
		metadata[key] = entry.value as IDataObject[string];
	}
	return metadata;
}

/**
 * The node's options → Gladia's InitTranscriptionRequest. Throws a NodeOperationError naming
 * the item and the field for bad input. Additional Body is merged last.
 */
export function buildTranscriptionBody(
	audioUrl: string,
	options: TranscriptionOptions,
	itemIndex: number,
	node: INode,
): InitTranscriptionRequest {
	const fail: Check = (field, problem, fix) => {
		throw invalidParameter(node, itemIndex, field, problem, fix);
	};
	const body: InitTranscriptionRequest = { audio_url: audioUrl };

	const model = checkedEnum(options.model, MODELS, FIELD_LABELS.model, fail);
	if (model) body.model = model;

	const languages = checkedCodes(
		options.language?.languages,
		TRANSCRIPTION_LANGUAGES,
		FIELD_LABELS.languages,
		fail,
		(c) => c.toLowerCase(),
	);
	if (languages.length || options.language?.codeSwitching) {
		body.language_config = { languages, code_switching: Boolean(options.language?.codeSwitching) };
	}

	if (options.diarization) {
		const hints = options.diarizationOptions ?? {};
		const config: IDataObject = {};
		const exact = checkedNumber(hints.numberOfSpeakers, FIELD_LABELS.numberOfSpeakers, fail, {
			min: 1,
			integer: true,
		});
		const min = checkedNumber(hints.minSpeakers, FIELD_LABELS.minSpeakers, fail, {
			min: 0,
			integer: true,
		});
		const max = checkedNumber(hints.maxSpeakers, FIELD_LABELS.maxSpeakers, fail, {
			min: 0,
			integer: true,
		});
		if (min !== undefined && max !== undefined && min > max) {
			fail(
				FIELD_LABELS.minSpeakers,
				`${min} is more than Max Speakers (${max})`,
				'Make Min Speakers at most Max Speakers, or remove one of them.',
			);
		}
		if (exact !== undefined) config.number_of_speakers = exact;
		if (min !== undefined) config.min_speakers = min;
		if (max !== undefined) config.max_speakers = max;
		body.diarization = true;
		if (Object.keys(config).length) body.diarization_config = config;
	}

	if (options.translation) {
		const targets = checkedCodes(
			options.translationTargetLanguages,
			TRANSLATION_LANGUAGES,
			FIELD_LABELS.translationTargetLanguages,
			fail,
			(c) => c.toLowerCase(),
		);
		if (!targets.length) {
			fail(
				FIELD_LABELS.translationTargetLanguages,
				'Translate is on but no target language is selected',
				'Select at least one language to translate into, or turn Translate off.',
			);
		}
		const extra = options.translationOptions ?? {};
		const config: IDataObject = { target_languages: targets };
		const translationModel = checkedEnum(
			extra.model,
			TRANSLATION_MODELS,
			FIELD_LABELS.translationModel,
			fail,
		);
		if (translationModel) config.model = translationModel;
		if (extra.matchOriginalUtterances !== undefined)
			config.match_original_utterances = extra.matchOriginalUtterances;
		if (extra.lipsync !== undefined) config.lipsync = extra.lipsync;
		if (extra.contextAdaptation !== undefined) config.context_adaptation = extra.contextAdaptation;
		if (extra.context) config.context = extra.context;
		if (extra.informal !== undefined) config.informal = extra.informal;
		body.translation = true;
		body.translation_config = config;
	}

	if (options.summarization) {
		body.summarization = true;
		const type = checkedEnum(options.summaryType, SUMMARY_TYPES, FIELD_LABELS.summaryType, fail);
		if (type) body.summarization_config = { type };
	}

	if (options.piiRedaction) {
		body.pii_redaction = true;
		const config: IDataObject = {};
		const types = checkedCodes(
			options.piiEntityTypes,
			PII_ENTITY_TYPES,
			FIELD_LABELS.piiEntityTypes,
			fail,
			(c) => c.toUpperCase(),
		);
		if (types.length) config.entity_types = types;
		const textType = checkedEnum(
			options.piiProcessedTextType,
			PII_TEXT_TYPES,
			FIELD_LABELS.piiProcessedTextType,
			fail,
		);
		if (textType) config.processed_text_type = textType;
		if (Object.keys(config).length) body.pii_redaction_config = config;
	}

	if (options.subtitles) {
		const formats = checkedCodes(
			options.subtitleFormats,
			SUBTITLE_FORMATS,
			FIELD_LABELS.subtitleFormats,
			fail,
			(c) => c.toLowerCase(),
		);
		if (!formats.length) {
			fail(
				FIELD_LABELS.subtitleFormats,
				'Generate Subtitles is on but no format is selected',
				'Select SRT and/or VTT, or turn Generate Subtitles off.',
			);
		}
		const extra = options.subtitleOptions ?? {};
		const label = (name: string) => `Subtitle Options → ${name}`;
		const config: IDataObject = { formats };
		const minimumDuration = checkedNumber(extra.minimumDuration, label('Minimum Duration'), fail, {
			min: 0,
		});
		const maximumDuration = checkedNumber(extra.maximumDuration, label('Maximum Duration'), fail, {
			min: 1,
			max: 30,
		});
		const characters = checkedNumber(
			extra.maximumCharactersPerRow,
			label('Max Characters per Row'),
			fail,
			{ min: 1, integer: true },
		);
		const rows = checkedNumber(extra.maximumRowsPerCaption, label('Max Rows per Caption'), fail, {
			min: 1,
			max: 5,
			integer: true,
		});
		if (minimumDuration !== undefined) config.minimum_duration = minimumDuration;
		if (maximumDuration !== undefined) config.maximum_duration = maximumDuration;
		if (characters !== undefined) config.maximum_characters_per_row = characters;
		if (rows !== undefined) config.maximum_rows_per_caption = rows;
		const style = checkedEnum(extra.style, SUBTITLE_STYLES, FIELD_LABELS.subtitleStyle, fail);
		if (style) config.style = style;
		body.subtitles = true;
		body.subtitles_config = config;
	}

	if (options.customVocabulary) {
		body.custom_vocabulary = true;
		body.custom_vocabulary_config = vocabularyConfig(options, fail);
	}

	if (options.customSpelling) {
		body.custom_spelling = true;
		body.custom_spelling_config = spellingConfig(options, fail);
	}

	const intelligence = options.audioIntelligence ?? {};
	if (intelligence.namedEntityRecognition) body.named_entity_recognition = true;
	if (intelligence.sentimentAnalysis) body.sentiment_analysis = true;
	if (intelligence.sentences) body.sentences = true;
	if (intelligence.punctuationEnhanced) body.punctuation_enhanced = true;

	if (options.audioToLlm) {
		const prompts = (options.audioToLlmPrompts?.prompts ?? [])
			.map((entry) => String(entry.prompt ?? '').trim())
			.filter((prompt) => prompt !== '');
		if (!prompts.length) {
			fail(
				FIELD_LABELS.audioToLlmPrompts,
				'Ask Questions (Audio to LLM) is on but there is no prompt',
				'Add at least one question or instruction, e.g. "List the action items".',
			);
		}
		body.audio_to_llm = true;
		body.audio_to_llm_config = {
			prompts,
			...(options.audioToLlmModel?.trim() ? { model: options.audioToLlmModel.trim() } : {}),
		};
	}

	if (options.callback) {
		const method = checkedEnum(
			options.callbackMethod,
			CALLBACK_METHODS,
			FIELD_LABELS.callbackMethod,
			fail,
		);
		body.callback = true;
		body.callback_config = {
			url: checkedUrl(options.callbackUrl, FIELD_LABELS.callbackUrl, fail),
			...(method ? { method } : {}),
		};
	}

	const metadata = customMetadata(options, fail);
	if (metadata) body.custom_metadata = metadata;

	const merged = deepMerge(
		body,
		parseAdditionalBody(options.additionalBody, fail),
	) as InitTranscriptionRequest;
	merged.audio_url = audioUrl;
	if (merged.custom_metadata !== undefined) {
		const length = JSON.stringify(merged.custom_metadata).length;
		if (length > MAX_CUSTOM_METADATA_CHARS) {
			fail(
				FIELD_LABELS.customMetadata,
				`is ${length} characters as JSON, over Gladia's ${MAX_CUSTOM_METADATA_CHARS}`,
				'Keep only short identifiers (IDs, names) in custom metadata.',
			);
		}
	}
	return merged;
}
