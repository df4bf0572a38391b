// SRT and WebVTT built from word timings, honouring subtitles_config. Captions never span two
// utterances (a speaker change always starts a new caption).
import type { Utterance } from './results';

export interface Caption {
	start: number;
	end: number;
	rows: string[];
}

interface SubtitleRules {
	minDuration: number;
	maxDuration: number;
	maxChars: number;
	maxRows: number;
}

/** Defaults per style (Gladia does not publish them; broadcast-style "compliance" is stricter). */
function rulesFor(config: Record<string, unknown>): SubtitleRules {
	const compliance = config.style === 'compliance';
	return {
		minDuration:
			typeof config.minimum_duration === 'number' ? config.minimum_duration : compliance ? 1 : 0,
		maxDuration:
			typeof config.maximum_duration === 'number' ? config.maximum_duration : compliance ? 6 : 7,
		maxChars:
			typeof config.maximum_characters_per_row === 'number'
				? config.maximum_characters_per_row
				: compliance
					? 37
					: 42,
		maxRows:
			typeof config.maximum_rows_per_caption === 'number' ? config.maximum_rows_per_caption : 2,
	};
}

export function captionsFor(utterances: Utterance[], config: Record<string, unknown>): Caption[] {
	const rules = rulesFor(config);
	const captions: Caption[] = [];
	for (const utterance of utterances) {
		let current: Caption | undefined;
		for (const word of utterance.words ?? []) {
			const text = word.word.trim();
			if (!text) continue;
			if (current) {
				const row = current.rows[current.rows.length - 1];
				const fitsRow = row.length + 1 + text.length <= rules.maxChars;
				const fitsTime = word.end - current.start <= rules.maxDuration;
				if (fitsTime && fitsRow) {
					current.rows[current.rows.length - 1] = `${row} ${text}`;
					current.end = word.end;
					continue;
				}
				if (fitsTime && current.rows.length < rules.maxRows) {
					current.rows.push(text);
					current.end = word.end;
					continue;
				}
				captions.push(current);
			}
			current = { start: word.start, end: word.end, rows: [text] };
		}
		if (current) captions.push(current);
	}
	// A single long word can outlast maximum_duration: cut the caption there. Then stretch short
	// captions to the minimum duration without overlapping the next one.
	captions.forEach((caption, i) => {
		const next = captions[i + 1];
		caption.end = Math.min(caption.end, caption.start + rules.maxDuration);
		const wanted = Math.max(caption.end, caption.start + rules.minDuration);
		caption.end = next ? Math.min(wanted, Math.max(caption.end, next.start)) : wanted;
		if (caption.end <= caption.start) caption.end = caption.start + 0.001;
	});
	return captions;
}

export function timestamp(seconds: number, separator: ',' | '.'): string {
	const totalMs = Math.max(0, Math.round(seconds * 1000));
	const ms = totalMs % 1000;
	const totalSeconds = Math.floor(totalMs / 1000);
	const pad = (n: number, width = 2) => String(n).padStart(width, '0');
	return `${pad(Math.floor(totalSeconds / 3600))}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}${separator}${pad(ms, 3)}`;
}

export function toSrt(captions: Caption[]): string {
	return captions
		.map(
			(c, i) =>
				`${i + 1}\n${timestamp(c.start, ',')} --> ${timestamp(c.end, ',')}\n${c.rows.join('\n')}\n`,
		)
		.join('\n');
}

export function toVtt(captions: Caption[]): string {
	const cues = captions.map(
		(c) => `${timestamp(c.start, '.')} --> ${timestamp(c.end, '.')}\n${c.rows.join('\n')}\n`,
	);
	return ['WEBVTT\n', ...cues].join('\n');
}

/** transcription.subtitles: one SubtitleDTO per requested format (default ["srt"]). */
export function buildSubtitles(utterances: Utterance[], config: Record<string, unknown>) {
	const captions = captionsFor(utterances, config);
	const formats =
		Array.isArray(config.formats) && config.formats.length ? (config.formats as string[]) : ['srt'];
	return formats.map((format) => ({
		format,
		subtitles: format === 'vtt' ? toVtt(captions) : toSrt(captions),
	}));
}
