/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// The dropdown values must cover Gladia's enums: those of its OpenAPI (test/emulator/openapi.json)
// and those of its JS SDK's generated types (@gladiaio/sdk, read from the installed .d.ts), and
// offer nothing that neither of them knows.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { transcriptionOptionFields } from '../../../../nodes/Gladia/actions/transcription/options.description';
import spec from '../../../emulator/openapi.json';
import {
	CALLBACK_METHODS,
	JOB_STATUSES,
	languageOptions,
	MODELS,
	PII_ENTITY_TYPES,
	PII_PRESETS,
	PII_TEXT_TYPES,
	piiEntityOptions,
	SUBTITLE_FORMATS,
	SUBTITLE_STYLES,
	SUMMARY_TYPES,
	TRANSCRIPTION_LANGUAGES,
	TRANSLATION_LANGUAGES,
	TRANSLATION_MODELS,
} from '../../../../nodes/Gladia/helpers/constants';

const schemas = spec.components.schemas as unknown as Record<string, { enum?: string[] }>;
const openApiEnum = (name: string): string[] => {
	const values = schemas[name]?.enum;
	if (!values) throw new Error(`The OpenAPI has no enum schema ${name}`);
	return values;
};

const sdkTypes = readFileSync(
	join(
		dirname(require.resolve('@gladiaio/sdk/package.json')),
		'dist/v2/prerecorded/generated-types.d.ts',
	),
	'utf8',
);

/** The string literals of a union, e.g. `type X = "a" | "b";` or a property `x?: "a" | "b";`. */
function union(source: string): string[] {
	const values = [...source.matchAll(/"([^"]+)"/g)].map((match) => match[1]);
	if (!values.length) throw new Error(`No string literals in: ${source}`);
	return values;
}

function sdkEnum(typeName: string): string[] {
	const match = new RegExp(`type ${typeName} = ([^;]+);`).exec(sdkTypes);
	if (!match) throw new Error(`@gladiaio/sdk has no type ${typeName}`);
	return union(match[1]);
}

function sdkProperty(interfaceName: string, property: string): string[] {
	const body = new RegExp(`interface ${interfaceName} \\{([\\s\\S]*?)\\n\\}`).exec(sdkTypes)?.[1];
	const match = body && new RegExp(`\\b${property}\\??: ([^;]+);`).exec(body);
	if (!match) throw new Error(`@gladiaio/sdk has no ${interfaceName}.${property}`);
	return union(match[1]);
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

describe('constants cover the OpenAPI and SDK enums', () => {
	it.each([
		[
			'transcription languages',
			TRANSCRIPTION_LANGUAGES,
			openApiEnum('TranscriptionLanguageCodeEnum'),
			sdkEnum('PreRecordedV2TranscriptionLanguageCode'),
		],
		[
			'translation languages',
			TRANSLATION_LANGUAGES,
			openApiEnum('TranslationLanguageCodeEnum'),
			sdkEnum('PreRecordedV2TranslationLanguageCode'),
		],
		[
			'PII entity types',
			PII_ENTITY_TYPES,
			openApiEnum('PiiRedactionEntityTypeEnum'),
			sdkEnum('PreRecordedV2PiiRedactionEntityType'),
		],
		[
			'models',
			MODELS,
			openApiEnum('PreRecordedTranscriptionModel'),
			sdkEnum('PreRecordedV2TranscriptionModel'),
		],
		[
			'translation models',
			TRANSLATION_MODELS,
			openApiEnum('TranslationModelEnum'),
			sdkEnum('PreRecordedV2TranslationModel'),
		],
		[
			'summary types',
			SUMMARY_TYPES,
			openApiEnum('SummaryTypesEnum'),
			sdkEnum('PreRecordedV2SummaryType'),
		],
		[
			'subtitle formats',
			SUBTITLE_FORMATS,
			openApiEnum('SubtitlesFormatEnum'),
			sdkEnum('PreRecordedV2SubtitlesFormat'),
		],
		[
			'subtitle styles',
			SUBTITLE_STYLES,
			openApiEnum('SubtitlesStyleEnum'),
			sdkEnum('PreRecordedV2SubtitlesStyle'),
		],
		[
			'callback methods',
			CALLBACK_METHODS,
			openApiEnum('CallbackMethodEnum'),
			sdkEnum('PreRecordedV2CallbackMethod'),
		],
		[
			'PII processed text types',
			PII_TEXT_TYPES,
			[],
			sdkProperty('PreRecordedV2PiiRedactionConfig', 'processed_text_type'),
		],
		['job statuses', JOB_STATUSES, [], sdkProperty('PreRecordedV2Response', 'status')],
	])('%s', (_name, nodeValues, openApi, sdk) => {
		// Every value Gladia knows is offered, and nothing Gladia does not know.
		expect(sorted(nodeValues)).toEqual(sorted([...openApi, ...sdk]));
		expect(new Set(nodeValues).size).toBe(nodeValues.length);
	});

	it('knows the SDK’s newest model', () => {
		expect(sdkEnum('PreRecordedV2TranscriptionModel')).toContain('solaria-fusion');
		expect(MODELS).toContain('solaria-fusion');
	});

	it('offers every language with a readable name, sorted', () => {
		const options = languageOptions(TRANSLATION_LANGUAGES);
		expect(options).toHaveLength(100);
		expect(options.every((option) => !/undefined/.test(option.name))).toBe(true);
		expect(options.find((option) => option.value === 'haw')?.name).toBe('Hawaiian (haw)');
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	it('labels PII presets and keeps acronyms', () => {
		const options = piiEntityOptions();
		expect(options).toHaveLength(82);
		expect(options.filter((option) => option.name.startsWith('Preset: '))).toHaveLength(
			PII_PRESETS.length,
		);
		expect(options.find((option) => option.value === 'IP_ADDRESS')?.name).toBe('IP Address');
		expect(options.find((option) => option.value === 'HIPAA_SAFE_HARBOR')?.name).toBe(
			'Preset: HIPAA Safe Harbor (US Health Data)',
		);
		expect(options.find((option) => option.value === 'NUMERICAL_EXCL_PCI')?.name).toBe(
			'Preset: Numbers (Except Card Data)',
		);
	});

	it('lists the presets first, then the single types, each alphabetically; values unchanged', () => {
		const options = piiEntityOptions();
		const presets = options.slice(0, PII_PRESETS.length);
		const types = options.slice(PII_PRESETS.length);
		expect(presets.every((option) => option.name.startsWith('Preset: '))).toBe(true);
		expect(types.some((option) => option.name.startsWith('Preset'))).toBe(false);
		for (const group of [presets, types]) {
			const names = group.map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
		expect(options.map((option) => option.value).sort()).toEqual([...PII_ENTITY_TYPES].sort());
		expect(presets.map((option) => option.name)).not.toContain(expect.stringMatching(/_/));
	});
});

describe('the Model dropdown', () => {
	it('offers exactly the models above', () => {
		const field = transcriptionOptionFields.find((property) => property.name === 'model');
		const values = (field?.options ?? []).map((option) => (option as { value: string }).value);
		expect(sorted(values)).toEqual(sorted(MODELS));
	});
});
