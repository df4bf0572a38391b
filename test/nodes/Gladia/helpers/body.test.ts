// The options → InitTranscriptionRequest mapper and its pre-flight checks, as pure functions.
// (Every group is also sent to the emulator, which validates it against the OpenAPI, in
// actions/transcription/create.operation.test.ts.)
import { NodeOperationError } from 'n8n-workflow';

import spec from '../../../emulator/openapi.json';
import {
	buildTranscriptionBody,
	deepMerge,
	toList,
	type TranscriptionOptions,
} from '../../../../nodes/Gladia/helpers/body';
import { EVERY_OPTION, EVERY_OPTION_BODY } from '../../../helpers/gladia';
import { GLADIA_NODE as node } from './probe';

const URL = 'https://media.example.com/a.mp3';
const build = (options: TranscriptionOptions, itemIndex = 0) =>
	buildTranscriptionBody(URL, options, itemIndex, node);

function failure(options: TranscriptionOptions, itemIndex = 2): NodeOperationError {
	try {
		build(options, itemIndex);
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected a NodeOperationError');
}

describe('buildTranscriptionBody', () => {
	it('sends only the audio URL and the model by default', () => {
		expect(build({ model: 'solaria-1', language: {}, additionalBody: '{}' })).toEqual({
			audio_url: URL,
			model: 'solaria-1',
		});
	});

	it('maps every option group', () => {
		expect(build(EVERY_OPTION as TranscriptionOptions)).toEqual({
			audio_url: URL,
			...EVERY_OPTION_BODY,
		});
	});

	it('covers every current field of InitTranscriptionRequest except the deprecated callback_url', () => {
		const fields = Object.entries(spec.components.schemas.InitTranscriptionRequest.properties)
			.filter(([, schema]) => !(schema as { deprecated?: boolean }).deprecated)
			.map(([name]) => name)
			.sort();
		expect(Object.keys(build(EVERY_OPTION as TranscriptionOptions)).sort()).toEqual(fields);
	});

	it('offers none of the legacy fields', () => {
		const body = build(EVERY_OPTION as TranscriptionOptions);
		for (const legacy of [
			'detect_language',
			'enable_code_switching',
			'webhook_url',
			'language',
			'callback_url',
		]) {
			expect(body).not.toHaveProperty(legacy);
		}
		expect(Array.isArray(body.custom_vocabulary)).toBe(false);
	});

	it('accepts comma-separated codes from expressions, in any case', () => {
		const body = build({
			language: { languages: 'EN, fr' },
			translation: true,
			translationTargetLanguages: 'de,es',
			piiRedaction: true,
			piiEntityTypes: 'gdpr',
			subtitles: true,
			subtitleFormats: 'VTT',
		});
		expect(body.language_config).toEqual({ languages: ['en', 'fr'], code_switching: false });
		expect(body.translation_config).toEqual({ target_languages: ['de', 'es'] });
		expect(body.pii_redaction_config).toEqual({ entity_types: ['GDPR'] });
		expect(body.subtitles_config).toEqual({ formats: ['vtt'] });
	});

	it('turns features on without their settings when none are given', () => {
		const body = build({ diarization: true, summarization: true, piiRedaction: true });
		expect(body).toEqual({
			audio_url: URL,
			diarization: true,
			summarization: true,
			pii_redaction: true,
		});
	});

	it('ignores settings of features that are off', () => {
		const body = build({
			diarization: false,
			diarizationOptions: { minSpeakers: 5, maxSpeakers: 1 },
			translation: false,
			translationTargetLanguages: [],
		});
		expect(body).toEqual({ audio_url: URL });
	});

	it('merges Additional Body last: nested objects merge, null removes, audio_url stays', () => {
		const body = build({
			diarization: true,
			diarizationOptions: { maxSpeakers: 4 },
			additionalBody: {
				diarization_config: { min_speakers: 2 },
				model: null,
				audio_url: 'https://evil.example/x',
				new_field: [1],
			},
			model: 'solaria-3',
		});
		expect(body).toEqual({
			audio_url: URL,
			diarization: true,
			diarization_config: { max_speakers: 4, min_speakers: 2 },
			new_field: [1],
		});
	});

	describe('pre-flight checks name the item and the field', () => {
		it.each([
			[
				'unknown language code',
				{ language: { languages: ['en', 'xx'] } },
				'Language → Languages: unknown value "xx" [item 2]',
			],
			[
				'min > max speakers',
				{ diarization: true, diarizationOptions: { minSpeakers: 4, maxSpeakers: 2 } },
				'Speaker Options → Min Speakers: 4 is more than Max Speakers (2) [item 2]',
			],
			[
				'zero exact speakers',
				{ diarization: true, diarizationOptions: { numberOfSpeakers: 0 } },
				'Speaker Options → Number of Speakers: 0 is not a whole number at least 1 [item 2]',
			],
			[
				'translation without targets',
				{ translation: true, translationTargetLanguages: [] },
				'Target Languages: Translate is on but no target language is selected [item 2]',
			],
			[
				'unknown translation target',
				{ translation: true, translationTargetLanguages: ['en', 'klingon'] },
				'Target Languages: unknown value "klingon" [item 2]',
			],
			[
				'subtitles without formats',
				{ subtitles: true, subtitleFormats: [] },
				'Subtitle Formats: Generate Subtitles is on but no format is selected [item 2]',
			],
			[
				'subtitle duration out of range',
				{ subtitles: true, subtitleFormats: ['srt'], subtitleOptions: { maximumDuration: 45 } },
				'Subtitle Options → Maximum Duration: 45 is not a number at least 1 and at most 30 [item 2]',
			],
			[
				'malformed Additional Body',
				{ additionalBody: '{"diarization": tru' },
				'Additional Body (JSON): is not valid JSON',
			],
			[
				'Additional Body not an object',
				{ additionalBody: '[1, 2]' },
				'Additional Body (JSON): must be a JSON object [item 2]',
			],
			[
				'unknown PII type',
				{ piiRedaction: true, piiEntityTypes: ['PASSWORDS'] },
				'PII Entity Types: unknown value "PASSWORDS" [item 2]',
			],
			['unknown model', { model: 'solaria-9' }, 'Model: unknown value "solaria-9" [item 2]'],
			[
				'empty vocabulary',
				{ customVocabulary: true, vocabulary: { entries: [] } },
				'Vocabulary: Custom Vocabulary is on but the list is empty [item 2]',
			],
			[
				'vocabulary intensity over 1',
				{ customVocabulary: true, vocabulary: { entries: [{ value: 'x', intensity: 2 }] } },
				'Vocabulary → Intensity: 2 is not a number at least 0 and at most 1 [item 2]',
			],
			[
				'empty spelling dictionary',
				{
					customSpelling: true,
					spellingDictionary: { entries: [{ spelling: 'Gladia', variants: '' }] },
				},
				'Spelling Dictionary: entry "Gladia" needs a spelling and at least one variant [item 2]',
			],
			[
				'audio to LLM without prompt',
				{ audioToLlm: true, audioToLlmPrompts: { prompts: [{ prompt: ' ' }] } },
				'Prompts: Ask Questions (Audio to LLM) is on but there is no prompt [item 2]',
			],
			[
				'malformed callback URL',
				{ callback: true, callbackUrl: 'hooks.example.com/x' },
				'Callback URL: "hooks.example.com/x" is not an http(s) URL [item 2]',
			],
			[
				'a language list that is not a list',
				{ language: { languages: { en: true } } },
				'Language → Languages: {"en":true} is not a list of codes [item 2]',
			],
			[
				'metadata key missing',
				{ customMetadata: { entries: [{ key: '', value: 'x' }] } },
				'Custom Metadata: an entry has no Key [item 2]',
			],
			[
				'metadata too long',
				{ customMetadata: { entries: [{ key: 'notes', value: 'x'.repeat(2100) }] } },
				"Custom Metadata: is 2112 characters as JSON, over Gladia's 2000 [item 2]",
			],
		])('%s', (_case, options, message) => {
			const error = failure(options as TranscriptionOptions);
			expect(error.message).toContain(message);
			expect(error.context.itemIndex).toBe(2);
			expect(error.description).toBeTruthy();
		});
	});
});

describe('toList', () => {
	it('reads arrays and comma/space separated text', () => {
		expect(toList(['en', ' fr ', ''])).toEqual(['en', 'fr']);
		expect(toList('en, fr  de')).toEqual(['en', 'fr', 'de']);
		expect(toList(undefined)).toEqual([]);
	});
});

describe('deepMerge', () => {
	it('merges objects, replaces arrays and values, removes on null', () => {
		expect(deepMerge({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: 3 }, d: null })).toEqual({
			a: { b: 1, c: [2], e: 3 },
		});
	});
});

describe('README example', () => {
	it('produces the body the README shows', () => {
		const body = buildTranscriptionBody(
			'https://example.com/call.mp3',
			{
				model: 'solaria-1',
				language: { languages: ['en', 'fr'] },
				diarization: true,
				diarizationOptions: { numberOfSpeakers: 2 },
				translation: true,
				translationTargetLanguages: ['en'],
				translationOptions: {},
				summarization: true,
				summaryType: 'bullet_points',
				piiRedaction: true,
				piiEntityTypes: ['PCI'],
				piiProcessedTextType: 'MASK',
				additionalBody: '{}',
			},
			0,
			node,
		);
		expect(body).toEqual({
			audio_url: 'https://example.com/call.mp3',
			model: 'solaria-1',
			language_config: { languages: ['en', 'fr'], code_switching: false },
			diarization: true,
			diarization_config: { number_of_speakers: 2 },
			translation: true,
			translation_config: { target_languages: ['en'] },
			summarization: true,
			summarization_config: { type: 'bullet_points' },
			pii_redaction: true,
			pii_redaction_config: { entity_types: ['PCI'], processed_text_type: 'MASK' },
		});
	});
});
