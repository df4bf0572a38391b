// http(s) URL checks shared by the body mapper (Callback URL) and the audio source (Audio URL).

/** Whitespace or a control character (CR, LF, tab, …) anywhere in the text. */
const INNER_SPACE = /[\s\p{Cc}]/u;

/** The value as an absolute http(s) URL, or undefined. */
export function httpUrl(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	// The URL parser silently drops line breaks and tabs and encodes spaces: refuse them instead.
	if (INNER_SPACE.test(text)) return undefined;
	try {
		const url = new URL(text);
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
	} catch {
		return undefined;
	}
}

/** Why a value is not an http(s) URL, for error messages. */
export function notHttpUrlProblem(value: unknown): string {
	const text =
		typeof value === 'string'
			? value.trim()
			: value === undefined || value === null
				? ''
				: JSON.stringify(value);
	if (!text) return 'is empty';
	const shown = JSON.stringify(text.slice(0, 200));
	if (/[\r\n]/.test(text))
		return `${shown} contains a line break (one URL per item; remove the break)`;
	if (INNER_SPACE.test(text) && /^https?:\/\//i.test(text))
		return `${shown} contains a space or a control character (write a space as %20)`;
	return `${shown} is not an http(s) URL`;
}

/** Why the credential's Base URL cannot be used, or undefined when it can. */
export function baseUrlProblem(value: string): string | undefined {
	const shown = JSON.stringify(value.slice(0, 200));
	if (INNER_SPACE.test(value)) return `${shown} contains a space or a line break`;
	if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `${shown} has no http:// or https://`;
	if (!httpUrl(value)) return `${shown} is not an http(s) address`;
	return undefined;
}
