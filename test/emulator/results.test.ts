import { makeWav } from './index';
import { MAX_WORDS } from './results';
import { transcribe, uploadWav, useEmulator } from './testkit';

const ctx = useEmulator();
const audio_url = 'https://files.example.com/weekly-review.wav?emulator_duration=120';

interface Utterance {
	text: string;
	start: number;
	end: number;
	speaker?: number;
	channel: number;
	language: string;
	confidence: number;
	words: Array<{ word: string; start: number; end: number; confidence: number }>;
}

async function result(extra: Record<string, unknown> = {}, url = audio_url) {
	const job = await transcribe(ctx.api, { audio_url: url, ...extra });
	expect(job.status).toBe('done');
	return job.result;
}

describe('transcription', () => {
	it('is realistic: utterances with word timings and confidences inside the audio, full_transcript, languages', async () => {
		const { transcription, metadata } = await result();
		expect(metadata).toEqual({
			audio_duration: 120,
			number_of_distinct_channels: 1,
			billing_time: 120,
			transcription_time: expect.any(Number),
		});
		const utterances = transcription.utterances as Utterance[];
		expect(utterances.length).toBeGreaterThan(10);
		expect(transcription.full_transcript).toBe(utterances.map((u) => u.text).join(' '));
		expect(transcription.languages).toEqual(['en']);
		let previousEnd = 0;
		for (const u of utterances) {
			expect(u.speaker).toBeUndefined(); // no diarization requested
			expect(u.start).toBeGreaterThanOrEqual(previousEnd);
			expect(u.end).toBeLessThanOrEqual(120);
			expect(u.words.map((w) => w.word.trim()).join(' ')).toBe(u.text);
			for (const w of u.words) {
				expect(w.start).toBeGreaterThanOrEqual(u.start);
				expect(w.end).toBeLessThanOrEqual(u.end);
				expect(w.confidence).toBeGreaterThan(0.8);
				expect(w.confidence).toBeLessThan(1);
			}
			previousEnd = u.end;
		}
		const words = utterances.reduce((n, u) => n + u.words.length, 0);
		expect(words).toBeGreaterThan(250); // ≈ 2.5 words per second
		expect(words).toBeLessThanOrEqual(300);
	});

	it('is deterministic per audio, and differs between files', async () => {
		const a1 = await result({}, 'https://x.example/one.wav?emulator_duration=20');
		const a2 = await result({}, 'https://x.example/one.wav?emulator_duration=20');
		const b = await result({}, 'https://x.example/two.wav?emulator_duration=20');
		expect(a2.transcription).toEqual(a1.transcription);
		expect(b.transcription.full_transcript).not.toBe(a1.transcription.full_transcript);
		const wav = makeWav(5);
		const up1 = await uploadWav(ctx.api, wav, 'same.wav');
		const up2 = await uploadWav(ctx.api, wav, 'same.wav');
		expect((await result({}, up2.audio_url)).transcription).toEqual(
			(await result({}, up1.audio_url)).transcription,
		);
	});

	it.each([20, 120, 469, 7200])(
		'reads like a meeting at %i s: a greeting first, a sign-off last, no line said twice',
		async (seconds) => {
			const { transcription } = await result(
				{ diarization: true },
				`https://x.example/meeting-${seconds}.wav?emulator_duration=${seconds}`,
			);
			const texts = (transcription.utterances as Utterance[]).map((u) => u.text);
			expect(texts[0]).toMatch(/^(Good morning|Hi all|Morning|Hello) everyone|^Hi all/);
			expect(texts.at(-1)).toMatch(/next week\.$/);
			expect(new Set(texts).size).toBe(texts.length);
		},
	);

	it('builds a 2-hour transcript (≈ 18,000 words) quickly, and caps longer ones at 20,000 words', async () => {
		const countWords = (t: { utterances: Utterance[] }) =>
			t.utterances.reduce((n, u) => n + u.words.length, 0);
		const started = Date.now();
		const twoHours = await result(
			{ diarization: true, subtitles: true },
			'https://x.example/long.wav?emulator_duration=7200',
		);
		expect(countWords(twoHours.transcription)).toBe(18000);
		// Not a benchmark: this catches a builder gone quadratic (minutes), while ~0.5 s alone
		// becomes 3+ s on a loaded 2-core CI machine; hence the generous bound.
		expect(Date.now() - started).toBeLessThan(15_000);
		ctx.emu.configure({ maxDurationSeconds: 255 * 60 }); // Enterprise: 4 h 15
		const fourHours = await result({}, 'https://x.example/longer.wav?emulator_duration=14400');
		expect(countWords(fourHours.transcription)).toBe(MAX_WORDS);
		expect(fourHours.transcription.utterances.at(-1).end).toBeGreaterThan(14000);
	}, 45_000);

	it('tags speakers only with diarization, honouring number_of_speakers and max_speakers', async () => {
		const speakersOf = (r: { transcription: { utterances: Utterance[] } }) =>
			new Set(r.transcription.utterances.map((u) => u.speaker));
		expect(speakersOf(await result({ diarization: true }))).toEqual(new Set([0, 1, 2]));
		expect(
			speakersOf(
				await result({ diarization: true, diarization_config: { number_of_speakers: 2 } }),
			),
		).toEqual(new Set([0, 1]));
		expect(
			speakersOf(await result({ diarization: true, diarization_config: { max_speakers: 1 } })),
		).toEqual(new Set([0]));
		expect(
			speakersOf(await result({ diarization: true, diarization_config: { min_speakers: 5 } })).size,
		).toBe(5);
	});

	it('spreads a stereo upload over two channels and bills both', async () => {
		const { audio_url: url } = await uploadWav(ctx.api, makeWav(30, { channels: 2 }), 'stereo.wav');
		const { transcription, metadata } = await result({}, url);
		expect(metadata).toMatchObject({ number_of_distinct_channels: 2, billing_time: 60 });
		expect(new Set((transcription.utterances as Utterance[]).map((u) => u.channel))).toEqual(
			new Set([0, 1]),
		);
	});

	it('follows language_config: one forced language, or switching between several', async () => {
		const french = await result({ language_config: { languages: ['fr'] } });
		expect(french.transcription.languages).toEqual(['fr']);
		expect(french.transcription.full_transcript).toContain('Bonjour');
		const mixed = await result({
			language_config: { languages: ['en', 'fr'], code_switching: true },
		});
		expect(new Set(mixed.transcription.languages)).toEqual(new Set(['en', 'fr']));
		expect(new Set((mixed.transcription.utterances as Utterance[]).map((u) => u.language))).toEqual(
			new Set(['en', 'fr']),
		);
		const noSwitching = await result({ language_config: { languages: ['de', 'en'] } });
		expect(noSwitching.transcription.languages).toEqual(['de']);
	});
});

describe('scripted transcripts', () => {
	it('uses the scripted words, speakers, channels and languages for a matching filename', async () => {
		ctx.emu.script('interview', {
			languages: ['es'],
			utterances: [
				{ text: 'Hola, ¿qué tal?', speaker: 1, channel: 1, start: 0.5, end: 2 },
				{ text: 'Muy bien, gracias.', speaker: 0 },
			],
		});
		const { audio_url: url } = await uploadWav(ctx.api, makeWav(10), 'interview-2026.wav');
		const { transcription } = await result({ diarization: true }, url);
		expect(transcription.full_transcript).toBe('Hola, ¿qué tal? Muy bien, gracias.');
		expect(transcription.languages).toEqual(['es']);
		expect(transcription.utterances[0]).toMatchObject({
			start: 0.5,
			end: 2,
			speaker: 1,
			channel: 1,
			language: 'es',
		});
		expect(transcription.utterances[1]).toMatchObject({ speaker: 0, language: 'es', start: 2 });
		expect(transcription.utterances[1].words.map((w: { word: string }) => w.word)).toEqual([
			'Muy',
			' bien,',
			' gracias.',
		]);
	});

	it('matches a substring of the audio URL, the latest script winning', async () => {
		ctx.emu.script('acme', { utterances: [{ text: 'first script' }] });
		ctx.emu.script('acme', { utterances: [{ text: 'second script' }] });
		expect(
			(await result({}, 'https://cdn.acme.example/call.mp3')).transcription.full_transcript,
		).toBe('second script');
	});

	it('makes the listed add-on blocks fail with an AddonError', async () => {
		ctx.emu.script('flaky', { failAddons: ['translation'] });
		const r = await result(
			{ translation: true, translation_config: { target_languages: ['fr'] }, summarization: true },
			'https://x.example/flaky.wav',
		);
		expect(r.translation).toMatchObject({
			success: false,
			is_empty: true,
			results: null,
			error: { status_code: 500 },
		});
		expect(r.summarization).toMatchObject({ success: true, error: null });
	});
});

describe('add-ons', () => {
	it('translation: one result per target language, a translated copy of the transcription', async () => {
		const r = await result({
			diarization: true,
			translation: true,
			translation_config: { target_languages: ['fr', 'de'] },
		});
		expect(r.translation).toMatchObject({ success: true, is_empty: false, error: null });
		expect(r.translation.results).toHaveLength(2);
		const [fr, de] = r.translation.results;
		expect(fr).toMatchObject({ error: null, languages: ['fr'] });
		expect(de.languages).toEqual(['de']);
		const english = r.transcription.utterances as Utterance[];
		expect(fr.utterances).toHaveLength(english.length);
		// The demo meeting is written in French too; other languages are marked as stand-ins.
		expect(fr.utterances[0].text).toMatch(/^Bonjour/);
		(fr.utterances as Utterance[]).forEach((u, i) => {
			expect(u.text).not.toBe(english[i].text);
			expect(u.speaker).toBe(english[i].speaker);
			expect([u.start, u.end]).toEqual([english[i].start, english[i].end]);
		});
		expect(de.utterances[0].text).toBe(`[de] ${english[0].text}`);
	});

	it.each([
		[
			'general',
			/^Maria Garcia opened the weekly project review .+\. The Acme Corp integration is blocked .+\.$/,
		],
		['bullet_points', /^- Attendees: .+\n- Acme Corp: .+\n- Budget: .+\n- Next review: .+$/],
		['concise', /^Weekly project review: the Acme Corp go-live .+; the pilot has spent .+\.$/],
	])('summarization type %s: summarizes the topics the transcript covers', async (type, shape) => {
		const r = await result({ summarization: true, summarization_config: { type } });
		expect(r.summarization.results).toMatch(shape);
		// 2 minutes reach the budget, not the Paris rollout.
		expect(r.transcription.full_transcript).not.toContain('Paris rollout. Are we');
		expect(r.summarization.results).not.toMatch(/Paris/);
	});

	it('chapterization (legacy option): one chapter per topic, in order, inside the audio', async () => {
		const r = await result({ chapterization: true });
		const chapters = r.chapterization.results as Array<{
			headline: string;
			start: number;
			end: number;
			keywords: string[];
		}>;
		expect(chapters.map((c) => c.headline)).toEqual([
			'Introductions and agenda',
			'Acme Corp integration',
			'Pilot budget',
			'Onboarding numbers',
			'Action items and wrap-up',
		]);
		chapters.forEach((c, i) => {
			expect(c.end).toBeGreaterThan(c.start);
			if (i > 0) expect(c.start).toBeGreaterThanOrEqual(chapters[i - 1].end);
			expect(c.keywords.length).toBeGreaterThan(0);
		});
		expect(chapters.at(-1)!.end).toBeLessThanOrEqual(120);
	});

	it('named entity recognition finds names, emails, phones, money, places, dates', async () => {
		const r = await result({ named_entity_recognition: true });
		const types = new Set(
			r.named_entity_recognition.results.map((e: { entity_type: string }) => e.entity_type),
		);
		expect(types).toEqual(
			new Set([
				'NAME',
				'EMAIL_ADDRESS',
				'PHONE_NUMBER',
				'MONEY',
				'ORGANIZATION',
				'LOCATION_CITY',
				'DATE',
			]),
		);
		expect(r.named_entity_recognition.results).toContainEqual(
			expect.objectContaining({ entity_type: 'EMAIL_ADDRESS', text: 'john.smith@acme-corp.com' }),
		);
	});

	it('sentiment analysis: one entry per utterance, with speaker when diarized', async () => {
		const r = await result({ sentiment_analysis: true, diarization: true });
		const entries = r.sentiment_analysis.results;
		expect(entries).toHaveLength(r.transcription.utterances.length);
		expect(entries.map((e: { sentiment: string }) => e.sentiment)).toEqual(
			expect.arrayContaining(['positive', 'negative', 'neutral']),
		);
		expect(entries[0]).toEqual({
			text: r.transcription.utterances[0].text,
			sentiment: expect.any(String),
			emotion: expect.any(String),
			start: r.transcription.utterances[0].start,
			end: r.transcription.utterances[0].end,
			channel: 0,
			speaker: r.transcription.utterances[0].speaker,
		});
	});

	it('audio_to_llm answers each prompt in order', async () => {
		const r = await result({
			audio_to_llm: true,
			audio_to_llm_config: { prompts: ['Summarize', 'List the action items'] },
		});
		expect(
			r.audio_to_llm.results.map((a: { results: { prompt: string } }) => a.results.prompt),
		).toEqual(['Summarize', 'List the action items']);
		expect(r.audio_to_llm.results[1]).toMatchObject({
			success: true,
			error: null,
			results: { response: expect.stringContaining('List the action items') },
		});
	});

	it('sentences: split per sentence, under transcription and in the deprecated top-level block', async () => {
		const r = await result({ sentences: true });
		const sentences = r.transcription.sentences[0].results as string[];
		expect(sentences.length).toBeGreaterThan(r.transcription.utterances.length);
		expect(
			sentences.every((s) => /[.!?]$/.test(s) || r.transcription.full_transcript.endsWith(s)),
		).toBe(true);
		expect(r.sentences.results).toEqual(sentences);
	});

	it('custom spelling replaces every variant, case-insensitively', async () => {
		const r = await result({
			custom_spelling: true,
			custom_spelling_config: {
				spelling_dictionary: { 'ACME Corporation': ['acme corp'], Q3: ['this quarter'] },
			},
		});
		expect(r.transcription.full_transcript).toContain('ACME Corporation');
		expect(r.transcription.full_transcript).not.toMatch(/acme corp\b/i);
		expect(r.transcription.full_transcript).toContain('Q3');
	});

	it('custom vocabulary corrects near-misses and raises their confidence', async () => {
		const plain = await result();
		expect(plain.transcription.full_transcript).toContain('Gladya');
		const r = await result({
			custom_vocabulary: true,
			custom_vocabulary_config: { vocabulary: [{ value: 'Gladia', intensity: 0.8 }] },
		});
		expect(r.transcription.full_transcript).not.toContain('Gladya');
		const word = (r.transcription.utterances as Utterance[])
			.flatMap((u) => u.words)
			.find((w) => w.word.trim() === 'Gladia');
		expect(word?.confidence).toBe(0.99);
	});

	describe('PII redaction', () => {
		it('MARKER (default) labels each entity with stable numbering', async () => {
			const r = await result({ pii_redaction: true });
			const text = r.transcription.full_transcript as string;
			expect(text).not.toContain('Sarah Johnson');
			expect(text).not.toContain('john.smith@acme-corp.com');
			expect(text).toContain('[NAME_1]');
			expect(text).toContain('[EMAIL_ADDRESS_1]');
			expect(r.pii_redaction).toBeUndefined(); // no result block: redaction is in place
		});

		it('numbers markers per distinct entity, reusing a number for the same entity', async () => {
			ctx.emu.script('pii-script', {
				utterances: [
					{ text: 'Call Sarah Johnson today.' },
					{ text: 'Sarah Johnson and David Chen agree.' },
				],
			});
			const r = await result({ pii_redaction: true }, 'https://x.example/pii-script.wav');
			expect(r.transcription.full_transcript).toBe(
				'Call [NAME_1] today. [NAME_1] and [NAME_2] agree.',
			);
			expect(
				r.transcription.utterances[1].words.map((w: { word: string }) => w.word.trim()),
			).toEqual(['[NAME_1]', 'and', '[NAME_2]', 'agree.']);
		});

		it('MASK replaces the characters with #', async () => {
			const r = await result({
				pii_redaction: true,
				pii_redaction_config: { processed_text_type: 'MASK' },
			});
			expect(r.transcription.full_transcript).toContain(
				`contact is ${'#'.repeat('john.smith@acme-corp.com'.length)}, right?`,
			);
			expect(r.transcription.full_transcript).not.toContain('415-555-0199');
		});

		it('only redacts the requested entity types', async () => {
			const r = await result({
				pii_redaction: true,
				pii_redaction_config: { entity_types: ['EMAIL_ADDRESS'] },
			});
			expect(r.transcription.full_transcript).toContain('Sarah Johnson');
			expect(r.transcription.full_transcript).toContain('[EMAIL_ADDRESS_1]');
			const pci = await result({
				pii_redaction: true,
				pii_redaction_config: { entity_types: 'PCI' },
			});
			expect(pci.transcription.full_transcript).toContain('john.smith@acme-corp.com');
		});

		it('also applies to translations and NER sees only redacted text', async () => {
			const r = await result({
				pii_redaction: true,
				named_entity_recognition: true,
				translation: true,
				translation_config: { target_languages: ['fr'] },
			});
			expect(r.translation.results[0].full_transcript).not.toContain('Sarah Johnson');
			expect(r.named_entity_recognition.results.map((e: { text: string }) => e.text)).not.toContain(
				'Sarah Johnson',
			);
		});
	});
});
