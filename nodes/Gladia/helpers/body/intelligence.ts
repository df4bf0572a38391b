// Audio Intelligence (switches) and Ask Questions (Audio to LLM).
import type { IDataObject } from 'n8n-workflow';

import { FIELD_LABELS, type BodyMapper } from './options';

export const intelligenceFields: BodyMapper = (options) => {
	const intelligence = options.audioIntelligence ?? {};
	const fields: IDataObject = {};
	if (intelligence.namedEntityRecognition) fields.named_entity_recognition = true;
	if (intelligence.sentimentAnalysis) fields.sentiment_analysis = true;
	if (intelligence.sentences) fields.sentences = true;
	if (intelligence.punctuationEnhanced) fields.punctuation_enhanced = true;
	return fields;
};

export const audioToLlmFields: BodyMapper = (options, fail) => {
	if (!options.audioToLlm) return {};
	const prompts = (options.audioToLlmPrompts?.prompts ?? [])
		.map((entry) => String(entry.prompt ?? '').trim())
		.filter((prompt) => prompt !== '');
	if (!prompts.length) {
		fail(
			FIELD_LABELS.audioToLlmPrompts,
			'Ask Questions (Audio to LLM) is on but there is no prompt',
			'Add at least one question or instruction, e.g. "List the action items".',
		);
	}
	const model = options.audioToLlmModel?.trim();
	return { audio_to_llm: true, audio_to_llm_config: { prompts, ...(model ? { model } : {}) } };
};
