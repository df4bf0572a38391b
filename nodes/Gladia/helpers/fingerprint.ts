// Reuse Earlier Job: a fingerprint of "this audio with these options", stored in a job's
// custom_metadata so a later run (a retried execution, a re-run workflow) can find the job
// Gladia already made instead of paying for a second one.
//
// What counts: every request field that changes what Gladia produces. What does not:
// - audio_url: replaced by the audio's identity (the URL as given, the binary file's content,
//   or a key the user chose), because an uploaded file gets a new audio_url on every upload;
// - callback fields: where the result is announced, not what it is (callback mode sets a URL
//   per execution);
// - custom_metadata: labels on the job (n8n's own keys, batch markers, the user's ids), which
//   often hold per-run values such as an execution id.
import { createHash } from 'node:crypto';

import type { InitTranscriptionRequest } from './types';

/** custom_metadata key holding the fingerprint of the job's audio and options. */
export const REUSE_FIELD = 'n8n_reuse_key';

/** Body fields left out of the fingerprint (see the comment at the top). */
const PER_RUN_FIELDS = [
	'audio_url',
	'callback',
	'callback_config',
	'callback_url',
	'custom_metadata',
];

/** What identifies the recording, in place of its (per-upload) audio_url. */
export type AudioIdentity =
	| { kind: 'url'; url: string }
	| { kind: 'content'; sha256: string }
	| { kind: 'key'; key: string };

/** JSON with object keys sorted at every level, so key order never changes the hash. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, field]) => field !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** The request options that decide Gladia's result: the body without its per-run fields. */
export function resultDecidingOptions(body: InitTranscriptionRequest): Record<string, unknown> {
	const options: Record<string, unknown> = { ...body };
	for (const field of PER_RUN_FIELDS) delete options[field];
	return options;
}

/** `v1:` + SHA-256 (hex) of the options and the audio identity: 67 characters. */
export function reuseFingerprint(body: InitTranscriptionRequest, audio: AudioIdentity): string {
	const text = canonicalJson({ audio, options: resultDecidingOptions(body) });
	return `v1:${createHash('sha256').update(text).digest('hex')}`;
}
