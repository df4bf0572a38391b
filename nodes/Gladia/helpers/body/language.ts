// Model and Language → model, language_config.
import type { IDataObject } from 'n8n-workflow';

import { checkedEnum, checkedLowerCodes } from '../checks';
import { MODELS, TRANSCRIPTION_LANGUAGES } from '../constants';
import { FIELD_LABELS, type BodyMapper } from './options';

export const modelFields: BodyMapper = (options, fail) => {
	const model = checkedEnum(options.model, MODELS, FIELD_LABELS.model, fail);
	return model ? { model } : {};
};

export const languageFields: BodyMapper = (options, fail) => {
	const languages = checkedLowerCodes(
		options.language?.languages,
		TRANSCRIPTION_LANGUAGES,
		FIELD_LABELS.languages,
		fail,
	);
	const codeSwitching = Boolean(options.language?.codeSwitching);
	if (!languages.length && !codeSwitching) return {};
	const config: IDataObject = { languages, code_switching: codeSwitching };
	return { language_config: config };
};
