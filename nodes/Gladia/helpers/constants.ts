// Enums of Gladia's InitTranscriptionRequest, from its OpenAPI (test/emulator/openapi.json, 2026-08
// mirror) and its JS SDK's types (@gladiaio/sdk 2.1.0). test/nodes/Gladia/helpers/constants.test.ts
// fails when either lists a value these lists lack, or these list a value neither knows.
import type { INodePropertyOptions } from 'n8n-workflow';

/** Every translation target language (ISO 639-1, or 639-3 where no 2-letter code exists). */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
	af: 'Afrikaans',
	am: 'Amharic',
	ar: 'Arabic',
	as: 'Assamese',
	az: 'Azerbaijani',
	ba: 'Bashkir',
	be: 'Belarusian',
	bg: 'Bulgarian',
	bn: 'Bengali',
	bo: 'Tibetan',
	br: 'Breton',
	bs: 'Bosnian',
	ca: 'Catalan',
	cs: 'Czech',
	cy: 'Welsh',
	da: 'Danish',
	de: 'German',
	el: 'Greek',
	en: 'English',
	es: 'Spanish',
	et: 'Estonian',
	eu: 'Basque',
	fa: 'Persian',
	fi: 'Finnish',
	fo: 'Faroese',
	fr: 'French',
	gl: 'Galician',
	gu: 'Gujarati',
	ha: 'Hausa',
	haw: 'Hawaiian',
	he: 'Hebrew',
	hi: 'Hindi',
	hr: 'Croatian',
	ht: 'Haitian Creole',
	hu: 'Hungarian',
	hy: 'Armenian',
	id: 'Indonesian',
	is: 'Icelandic',
	it: 'Italian',
	ja: 'Japanese',
	jw: 'Javanese',
	ka: 'Georgian',
	kk: 'Kazakh',
	km: 'Khmer',
	kn: 'Kannada',
	ko: 'Korean',
	la: 'Latin',
	lb: 'Luxembourgish',
	ln: 'Lingala',
	lo: 'Lao',
	lt: 'Lithuanian',
	lv: 'Latvian',
	mg: 'Malagasy',
	mi: 'Maori',
	mk: 'Macedonian',
	ml: 'Malayalam',
	mn: 'Mongolian',
	mr: 'Marathi',
	ms: 'Malay',
	mt: 'Maltese',
	my: 'Burmese',
	ne: 'Nepali',
	nl: 'Dutch',
	nn: 'Norwegian Nynorsk',
	no: 'Norwegian',
	oc: 'Occitan',
	pa: 'Punjabi',
	pl: 'Polish',
	ps: 'Pashto',
	pt: 'Portuguese',
	ro: 'Romanian',
	ru: 'Russian',
	sa: 'Sanskrit',
	sd: 'Sindhi',
	si: 'Sinhala',
	sk: 'Slovak',
	sl: 'Slovenian',
	sn: 'Shona',
	so: 'Somali',
	sq: 'Albanian',
	sr: 'Serbian',
	su: 'Sundanese',
	sv: 'Swedish',
	sw: 'Swahili',
	ta: 'Tamil',
	te: 'Telugu',
	tg: 'Tajik',
	th: 'Thai',
	tk: 'Turkmen',
	tl: 'Tagalog',
	tr: 'Turkish',
	tt: 'Tatar',
	uk: 'Ukrainian',
	ur: 'Urdu',
	uz: 'Uzbek',
	vi: 'Vietnamese',
	wo: 'Wolof',
	yi: 'Yiddish',
	yo: 'Yoruba',
	zh: 'Chinese',
};

/** Translation targets: the 100 codes above. */
export const TRANSLATION_LANGUAGES: readonly string[] = Object.keys(LANGUAGE_NAMES);

/** Transcription languages: the same codes except Wolof (99), which Gladia only translates to. */
export const TRANSCRIPTION_LANGUAGES: readonly string[] = TRANSLATION_LANGUAGES.filter(
	(code) => code !== 'wo',
);

/** Presets expand server-side into several entity types (see Gladia's PII redaction docs). */
export const PII_PRESETS: readonly string[] = [
	'APPI',
	'APPI_SENSITIVE',
	'CCI',
	'CORE_ENTITIES',
	'CPRA',
	'GDPR',
	'GDPR_SENSITIVE',
	'HEALTH_INFORMATION',
	'HIPAA_SAFE_HARBOR',
	'LIDI',
	'NUMERICAL_EXCL_PCI',
	'PCI',
	'QUEBEC_PRIVACY_ACT',
];

export const PII_ENTITY_TYPES: readonly string[] = [
	...PII_PRESETS,
	'ACCOUNT_NUMBER',
	'AGE',
	'DATE',
	'DATE_INTERVAL',
	'DOB',
	'DRIVER_LICENSE',
	'DURATION',
	'EMAIL_ADDRESS',
	'EVENT',
	'FILENAME',
	'GENDER',
	'HEALTHCARE_NUMBER',
	'IP_ADDRESS',
	'LANGUAGE',
	'LOCATION',
	'LOCATION_ADDRESS',
	'LOCATION_ADDRESS_STREET',
	'LOCATION_CITY',
	'LOCATION_COORDINATE',
	'LOCATION_COUNTRY',
	'LOCATION_STATE',
	'LOCATION_ZIP',
	'MARITAL_STATUS',
	'MONEY',
	'NAME',
	'NAME_FAMILY',
	'NAME_GIVEN',
	'NAME_MEDICAL_PROFESSIONAL',
	'NUMERICAL_PII',
	'OCCUPATION',
	'ORGANIZATION',
	'ORGANIZATION_MEDICAL_FACILITY',
	'ORIGIN',
	'PASSPORT_NUMBER',
	'PASSWORD',
	'PHONE_NUMBER',
	'PHYSICAL_ATTRIBUTE',
	'POLITICAL_AFFILIATION',
	'RELIGION',
	'SEXUALITY',
	'SSN',
	'TIME',
	'URL',
	'USERNAME',
	'VEHICLE_ID',
	'ZODIAC_SIGN',
	'BLOOD_TYPE',
	'CONDITION',
	'DOSE',
	'DRUG',
	'INJURY',
	'MEDICAL_PROCESS',
	'STATISTICS',
	'BANK_ACCOUNT',
	'CREDIT_CARD',
	'CREDIT_CARD_EXPIRATION',
	'CVV',
	'ROUTING_NUMBER',
	'CORPORATE_ACTION',
	'DAY',
	'EFFECT',
	'FINANCIAL_METRIC',
	'MEDICAL_CODE',
	'MONTH',
	'ORGANIZATION_ID',
	'PRODUCT',
	'PROJECT',
	'TREND',
	'YEAR',
];

/** solaria-fusion is in Gladia's JS SDK 2.1.0 types, not yet in its OpenAPI. */
export const MODELS = ['solaria-1', 'solaria-3', 'solaria-fusion'] as const;
export const TRANSLATION_MODELS = ['base', 'batch', 'enhanced'] as const;
export const SUMMARY_TYPES = ['general', 'bullet_points', 'concise'] as const;
export const SUBTITLE_FORMATS = ['srt', 'vtt'] as const;
export const SUBTITLE_STYLES = ['default', 'compliance'] as const;
export const PII_TEXT_TYPES = ['MARKER', 'MASK'] as const;
export const CALLBACK_METHODS = ['POST', 'PUT'] as const;
export const JOB_STATUSES = ['queued', 'processing', 'done', 'error'] as const;

/** Gladia's limits for pre-recorded audio (docs: limits and specifications). */
/** The credential type's name (credentials/GladiaApi.credentials.ts), for nodes and requests. */
export const CREDENTIAL_TYPE = 'gladiaApi';

/** custom_metadata key carrying Create's idempotency key (our bookkeeping, hidden by Simplify). */
export const IDEMPOTENCY_FIELD = 'n8n_idempotency_key';

export const MAX_FILE_BYTES = 1000 * 1024 * 1024;
export const MAX_AUDIO_SECONDS = 135 * 60;

export function languageOptions(codes: readonly string[]): INodePropertyOptions[] {
	return codes
		.map((code) => ({ name: `${LANGUAGE_NAMES[code]} (${code})`, value: code }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

const ACRONYMS = new Set(['CVV', 'DOB', 'ID', 'IP', 'PII', 'SSN', 'URL']);

/** EMAIL_ADDRESS → "Email Address", keeping acronyms (IP_ADDRESS → "IP Address"). */
function humanize(value: string): string {
	return value
		.split('_')
		.map((word) => (ACRONYMS.has(word) ? word : word[0] + word.slice(1).toLowerCase()))
		.join(' ');
}

/** What the UI shows for each preset (the value sent to Gladia is the key). */
const PII_PRESET_LABELS: Record<string, string> = {
	APPI: 'APPI (Japan)',
	APPI_SENSITIVE: 'APPI Sensitive (Japan)',
	CCI: 'CCI',
	CORE_ENTITIES: 'Core Entities',
	CPRA: 'CPRA (California)',
	GDPR: 'GDPR (EU)',
	GDPR_SENSITIVE: 'GDPR Sensitive (EU)',
	HEALTH_INFORMATION: 'Health Information',
	HIPAA_SAFE_HARBOR: 'HIPAA Safe Harbor (US Health Data)',
	LIDI: 'LIDI',
	NUMERICAL_EXCL_PCI: 'Numbers (Except Card Data)',
	PCI: 'PCI (Payment Card Data)',
	QUEBEC_PRIVACY_ACT: 'Quebec Privacy Act',
};

const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

/** The presets first ("Preset: GDPR (EU)"), then the single entity types, each alphabetically. */
export function piiEntityOptions(): INodePropertyOptions[] {
	const presets = PII_PRESETS.map((value) => ({
		name: `Preset: ${PII_PRESET_LABELS[value] ?? humanize(value)}`,
		value,
		description: 'A set of entity types defined by Gladia',
	}));
	const types = PII_ENTITY_TYPES.filter((value) => !PII_PRESETS.includes(value)).map((value) => ({
		name: humanize(value),
		value,
	}));
	return [...presets.sort(byName), ...types.sort(byName)];
}
