// PII Redaction, PII Entity Types and PII Replacement → pii_redaction, pii_redaction_config.
import type { IDataObject } from 'n8n-workflow';

import { checkedCodes, checkedEnum } from '../checks';
import { PII_ENTITY_TYPES, PII_TEXT_TYPES } from '../constants';
import { FIELD_LABELS, type BodyMapper } from './options';

export const piiFields: BodyMapper = (options, fail) => {
	if (!options.piiRedaction) return {};
	const config: IDataObject = {};
	const types = checkedCodes(
		options.piiEntityTypes,
		PII_ENTITY_TYPES,
		FIELD_LABELS.piiEntityTypes,
		fail,
		(c) => c.toUpperCase(),
	);
	if (types.length) config.entity_types = types;
	const textType = checkedEnum(
		options.piiProcessedTextType,
		PII_TEXT_TYPES,
		FIELD_LABELS.piiProcessedTextType,
		fail,
	);
	if (textType) config.processed_text_type = textType;
	return Object.keys(config).length
		? { pii_redaction: true, pii_redaction_config: config }
		: { pii_redaction: true };
};
