// Every current field of Gladia's InitTranscriptionRequest, grouped as the UI shows them: a
// toggle per feature, its settings right under it. helpers/body/ maps these to the request.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { TranscriptionOptions } from '../../helpers/body';
import { customMetadataField } from '../common.description';
import {
	languageOptions,
	piiEntityOptions,
	TRANSCRIPTION_LANGUAGES,
	TRANSLATION_LANGUAGES,
} from '../../helpers/constants';

const transcriptionLanguages = languageOptions(TRANSCRIPTION_LANGUAGES);
const translationLanguages = languageOptions(TRANSLATION_LANGUAGES);

export const transcriptionOptionFields: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{
				name: 'Solaria 1',
				value: 'solaria-1',
				description: 'Gladia’s default model: about 100 languages, code switching',
			},
			{
				name: 'Solaria 3',
				value: 'solaria-3',
				description:
					'Pre-recorded only: English, French, German, Spanish and Italian; set the language under Language',
			},
			{
				name: 'Solaria Fusion',
				value: 'solaria-fusion',
				description:
					'Newest pre-recorded model, listed by Gladia’s SDK 2.1.0; Gladia has not yet documented its languages: check them with Gladia before relying on it',
			},
		],
		default: 'solaria-1',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'collection',
		placeholder: 'Add Language Option',
		default: {},
		options: [
			{
				displayName: 'Code Switching',
				name: 'codeSwitching',
				type: 'boolean',
				default: false,
				description:
					'Whether the language may change between utterances (detected per utterance). Ignored when exactly one language is set.',
			},
			{
				displayName: 'Languages',
				name: 'languages',
				type: 'multiOptions',
				options: transcriptionLanguages,
				default: [],
				description:
					'One language forces it; several restrict auto-detection to them; none detects among all. In an expression, a list or comma-separated codes (en, fr).',
			},
		],
	},

	{
		displayName: 'Identify Speakers',
		name: 'diarization',
		type: 'boolean',
		default: false,
		description: 'Whether to tell speakers apart (diarization): each utterance gets a speaker',
	},
	{
		displayName: 'Speaker Options',
		name: 'diarizationOptions',
		type: 'collection',
		placeholder: 'Add Speaker Hint',
		default: {},
		displayOptions: { show: { diarization: [true] } },
		options: [
			{
				displayName: 'Max Speakers',
				name: 'maxSpeakers',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 2,
				description: 'At most this many speakers (a hint)',
			},
			{
				displayName: 'Min Speakers',
				name: 'minSpeakers',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1,
				description: 'At least this many speakers (a hint)',
			},
			{
				displayName: 'Number of Speakers',
				name: 'numberOfSpeakers',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 2,
				description: 'The exact number of speakers, when you know it',
			},
		],
	},

	{
		displayName: 'Translate',
		name: 'translation',
		type: 'boolean',
		default: false,
		description: 'Whether to translate the transcript into other languages',
	},
	{
		displayName: 'Target Languages',
		name: 'translationTargetLanguages',
		type: 'multiOptions',
		options: translationLanguages,
		default: [],
		required: true,
		displayOptions: { show: { translation: [true] } },
		description: 'Languages to translate into. In an expression, a list or comma-separated codes.',
	},
	{
		displayName: 'Translation Options',
		name: 'translationOptions',
		type: 'collection',
		placeholder: 'Add Translation Option',
		default: {},
		displayOptions: { show: { translation: [true] } },
		options: [
			{
				displayName: 'Context',
				name: 'context',
				type: 'string',
				default: '',
				placeholder: 'e.g. A medical consultation between a doctor and a patient',
				description: 'Background that helps the translation (topic, names, tone)',
			},
			{
				displayName: 'Context Adaptation',
				name: 'contextAdaptation',
				type: 'boolean',
				default: true,
				description: 'Whether the translation may adapt to the context',
			},
			{
				displayName: 'Informal',
				name: 'informal',
				type: 'boolean',
				default: false,
				description: 'Whether to use informal forms (tu, du…) where the target language has them',
			},
			{
				displayName: 'Lipsync',
				name: 'lipsync',
				type: 'boolean',
				default: true,
				description: 'Whether to keep translated utterances close to the original timing',
			},
			{
				displayName: 'Match Original Utterances',
				name: 'matchOriginalUtterances',
				type: 'boolean',
				default: true,
				description: 'Whether translated utterances align one to one with the original ones',
			},
			{
				displayName: 'Translation Model',
				name: 'model',
				type: 'options',
				options: [
					{ name: 'Base', value: 'base', description: 'Fast (Gladia’s default)' },
					{ name: 'Batch', value: 'batch', description: 'For large volumes' },
					{ name: 'Enhanced', value: 'enhanced', description: 'Higher quality, slower' },
				],
				default: 'base',
			},
		],
	},

	{
		displayName: 'Summarize',
		name: 'summarization',
		type: 'boolean',
		default: false,
		description: 'Whether to add a summary of the transcript',
	},
	{
		displayName: 'Summary Type',
		name: 'summaryType',
		type: 'options',
		options: [
			{ name: 'Bullet Points', value: 'bullet_points' },
			{ name: 'Concise', value: 'concise' },
			{ name: 'General', value: 'general' },
		],
		default: 'general',
		displayOptions: { show: { summarization: [true] } },
	},

	{
		displayName: 'Redact PII',
		name: 'piiRedaction',
		type: 'boolean',
		default: false,
		description:
			'Whether to remove personal data (names, emails, card numbers…) from the transcript itself',
	},
	{
		displayName: 'PII Entity Types',
		name: 'piiEntityTypes',
		type: 'multiOptions',
		options: piiEntityOptions(),
		default: [],
		displayOptions: { show: { piiRedaction: [true] } },
		description:
			'What to redact: presets (GDPR, HIPAA Safe Harbor, PCI…) or single types. None selected: Gladia’s default set.',
	},
	{
		displayName: 'PII Replacement',
		name: 'piiProcessedTextType',
		type: 'options',
		options: [
			{ name: 'Marker ([NAME_1])', value: 'MARKER' },
			{ name: 'Mask (####)', value: 'MASK' },
		],
		default: 'MARKER',
		displayOptions: { show: { piiRedaction: [true] } },
	},

	{
		displayName: 'Generate Subtitles',
		name: 'subtitles',
		type: 'boolean',
		default: false,
		description: 'Whether to produce subtitle files (SRT, VTT)',
	},
	{
		displayName: 'Subtitle Formats',
		name: 'subtitleFormats',
		type: 'multiOptions',
		options: [
			{ name: 'SRT', value: 'srt' },
			{ name: 'VTT', value: 'vtt' },
		],
		default: ['srt'],
		required: true,
		displayOptions: { show: { subtitles: [true] } },
	},
	{
		displayName: 'Subtitle Options',
		name: 'subtitleOptions',
		type: 'collection',
		placeholder: 'Add Subtitle Option',
		default: {},
		displayOptions: { show: { subtitles: [true] } },
		options: [
			{
				displayName: 'Max Characters per Row',
				name: 'maximumCharactersPerRow',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 42,
			},
			{
				displayName: 'Max Rows per Caption',
				name: 'maximumRowsPerCaption',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 5 },
				default: 2,
			},
			{
				displayName: 'Maximum Duration',
				name: 'maximumDuration',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 30, numberPrecision: 2 },
				default: 6,
				description: 'Longest time a subtitle stays on screen, in seconds (1–30)',
			},
			{
				displayName: 'Minimum Duration',
				name: 'minimumDuration',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 1,
				description: 'Shortest time a subtitle stays on screen, in seconds',
			},
			{
				displayName: 'Style',
				name: 'style',
				type: 'options',
				options: [
					{ name: 'Compliance', value: 'compliance', description: 'Broadcast caption rules' },
					{ name: 'Default', value: 'default' },
				],
				default: 'default',
			},
		],
	},

	{
		displayName: 'Custom Vocabulary',
		name: 'customVocabulary',
		type: 'boolean',
		default: false,
		description:
			'Whether to help the model with words it may not know (product names, jargon, people)',
	},
	{
		displayName: 'Vocabulary',
		name: 'vocabulary',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Word or Phrase',
		default: {},
		displayOptions: { show: { customVocabulary: [true] } },
		options: [
			{
				displayName: 'Entry',
				name: 'entries',
				values: [
					{
						displayName: 'Intensity',
						name: 'intensity',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
						default: 0,
						description:
							'How strongly to favour this entry, 0–1. 0 uses Vocabulary Default Intensity.',
					},
					{
						displayName: 'Language',
						name: 'language',
						type: 'options',
						options: [{ name: 'Transcription Language', value: '' }, ...transcriptionLanguages],
						default: '',
						description: 'Language in which the entry is pronounced',
					},
					{
						displayName: 'Pronunciations',
						name: 'pronunciations',
						type: 'string',
						default: '',
						placeholder: 'e.g. glad ya, gladya',
						description: 'Comma-separated ways it may sound',
					},
					{
						displayName: 'Word or Phrase',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. Gladia',
					},
				],
			},
		],
	},
	{
		displayName: 'Vocabulary Default Intensity',
		name: 'vocabularyDefaultIntensity',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
		default: 0.5,
		displayOptions: { show: { customVocabulary: [true] } },
		description: 'How strongly to favour the vocabulary, 0–1 (Gladia recommends about 0.4–0.5)',
	},

	{
		displayName: 'Custom Spelling',
		name: 'customSpelling',
		type: 'boolean',
		default: false,
		description: 'Whether to replace words with your spelling (e.g. "gladya" → "Gladia")',
	},
	{
		displayName: 'Spelling Dictionary',
		name: 'spellingDictionary',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Spelling',
		default: {},
		displayOptions: { show: { customSpelling: [true] } },
		options: [
			{
				displayName: 'Entry',
				name: 'entries',
				values: [
					{
						displayName: 'Spelling',
						name: 'spelling',
						type: 'string',
						default: '',
						placeholder: 'e.g. Gladia',
						description: 'How it must be written (case-sensitive)',
					},
					{
						displayName: 'Variants',
						name: 'variants',
						type: 'string',
						default: '',
						placeholder: 'e.g. gladya, glad ia',
						description: 'Comma-separated words or phrases to replace (case-insensitive)',
					},
				],
			},
		],
	},

	{
		displayName: 'Audio Intelligence',
		name: 'audioIntelligence',
		type: 'collection',
		placeholder: 'Add Analysis',
		default: {},
		options: [
			{
				displayName: 'Enhanced Punctuation',
				name: 'punctuationEnhanced',
				type: 'boolean',
				default: true,
				description: 'Whether to use Gladia’s enhanced punctuation (alpha)',
			},
			{
				displayName: 'Named Entity Recognition',
				name: 'namedEntityRecognition',
				type: 'boolean',
				default: true,
				description: 'Whether to list people, organisations, emails… mentioned in the audio',
			},
			{
				displayName: 'Sentences',
				name: 'sentences',
				type: 'boolean',
				default: true,
				description: 'Whether to also split the transcript into sentences',
			},
			{
				displayName: 'Sentiment Analysis',
				name: 'sentimentAnalysis',
				type: 'boolean',
				default: true,
				description: 'Whether to add the sentiment and emotion of each sentence',
			},
		],
	},

	{
		displayName: 'Ask Questions (Audio to LLM)',
		name: 'audioToLlm',
		type: 'boolean',
		default: false,
		description:
			'Whether to have an LLM answer questions about the audio (one answer per prompt, in the result)',
	},
	{
		displayName: 'Prompts',
		name: 'audioToLlmPrompts',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Prompt',
		default: {},
		displayOptions: { show: { audioToLlm: [true] } },
		options: [
			{
				displayName: 'Prompt',
				name: 'prompts',
				values: [
					{
						displayName: 'Prompt',
						name: 'prompt',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: 'e.g. List the action items with their owner',
					},
				],
			},
		],
	},
	{
		displayName: 'LLM Model',
		name: 'audioToLlmModel',
		type: 'string',
		default: '',
		placeholder: 'e.g. openai/gpt-5.4-nano',
		displayOptions: { show: { audioToLlm: [true] } },
		description: 'An OpenRouter model ID. Empty: Gladia’s default.',
	},

	{
		displayName: 'Send Callback',
		name: 'callback',
		type: 'boolean',
		default: false,
		description:
			'Whether Gladia should send the result to a URL of yours when the transcription finishes',
	},
	{
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/gladia-callback',
		displayOptions: { show: { callback: [true] } },
		description:
			'Gladia sends the result here: the job ID, the event, the result and its custom metadata',
	},
	{
		displayName: 'Callback Method',
		name: 'callbackMethod',
		type: 'options',
		options: [
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'POST',
		displayOptions: { show: { callback: [true] } },
	},

	customMetadataField(
		'Add Metadata',
		'Key/value pairs stored with the transcription, returned with it and in callbacks, and usable as a Get Many filter (at most 2000 characters)',
	),

	{
		displayName: 'Additional Body (JSON)',
		name: 'additionalBody',
		type: 'json',
		default: '{}',
		description:
			'Extra fields for Gladia’s request, merged last (objects merge, other values replace, null removes a field). For options Gladia adds before this node does.',
	},
];

/** Reads every transcription option of an item (hidden ones fall back to their defaults). */
export function readTranscriptionOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
): TranscriptionOptions {
	const options: IDataObject = {};
	for (const field of transcriptionOptionFields) {
		options[field.name] = ctx.getNodeParameter(
			field.name,
			itemIndex,
			field.default,
		) as IDataObject[string];
	}
	return options as TranscriptionOptions;
}
