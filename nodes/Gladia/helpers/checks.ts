// The pre-flight checks the body mappers share. Each takes the field's label as the UI shows
// it and a `fail` callback that throws the item's error, so every message names item and field.
import type { IDataObject, INode } from 'n8n-workflow';

import { invalidParameter } from './errors';
import { httpUrl, notHttpUrlProblem } from './url';

/** Throws the error for one field: what is wrong, and what to do about it. */
export type Check = (field: string, problem: string, fix: string) => never;

/**
 * An array, or a separated string (what expressions often produce), as trimmed strings.
 * Codes split on commas and spaces; phrases (`separator` /,/) on commas only.
 */
export function toList(value: unknown, separator: RegExp = /[,\s]+/): string[] {
	const items = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(separator)
			: [];
	return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

function isListLike(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		value === '' ||
		Array.isArray(value) ||
		typeof value === 'string'
	);
}

/** A list of codes, each one of `allowed` (after `normalize`), without repeats. */
export function checkedCodes(
	value: unknown,
	allowed: readonly string[],
	field: string,
	fail: Check,
	normalize: (code: string) => string = (code) => code,
): string[] {
	if (!isListLike(value)) {
		fail(
			field,
			`${JSON.stringify(value)} is not a list of codes`,
			'Give a list such as ["en", "fr"], or comma-separated codes: en, fr.',
		);
	}
	const codes = toList(value).map(normalize);
	const unknown = codes.filter((code) => !allowed.includes(code));
	if (unknown.length) {
		fail(
			field,
			`unknown value${unknown.length > 1 ? 's' : ''} ${unknown.map((code) => `"${code}"`).join(', ')}`,
			`Allowed values: ${allowed.slice(0, 12).join(', ')}${allowed.length > 12 ? ', …' : ''} (pick them from the dropdown, or write them comma-separated in an expression).`,
		);
	}
	return [...new Set(codes)];
}

/** The same list of codes, lower-cased first (languages, formats). */
export function checkedLowerCodes(
	value: unknown,
	allowed: readonly string[],
	field: string,
	fail: Check,
): string[] {
	return checkedCodes(value, allowed, field, fail, (code) => code.toLowerCase());
}

export function checkedEnum(
	value: string | undefined,
	allowed: readonly string[],
	field: string,
	fail: Check,
) {
	if (value !== undefined && !allowed.includes(value)) {
		fail(field, `unknown value "${value}"`, `Allowed values: ${allowed.join(', ')}.`);
	}
	return value;
}

export interface NumberRange {
	min?: number;
	max?: number;
	integer?: boolean;
}

function rangeText({ min, max }: NumberRange): string {
	return [min !== undefined ? `at least ${min}` : '', max !== undefined ? `at most ${max}` : '']
		.filter(Boolean)
		.join(' and ');
}

/** A number within the range, or undefined when the field is empty. */
export function checkedNumber(
	value: number | undefined,
	field: string,
	fail: Check,
	range: NumberRange,
): number | undefined {
	if (value === undefined || value === null || (value as unknown) === '') return undefined;
	const { min, max, integer } = range;
	const number = Number(value);
	const inRange =
		Number.isFinite(number) &&
		(min === undefined || number >= min) &&
		(max === undefined || number <= max) &&
		(!integer || Number.isInteger(number));
	if (!inRange) {
		const text = rangeText(range);
		fail(
			field,
			`${String(value)} is not ${integer ? 'a whole number ' : 'a number '}${text}`.trim(),
			`Enter ${[integer ? 'a whole number' : 'a number', text].filter(Boolean).join(' ')}.`,
		);
	}
	return number;
}

export function checkedUrl(value: unknown, field: string, fail: Check): string {
	const url = httpUrl(value);
	if (!url)
		fail(
			field,
			notHttpUrlProblem(value),
			'Enter a full http(s) URL, e.g. https://example.com/gladia-callback.',
		);
	return url as string;
}

export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Gladia job id (a UUID), as a pattern source for the checks and the resource locator. */
export const UUID_SOURCE =
	'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UUIDS = new RegExp(UUID_SOURCE, 'g');
const PLAIN_ID = /^[A-Za-z0-9_-]{1,100}$/;
export const EXAMPLE_JOB_ID = '45463597-20b7-4af7-b3b3-f5fb778203ab';

/** A value as it appears in a message: quoted, at most 100 characters. */
export function quoted(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return `"${String(text).slice(0, 100)}"`;
}

/** The one job id in a Transcription ID value, or why there is none. */
function readJobId(value: unknown): { id?: string; problem?: string } {
	if (value === null || value === undefined) return { problem: 'is empty' };
	if (typeof value !== 'string') {
		const kind = Array.isArray(value)
			? 'a list'
			: `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
		return { problem: `is ${kind} (${quoted(value)}), not a transcription ID` };
	}
	const text = value.trim();
	if (!text) return { problem: 'is empty' };
	const uuids = [...new Set((text.match(UUIDS) ?? []).map((uuid) => uuid.toLowerCase()))];
	if (PLAIN_ID.test(text)) return { id: uuids[0] === text.toLowerCase() ? uuids[0] : text };
	if (uuids.length > 1) return { problem: `${quoted(text)} holds ${uuids.length} different IDs` };
	if (!httpUrl(text)) return { problem: `${quoted(text)} is not a transcription ID` };
	if (uuids.length === 1) return { id: uuids[0] };
	return { problem: `${quoted(text)} holds no transcription ID` };
}

/**
 * One job id from a Transcription ID value: a plain id, or a result_url holding exactly one.
 * Objects, lists, several ids and paths are refused, as they would reach Gladia as garbage.
 */
export function checkedJobId(value: unknown, itemIndex: number, node: INode): string {
	const checked = readJobId(value);
	if (checked.id !== undefined) return checked.id;
	throw invalidParameter(
		node,
		itemIndex,
		'Transcription ID',
		checked.problem ?? 'is not a transcription ID',
		`Give one ID as text, as Create or Transcribe return it, e.g. ${EXAMPLE_JOB_ID} (or its result_url). For an object, pick its id field, e.g. {{ $json.id }}.`,
	);
}
