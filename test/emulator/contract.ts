/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Gladia's OpenAPI (test/emulator/openapi.json, never edited) compiled with ajv. Requests are
// validated with it; tests validate every response the emulator sends with it.
//
// The file is OpenAPI 3.1 written in 3.0 style, so it is adapted on a copy before compiling:
// `nullable: true` → `anyOf [null, …]`, `discriminator` dropped (ajv cannot use `mapping`;
// the `oneOf` it decorates still decides), `$ref`s made absolute. The few places where the spec
// contradicts the docs and real clients are overlaid below (OVERLAYS), each with its reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Schema = Record<string, unknown>;

const SPEC_ID = 'https://gladia.emulator/openapi.json';
const spec = JSON.parse(readFileSync(join(__dirname, 'openapi.json'), 'utf8')) as {
	paths: Record<string, Record<string, Operation>>;
	components: { schemas: Record<string, Schema> };
};

interface Operation {
	parameters?: Array<{ name: string; in: string; required?: boolean; schema: Schema }>;
	requestBody?: { content: Record<string, { schema: Schema }> };
	responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

/** Deep copy with the 3.0-isms rewritten for a JSON Schema 2020-12 validator. */
function adapt(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(adapt);
	if (!node || typeof node !== 'object') return node;
	const out: Schema = {};
	for (const [key, value] of Object.entries(node as Schema)) {
		if (key === 'discriminator' || key === 'example' || key === 'nullable') continue;
		if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
			out.$ref = SPEC_ID + value;
			continue;
		}
		out[key] = adapt(value);
	}
	if ((node as Schema).nullable === true) return { anyOf: [{ type: 'null' }, out] };
	return out;
}

const schemas = adapt(spec.components.schemas) as Record<string, Schema>;
const ref = (name: string) => ({ $ref: `${SPEC_ID}#/components/schemas/${name}` });
const nullable = (schema: Schema) => ({ anyOf: [{ type: 'null' }, schema] });
function property(schemaName: string, name: string): Schema {
	return (schemas[schemaName].properties as Record<string, Schema>)[name];
}
function setProperty(schemaName: string, name: string, value: Schema) {
	(schemas[schemaName].properties as Record<string, Schema>)[name] = value;
}

/**
 * Documented spec bugs (API.md §2.2, §3, §11). Each overlay widens the schema to what Gladia's
 * docs, examples and real clients use; nothing else is changed.
 */
export const OVERLAYS = [
	// Spec: one enum string. Docs, spec example and Gladia's samples: an array. Accept both.
	'PiiRedactionConfigDTO.entity_types: enum string or array of enum strings',
	// Spec: items of type array. Spec example, docs and Gladia's CLI: plain strings.
	'AudioToLlmListConfigDTO.prompts: array of strings (arrays of strings also accepted)',
	// Spec: string. Docs and samples: array of {text, sentiment, emotion, start, end, channel, speaker?}.
	'SentimentAnalysisDTO.results: array of SentimentAnalysisResult (string also accepted)',
	// Spec: object. Every spec example of a job shows `custom_metadata: null` when none was sent.
	'PreRecordedResponse.custom_metadata: object or null',
	// Spec: format date-time. Its own description and example: a day, YYYY-MM-DD.
	'list query `date`: YYYY-MM-DD or date-time',
	// Spec (Aug 2026): solaria-1, solaria-3. SDK-JS 2.1.0 (Sept 2026) adds solaria-fusion; API.md §11: accept all three.
	'PreRecordedTranscriptionModel: solaria-fusion also accepted',
	// Spec: object. Docs (chapterization.mdx): an array of chapters {headline, gist, summary, keywords, start, end}.
	'ChapterizationDTO.results: array of chapters (object also accepted)',
];
{
	const entityType = ref('PiiRedactionEntityTypeEnum');
	setProperty('PiiRedactionConfigDTO', 'entity_types', {
		anyOf: [entityType, { type: 'array', items: entityType }],
	});
	const prompts = property('AudioToLlmListConfigDTO', 'prompts');
	prompts.items = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
	setProperty('SentimentAnalysisDTO', 'results', {
		anyOf: [
			{ type: 'string' },
			{
				type: 'array',
				items: {
					allOf: [ref('SentimentAnalysisResult')],
					properties: { speaker: { type: 'integer', minimum: 0 } },
				},
			},
		],
	});
	schemas.PreRecordedTranscriptionModel.enum = [
		...(schemas.PreRecordedTranscriptionModel.enum as string[]),
		'solaria-fusion',
	];
	setProperty(
		'ChapterizationDTO',
		'results',
		nullable({
			anyOf: [
				{ type: 'array', items: { type: 'object' } },
				{ type: 'object', additionalProperties: true },
			],
		}),
	);
	setProperty(
		'PreRecordedResponse',
		'custom_metadata',
		nullable({ type: 'object', additionalProperties: true }),
	);
}

function makeAjv(coerce: boolean) {
	const ajv = new Ajv2020({
		strict: false,
		allErrors: true,
		coerceTypes: coerce ? 'array' : false,
		useDefaults: false,
	});
	addFormats(ajv);
	ajv.addSchema({ $id: SPEC_ID, components: { schemas } });
	return ajv;
}
const bodyAjv = makeAjv(false);
const queryAjv = makeAjv(true);

function compileCached(
	ajv: Ajv2020,
	cache: Map<string, ValidateFunction>,
	key: string,
	schema: () => Schema,
) {
	let validate = cache.get(key);
	if (!validate) {
		validate = ajv.compile(schema());
		cache.set(key, validate);
	}
	return validate;
}
const bodyCache = new Map<string, ValidateFunction>();
const queryCache = new Map<string, ValidateFunction>();

/** Gladia-style messages: `Field "diarization_config.min_speakers" must be >= 0`. */
export function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
	const messages = new Set<string>();
	for (const error of errors ?? []) {
		// anyOf/oneOf summaries and the "or null" branch of nullable fields only add noise.
		if (error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
		if (error.keyword === 'type' && error.params.type === 'null') continue;
		let field = error.instancePath
			.split('/')
			.slice(1)
			.map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
			.join('')
			.replace(/^\./, '');
		let message = error.message ?? 'is invalid';
		if (error.keyword === 'required') {
			field = field
				? `${field}.${error.params.missingProperty}`
				: String(error.params.missingProperty);
			message = 'is required';
		}
		if (error.keyword === 'enum') {
			const allowed = error.params.allowedValues as unknown[];
			message = `must be one of: ${allowed.slice(0, 12).join(', ')}${allowed.length > 12 ? ', …' : ''}`;
		}
		messages.add(field ? `Field "${field}" ${message}` : `Body ${message}`);
	}
	return [...messages];
}

export interface CheckResult {
	valid: boolean;
	errors: string[];
}

function check(validate: ValidateFunction, value: unknown): CheckResult {
	const valid = validate(value) as boolean;
	return { valid, errors: valid ? [] : formatErrors(validate.errors) };
}

/** Validates a JSON request body against a named component (e.g. InitTranscriptionRequest). */
export function validateComponent(name: string, value: unknown): CheckResult {
	return check(
		compileCached(bodyAjv, bodyCache, name, () => ref(name)),
		value,
	);
}

/** The inline JSON body of POST /v2/upload ({ audio_url }). */
export function validateUploadJson(value: unknown): CheckResult {
	return check(
		compileCached(bodyAjv, bodyCache, 'upload-json', () => ({
			...(adapt(
				spec.paths['/v2/upload'].post.requestBody!.content['application/json'].schema,
			) as Schema),
			// The inline schema leaves audio_url optional, but without it there is nothing to import.
			required: ['audio_url'],
		})),
		value,
	);
}

/**
 * Validates (and coerces in place: "10" → 10, "done" → ["done"]) the query of an operation
 * against its declared parameters.
 */
export function validateQuery(
	pathTemplate: string,
	method: string,
	query: Record<string, unknown>,
): CheckResult {
	const operation = spec.paths[pathTemplate]?.[method.toLowerCase()];
	if (!operation) return { valid: true, errors: [] };
	const validate = compileCached(queryAjv, queryCache, `${method} ${pathTemplate}`, () => {
		const properties: Record<string, Schema> = {};
		for (const parameter of operation.parameters ?? []) {
			if (parameter.in !== 'query') continue;
			properties[parameter.name] = adapt(parameter.schema) as Schema;
		}
		if (properties.date) {
			properties.date = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };
		}
		return { type: 'object', properties };
	});
	return check(validate, query);
}

/** The OpenAPI path template for a concrete path (trailing slash ignored), if any. */
export function matchPathTemplate(path: string): string | undefined {
	const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
	const parts = clean.split('/');
	for (const template of Object.keys(spec.paths)) {
		const templateParts = template.split('/');
		if (templateParts.length !== parts.length) continue;
		if (templateParts.every((part, i) => part.startsWith('{') || part === parts[i]))
			return template;
	}
	return undefined;
}

/**
 * Validates a response the emulator sent against the OpenAPI response schema for its operation
 * and status. Statuses the spec does not declare for the operation (429, 500, 413 on upload …)
 * must still carry the common Gladia error body.
 */
export function validateResponse(
	method: string,
	path: string,
	status: number,
	contentType: string | undefined,
	body: unknown,
): CheckResult {
	const template = matchPathTemplate(path);
	const operation = template ? spec.paths[template][method.toLowerCase()] : undefined;
	const isJson = (contentType ?? '').includes('application/json');
	const declared = operation?.responses[String(status)];
	if (declared && !declared.content) {
		return body === undefined || body === ''
			? { valid: true, errors: [] }
			: { valid: false, errors: [`${status} must have no body`] };
	}
	if (declared?.content) {
		const [mediaType, media] = Object.entries(declared.content)[0];
		if (mediaType !== 'application/json') {
			return (contentType ?? '').startsWith(mediaType)
				? { valid: true, errors: [] }
				: { valid: false, errors: [`content-type ${contentType} is not ${mediaType}`] };
		}
		if (!isJson) return { valid: false, errors: [`content-type ${contentType} is not JSON`] };
		return check(
			compileCached(
				bodyAjv,
				bodyCache,
				`${method} ${template} ${status}`,
				() => adapt(media.schema) as Schema,
			),
			body,
		);
	}
	// Redirects to the storage origin carry no body.
	if (status === 302)
		return body === undefined
			? { valid: true, errors: [] }
			: { valid: false, errors: ['302 with a body'] };
	// Errors the spec does not list for this route (401 on unknown paths, 413, 429, 500 …) still
	// use the common Gladia error body; only a gateway 502 may be non-JSON.
	if (status >= 400) {
		if (!isJson)
			return status === 502
				? { valid: true, errors: [] }
				: { valid: false, errors: [`${status} body is not JSON`] };
		return validateComponent('BadRequestErrorResponse', body);
	}
	return {
		valid: false,
		errors: [`status ${status} is not declared for ${method} ${template ?? path}`],
	};
}
