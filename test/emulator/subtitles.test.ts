import { timestamp } from './subtitles';
import { transcribe, useEmulator } from './testkit';

const ctx = useEmulator();

interface Cue {
	start: number;
	end: number;
	rows: string[];
}

function parseCues(text: string, format: 'srt' | 'vtt'): Cue[] {
	const toSeconds = (t: string) => {
		const [h, m, rest] = t.split(':');
		return Number(h) * 3600 + Number(m) * 60 + Number(rest.replace(',', '.'));
	};
	const blocks = text.trim().split(/\n\n+/);
	if (format === 'vtt') expect(blocks.shift()).toBe('WEBVTT');
	return blocks.map((block, i) => {
		const lines = block.split('\n');
		if (format === 'srt') expect(lines.shift()).toBe(String(i + 1));
		const match = /^(\d\d:\d\d:\d\d[,.]\d{3}) --> (\d\d:\d\d:\d\d[,.]\d{3})$/.exec(lines.shift()!);
		expect(match).not.toBeNull();
		return { start: toSeconds(match![1]), end: toSeconds(match![2]), rows: lines };
	});
}

async function subtitles(
	config: Record<string, unknown>,
	url = 'https://x.example/talk.wav?emulator_duration=90',
) {
	const job = await transcribe(ctx.api, {
		audio_url: url,
		subtitles: true,
		subtitles_config: config,
	});
	return {
		job,
		files: job.result.transcription.subtitles as Array<{
			format: 'srt' | 'vtt';
			subtitles: string;
		}>,
	};
}

describe('subtitles built from the utterances', () => {
	it('formats exact SRT and VTT for a scripted transcript', async () => {
		ctx.emu.script('exact', {
			utterances: [
				{ text: 'Hello there.', start: 0, end: 1.5 },
				{ text: 'General Kenobi!', start: 2, end: 3.25 },
			],
		});
		const { files } = await subtitles(
			{ formats: ['srt', 'vtt'] },
			'https://x.example/exact.wav?emulator_duration=4',
		);
		expect(files.map((f) => f.format)).toEqual(['srt', 'vtt']);
		const srt = files[0].subtitles;
		expect(srt).toMatch(
			/^1\n00:00:00,000 --> 00:00:01,\d{3}\nHello there\.\n\n2\n00:00:02,000 --> 00:00:03,\d{3}\nGeneral Kenobi!\n$/,
		);
		expect(files[1].subtitles).toMatch(
			/^WEBVTT\n\n00:00:00\.000 --> 00:00:01\.\d{3}\nHello there\.\n\n00:00:02\.000 --> 00:00:03\.\d{3}\nGeneral Kenobi!\n$/,
		);
	});

	it('defaults to SRT only', async () => {
		const { files } = await subtitles({});
		expect(files.map((f) => f.format)).toEqual(['srt']);
	});

	it.each([
		[{ maximum_characters_per_row: 20, maximum_rows_per_caption: 1 }],
		[{ maximum_characters_per_row: 30, maximum_rows_per_caption: 3, maximum_duration: 2 }],
		[{ maximum_duration: 1, minimum_duration: 0.8 }],
		[{ style: 'compliance' }],
	])('honours %j', async (config) => {
		const { job, files } = await subtitles({ formats: ['srt', 'vtt'], ...config });
		const srt = parseCues(files[0].subtitles, 'srt');
		const vtt = parseCues(files[1].subtitles, 'vtt');
		expect(vtt).toEqual(srt);
		const compliance = (config as Record<string, string>).style === 'compliance';
		const maxChars =
			(config as Record<string, number>).maximum_characters_per_row ?? (compliance ? 37 : 42);
		const maxRows = (config as Record<string, number>).maximum_rows_per_caption ?? 2;
		const maxDuration = (config as Record<string, number>).maximum_duration;
		const minDuration = (config as Record<string, number>).minimum_duration;
		for (const [i, cue] of srt.entries()) {
			expect(cue.rows.length).toBeLessThanOrEqual(maxRows);
			for (const row of cue.rows)
				expect(row.length).toBeLessThanOrEqual(
					Math.max(maxChars, ...row.split(' ').map((w) => w.length)),
				);
			expect(cue.end).toBeGreaterThan(cue.start);
			if (i > 0) expect(cue.start).toBeGreaterThanOrEqual(srt[i - 1].end);
			if (maxDuration)
				expect(cue.end - cue.start).toBeLessThanOrEqual(
					Math.max(maxDuration, minDuration ?? 0) + 0.002,
				);
			if (minDuration && srt[i + 1] && srt[i + 1].start - cue.start >= minDuration) {
				expect(cue.end - cue.start).toBeGreaterThanOrEqual(minDuration - 0.002);
			}
		}
		// Every word of the transcript appears in the subtitles, in order.
		const words = srt.flatMap((c) => c.rows.join(' ').split(' '));
		expect(words.join(' ')).toBe(
			(job.result.transcription.full_transcript as string).split(/\s+/).join(' '),
		);
	});

	it('never merges two utterances (speakers) into one caption', async () => {
		ctx.emu.script('turns', {
			utterances: [
				{ text: 'Yes.', speaker: 0 },
				{ text: 'No.', speaker: 1 },
			],
		});
		const { files } = await subtitles(
			{ maximum_characters_per_row: 40 },
			'https://x.example/turns.wav?emulator_duration=4',
		);
		expect(parseCues(files[0].subtitles, 'srt').map((c) => c.rows)).toEqual([['Yes.'], ['No.']]);
	});

	it('translations carry their own subtitles', async () => {
		const job = await transcribe(ctx.api, {
			audio_url: 'https://x.example/a.wav?emulator_duration=20',
			subtitles: true,
			translation: true,
			translation_config: { target_languages: ['es'] },
		});
		expect(job.result.translation.results[0].subtitles[0].subtitles).toContain('[es] ');
	});
});

describe('timestamp', () => {
	it('formats hours, minutes, seconds and milliseconds', () => {
		expect(timestamp(3723.4567, ',')).toBe('01:02:03,457');
		expect(timestamp(0, '.')).toBe('00:00:00.000');
	});
});
