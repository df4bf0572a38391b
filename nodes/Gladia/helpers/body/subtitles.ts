// Generate Subtitles, Subtitle Formats and Subtitle Options → subtitles, subtitles_config.
import type { IDataObject } from 'n8n-workflow';

import { checkedEnum, checkedLowerCodes, checkedNumber, type Check } from '../checks';
import { SUBTITLE_FORMATS, SUBTITLE_STYLES } from '../constants';
import { FIELD_LABELS, type BodyMapper, type TranscriptionOptions } from './options';

const label = (name: string) => `Subtitle Options → ${name}`;

/** The numeric Subtitle Options, checked, under Gladia's names (absent ones left out). */
function subtitleLimits(extra: TranscriptionOptions['subtitleOptions'] & {}, fail: Check) {
	const limits: IDataObject = {
		minimum_duration: checkedNumber(extra.minimumDuration, label('Minimum Duration'), fail, {
			min: 0,
		}),
		maximum_duration: checkedNumber(extra.maximumDuration, label('Maximum Duration'), fail, {
			min: 1,
			max: 30,
		}),
		maximum_characters_per_row: checkedNumber(
			extra.maximumCharactersPerRow,
			label('Max Characters per Row'),
			fail,
			{ min: 1, integer: true },
		),
		maximum_rows_per_caption: checkedNumber(
			extra.maximumRowsPerCaption,
			label('Max Rows per Caption'),
			fail,
			{ min: 1, max: 5, integer: true },
		),
	};
	return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}

export const subtitleFields: BodyMapper = (options, fail) => {
	if (!options.subtitles) return {};
	const formats = checkedLowerCodes(
		options.subtitleFormats,
		SUBTITLE_FORMATS,
		FIELD_LABELS.subtitleFormats,
		fail,
	);
	if (!formats.length) {
		fail(
			FIELD_LABELS.subtitleFormats,
			'Generate Subtitles is on but no format is selected',
			'Select SRT and/or VTT, or turn Generate Subtitles off.',
		);
	}
	const extra = options.subtitleOptions ?? {};
	const config: IDataObject = { formats, ...subtitleLimits(extra, fail) };
	const style = checkedEnum(extra.style, SUBTITLE_STYLES, FIELD_LABELS.subtitleStyle, fail);
	if (style) config.style = style;
	return { subtitles: true, subtitles_config: config };
};
