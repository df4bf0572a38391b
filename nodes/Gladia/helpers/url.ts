// http(s) URL checks shared by the body mapper (Callback URL) and the audio source (Audio URL).

/** The value as an absolute http(s) URL, or undefined. */
export function httpUrl(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
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
	return text ? `${JSON.stringify(text.slice(0, 200))} is not an http(s) URL` : 'is empty';
}
