// Custom Vocabulary → custom_vocabulary, custom_vocabulary_config.
import type { IDataObject } from 'n8n-workflow';

import { checkedLowerCodes, checkedNumber, toList, type Check } from '../checks';
import { TRANSCRIPTION_LANGUAGES } from '../constants';
import { FIELD_LABELS, type BodyMapper, type VocabularyEntry } from './options';

/** One entry: the bare word, or an object when it has more than its value. */
function vocabularyItem(entry: VocabularyEntry, fail: Check): string | IDataObject {
	const value = String(entry.value ?? '').trim();
	if (!value)
		fail(
			FIELD_LABELS.vocabulary,
			'an entry has no Word or Phrase',
			'Fill in or remove the empty entry.',
		);
	const item: IDataObject = { value };
	// 0 (the field's default) means "use Vocabulary Default Intensity".
	const intensity = checkedNumber(entry.intensity, `${FIELD_LABELS.vocabulary} → Intensity`, fail, {
		min: 0,
		max: 1,
	});
	if (intensity) item.intensity = intensity;
	const pronunciations = toList(entry.pronunciations, /,/);
	if (pronunciations.length) item.pronunciations = pronunciations;
	if (entry.language) {
		const field = `${FIELD_LABELS.vocabulary} → Language`;
		item.language = checkedLowerCodes(entry.language, TRANSCRIPTION_LANGUAGES, field, fail)[0];
	}
	return Object.keys(item).length === 1 ? value : item;
}

export const vocabularyFields: BodyMapper = (options, fail) => {
	if (!options.customVocabulary) return {};
	const vocabulary = (options.vocabulary?.entries ?? []).map((entry) =>
		vocabularyItem(entry, fail),
	);
	if (!vocabulary.length) {
		fail(
			FIELD_LABELS.vocabulary,
			'Custom Vocabulary is on but the list is empty',
			'Add at least one word or phrase, or turn Custom Vocabulary off.',
		);
	}
	const config: IDataObject = { vocabulary };
	const defaultIntensity = checkedNumber(
		options.vocabularyDefaultIntensity,
		FIELD_LABELS.vocabularyDefaultIntensity,
		fail,
		{ min: 0, max: 1 },
	);
	if (defaultIntensity !== undefined) config.default_intensity = defaultIntensity;
	return { custom_vocabulary: true, custom_vocabulary_config: config };
};
