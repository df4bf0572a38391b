// Summarize and Summary Type → summarization, summarization_config.
import { checkedEnum } from '../checks';
import { SUMMARY_TYPES } from '../constants';
import { FIELD_LABELS, type BodyMapper } from './options';

export const summarizationFields: BodyMapper = (options, fail) => {
	if (!options.summarization) return {};
	const type = checkedEnum(options.summaryType, SUMMARY_TYPES, FIELD_LABELS.summaryType, fail);
	return type ? { summarization: true, summarization_config: { type } } : { summarization: true };
};
