// The response check every emulator test relies on must be able to fail.
import { matchPathTemplate, OVERLAYS, validateComponent, validateResponse } from './contract';

const job = {
	id: '45463597-20b7-4af7-b3b3-f5fb778203ab',
	request_id: 'G-45463597',
	version: 2,
	status: 'done',
	created_at: '2024-01-01T00:00:00.000Z',
	completed_at: '2024-01-01T00:00:20.000Z',
	custom_metadata: null,
	error_code: null,
	kind: 'pre-recorded',
	file: { id: 'f', filename: 'a.wav', source: null, audio_duration: 20, number_of_channels: 1 },
	request_params: { audio_url: 'https://x.example/a.wav' },
	result: {
		metadata: {
			audio_duration: 20,
			number_of_distinct_channels: 1,
			billing_time: 20,
			transcription_time: 1,
		},
		transcription: { full_transcript: 'Hi.', languages: ['en'], utterances: [] },
	},
};
const json = 'application/json; charset=utf-8';

describe('validateResponse', () => {
	it('accepts a well-formed job on the current and the legacy path', () => {
		expect(validateResponse('GET', '/v2/pre-recorded/x', 200, json, job)).toEqual({
			valid: true,
			errors: [],
		});
		expect(validateResponse('GET', '/v2/transcription/x/', 200, json, job).valid).toBe(true);
	});

	it.each([
		['a missing required key', { ...job, request_id: undefined }, 'Field "request_id" is required'],
		['an unknown status', { ...job, status: 'finished' }, 'Field "status" must be one of'],
		['error_code out of range', { ...job, error_code: 200 }, 'Field "error_code" must be >= 400'],
		[
			'a result without metadata',
			{ ...job, result: { transcription: job.result.transcription } },
			'Field "result.metadata" is required',
		],
		[
			'a word without timing',
			{
				...job,
				result: {
					...job.result,
					transcription: {
						...job.result.transcription,
						utterances: [
							{
								start: 0,
								end: 1,
								confidence: 1,
								channel: 0,
								text: 'x',
								language: 'en',
								words: [{ word: 'x' }],
							},
						],
					},
				},
			},
			'Field "result.transcription.utterances[0].words[0].start" is required',
		],
		['a file missing keys', { ...job, file: { id: 'f' } }, 'Field "file.filename" is required'],
	])('rejects %s', (_, body, message) => {
		const check = validateResponse('GET', '/v2/pre-recorded/x', 200, json, body);
		expect(check.valid).toBe(false);
		expect(check.errors.join('\n')).toContain(message);
	});

	it('rejects the wrong content type, a body on 202 and undeclared success statuses', () => {
		expect(validateResponse('GET', '/v2/pre-recorded/x', 200, 'text/plain', 'x').valid).toBe(false);
		expect(validateResponse('DELETE', '/v2/pre-recorded/x', 202, json, { ok: true }).valid).toBe(
			false,
		);
		expect(validateResponse('GET', '/v2/pre-recorded/x', 204, undefined, undefined).valid).toBe(
			false,
		);
	});

	it('holds undeclared errors to the common Gladia error body; only a 502 may be HTML', () => {
		expect(
			validateResponse('POST', '/v2/pre-recorded', 429, json, { message: 'slow down' }).valid,
		).toBe(false);
		expect(validateResponse('POST', '/v2/pre-recorded', 500, 'text/html', '<html>').valid).toBe(
			false,
		);
		expect(validateResponse('POST', '/v2/upload', 502, 'text/html', '<html>').valid).toBe(true);
		expect(
			validateResponse('POST', '/v2/upload', 413, json, {
				timestamp: 't',
				path: '/v2/upload',
				request_id: 'G-1',
				statusCode: 413,
				message: 'payload too large',
			}).valid,
		).toBe(true);
	});

	it('checks list pages, including the nullable next link', () => {
		const page = {
			first: 'http://h/v2/pre-recorded?offset=0&limit=1',
			current: 'http://h/v2/pre-recorded?offset=0&limit=1',
			next: null,
			items: [job],
		};
		expect(validateResponse('GET', '/v2/pre-recorded', 200, json, page).valid).toBe(true);
		expect(
			validateResponse('GET', '/v2/pre-recorded', 200, json, { ...page, next: undefined }).valid,
		).toBe(false);
		expect(
			validateResponse('GET', '/v2/transcription', 200, json, {
				...page,
				items: [{ ...job, kind: 'video' }],
			}).valid,
		).toBe(false);
	});
});

describe('overlays', () => {
	it('are documented and narrow: sentiment results must still be a string or an array of sentiment objects', () => {
		expect(OVERLAYS.join('\n')).toMatch(
			/entity_types[\s\S]*prompts[\s\S]*SentimentAnalysisDTO[\s\S]*custom_metadata[\s\S]*date[\s\S]*solaria-fusion/,
		);
		const block = (results: unknown) => ({
			success: true,
			is_empty: false,
			exec_time: 1,
			error: null,
			results,
		});
		expect(validateComponent('SentimentAnalysisDTO', block('[]')).valid).toBe(true);
		expect(
			validateComponent(
				'SentimentAnalysisDTO',
				block([
					{
						text: 'x',
						sentiment: 'positive',
						emotion: 'joy',
						start: 0,
						end: 1,
						channel: 0,
						speaker: 1,
					},
				]),
			).valid,
		).toBe(true);
		expect(validateComponent('SentimentAnalysisDTO', block([{ text: 'x' }])).valid).toBe(false);
		expect(
			validateComponent('PiiRedactionConfigDTO', { entity_types: ['GDPR', 'NOPE'] }).valid,
		).toBe(false);
	});
});

describe('matchPathTemplate', () => {
	it('maps concrete paths (with or without a trailing slash) to OpenAPI templates', () => {
		expect(matchPathTemplate('/v2/pre-recorded/abc/file/')).toBe('/v2/pre-recorded/{id}/file');
		expect(matchPathTemplate('/v2/upload')).toBe('/v2/upload');
		expect(matchPathTemplate('/v3/nothing')).toBeUndefined();
	});
});
