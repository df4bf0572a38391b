import type { INode } from 'n8n-workflow';

import {
	deletePlanFor,
	parseDelivery,
	parseEvent,
	statusMatchesEvent,
	triggerOutput,
	type Delivery,
} from '../../../../nodes/Gladia/trigger/delivery';
import type { PreRecordedJob } from '../../../../nodes/Gladia/helpers/types';

const NODE = { name: 'Gladia Trigger', type: 'gladiaTrigger' } as INode;
const JOB_ID = '45463597-20b7-4af7-b3b3-f5fb778203ab';

function parse(body: unknown): Delivery | { message: string } {
	const parsed = parseEvent(Buffer.from(JSON.stringify(body)));
	if ('message' in parsed) return parsed;
	return parseDelivery(parsed.body, parsed.event);
}

const job: PreRecordedJob = {
	id: JOB_ID,
	request_id: 'G-1',
	version: 2,
	kind: 'pre-recorded',
	status: 'done',
	created_at: '2026-01-01T00:00:00.000Z',
	completed_at: '2026-01-01T00:00:05.000Z',
	custom_metadata: { ticket: 'T-1' },
	result: {
		metadata: {
			audio_duration: 5,
			number_of_distinct_channels: 1,
			billing_time: 5,
			transcription_time: 1,
		},
		transcription: {
			full_transcript: 'Hello from Gladia.',
			languages: ['en'],
			utterances: [
				{
					start: 0,
					end: 1,
					confidence: 0.9,
					channel: 0,
					speaker: 0,
					words: [],
					text: 'Hello from Gladia.',
					language: 'en',
				},
			],
		},
	},
};

describe('parseEvent / parseDelivery', () => {
	it('reads a per-job callback with its embedded result, error and metadata', () => {
		expect(
			parse({
				id: JOB_ID,
				event: 'transcription.success',
				payload: job.result,
				custom_metadata: { a: 1 },
			}),
		).toEqual({
			event: 'transcription.success',
			jobId: JOB_ID,
			source: 'callback',
			result: job.result,
			customMetadata: { a: 1 },
		});
		expect(
			parse({ id: JOB_ID, event: 'transcription.error', error: { code: 500, message: 'boom' } }),
		).toEqual({
			event: 'transcription.error',
			jobId: JOB_ID,
			source: 'callback',
			error: { code: 500, message: 'boom' },
			customMetadata: null,
		});
	});

	it('reads a dashboard webhook, which carries the id only', () => {
		expect(parse({ event: 'transcription.created', payload: { id: JOB_ID } })).toEqual({
			event: 'transcription.created',
			jobId: JOB_ID,
			source: 'webhook',
		});
	});

	it('explains what is wrong with a body', () => {
		expect(parseEvent(Buffer.alloc(0))).toEqual({
			message: 'The request has no body: expected a Gladia event as JSON',
		});
		expect(parseEvent(Buffer.from('{'))).toEqual({ message: 'The request body is not valid JSON' });
		expect(parseEvent(Buffer.from('null'))).toEqual({
			message: 'The request body must be a JSON object',
		});
		expect(parseEvent(Buffer.from('{"event": ""}'))).toEqual({
			message: 'The request body has no "event" name',
		});
		expect(parse({ event: 'transcription.success', payload: {} })).toEqual({
			message: 'The request body has no job ID ("id", or "payload.id" for dashboard webhooks)',
		});
		for (const id of ['../x', 'a/b', 'a.b', '', '-x', 'x'.repeat(129), 'é']) {
			expect(parse({ event: 'transcription.success', id })).toEqual({
				message: 'The job ID in the request body is not a Gladia job ID',
			});
		}
	});
});

describe('statusMatchesEvent', () => {
	it('pairs success with done and error with error; created goes with any status', () => {
		expect(statusMatchesEvent('transcription.success', 'done')).toBe(true);
		expect(statusMatchesEvent('transcription.success', 'processing')).toBe(false);
		expect(statusMatchesEvent('transcription.error', 'error')).toBe(true);
		expect(statusMatchesEvent('transcription.error', 'done')).toBe(false);
		for (const status of ['queued', 'processing', 'done', 'error'] as const) {
			expect(statusMatchesEvent('transcription.created', status)).toBe(true);
		}
	});
});

describe('triggerOutput', () => {
	const options = { includeResult: true, simplify: true };

	it('builds everything from the fetched job when there is one', () => {
		const forged = parse({
			id: JOB_ID,
			event: 'transcription.success',
			payload: { transcription: { full_transcript: 'forged' } },
			custom_metadata: { ticket: 'forged' },
		}) as Delivery;
		expect(triggerOutput(NODE, forged, job, { ...options, messageId: 'msg_1' })).toMatchObject({
			event: 'transcription.success',
			id: JOB_ID,
			status: 'done',
			transcript: 'Hello from Gladia.',
			speaker_transcript: 'Speaker 1: Hello from Gladia.',
			custom_metadata: { ticket: 'T-1' },
			verified: true,
			source: 'callback',
			delivery_id: 'msg_1',
		});
	});

	it('uses the callback body, marked unverified, when there is no job', () => {
		const delivery = parse({
			id: JOB_ID,
			event: 'transcription.success',
			payload: job.result,
			custom_metadata: { ticket: 'T-9' },
		}) as Delivery;
		expect(triggerOutput(NODE, delivery, undefined, options)).toMatchObject({
			id: JOB_ID,
			status: 'done',
			transcript: 'Hello from Gladia.',
			custom_metadata: { ticket: 'T-9' },
			verified: false,
			delivery_id: null,
		});
		expect(triggerOutput(NODE, delivery, undefined, { ...options, simplify: false })).toEqual({
			event: 'transcription.success',
			id: JOB_ID,
			status: 'done',
			custom_metadata: { ticket: 'T-9' },
			verified: false,
			source: 'callback',
			delivery_id: null,
			result: job.result,
		});
	});

	it('reports error events with a code and message, from Gladia or from the callback', () => {
		const delivery = parse({
			id: JOB_ID,
			event: 'transcription.error',
			error: { code: 400, message: 'Audio not found' },
		}) as Delivery;
		expect(triggerOutput(NODE, delivery, undefined, options).error).toEqual({
			code: 400,
			message: 'Audio not found',
		});
		const failed = { ...job, status: 'error' as const, error_code: 400, result: null };
		expect(triggerOutput(NODE, delivery, failed, options)).toMatchObject({
			status: 'error',
			verified: true,
			error: {
				code: 400,
				message: `Gladia could not transcribe job ${JOB_ID}: error code 400`,
				hint: expect.stringContaining('publicly reachable'),
			},
		});
	});

	it('leaves the result out when asked, and knows no status for an unverified created event', () => {
		const success = parse({ id: JOB_ID, event: 'transcription.success', payload: job.result });
		expect(
			Object.keys(
				triggerOutput(NODE, success as Delivery, job, { includeResult: false, simplify: true }),
			),
		).toEqual(['event', 'id', 'status', 'custom_metadata', 'verified', 'source', 'delivery_id']);
		const created = parse({ event: 'transcription.created', payload: { id: JOB_ID } });
		expect(triggerOutput(NODE, created as Delivery, undefined, options)).toEqual({
			event: 'transcription.created',
			id: JOB_ID,
			status: null,
			custom_metadata: null,
			verified: false,
			source: 'webhook',
			delivery_id: null,
		});
	});
});

describe('deletePlanFor (Delete From Gladia After Fetching)', () => {
	const delivery = (event: string): Delivery => ({ event, jobId: JOB_ID, source: 'callback' });

	it('deletes a job read from Gladia once its output is complete', () => {
		expect(deletePlanFor(delivery('transcription.success'), job, true)).toEqual({ job });
		// A failed job's output is its error: nothing else to include.
		expect(deletePlanFor(delivery('transcription.error'), job, false)).toEqual({ job });
	});

	it('keeps the job, saying why, without Gladia’s record or without the result', () => {
		const kept = { outcome: { deleted: false, error: expect.stringMatching(/^Not deleted: /) } };
		expect(deletePlanFor(delivery('transcription.success'), undefined, true)).toEqual(kept);
		expect(deletePlanFor(delivery('transcription.success'), job, false)).toEqual(kept);
		expect(deletePlanFor(delivery('transcription.error'), undefined, true)).toEqual(kept);
	});

	it('has nothing to do for other events', () => {
		expect(deletePlanFor(delivery('transcription.created'), job, true)).toBeUndefined();
	});
});
