// The output shaper on real Gladia bodies (test/fixtures/real, see its SOURCES.md): every mode
// of jobToItems (Simplify, raw, One per Utterance, subtitles as binary), asserting on values
// that are in the bodies themselves.
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import { jobToItems, type OutputSettings } from '../../../../nodes/Gladia/actions/common';
import {
	lacksTranscription,
	NO_TRANSCRIPTION_WARNING,
	simplifyJob,
} from '../../../../nodes/Gladia/helpers/output';
import type { ListResponse, PreRecordedJob } from '../../../../nodes/Gladia/helpers/types';
import { loadFixture, REAL_FIXTURES } from '../../../fixtures/real';

const SIMPLE: OutputSettings = { simplify: true, outputItems: 'job', subtitlesAsBinary: false };
const RAW: OutputSettings = { ...SIMPLE, simplify: false };
const ROWS: OutputSettings = { ...SIMPLE, outputItems: 'utterance' };
const FILES: OutputSettings = { ...SIMPLE, subtitlesAsBinary: true };

/** Keeps each prepared file's text, so a test can read what a subtitle binary holds. */
const files = {
	helpers: {
		prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) =>
			({ data: data.toString('utf8'), fileName, mimeType }) as IBinaryData,
	},
};

const jaPodcast = () => loadFixture('job-ja-podcast-2025-06') as PreRecordedJob;
const docsJob = () => loadFixture('job-docs-migration-2024-01') as PreRecordedJob;

/** A `result` fixture (a callback payload) as the job Gladia would return around it. */
function jobAround(result: unknown, extra: Partial<PreRecordedJob> = {}): PreRecordedJob {
	return {
		id: 'b8d0e7a2-0000-4000-8000-000000000001',
		request_id: 'G-b8d0e7a2',
		version: 2,
		status: 'done',
		created_at: '2026-01-01T00:00:00.000Z',
		kind: 'pre-recorded',
		result: result as PreRecordedJob['result'],
		...extra,
	};
}

/** An add-on block fixture under its result key, next to the docs job's transcription. */
function withAddon(name: string, flag: string): PreRecordedJob {
	const fixture = REAL_FIXTURES.find((entry) => entry.name === name);
	const job = docsJob();
	const result = { ...job.result, [fixture?.addon as string]: loadFixture(name) };
	return { ...job, request_params: { [flag]: true }, result } as PreRecordedJob;
}

async function itemsOf(job: PreRecordedJob, settings: OutputSettings) {
	return await jobToItems(files, job, 0, settings);
}

describe('every real fixture has shaper tests', () => {
	const covered = [
		'job-ja-podcast-2025-06',
		'result-ta-translation-failed-addon',
		'list-gladia-case-2026',
		'job-docs-migration-2024-01',
		'job-docs-spec-example-queued',
		'addon-docs-chapterization',
		'addon-docs-sentences',
		'addon-docs-sentiment-analysis',
	];
	it('covers each file in test/fixtures/real', () => {
		expect(REAL_FIXTURES.map((fixture) => fixture.name).sort()).toEqual([...covered].sort());
	});
});

describe('job-ja-podcast-2025-06 (real: diarization, subtitles, translation to fr and en)', () => {
	it('Simplify: transcript, speakers, the English translation, billing time', async () => {
		const [item] = await itemsOf(jaPodcast(), SIMPLE);
		expect(item.json).toMatchObject({
			id: '2a1b720f-ff90-448b-826f-1b508d46d7fe',
			status: 'done',
			file_name: 'Japanese_podcast_for_beginners__Nihongo_con_Teppei__932etc....mp3',
			audio_duration: 275.006,
			billing_time: 275.006,
			languages: ['ja'],
			speaker_transcript: 'Speaker 1: 日本語\nSpeaker 1: コン',
			custom_metadata: null,
			errors: {},
		});
		expect(item.json.transcript).toMatch(/^日本語 コン テッペイ。/);
		const translations = item.json.translations as IDataObject;
		expect(Object.keys(translations)).toEqual(['en']);
		expect((translations.en as IDataObject).transcript).toMatch(/^Japanese Kon Teppei\./);
		// The empty translated utterance ("text": "") gives no "Speaker 1:" line of its own.
		expect((translations.en as IDataObject).speaker_transcript).toBe('Speaker 1: Japanese');
	});

	it('Simplify: warns of the requested results the body lacks', async () => {
		// The body asked for srt + vtt subtitles and fr + en translations; its subtitles arrays
		// are empty and only the en translation is there.
		const [item] = await itemsOf(jaPodcast(), SIMPLE);
		expect(item.json.warnings).toEqual([
			'subtitles were requested but Gladia returned no srt, vtt subtitles',
			'translation to fr was requested but Gladia returned none',
		]);
		const asked = jaPodcast();
		(asked.request_params as IDataObject).summarization = true;
		expect(simplifyJob(asked).summary).toBeNull();
		expect(simplifyJob(asked).warnings).toContain(
			'summarization was requested but Gladia returned no summarization result',
		);
	});

	it('raw: the body exactly as Gladia returned it', async () => {
		const [item] = await itemsOf(jaPodcast(), RAW);
		expect(item.json).toEqual(loadFixture('job-ja-podcast-2025-06'));
	});

	it('One per Utterance: a row per utterance, the empty one included', async () => {
		const rows = await itemsOf(jaPodcast(), ROWS);
		expect(rows.map((row) => [row.json.speaker, row.json.start, row.json.text])).toEqual([
			['Speaker 1', 1.916, '日本語'],
			['Speaker 1', 2.797, 'コン'],
		]);
		expect(rows.map((row) => row.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	it('subtitles as binary: the original and each translation, on the first row only', async () => {
		// The collector emptied the subtitles arrays; put back one cue per format, built from
		// the body's own first utterance and its English translation.
		const job = jaPodcast();
		const cue = (text: string) => `1\n00:00:01,916 --> 00:00:02,397\n${text}\n`;
		const vtt = (text: string) => `WEBVTT\n\n00:01.916 --> 00:02.397\n${text}\n`;
		job.result!.transcription!.subtitles = [
			{ format: 'srt', subtitles: cue('日本語') },
			{ format: 'vtt', subtitles: vtt('日本語') },
		];
		const english = job.result!.translation!.results![0];
		english.subtitles = [{ format: 'srt', subtitles: cue('Japanese') }];

		const [item] = await itemsOf(job, FILES);
		const binary = item.binary ?? {};
		expect(Object.keys(binary)).toEqual(['subtitles_srt', 'subtitles_vtt', 'subtitles_en_srt']);
		expect(binary.subtitles_en_srt).toMatchObject({
			data: cue('Japanese'),
			fileName: 'Japanese_podcast_for_beginners__Nihongo_con_Teppei__932etc....en.srt',
			mimeType: 'application/x-subrip',
		});
		expect(binary.subtitles_srt.fileName).toBe(
			'Japanese_podcast_for_beginners__Nihongo_con_Teppei__932etc....srt',
		);
		expect((item.json.translations as IDataObject).en).toMatchObject({
			subtitles: { srt: cue('Japanese') },
		});
		expect(item.json.warnings).toEqual([
			'translation to fr was requested but Gladia returned none',
		]);

		const rows = await itemsOf(job, { ...ROWS, subtitlesAsBinary: true });
		expect(Object.keys(rows[0].binary ?? {})).toEqual(Object.keys(binary));
		expect(rows[1].binary).toBeUndefined();
	});

	it('hides the idempotency key of Create in Simplify, keeps it raw', async () => {
		const job = jaPodcast();
		job.custom_metadata = { crmId: 'lead-7', n8n_idempotency_key: 'k-1' };
		expect((await itemsOf(job, SIMPLE))[0].json.custom_metadata).toEqual({ crmId: 'lead-7' });
		expect((await itemsOf(job, RAW))[0].json.custom_metadata).toEqual({
			crmId: 'lead-7',
			n8n_idempotency_key: 'k-1',
		});
		job.custom_metadata = { n8n_idempotency_key: 'k-1' };
		expect(simplifyJob(job).custom_metadata).toBeNull();
	});
});

describe('result-ta-translation-failed-addon (real: a failed punctuation_enhanced block)', () => {
	const taJob = () => jobAround(loadFixture('result-ta-translation-failed-addon'));

	it('Simplify: names the failed block with Gladia’s message, keeps the rest', async () => {
		const [item] = await itemsOf(taJob(), SIMPLE);
		expect(item.json.errors).toEqual({ punctuation_enhanced: 'Model unavailable (404)' });
		expect(item.json.transcript).toMatch(/^திரை திலவியா திருவிலாவை/);
		expect(item.json.languages).toEqual(['ta']);
		expect(item.json.billing_time).toBe(16.8);
		// No diarization: no speaker labels on a single channel.
		expect(item.json.speaker_transcript).toBe(
			'திரை திலவியா திருவிலாவை முன்னிட்டு வாலபாடி,\nஜல்லிக்கட்டு விலா நென்று நடைபெற்ற வருகிறது.',
		);
		const english = (item.json.translations as IDataObject).en as IDataObject;
		expect(english.transcript).toMatch(/^The Jallikattu event is being conducted in Valapady/);
		expect(item.json.warnings).toEqual([]);
	});

	it('raw, One per Utterance and subtitles as binary', async () => {
		expect((await itemsOf(taJob(), RAW))[0].json.result).toEqual(
			loadFixture('result-ta-translation-failed-addon'),
		);
		const rows = await itemsOf(taJob(), ROWS);
		expect(rows.map((row) => [row.json.speaker, row.json.channel, row.json.confidence])).toEqual([
			[null, 0, 0.85],
			[null, 0, 0.91],
		]);
		expect(rows[1].json.text).toBe('ஜல்லிக்கட்டு விலா நென்று நடைபெற்ற வருகிறது.');
		// The body has no subtitles at all: no binary, and no error for it.
		expect((await itemsOf(taJob(), FILES))[0].binary).toBeUndefined();
	});
});

describe('list-gladia-case-2026 (real: list items carry only metadata)', () => {
	const list = () => loadFixture('list-gladia-case-2026') as ListResponse;

	it('Simplify says why a listed job has no transcript, and keeps its billing time', () => {
		const simple = list().items.map((job) => simplifyJob(job));
		expect(simple.map((job) => [job.id, job.billing_time, job.transcript])).toEqual([
			['87af7340-99d7-403b-8acb-696ed3b91009', 13, ''],
			['729c2416-8fca-4f24-ac23-f43cbf6a5f4e', 5.69, ''],
		]);
		for (const job of simple) {
			expect(job.warnings).toEqual([NO_TRANSCRIPTION_WARNING]);
			expect(job.errors).toEqual({});
		}
		expect(list().items.every(lacksTranscription)).toBe(true);
	});

	it('raw keeps the item; One per Utterance gives one empty row; no files', async () => {
		const [item] = list().items;
		expect((await itemsOf(item, RAW))[0].json).toEqual(list().items[0]);
		const rows = await itemsOf(item, ROWS);
		expect(rows).toHaveLength(1);
		expect(rows[0].json).toMatchObject({ id: item.id, utterance_index: null, text: '' });
		expect((await itemsOf(item, FILES))[0].binary).toBeUndefined();
	});
});

describe('job-docs-migration-2024-01 (docs: no file, no request_params, no confidence)', () => {
	it('Simplify, raw, One per Utterance', async () => {
		const [item] = await itemsOf(docsJob(), SIMPLE);
		expect(item.json).toMatchObject({
			file_name: null,
			audio_duration: 20.555,
			billing_time: 20.555,
			speaker_transcript: 'Speaker 1: Split infinity in a time when less is more,',
			errors: {},
			warnings: [],
		});
		expect(item.json.transcript).toMatch(/the present hasn't been written yet\.$/);
		expect((await itemsOf(docsJob(), RAW))[0].json).toEqual(docsJob());
		const rows = await itemsOf(docsJob(), ROWS);
		expect(rows).toHaveLength(1);
		expect(rows[0].json).toMatchObject({ start: 0.21, end: 4.711, confidence: null });
	});
});

describe('job-docs-spec-example-queued (docs: a queued job)', () => {
	const queued = () => loadFixture('job-docs-spec-example-queued') as PreRecordedJob;

	it('Simplify: empty results, no warnings while it runs', async () => {
		const [item] = await itemsOf(queued(), SIMPLE);
		expect(item.json).toMatchObject({
			status: 'queued',
			file_name: 'split_infinity.wav',
			audio_duration: 20,
			billing_time: null,
			transcript: '',
			custom_metadata: null,
			errors: {},
			warnings: [],
		});
		expect((await itemsOf(queued(), RAW))[0].json).toEqual(queued());
		const rows = await itemsOf(queued(), ROWS);
		expect(rows.map((row) => row.json.utterance_index)).toEqual([null]);
	});
});

describe('add-on blocks from Gladia’s docs', () => {
	it('sentences keep their timing, speaker and channel', async () => {
		const [item] = await itemsOf(withAddon('addon-docs-sentences', 'sentences'), SIMPLE);
		expect(item.json.sentences).toEqual([
			{
				text: 'Amy, it says you are trained in technology.',
				start: 0.468,
				end: 2.455,
				speaker: 'Speaker 1',
				channel: 0,
				language: 'en',
				confidence: 0.95,
			},
		]);
		expect(item.json.warnings).toEqual([]);
	});

	it('chapters as Gladia gives them', async () => {
		const job = withAddon('addon-docs-chapterization', 'chapterization');
		const [item] = await itemsOf(job, SIMPLE);
		const [chapter] = item.json.chapters as IDataObject[];
		expect(chapter.gist).toBe('Embracing Hope: Past, Present, Future Interconnected');
		expect(chapter.keywords).toContain('less is more');
		expect(item.json.warnings).toEqual([]);
	});

	it('sentiment with speakers and emotions', async () => {
		const job = withAddon('addon-docs-sentiment-analysis', 'sentiment_analysis');
		const [item] = await itemsOf(job, SIMPLE);
		expect(item.json.sentiment).toEqual([
			{
				text: 'Jonathan, it says you are trained in technology.',
				sentiment: 'neutral',
				emotion: 'neutral',
				start: 0.452,
				end: 2.364,
				speaker: 'Speaker 1',
			},
			{
				text: "That's very good.",
				sentiment: 'positive',
				emotion: 'positive_surprise',
				start: 2.544,
				end: 3.543,
				speaker: 'Speaker 1',
			},
		]);
		const raw = (await itemsOf(job, RAW))[0].json.result as IDataObject;
		expect(raw.sentiment_analysis).toEqual(loadFixture('addon-docs-sentiment-analysis'));
	});
});
