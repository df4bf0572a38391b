// The Transcription ID parameter (Get, Delete, Download Audio): a resource locator whose value
// is picked from a list, typed as an ID or pasted as a URL. Workflows saved before it was a
// resource locator hold a plain string (an id or a result_url); those keep working.
import type { IExecuteFunctions } from 'n8n-workflow';

import { invalidParameter } from '../helpers/errors';

export const TRANSCRIPTION_ID_FIELD = 'Transcription ID';

const UUID_SOURCE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** The whole value in "By ID" mode (n8n anchors it with ^…$). */
export const ID_MODE_PATTERN = `\\s*${UUID_SOURCE}\\s*`;
/**
 * "By URL": any http(s) link that holds the job's id — Gladia's result_url
 * (/v2/pre-recorded/<id> or /v2/transcription/<id>) or a link to the job in Gladia's app.
 */
export const URL_MODE_PATTERN = `\\s*https?://\\S*${UUID_SOURCE}\\S*`;
/** What n8n extracts from a "By URL" value: the first id in it. */
export const URL_EXTRACT_PATTERN = `https?://\\S*?(${UUID_SOURCE})`;

const UUIDS = new RegExp(UUID_SOURCE, 'g');
/** Non-UUID ids are kept as they are (Gladia's ids are UUIDs; a token like this is harmless). */
const TOKEN = /^[A-Za-z0-9_-]{1,100}$/;
const EXAMPLE_ID = '45463597-20b7-4af7-b3b3-f5fb778203ab';
const FIX = `Pick the transcription from the list, or give one ID returned by Create or Transcribe (e.g. ${EXAMPLE_ID}) or its result_url.`;

function shown(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}

/**
 * The parameter as n8n resolves it: with extractValue, "By URL" yields the id; a plain string
 * from an older workflow comes back as it is. n8n's own extraction error says neither the item
 * nor what to do, so it is replaced by ours.
 */
function locatorValue(ctx: IExecuteFunctions, itemIndex: number): unknown {
	try {
		return ctx.getNodeParameter('transcriptionId', itemIndex, '', { extractValue: true });
	} catch {
		// Reading it again without extraction rethrows an expression's own error unchanged.
		const raw = ctx.getNodeParameter('transcriptionId', itemIndex, '') as { value?: unknown };
		throw invalidParameter(
			ctx.getNode(),
			itemIndex,
			TRANSCRIPTION_ID_FIELD,
			`"${shown(raw?.value ?? raw)}" is not a link to a Gladia transcription`,
			`Paste its result_url, e.g. https://api.gladia.io/v2/pre-recorded/${EXAMPLE_ID}, or switch to "By ID".`,
		);
	}
}

/** One job id from the value: a UUID (also inside a URL) or a plain token. */
export function readTranscriptionId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = locatorValue(ctx, itemIndex);
	const fail = (problem: string, fix = FIX): never => {
		throw invalidParameter(ctx.getNode(), itemIndex, TRANSCRIPTION_ID_FIELD, problem, fix);
	};
	if (Array.isArray(value)) {
		return fail(
			`is a list (${shown(value)}), not one transcription ID`,
			'Give one ID per item: split the list into items first (Split Out node).',
		);
	}
	if (typeof value !== 'string') {
		return fail(
			value === null || value === undefined
				? 'is empty'
				: `${shown(value)} is not a transcription ID`,
		);
	}
	const text = value.trim();
	const uuids = text.match(UUIDS) ?? [];
	if (uuids.length > 1) {
		return fail(
			`holds ${uuids.length} transcription IDs ("${shown(text)}")`,
			'Give one ID per item: split them into items first (Split Out node).',
		);
	}
	if (uuids.length === 1) return uuids[0].toLowerCase();
	if (TOKEN.test(text)) return text;
	return fail(text ? `"${shown(text)}" is not a transcription ID` : 'is empty');
}
