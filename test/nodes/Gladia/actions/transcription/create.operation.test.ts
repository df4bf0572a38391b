// Transcription → Create in n8n's engine. The emulator validates every create body against
// Gladia's OpenAPI (400 with validation_errors otherwise), so a success here means the mapping
// of each option group is a valid request.
import { makeWav } from '../../../../emulator';
import { makeBinaryItem, setBinaryMode } from '../../../../helpers/engine';
import {
	apiCalls,
	audioUrl,
	createBodies,
	EVERY_OPTION,
	EVERY_OPTION_BODY,
	runGladia,
	useEmulator,
} from '../../../../helpers/gladia';

const emulator = useEmulator();

const create = (extra: Record<string, unknown> = {}) => ({
	resource: 'transcription',
	operation: 'create',
	audioSource: 'url',
	audioUrl: audioUrl('call'),
	...extra,
});

/** EVERY_OPTION split into its groups: each group on its own must be a valid request too. */
const GROUPS: Record<string, Record<string, unknown>> = {
	model: { model: 'solaria-3', language: { languages: ['fr'] } },
	language: { language: EVERY_OPTION.language },
	speakers: { diarization: true, diarizationOptions: { numberOfSpeakers: 2 } },
	translation: {
		translation: true,
		translationTargetLanguages: EVERY_OPTION.translationTargetLanguages,
		translationOptions: EVERY_OPTION.translationOptions,
	},
	summary: { summarization: true, summaryType: 'concise' },
	pii: {
		piiRedaction: true,
		piiEntityTypes: ['HIPAA_SAFE_HARBOR'],
		piiProcessedTextType: 'MARKER',
	},
	subtitles: {
		subtitles: true,
		subtitleFormats: ['vtt'],
		subtitleOptions: EVERY_OPTION.subtitleOptions,
	},
	vocabulary: {
		customVocabulary: true,
		vocabulary: EVERY_OPTION.vocabulary,
		vocabularyDefaultIntensity: 0.5,
	},
	spelling: { customSpelling: true, spellingDictionary: EVERY_OPTION.spellingDictionary },
	intelligence: { audioIntelligence: EVERY_OPTION.audioIntelligence },
	audioToLlm: {
		audioToLlm: true,
		audioToLlmPrompts: EVERY_OPTION.audioToLlmPrompts,
		audioToLlmModel: '',
	},
	callback: { callback: true, callbackUrl: 'https://hooks.example.com/x', callbackMethod: 'POST' },
	metadata: { customMetadata: EVERY_OPTION.customMetadata },
	additionalBody: { additionalBody: '{"sentences": true, "punctuation_enhanced": false}' },
};

describe('Create', () => {
	it('sends every option group in one valid request and returns {id, result_url}', async () => {
		const result = await runGladia(emulator.get(), create(EVERY_OPTION));
		expect(result.error).toBeUndefined();
		const [job] = emulator.get().jobs();
		expect(result.items).toEqual([
			{
				json: { id: job.id, result_url: expect.stringContaining(job.id) },
				pairedItem: { item: 0 },
			},
		]);
		const { custom_metadata: metadata, ...sent } = createBodies(emulator.get())[0];
		const { custom_metadata: expectedMetadata, ...expected } = EVERY_OPTION_BODY;
		expect(sent).toEqual({ audio_url: audioUrl('call'), ...expected });
		expect(metadata).toMatchObject(expectedMetadata);
	});

	it.each(Object.entries(GROUPS))(
		'maps the %s group to a valid request',
		async (_group, parameters) => {
			const result = await runGladia(emulator.get(), create(parameters));
			expect(result.error).toBeUndefined();
			expect(result.status).toBe('success');
			expect(emulator.get().jobs()).toHaveLength(1);
		},
	);

	it('uploads a binary first and creates the job from its audio_url', async () => {
		await setBinaryMode('filesystem');
		const item = await makeBinaryItem({
			data: makeWav(2),
			fileName: 'standup.wav',
			mimeType: 'audio/wav',
		});
		const result = await runGladia(
			emulator.get(),
			create({ audioSource: 'binary', binaryPropertyName: 'data' }),
			{
				items: [item],
			},
		);
		await setBinaryMode('default');
		expect(result.error).toBeUndefined();
		const calls = apiCalls(emulator.get()).map(
			(call) => `${call.method} ${call.path} ${call.status}`,
		);
		expect(calls).toEqual(['POST /v2/upload 200', 'POST /v2/pre-recorded 201']);
		expect(createBodies(emulator.get())[0].audio_url).toMatch(
			new RegExp(`^${emulator.get().url}/file/`),
		);
	});

	it('checks the options before uploading anything', async () => {
		const item = await makeBinaryItem({
			data: makeWav(2),
			fileName: 'a.wav',
			mimeType: 'audio/wav',
		});
		const result = await runGladia(
			emulator.get(),
			// An expression: n8n itself already refuses an empty required field typed in the UI.
			create({
				audioSource: 'binary',
				binaryPropertyName: 'data',
				translation: true,
				translationTargetLanguages: '={{ [] }}',
			}),
			{ items: [item] },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Target Languages: Translate is on but no target language is selected [item 0]',
		);
		expect(apiCalls(emulator.get())).toHaveLength(0);
	});

	it('is refused by n8n itself when a required field is empty', async () => {
		const result = await runGladia(
			emulator.get(),
			create({ translation: true, translationTargetLanguages: [] }),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('has issues');
		expect(apiCalls(emulator.get())).toHaveLength(0);
	});

	it('rejects a malformed audio URL before any request', async () => {
		const result = await runGladia(emulator.get(), create({ audioUrl: 'media.example.com/a.mp3' }));
		expect(result.error?.message).toBe(
			'Audio URL: "media.example.com/a.mp3" is not an http(s) URL [item 0]',
		);
		const fromExpression = await runGladia(emulator.get(), create({ audioUrl: '={{ 42 }}' }));
		expect(fromExpression.error?.message).toBe('Audio URL: "42" is not an http(s) URL [item 0]');
		const ftp = await runGladia(
			emulator.get(),
			create({ audioUrl: 'ftp://media.example.com/a.mp3' }),
		);
		expect(ftp.error?.message).toBe(
			'Audio URL: "ftp://media.example.com/a.mp3" is not an http(s) URL [item 0]',
		);
		expect(apiCalls(emulator.get())).toHaveLength(0);
	});

	it('reports Gladia’s validation errors, code and request_id when Gladia rejects the body', async () => {
		const result = await runGladia(
			emulator.get(),
			create({
				additionalBody: '{"diarization": "yes", "subtitles_config": {"formats": ["txt"]}}',
			}),
		);
		expect(result.status).toBe('error');
		const error = result.error as unknown as {
			message: string;
			description: string;
			httpCode: string;
		};
		expect(error.message).toMatch(
			/^Gladia: Invalid parameter \(.*diarization.*\) \(HTTP 400\) \[item 0\]$/,
		);
		expect(error.message).toContain('formats');
		expect(error.httpCode).toBe('400');
		expect(error.description).toMatch(/POST \/v2\/pre-recorded → HTTP 400, request_id G-/);
	});

	it('with continueOnFail, keeps one output per item and the failures as error items', async () => {
		const items = [
			{ json: { url: audioUrl('first') } },
			{ json: { url: 'not a url' } },
			{ json: { url: audioUrl('third') } },
		];
		const result = await runGladia(emulator.get(), create({ audioUrl: '={{ $json.url }}' }), {
			items,
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(result.items[0].json.id).toBeDefined();
		expect(result.items[1].json.error).toBe(
			'Audio URL: "not a url" is not an http(s) URL [item 1]',
		);
		expect(result.items[2].json.id).toBeDefined();
		expect(emulator.get().jobs()).toHaveLength(2);
	});

	it('never puts the API key in an error', async () => {
		const result = await runGladia(
			emulator.get(),
			create({ additionalBody: '{"model": "whisper"}' }),
			{
				continueOnFail: true,
			},
		);
		expect(result.items[0].json.error).toContain('HTTP 400');
		expect(JSON.stringify(result.run)).not.toContain(emulator.get().apiKey);
	});
});
