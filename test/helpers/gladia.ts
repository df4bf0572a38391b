// Shared set-up for the Gladia node's engine tests: one emulator per test file (reset before
// each test), and runGladia() to execute the node against it.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Gladia } from '../../nodes/Gladia/Gladia.node';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../emulator';
import { runNode, type RunNodeOptions, type RunNodeResult } from './engine';

/** Jobs finish in milliseconds; polls every 10 ms. */
export const FAST_EMULATOR: EmulatorOptions = { speedFactor: 0.01 };
export const FAST_WAIT = {
	minPollIntervalSeconds: 0.01,
	maxPollIntervalSeconds: 0.05,
	maxWaitSeconds: 20,
};

/** Starts an emulator for the file; `get()` returns it. Resets it before each test. */
export function useEmulator(options: EmulatorOptions = FAST_EMULATOR): {
	get: () => EmulatorHandle;
} {
	let emulator: EmulatorHandle | undefined;
	beforeAll(async () => {
		emulator = await startEmulator(options);
	});
	afterAll(async () => {
		await emulator?.close();
	});
	beforeEach(() => {
		emulator?.reset();
	});
	return {
		get: () => {
			if (!emulator) throw new Error('emulator not started');
			return emulator;
		},
	};
}

/** A public audio URL the emulator treats as `seconds` long. */
export function audioUrl(name = 'meeting', seconds = 3): string {
	return `https://media.example.com/${name}.mp3?emulator_duration=${seconds}`;
}

/** One item per length, its `url` an audio of that many seconds, named `<name>-<index>`. */
export function urlItems(seconds: number[], name = 'rec'): Array<{ json: { url: string } }> {
	return seconds.map((length, index) => ({ json: { url: audioUrl(`${name}-${index}`, length) } }));
}

/** Transcribe each item's `url` (Poll, fast); `extra` adds parameters or replaces them. */
export const transcribeEachUrl = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'transcription',
	operation: 'transcribe',
	audioSource: 'url',
	audioUrl: '={{ $json.url }}',
	options: FAST_WAIT,
	...extra,
});

/** Get Many, one page of up to 50; `extra` adds parameters or replaces them. */
export const getFirst50 = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'transcription',
	operation: 'getMany',
	returnAll: false,
	limit: 50,
	...extra,
});

export interface RunGladiaOptions extends Omit<RunNodeOptions, 'nodeType' | 'parameters'> {
	items?: INodeExecutionData[];
}

/** Runs the Gladia node with these parameters against the emulator. */
export async function runGladia(
	emulator: EmulatorHandle,
	parameters: INodeParameters,
	options: RunGladiaOptions = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Gladia(),
		parameters,
		credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
		...options,
	});
}

/** Audio → Upload of each item's `data` binary. */
export const UPLOAD_BINARY = {
	resource: 'audio',
	operation: 'upload',
	audioSource: 'binary',
	binaryPropertyName: 'data',
};

/** The create bodies the emulator received, in order. */
export function createBodies(emulator: EmulatorHandle): Array<Record<string, unknown>> {
	return emulator
		.jobs()
		.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
		.map((job) => job.request);
}

/** Requests that reached Gladia's API (not the control API). */
export function apiCalls(emulator: EmulatorHandle) {
	return emulator.log.filter((entry) => !entry.path.startsWith('/__emulator'));
}

/** Every transcription option group switched on, as the node's parameters. */
export const EVERY_OPTION = {
	model: 'solaria-1',
	language: { languages: ['en', 'fr'], codeSwitching: true },
	diarization: true,
	diarizationOptions: { minSpeakers: 1, maxSpeakers: 3 },
	translation: true,
	translationTargetLanguages: ['de', 'wo'],
	translationOptions: {
		model: 'enhanced',
		matchOriginalUtterances: false,
		lipsync: false,
		contextAdaptation: true,
		context: 'A product meeting',
		informal: true,
	},
	summarization: true,
	summaryType: 'bullet_points',
	piiRedaction: true,
	piiEntityTypes: ['GDPR', 'EMAIL_ADDRESS'],
	piiProcessedTextType: 'MASK',
	subtitles: true,
	subtitleFormats: ['srt', 'vtt'],
	subtitleOptions: {
		minimumDuration: 1,
		maximumDuration: 6,
		maximumCharactersPerRow: 42,
		maximumRowsPerCaption: 2,
		style: 'compliance',
	},
	customVocabulary: true,
	vocabulary: {
		entries: [
			{ value: 'Gladia', intensity: 0, pronunciations: '', language: '' },
			{ value: 'Solaria', intensity: 0.8, pronunciations: 'so laria, solarya', language: 'en' },
		],
	},
	vocabularyDefaultIntensity: 0.4,
	customSpelling: true,
	spellingDictionary: { entries: [{ spelling: 'n8n', variants: 'n eight n, nathan' }] },
	audioIntelligence: {
		namedEntityRecognition: true,
		sentimentAnalysis: true,
		sentences: true,
		punctuationEnhanced: true,
	},
	audioToLlm: true,
	audioToLlmPrompts: {
		prompts: [{ prompt: 'List the action items' }, { prompt: 'Who spoke most?' }],
	},
	audioToLlmModel: 'openai/gpt-5.4-nano',
	callback: true,
	callbackUrl: 'https://hooks.example.com/gladia',
	callbackMethod: 'PUT',
	customMetadata: { entries: [{ key: 'customerId', value: 'c-42' }] },
	additionalBody: '{"translation_config": {"context": "Overridden context"}}',
};

/** The InitTranscriptionRequest EVERY_OPTION must produce (audio_url aside). */
export const EVERY_OPTION_BODY = {
	model: 'solaria-1',
	language_config: { languages: ['en', 'fr'], code_switching: true },
	diarization: true,
	diarization_config: { min_speakers: 1, max_speakers: 3 },
	translation: true,
	translation_config: {
		target_languages: ['de', 'wo'],
		model: 'enhanced',
		match_original_utterances: false,
		lipsync: false,
		context_adaptation: true,
		context: 'Overridden context',
		informal: true,
	},
	summarization: true,
	summarization_config: { type: 'bullet_points' },
	pii_redaction: true,
	pii_redaction_config: { entity_types: ['GDPR', 'EMAIL_ADDRESS'], processed_text_type: 'MASK' },
	subtitles: true,
	subtitles_config: {
		formats: ['srt', 'vtt'],
		minimum_duration: 1,
		maximum_duration: 6,
		maximum_characters_per_row: 42,
		maximum_rows_per_caption: 2,
		style: 'compliance',
	},
	custom_vocabulary: true,
	custom_vocabulary_config: {
		vocabulary: [
			'Gladia',
			{ value: 'Solaria', intensity: 0.8, pronunciations: ['so laria', 'solarya'], language: 'en' },
		],
		default_intensity: 0.4,
	},
	custom_spelling: true,
	custom_spelling_config: { spelling_dictionary: { n8n: ['n eight n', 'nathan'] } },
	named_entity_recognition: true,
	sentiment_analysis: true,
	sentences: true,
	punctuation_enhanced: true,
	audio_to_llm: true,
	audio_to_llm_config: {
		prompts: ['List the action items', 'Who spoke most?'],
		model: 'openai/gpt-5.4-nano',
	},
	callback: true,
	callback_config: { url: 'https://hooks.example.com/gladia', method: 'PUT' },
	custom_metadata: { customerId: 'c-42' },
};
