// Custom Spelling → custom_spelling, custom_spelling_config.
import type { IDataObject } from 'n8n-workflow';

import { toList } from '../checks';
import { FIELD_LABELS, type BodyMapper } from './options';

export const spellingFields: BodyMapper = (options, fail) => {
	if (!options.customSpelling) return {};
	const dictionary: IDataObject = {};
	for (const entry of options.spellingDictionary?.entries ?? []) {
		const spelling = String(entry.spelling ?? '').trim();
		const variants = toList(entry.variants, /,/);
		if (!spelling || !variants.length) {
			fail(
				FIELD_LABELS.spellingDictionary,
				`entry "${spelling || '(empty)'}" needs a spelling and at least one variant`,
				'Example: Spelling "Gladia", Variants "gladya, glad ia".',
			);
		}
		dictionary[spelling] = [
			...new Set([...((dictionary[spelling] as string[]) ?? []), ...variants]),
		];
	}
	if (!Object.keys(dictionary).length) {
		fail(
			FIELD_LABELS.spellingDictionary,
			'Custom Spelling is on but the dictionary is empty',
			'Add at least one entry, or turn Custom Spelling off.',
		);
	}
	return { custom_spelling: true, custom_spelling_config: { spelling_dictionary: dictionary } };
};
