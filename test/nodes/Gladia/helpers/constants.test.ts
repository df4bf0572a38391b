// The dropdown values must be exactly Gladia's enums (test/emulator/openapi.json).
import spec from '../../../emulator/openapi.json';
import {
	CALLBACK_METHODS,
	languageOptions,
	MODELS,
	PII_ENTITY_TYPES,
	PII_PRESETS,
	piiEntityOptions,
	SUBTITLE_FORMATS,
	SUBTITLE_STYLES,
	SUMMARY_TYPES,
	TRANSCRIPTION_LANGUAGES,
	TRANSLATION_LANGUAGES,
	TRANSLATION_MODELS,
} from '../../../../nodes/Gladia/helpers/constants';

const schemas = spec.components.schemas as unknown as Record<string, { enum?: string[] }>;
const enumOf = (name: string) => schemas[name].enum;

describe('constants mirror the OpenAPI enums', () => {
	it.each([
		['TranscriptionLanguageCodeEnum', TRANSCRIPTION_LANGUAGES, 99],
		['TranslationLanguageCodeEnum', TRANSLATION_LANGUAGES, 100],
		['PiiRedactionEntityTypeEnum', PII_ENTITY_TYPES, 82],
		['PreRecordedTranscriptionModel', MODELS, 2],
		['TranslationModelEnum', TRANSLATION_MODELS, 3],
		['SummaryTypesEnum', SUMMARY_TYPES, 3],
		['SubtitlesFormatEnum', SUBTITLE_FORMATS, 2],
		['SubtitlesStyleEnum', SUBTITLE_STYLES, 2],
		['CallbackMethodEnum', CALLBACK_METHODS, 2],
	])('%s', (name, values, count) => {
		expect([...values].sort()).toEqual([...(enumOf(name) ?? [])].sort());
		expect(values).toHaveLength(count);
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
