// The pre-flight checks the body mappers share. Each takes the field's label as the UI shows
// it and a `fail` callback that throws the item's error, so every message names item and field.
import type { IDataObject } from 'n8n-workflow';

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
			`Enter ${integer ? 'a whole number' : 'a number'} ${text}.`,
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
