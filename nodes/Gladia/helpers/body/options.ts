// What the body mappers read: the node parameters of Create and Transcribe
// (actions/transcription/options.description.ts), and the labels the UI shows for them.
import type { IDataObject } from 'n8n-workflow';

import type { Check } from '../checks';

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
	vocabulary?: { entries?: VocabularyEntry[] };
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

export interface VocabularyEntry {
	value?: string;
	intensity?: number;
	pronunciations?: unknown;
	language?: string;
}

/** One option group → the request fields it sets (none when the group is off). */
export type BodyMapper = (options: TranscriptionOptions, fail: Check) => IDataObject;

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
