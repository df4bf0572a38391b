// The output shaper on hand-made jobs: complete, partial, failed blocks, odd shapes.
import type { IBinaryData } from 'n8n-workflow';

import {
	simplifyJob,
	subtitleBinaries,
	utteranceRows,
} from '../../../../nodes/Gladia/helpers/output';
import type { PreRecordedJob } from '../../../../nodes/Gladia/helpers/types';

const block = <R>(results: R) => ({
	success: true,
	is_empty: false,
	exec_time: 0.5,
	error: null,
	results,
});
const failed = (message: string) => ({
	success: false,
	is_empty: true,
	exec_time: 0.1,
	error: { status_code: 500, exception: 'Boom', message },
	results: null,
});
const words = [{ word: 'x', start: 0, end: 1, confidence: 1 }];

function job(
	// Loosely typed on purpose: the tests feed shapes the spec and the docs disagree on.
	result: Record<string, unknown> | null,
	extra: Partial<PreRecordedJob> = {},
): PreRecordedJob {
	return {
		id: 'job-1',
		request_id: 'G-job1',
		version: 2,
		status: 'done',
		created_at: '2026-01-01T00:00:00.000Z',
		completed_at: '2026-01-01T00:00:10.000Z',
		kind: 'pre-recorded',
		custom_metadata: { customerId: 'c-1' },
		file: {
			id: 'f',
			filename: 'call.wav',
			source: null,
			audio_duration: 12.3456,
			number_of_channels: 1,
		},
		request_params: { audio_url: 'https://x/call.wav', pii_redaction: false },
		result:
			result === null
				? null
				: ({
						metadata: {
							audio_duration: 12.3456,
							number_of_distinct_channels: 1,
							billing_time: 12,
							transcription_time: 1,
						},
						...result,
					} as PreRecordedJob['result']),
		...extra,
	};
}

const transcription = {
	full_transcript: 'Hello there. General Kenobi.',
	languages: ['en'],
	utterances: [
		{
			start: 0.1234,
			end: 1.5,
			confidence: 0.91,
			channel: 0,
			speaker: 0,
			words,
			text: ' Hello there. ',
			language: 'en',
		},
		{
			start: 1.6,
			end: 3,
			confidence: 0.88,
			channel: 0,
			speaker: 1,
			words,
			text: 'General Kenobi.',
			language: 'en',
		},
	],
	subtitles: [
		{ format: 'srt' as const, subtitles: '1\n00:00:00,123 --> 00:00:01,500\nHello there.\n' },
		{ format: 'vtt' as const, subtitles: 'WEBVTT\n\n00:00.123 --> 00:01.500\nHello there.\n' },
	],
};

// What a sentence given as a bare string (the spec's form) carries besides its text.
const untimed = {
	start: null,
	end: null,
	speaker: null,
	channel: null,
	language: null,
	confidence: null,
};

describe('simplifyJob', () => {
	it('flattens a complete job', () => {
		const simple = simplifyJob(
			job({
				transcription,
				summarization: block('Two people greet each other.'),
				translation: block([
					{
						error: null,
						full_transcript: 'Bonjour. Général Kenobi.',
						languages: ['fr'],
						utterances: [{ ...transcription.utterances[0], text: 'Bonjour.' }],
					},
				]),
				named_entity_recognition: block([
					{ entity_type: 'NAME', text: 'Kenobi', start: 1.6, end: 3 },
				]),
				sentiment_analysis: block([
					{
						text: 'Hello there.',
						sentiment: 'positive',
						emotion: 'neutral',
						start: 0,
						end: 1,
						channel: 0,
						speaker: 0,
					},
				]),
				sentences: block(['Hello there.', 'General Kenobi.']),
				chapterization: block([
					{ headline: 'Greetings', summary: 's', gist: 'g', keywords: [], start: 0, end: 3 },
				]),
				audio_to_llm: block([
					block({ prompt: 'Who?', response: 'Two people.' }),
					failed('LLM timeout'),
				]),
			}),
		);
		expect(simple).toEqual({
			id: 'job-1',
			status: 'done',
			created_at: '2026-01-01T00:00:00.000Z',
			completed_at: '2026-01-01T00:00:10.000Z',
			file_name: 'call.wav',
			audio_duration: 12.346,
			billing_time: 12,
			languages: ['en'],
			transcript: 'Hello there. General Kenobi.',
			speaker_transcript: 'Speaker 1: Hello there.\nSpeaker 2: General Kenobi.',
			utterances: [
				{
					speaker: 'Speaker 1',
					start: 0.123,
					end: 1.5,
					text: 'Hello there.',
					language: 'en',
					confidence: 0.91,
					channel: 0,
				},
				{
					speaker: 'Speaker 2',
					start: 1.6,
					end: 3,
					text: 'General Kenobi.',
					language: 'en',
					confidence: 0.88,
					channel: 0,
				},
			],
			sentences: [
				{ text: 'Hello there.', ...untimed },
				{ text: 'General Kenobi.', ...untimed },
			],
			summary: 'Two people greet each other.',
			translations: {
				fr: {
					transcript: 'Bonjour. Général Kenobi.',
					speaker_transcript: 'Speaker 1: Bonjour.',
					subtitles: {},
				},
			},
			entities: [{ type: 'NAME', text: 'Kenobi', start: 1.6, end: 3 }],
			sentiment: [
				{
					text: 'Hello there.',
					sentiment: 'positive',
					emotion: 'neutral',
					start: 0,
					end: 1,
					speaker: 'Speaker 1',
				},
			],
			chapters: [
				{ headline: 'Greetings', summary: 's', gist: 'g', keywords: [], start: 0, end: 3 },
			],
			llm_answers: [
				{ prompt: 'Who?', answer: 'Two people.' },
				{ prompt: null, answer: null, error: 'LLM timeout (500)' },
			],
			redacted_transcript: null,
			subtitles: {
				srt: transcription.subtitles[0].subtitles,
				vtt: transcription.subtitles[1].subtitles,
			},
			custom_metadata: { customerId: 'c-1' },
			errors: { 'audio_to_llm.2': 'LLM timeout (500)' },
			warnings: [],
		});
	});

	it('shows failed blocks as empty, with their error, and never throws', () => {
		const simple = simplifyJob(
			job({
				transcription,
				summarization: failed('Summary model unavailable'),
				translation: block([
					{
						error: { status_code: 500, exception: 'x', message: 'de failed' },
						full_transcript: '',
						languages: ['de'],
						utterances: [],
					},
				]),
				named_entity_recognition: {
					success: true,
					is_empty: true,
					exec_time: 0,
					error: null,
					results: null,
				},
				sentiment_analysis: failed('Sentiment down'),
				sentences: failed('Sentences down'),
			}),
		);
		expect(simple.summary).toBeNull();
		expect(simple.sentences).toEqual([]);
		expect(simple.translations).toEqual({});
		expect(simple.entities).toEqual([]);
		expect(simple.sentiment).toEqual([]);
		expect(simple.errors).toEqual({
			summarization: 'Summary model unavailable (500)',
			'translation.de': 'de failed',
			sentiment_analysis: 'Sentiment down (500)',
			sentences: 'Sentences down (500)',
		});
	});

	it('names failed blocks of any name, and sentences failed inside the transcription', () => {
		const simple = simplifyJob(
			job({
				transcription: { ...transcription, sentences: [failed('Sentences timed out')] },
				diarization: failed('Diarization crashed'),
				moderation: failed('Moderation off'),
				display_mode: { ...failed('x'), error: null },
			}),
		);
		expect(simple.errors).toEqual({
			diarization: 'Diarization crashed (500)',
			moderation: 'Moderation off (500)',
			display_mode: 'failed without details',
			sentences: 'Sentences timed out (500)',
		});
	});

	it('warns of each requested add-on a finished job lacks, not of the ones it has', () => {
		const requested = {
			audio_url: 'x',
			summarization: true,
			chapterization: true,
			named_entity_recognition: true,
			audio_to_llm: true,
			sentiment_analysis: true,
			sentences: true,
			diarization: true,
			subtitles: true,
			subtitles_config: { formats: ['srt', 'vtt'] },
		};
		const withoutSpeakers = transcription.utterances.map((u) => ({ ...u, speaker: undefined }));
		const simple = simplifyJob(
			job(
				{
					transcription: {
						...transcription,
						utterances: withoutSpeakers,
						subtitles: [transcription.subtitles[0]],
					},
					chapterization: block([]),
					sentiment_analysis: failed('down'),
				},
				{ request_params: requested },
			),
		);
		expect(simple.warnings).toEqual([
			'summarization was requested but Gladia returned no summarization result',
			'named_entity_recognition was requested but Gladia returned no named_entity_recognition result',
			'audio_to_llm was requested but Gladia returned no audio_to_llm result',
			'sentences was requested but Gladia returned no sentences result',
			'subtitles were requested but Gladia returned no vtt subtitles',
			'diarization was requested but no utterance has a speaker',
		]);
		expect(simple.errors).toEqual({ sentiment_analysis: 'down (500)' });
		const running = job(null, { status: 'processing', request_params: requested });
		expect(simplifyJob(running).warnings).toEqual([]);
	});

	it('reads the spec’s string form of sentiment results', () => {
		const rows = [
			{ text: 'ok', sentiment: 'neutral', emotion: 'neutral', start: 0, end: 1, channel: 0 },
		];
		const simple = simplifyJob(
			job({ transcription, sentiment_analysis: block(JSON.stringify(rows)) }),
		);
		expect(simple.sentiment).toEqual([
			{ text: 'ok', sentiment: 'neutral', emotion: 'neutral', start: 0, end: 1, speaker: null },
		]);
	});

	it('handles a queued job and a failed job without result', () => {
		expect(simplifyJob(job(null, { status: 'queued', completed_at: null }))).toMatchObject({
			status: 'queued',
			transcript: '',
			speaker_transcript: '',
			utterances: [],
			summary: null,
			audio_duration: 12.346,
		});
		expect(
			simplifyJob(
				job(null, { status: 'error', error_code: 422, file: null, request_params: null }),
			),
		).toMatchObject({
			status: 'error',
			error_code: 422,
			file_name: null,
			audio_duration: null,
		});
	});

	it('labels channels when there is no diarization but several channels', () => {
		const stereo = job({
			metadata: {
				audio_duration: 2,
				number_of_distinct_channels: 2,
				billing_time: 4,
				transcription_time: 1,
			},
			transcription: {
				full_transcript: 'Hi. Hello.',
				languages: ['en'],
				utterances: [
					{ start: 0, end: 1, confidence: 1, channel: 0, words, text: 'Hi.', language: 'en' },
					{ start: 1, end: 2, confidence: 1, channel: 1, words, text: 'Hello.', language: 'en' },
				],
			},
		});
		expect(simplifyJob(stereo).speaker_transcript).toBe('Channel 1: Hi.\nChannel 2: Hello.');
		const withoutSpeakers = transcription.utterances.map((utterance) => ({
			...utterance,
			speaker: undefined,
		}));
		const mono = job({ transcription: { ...transcription, utterances: withoutSpeakers } });
		expect(simplifyJob(mono).speaker_transcript).toBe('Hello there.\nGeneral Kenobi.');
	});

	it('gives the redacted transcript when PII redaction was on (Gladia redacts in place)', () => {
		const redacted = job(
			{ transcription: { ...transcription, full_transcript: 'Hello [NAME_1].' } },
			{ request_params: { audio_url: 'x', pii_redaction: true } },
		);
		expect(simplifyJob(redacted).redacted_transcript).toBe('Hello [NAME_1].');
	});
});

describe('utteranceRows', () => {
	it('gives one flat row per utterance', () => {
		const rows = utteranceRows(job({ transcription }));
		expect(rows).toEqual([
			{
				id: 'job-1',
				status: 'done',
				file_name: 'call.wav',
				utterance_index: 0,
				speaker: 'Speaker 1',
				start: 0.123,
				end: 1.5,
				text: 'Hello there.',
				language: 'en',
				confidence: 0.91,
				channel: 0,
			},
			{
				id: 'job-1',
				status: 'done',
				file_name: 'call.wav',
				utterance_index: 1,
				speaker: 'Speaker 2',
				start: 1.6,
				end: 3,
				text: 'General Kenobi.',
				language: 'en',
				confidence: 0.88,
				channel: 0,
			},
		]);
		for (const row of rows)
			expect(Object.values(row).every((value) => value === null || typeof value !== 'object')).toBe(
				true,
			);
	});

	it('keeps one row for a job without utterances', () => {
		expect(utteranceRows(job({ transcription: { ...transcription, utterances: [] } }))).toEqual([
			{
				id: 'job-1',
				status: 'done',
				file_name: 'call.wav',
				utterance_index: null,
				speaker: null,
				start: null,
				end: null,
				text: '',
				language: null,
				confidence: null,
				channel: null,
			},
		]);
	});
});

describe('subtitleBinaries', () => {
	it('prepares one file per format, named after the audio', async () => {
		const prepared: Array<[string, string | undefined, string | undefined]> = [];
		const ctx = {
			helpers: {
				prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => {
					prepared.push([data.toString('utf8'), fileName, mimeType]);
					return { data: data.toString('base64'), fileName, mimeType } as IBinaryData;
				},
			},
		};
		const binaries = await subtitleBinaries(ctx, job({ transcription }));
		expect(Object.keys(binaries)).toEqual(['subtitles_srt', 'subtitles_vtt']);
		expect(prepared).toEqual([
			[transcription.subtitles[0].subtitles, 'call.srt', 'application/x-subrip'],
			[transcription.subtitles[1].subtitles, 'call.vtt', 'text/vtt'],
		]);
		expect(await subtitleBinaries(ctx, job(null))).toEqual({});

		// Translations: a file per language and format; an entry without a language has no name.
		const srt = (text: string) => `1\n00:00:00,000 --> 00:00:01,000\n${text}\n`;
		const translated = (languages: string[], text: string) => ({
			error: null,
			full_transcript: text,
			languages,
			utterances: [],
			subtitles: [{ format: 'srt', subtitles: srt(text) }],
		});
		prepared.length = 0;
		const withTranslations = job({
			transcription,
			translation: block([translated(['fr'], 'Bonjour.'), translated([], 'Hallo.')]),
		});
		expect(Object.keys(await subtitleBinaries(ctx, withTranslations))).toEqual([
			'subtitles_srt',
			'subtitles_vtt',
			'subtitles_fr_srt',
		]);
		expect(prepared[2]).toEqual([srt('Bonjour.'), 'call.fr.srt', 'application/x-subrip']);
	});
});
