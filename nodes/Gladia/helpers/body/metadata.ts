// Callback, Custom Metadata and Additional Body (JSON).
import type { IDataObject } from 'n8n-workflow';
import { jsonParse } from 'n8n-workflow';

import { checkedEnum, checkedUrl, isPlainObject, type Check } from '../checks';
import { CALLBACK_METHODS } from '../constants';
import { FIELD_LABELS, type BodyMapper } from './options';

/** Gladia's documented limit for custom_metadata, as JSON text. */
export const MAX_CUSTOM_METADATA_CHARS = 2000;

export const callbackFields: BodyMapper = (options, fail) => {
	if (!options.callback) return {};
	const method = checkedEnum(
		options.callbackMethod,
		CALLBACK_METHODS,
		FIELD_LABELS.callbackMethod,
		fail,
	);
	const url = checkedUrl(options.callbackUrl, FIELD_LABELS.callbackUrl, fail);
	return { callback: true, callback_config: { url, ...(method ? { method } : {}) } };
};

export const customMetadataFields: BodyMapper = (options, fail) => {
	const entries = options.customMetadata?.entries ?? [];
	if (!entries.length) return {};
	const metadata: IDataObject = {};
	for (const entry of entries) {
		const key = String(entry.key ?? '').trim();
		if (!key)
			fail(
				FIELD_LABELS.customMetadata,
				'an entry has no Key',
				'Fill in or remove the empty entry.',
			);
		metadata[key] = entry.value as IDataObject[string];
	}
	return { custom_metadata: metadata };
};

/** Throws when custom_metadata, as JSON, is over Gladia's limit. */
export function checkMetadataSize(metadata: unknown, fail: Check): void {
	if (metadata === undefined) return;
	const length = JSON.stringify(metadata).length;
	if (length > MAX_CUSTOM_METADATA_CHARS) {
		fail(
			FIELD_LABELS.customMetadata,
			`is ${length} characters as JSON, over Gladia's ${MAX_CUSTOM_METADATA_CHARS}`,
			'Keep only short identifiers (IDs, names) in custom metadata.',
		);
	}
}

/** Additional Body (JSON) as an object: {} when empty, an error when not a JSON object. */
export function parseAdditionalBody(value: unknown, fail: Check): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = jsonParse(value);
		} catch (error) {
			fail(
				FIELD_LABELS.additionalBody,
				`is not valid JSON (${(error as Error).message})`,
				'Enter a JSON object, e.g. {"sentences": true}, or leave it as {}.',
			);
		}
	}
	if (!isPlainObject(parsed)) {
		fail(
			FIELD_LABELS.additionalBody,
			'must be a JSON object',
			'Enter a JSON object such as {"sentences": true}, not an array or a single value.',
		);
	}
	return parsed as IDataObject;
}
