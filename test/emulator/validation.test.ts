import { OVERLAYS } from './index';
import { transcribe, useEmulator } from './testkit';

const ctx = useEmulator();
const audio_url = 'https://files.example.com/audio.wav';

async function create(body: unknown) {
	return ctx.api.post('/v2/pre-recorded', body);
}

describe('create body validated against InitTranscriptionRequest', () => {
	it.each([
		['no audio_url', {}, 'Field "audio_url" is required'],
		[
			'audio_url not a URI',
			{ audio_url: 'not a url' },
			'Field "audio_url" must match format "uri"',
		],
		[
			'flag of the wrong type',
			{ audio_url, diarization: 'yes' },
			'Field "diarization" must be boolean',
		],
		[
			'speaker hint below minimum',
			{ audio_url, diarization_config: { number_of_speakers: 0 } },
			'Field "diarization_config.number_of_speakers" must be >= 1',
		],
		[
			'unknown language',
			{ audio_url, language_config: { languages: ['xx'] } },
			'Field "language_config.languages[0]" must be one of: af,',
		],
		[
			'empty translation targets',
			{ audio_url, translation: true, translation_config: { target_languages: [] } },
			'Field "translation_config.target_languages" must NOT have fewer than 1 items',
		],
		[
			'unknown translation model',
			{ audio_url, translation_config: { target_languages: ['fr'], model: 'ultra' } },
			'Field "translation_config.model" must be one of: base, batch, enhanced',
		],
		[
			'subtitle duration above 30',
			{ audio_url, subtitles_config: { maximum_duration: 31 } },
			'Field "subtitles_config.maximum_duration" must be <= 30',
		],
		[
			'too many rows per caption',
			{ audio_url, subtitles_config: { maximum_rows_per_caption: 6 } },
			'Field "subtitles_config.maximum_rows_per_caption" must be <= 5',
		],
		[
			'unknown subtitle format',
			{ audio_url, subtitles_config: { formats: ['ass'] } },
			'Field "subtitles_config.formats[0]" must be one of: srt, vtt',
		],
		[
			'intensity above 1',
			{ audio_url, custom_vocabulary_config: { vocabulary: ['Gladia'], default_intensity: 2 } },
			'Field "custom_vocabulary_config.default_intensity" must be <= 1',
		],
		[
			'vocabulary entry without value',
			{ audio_url, custom_vocabulary_config: { vocabulary: [{ intensity: 0.5 }] } },
			'Field "custom_vocabulary_config.vocabulary[0].value" is required',
		],
		[
			'callback method GET',
			{ audio_url, callback_config: { url: 'https://cb.example', method: 'GET' } },
			'Field "callback_config.method" must be one of: POST, PUT',
		],
		[
			'unknown PII entity',
			{ audio_url, pii_redaction_config: { entity_types: ['SECRETS'] } },
			'Field "pii_redaction_config.entity_types',
		],
		[
			'unknown model',
			{ audio_url, model: 'whisper' },
			'Field "model" must be one of: solaria-1, solaria-3',
		],
		[
			'custom_metadata not an object',
			{ audio_url, custom_metadata: 'x' },
			'Field "custom_metadata" must be object',
		],
		[
			'custom_vocabulary in the 2024 array form',
			{ audio_url, custom_vocabulary: ['Gladia'] },
			'Field "custom_vocabulary" must be boolean',
		],
	])('%s → 400 with validation_errors', async (_, body, message) => {
		const response = await create(body);
		expect(response.status).toBe(400);
		expect(response.data).toMatchObject({
			statusCode: 400,
			message: 'Invalid parameter',
			path: '/v2/pre-recorded',
		});
		expect(response.data.validation_errors.join('\n')).toContain(message);
		expect(ctx.emu.jobs()).toHaveLength(0);
	});

	it('reports every error at once', async () => {
		const response = await create({ diarization: 1, summarization_config: { type: 'long' } });
		expect(response.data.validation_errors).toEqual(
			expect.arrayContaining([
				'Field "audio_url" is required',
				'Field "diarization" must be boolean',
				'Field "summarization_config.type" must be one of: general, bullet_points, concise',
			]),
		);
	});

	it('accepts a body using every current option', async () => {
		const response = await create({
			audio_url,
			model: 'solaria-3',
			language_config: { languages: ['en', 'fr'], code_switching: true },
			custom_vocabulary: true,
			custom_vocabulary_config: {
				vocabulary: [
					'Gladia',
					{ value: 'Solaria', intensity: 0.6, pronunciations: ['so laria'], language: 'en' },
				],
				default_intensity: 0.4,
			},
			callback: true,
			callback_config: { url: 'http://127.0.0.1:1/cb', method: 'PUT' },
			subtitles: true,
			subtitles_config: {
				formats: ['srt', 'vtt'],
				minimum_duration: 1,
				maximum_duration: 6,
				maximum_characters_per_row: 30,
				maximum_rows_per_caption: 2,
				style: 'compliance',
			},
			diarization: true,
			diarization_config: { number_of_speakers: 2, min_speakers: 1, max_speakers: 3 },
			translation: true,
			translation_config: {
				target_languages: ['de', 'wo'],
				model: 'batch',
				match_original_utterances: false,
				lipsync: false,
				context_adaptation: true,
				context: 'meeting',
				informal: true,
			},
			summarization: true,
			summarization_config: { type: 'bullet_points' },
			named_entity_recognition: true,
			custom_spelling: true,
			custom_spelling_config: { spelling_dictionary: { SQL: ['sequel'] } },
			sentiment_analysis: true,
			audio_to_llm: true,
			audio_to_llm_config: { prompts: ['Summarize'], model: 'openai/gpt-5.4-nano' },
			pii_redaction: true,
			pii_redaction_config: {
				entity_types: ['GDPR', 'EMAIL_ADDRESS'],
				processed_text_type: 'MASK',
			},
			custom_metadata: { user: 'John Doe', nested: { ok: true } },
			sentences: true,
			punctuation_enhanced: true,
		});
		expect(response.status).toBe(201);
	});

	it('accepts legacy and unknown fields silently (the schema is open)', async () => {
		expect(
			(await create({ audio_url, detect_language: true, language: 'en', chapterization: true }))
				.status,
		).toBe(201);
	});
});

describe('overlays for documented spec bugs (API.md §2.2, §11)', () => {
	it('lists each overlay', () => {
		expect(OVERLAYS.length).toBeGreaterThanOrEqual(5);
	});

	it.each([
		[
			'entity_types as an array (docs, samples)',
			{ pii_redaction: true, pii_redaction_config: { entity_types: ['GDPR'] } },
		],
		[
			'entity_types as one string (spec, MCP)',
			{ pii_redaction: true, pii_redaction_config: { entity_types: 'GDPR' } },
		],
		[
			'prompts as strings (docs, CLI)',
			{ audio_to_llm: true, audio_to_llm_config: { prompts: ['Summarize', 'List actions'] } },
		],
		[
			'prompts as arrays (spec)',
			{ audio_to_llm: true, audio_to_llm_config: { prompts: [['Summarize']] } },
		],
		['model solaria-fusion (SDK 2.1.0)', { model: 'solaria-fusion' }],
	])('accepts %s', async (_, extra) => {
		const done = await transcribe(ctx.api, { audio_url, ...extra });
		expect(done.status).toBe('done');
	});
});

describe('semantic checks → 422', () => {
	it.each([
		['callback without callback_config.url', { callback: true }, 'callback_config.url'],
		[
			'translation without target languages',
			{ translation: true },
			'translation_config.target_languages',
		],
		['audio_to_llm without prompts', { audio_to_llm: true }, 'audio_to_llm_config.prompts'],
		[
			'custom_spelling without dictionary',
			{ custom_spelling: true },
			'custom_spelling_config.spelling_dictionary',
		],
		[
			'custom_vocabulary without vocabulary',
			{ custom_vocabulary: true },
			'custom_vocabulary_config.vocabulary',
		],
		[
			'custom_metadata over 2000 characters',
			{ custom_metadata: { blob: 'x'.repeat(2001) } },
			'2000 characters',
		],
	])('%s', async (_, extra, field) => {
		const response = await create({ audio_url, ...extra });
		expect(response.status).toBe(422);
		expect(response.data.statusCode).toBe(422);
		expect(response.data.validation_errors.join(' ')).toContain(field);
	});
});

describe('list query validated against the operation parameters', () => {
	it.each([
		['offset=-1', 'Field "offset" must be >= 0'],
		['limit=0', 'Field "limit" must be >= 1'],
		['limit=ten', 'Field "limit" must be integer'],
		['status=finished', 'Field "status[0]" must be one of: queued, processing, done, error'],
		['before_date=yesterday', 'Field "before_date" must match format "date-time"'],
		['date=22-08-2026', 'Field "date"'],
		['custom_metadata={broken', 'Field "custom_metadata" must be a JSON object'],
	])('%s → 400', async (query, message) => {
		const response = await ctx.api.get(`/v2/pre-recorded?${query}`);
		expect(response.status).toBe(400);
		expect(response.data.validation_errors.join('\n')).toContain(message);
	});

	it('kind is validated on the legacy list only', async () => {
		expect((await ctx.api.get('/v2/transcription?kind=video')).status).toBe(400);
		expect((await ctx.api.get('/v2/pre-recorded?kind=video')).status).toBe(200);
	});
});
