// Translate, Target Languages and Translation Options → translation, translation_config.
import type { IDataObject } from 'n8n-workflow';

import { checkedEnum, checkedLowerCodes } from '../checks';
import { TRANSLATION_LANGUAGES, TRANSLATION_MODELS } from '../constants';
import { FIELD_LABELS, type BodyMapper } from './options';

export const translationFields: BodyMapper = (options, fail) => {
	if (!options.translation) return {};
	const targets = checkedLowerCodes(
		options.translationTargetLanguages,
		TRANSLATION_LANGUAGES,
		FIELD_LABELS.translationTargetLanguages,
		fail,
	);
	if (!targets.length) {
		fail(
			FIELD_LABELS.translationTargetLanguages,
			'Translate is on but no target language is selected',
			'Select at least one language to translate into, or turn Translate off.',
		);
	}
	const extra = options.translationOptions ?? {};
	const config: IDataObject = { target_languages: targets };
	const model = checkedEnum(extra.model, TRANSLATION_MODELS, FIELD_LABELS.translationModel, fail);
	if (model) config.model = model;
	if (extra.matchOriginalUtterances !== undefined)
		config.match_original_utterances = extra.matchOriginalUtterances;
	if (extra.lipsync !== undefined) config.lipsync = extra.lipsync;
	if (extra.contextAdaptation !== undefined) config.context_adaptation = extra.contextAdaptation;
	if (extra.context) config.context = extra.context;
	if (extra.informal !== undefined) config.informal = extra.informal;
	return { translation: true, translation_config: config };
};
