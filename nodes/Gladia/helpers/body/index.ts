// The one mapper from the node's transcription options (actions/transcription/
// options.description.ts) to Gladia's InitTranscriptionRequest, with the pre-flight checks
// that catch bad input before any request. Each option group has its own mapper (a file in
// this folder); BODY_MAPPERS lists them in the order their fields appear in the body.
import type { IDataObject, INode } from 'n8n-workflow';

import { isPlainObject, type Check } from '../checks';
import { invalidParameter } from '../errors';
import type { InitTranscriptionRequest } from '../types';
import { diarizationFields } from './diarization';
import { audioToLlmFields, intelligenceFields } from './intelligence';
import { languageFields, modelFields } from './language';
import {
	callbackFields,
	checkMetadataSize,
	customMetadataFields,
	parseAdditionalBody,
} from './metadata';
import type { BodyMapper, TranscriptionOptions } from './options';
import { piiFields } from './pii';
import { spellingFields } from './spelling';
import { subtitleFields } from './subtitles';
import { summarizationFields } from './summarization';
import { translationFields } from './translation';
import { vocabularyFields } from './vocabulary';

export { toList } from '../checks';
export { MAX_CUSTOM_METADATA_CHARS } from './metadata';
export { FIELD_LABELS, type TranscriptionOptions } from './options';

/** Every option group's mapper; a new Gladia option gets an entry here. */
export const BODY_MAPPERS: readonly BodyMapper[] = [
	modelFields,
	languageFields,
	diarizationFields,
	translationFields,
	summarizationFields,
	piiFields,
	subtitleFields,
	vocabularyFields,
	spellingFields,
	intelligenceFields,
	audioToLlmFields,
	callbackFields,
	customMetadataFields,
];

/**
 * Merges `extra` into `base`: objects merge key by key, anything else replaces, and `null`
 * removes the key (so Additional Body can also drop a field the options produced).
 */
export function deepMerge(base: IDataObject, extra: IDataObject): IDataObject {
	const result: IDataObject = { ...base };
	for (const [key, value] of Object.entries(extra)) {
		if (value === null) delete result[key];
		else if (isPlainObject(value) && isPlainObject(result[key])) {
			result[key] = deepMerge(result[key] as IDataObject, value);
		} else result[key] = value;
	}
	return result;
}

/**
 * The node's options → Gladia's InitTranscriptionRequest. Throws a NodeOperationError naming
 * the item and the field for bad input. Additional Body is merged last.
 */
export function buildTranscriptionBody(
	audioUrl: string,
	options: TranscriptionOptions,
	itemIndex: number,
	node: INode,
): InitTranscriptionRequest {
	const fail: Check = (field, problem, fix) => {
		throw invalidParameter(node, itemIndex, field, problem, fix);
	};
	const body: IDataObject = { audio_url: audioUrl };
	for (const mapper of BODY_MAPPERS) Object.assign(body, mapper(options, fail));
	const merged = deepMerge(body, parseAdditionalBody(options.additionalBody, fail));
	merged.audio_url = audioUrl;
	checkMetadataSize(merged.custom_metadata, fail);
	return merged as InitTranscriptionRequest;
}
