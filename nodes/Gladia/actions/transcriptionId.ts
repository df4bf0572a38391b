// The Transcription ID parameter (Get, Delete, Download Audio): a resource locator whose value
// is picked from a list, typed as an ID or pasted as a URL. Workflows saved before it was a
// resource locator hold a plain string (an id or a result_url); those keep working.
import type { IExecuteFunctions } from 'n8n-workflow';

import { checkedJobId, EXAMPLE_JOB_ID, quoted, UUID_SOURCE } from '../helpers/checks';
import { invalidParameter } from '../helpers/errors';

export const TRANSCRIPTION_ID_FIELD = 'Transcription ID';

/** The whole value in "By ID" mode (n8n anchors it with ^…$). */
export const ID_MODE_PATTERN = `\\s*${UUID_SOURCE}\\s*`;
/**
 * "By URL": any http(s) link that holds the job's id — Gladia's result_url
 * (/v2/pre-recorded/<id> or /v2/transcription/<id>) or a link to the job in Gladia's app.
 */
export const URL_MODE_PATTERN = `\\s*https?://\\S*${UUID_SOURCE}\\S*`;
/** What n8n extracts from a "By URL" value: the first id in it. */
export const URL_EXTRACT_PATTERN = `https?://\\S*?(${UUID_SOURCE})`;

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
			`${quoted(raw?.value ?? raw)} is not a link to a Gladia transcription`,
			`Paste its result_url, e.g. https://api.gladia.io/v2/pre-recorded/${EXAMPLE_JOB_ID}, or switch to "By ID".`,
		);
	}
}

/** One job id from the value: a plain id, or a URL holding exactly one (helpers/checks.ts). */
export function readTranscriptionId(ctx: IExecuteFunctions, itemIndex: number): string {
	return checkedJobId(locatorValue(ctx, itemIndex), itemIndex, ctx.getNode());
}
