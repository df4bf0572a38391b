// Speaker Diarization and Speaker Options → diarization, diarization_config.
import type { IDataObject } from 'n8n-workflow';

import { checkedNumber } from '../checks';
import { FIELD_LABELS, type BodyMapper } from './options';

export const diarizationFields: BodyMapper = (options, fail) => {
	if (!options.diarization) return {};
	const hints = options.diarizationOptions ?? {};
	const exact = checkedNumber(hints.numberOfSpeakers, FIELD_LABELS.numberOfSpeakers, fail, {
		min: 1,
		integer: true,
	});
	const min = checkedNumber(hints.minSpeakers, FIELD_LABELS.minSpeakers, fail, {
		min: 0,
		integer: true,
	});
	const max = checkedNumber(hints.maxSpeakers, FIELD_LABELS.maxSpeakers, fail, {
		min: 0,
		integer: true,
	});
	if (min !== undefined && max !== undefined && min > max) {
		fail(
			FIELD_LABELS.minSpeakers,
			`${min} is more than Max Speakers (${max})`,
			'Make Min Speakers at most Max Speakers, or remove one of them.',
		);
	}
	const config: IDataObject = {};
	if (exact !== undefined) config.number_of_speakers = exact;
	if (min !== undefined) config.min_speakers = min;
	if (max !== undefined) config.max_speakers = max;
	return Object.keys(config).length
		? { diarization: true, diarization_config: config }
		: { diarization: true };
};
