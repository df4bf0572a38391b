// The AI-tool answer on hand-made simplified jobs: what is kept, what is cut, and where.
import type { IDataObject } from 'n8n-workflow';

import {
	cutPoint,
	isToolNodeType,
	toolAnswer,
	truncate,
	TOOL_SUMMARY_BUDGET,
	TOOL_TRANSCRIPT_BUDGET,
} from '../../../../nodes/Gladia/helpers/toolAnswer';

const ID = '45463597-20b7-4af7-b3b3-f5fb778203ab';
const GET_THE_REST = `call Get with Transcription ID ${ID} and Simplify off for the full transcript`;

function utterance(speaker: string | null, text: string): IDataObject {
	return { speaker, start: 0, end: 1, text, language: 'en', confidence: 0.9, channel: 0 };
}

/** A simplified job (the keys simplifyJob always gives), with `extra` on top. */
function simple(extra: IDataObject = {}): IDataObject {
	return {
		id: ID,
		status: 'done',
		created_at: '2026-01-01T00:00:00.000Z',
		completed_at: '2026-01-01T00:01:00.000Z',
		file_name: 'call.wav',
		audio_duration: 62.5,
		languages: ['en'],
		transcript: 'We ship on Friday. Then QA starts Monday.',
		speaker_transcript: 'Speaker 1: We ship on Friday.\nSpeaker 2: Then QA starts Monday.',
		utterances: [utterance('Speaker 1', 'We ship on Friday.'), utterance('Speaker 2', 'Then QA starts Monday.')],
		sentences: [],
		summary: null,
		translations: {},
		entities: [],
		sentiment: [],
		chapters: [],
		llm_answers: [],
		redacted_transcript: null,
		subtitles: {},
		custom_metadata: null,
		errors: {},
		...extra,
	};
}

/** `count` sentences of about 60 characters each, as "Speaker n: …" lines. */
function longTranscript(count: number): string {
	return Array.from(
		{ length: count },
		(_, i) => `Speaker ${(i % 3) + 1}: Sentence number ${i} of the weekly meeting, about the roadmap.`,
	).join('\n');
}

describe('isToolNodeType', () => {
	it('is true for the tool variant n8n makes of a usableAsTool node, false for the node', () => {
		expect(isToolNodeType('n8n-nodes-gladia.gladiaTool')).toBe(true);
		expect(isToolNodeType('n8n-nodes-gladia.gladia')).toBe(false);
		expect(isToolNodeType('n8n-nodes-gladia.gladiaTrigger')).toBe(false);
	});
});

describe('cutPoint', () => {
	it('keeps a text within the budget whole', () => {
		expect(cutPoint('Short. Text.', 100)).toBe(12);
	});

	it('cuts after the last sentence that fits', () => {
		const text = 'First sentence here. Second one is here. Third sentence is longer than the rest.';
		expect(text.slice(0, cutPoint(text, 50))).toBe('First sentence here. Second one is here.');
	});

	it('cuts at a line end (one utterance per line)', () => {
		const text = 'Speaker 1: no full stop here\nSpeaker 2: nor here and it goes on and on';
		expect(text.slice(0, cutPoint(text, 40))).toBe('Speaker 1: no full stop here\n');
	});

	it('falls back to a word end when no sentence ends in the last half of the budget', () => {
		const text = 'Ok. ' + 'word '.repeat(40);
		const cut = cutPoint(text, 50);
		expect(cut).toBeLessThanOrEqual(50);
		expect(cut).toBeGreaterThanOrEqual(25);
		expect(text[cut]).toBe(' ');
	});

	it('cuts hard inside one endless word', () => {
		expect(cutPoint('x'.repeat(500), 100)).toBe(100);
	});
});

describe('truncate', () => {
	it('appends how many characters were left out and how to get them', () => {
		const text = 'One sentence. ' + 'More words follow here. '.repeat(100);
		const out = truncate(text, 100, 'ask again');
		const kept = out.slice(0, out.indexOf(' [… '));
		expect(kept.length).toBeLessThanOrEqual(100);
		expect(kept.endsWith('.')).toBe(true);
		expect(out).toBe(`${kept} [… ${(text.length - kept.length).toLocaleString('en-US')} more characters; ask again]`);
	});

	it('leaves a text within the budget as it is', () => {
		expect(truncate('Short.', 100, 'ask again')).toBe('Short.');
	});
});

describe('toolAnswer', () => {
	it('keeps id, status, duration, languages, speakers and the speaker transcript; drops empty keys', () => {
		expect(toolAnswer(simple())).toEqual({
			id: ID,
			status: 'done',
			audio_duration_seconds: 62.5,
			languages: ['en'],
			speakers: 2,
			transcript: 'Speaker 1: We ship on Friday.\nSpeaker 2: Then QA starts Monday.',
			transcript_characters: 63,
		});
	});

	it('never carries utterances, words, sentences, subtitles or metadata', () => {
		const answer = toolAnswer(
			simple({ subtitles: { srt: '1\n00:00:00,000 --> ...' }, sentences: ['a'], custom_metadata: { k: 'v' } }),
		);
		for (const key of ['utterances', 'sentences', 'subtitles', 'custom_metadata', 'speaker_transcript', 'entities'])
			expect(answer).not.toHaveProperty(key);
	});

	it('bounds a long transcript at a line end, with the note on how to get the rest', () => {
		const transcript = longTranscript(2000);
		const answer = toolAnswer(simple({ speaker_transcript: transcript, transcript: 'ignored' }));
		const text = String(answer.transcript);
		const note = text.slice(text.indexOf(' [… '));
		const kept = text.slice(0, text.length - note.length);
		expect(kept.length).toBeLessThanOrEqual(TOOL_TRANSCRIPT_BUDGET);
		expect(kept.length).toBeGreaterThan(TOOL_TRANSCRIPT_BUDGET - 100);
		expect(transcript.startsWith(kept)).toBe(true);
		expect(kept.endsWith('roadmap.')).toBe(true);
		const left = (transcript.length - kept.length).toLocaleString('en-US');
		expect(note).toBe(` [… ${left} more characters; ${GET_THE_REST}]`);
		expect(answer.transcript_characters).toBe(transcript.length);
		expect(JSON.stringify(answer).length).toBeLessThan(TOOL_TRANSCRIPT_BUDGET + 600);
	});

	it('takes a smaller budget when given one', () => {
		const answer = toolAnswer(simple({ speaker_transcript: longTranscript(100) }), 500);
		expect(String(answer.transcript).indexOf(' [… ')).toBeLessThanOrEqual(500);
	});

	it('uses the plain transcript without diarization', () => {
		const answer = toolAnswer(
			simple({
				speaker_transcript: 'We ship on Friday. Then QA starts Monday.',
				utterances: [utterance(null, 'We ship on Friday. Then QA starts Monday.')],
			}),
		);
		expect(answer.transcript).toBe('We ship on Friday. Then QA starts Monday.');
		expect(answer).not.toHaveProperty('speakers');
	});

	it('keeps the summary (bounded too), translation languages and add-on errors', () => {
		const summary = 'The team agreed to ship on Friday. '.repeat(100);
		const answer = toolAnswer(
			simple({
				summary,
				translations: { fr: { transcript: 'Nous livrons vendredi.' }, de: { transcript: '…' } },
				errors: { sentiment_analysis: 'Model unavailable (500)' },
			}),
		);
		expect(String(answer.summary).indexOf(' [… ')).toBeLessThanOrEqual(TOOL_SUMMARY_BUDGET);
		expect(String(answer.summary)).toMatch(/more characters; call Get with Transcription ID .+ for the full summary\]$/);
		expect(answer.translation_languages).toEqual(['fr', 'de']);
		expect(answer.errors).toEqual({ sentiment_analysis: 'Model unavailable (500)' });
	});

	it('says a queued or processing job is not done yet, with the id to ask again', () => {
		const answer = toolAnswer(simple({ status: 'processing', transcript: '', speaker_transcript: '', utterances: [] }));
		expect(answer).toEqual({
			id: ID,
			status: 'processing',
			audio_duration_seconds: 62.5,
			languages: ['en'],
			note: `Gladia is still transcribing: call Get with Transcription ID ${ID} later`,
		});
	});

	it('keeps the error code of a failed job', () => {
		const answer = toolAnswer(simple({ status: 'error', error_code: 422, transcript: '', speaker_transcript: '' }));
		expect(answer).toMatchObject({ status: 'error', error_code: 422 });
	});
});
