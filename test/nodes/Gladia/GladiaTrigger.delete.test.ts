// Gladia Trigger over real HTTP (setup: GladiaTrigger.harness.ts). Delete From Gladia After
// Fetching: the job goes only once Gladia's own record of it is in the output; a failed delete
// still starts the workflow, with the reason.
import { DELETE_AFTER_FETCH_POLICY } from '../../../nodes/Gladia/transport/retry';
import {
	dashboardBody,
	emulator,
	finishedJob,
	outputOf,
	send,
	signedTrigger,
	svixHeaders,
	trigger,
	useTriggerHarness,
} from './GladiaTrigger.harness';

useTriggerHarness();

const exists = (id: unknown) => emulator.jobs().some((job) => job.id === id);
const deletes = () => emulator.log.filter((entry) => entry.method === 'DELETE');

describe('GladiaTrigger with Delete From Gladia After Fetching', () => {
	it('outputs the verified result, then deletes the job', async () => {
		const server = await trigger({ deleteAfterFetch: true });
		const job = await finishedJob({ callback: { url: server.url } });
		await server.settled();
		const output = outputOf(server);
		expect(output).toMatchObject({
			id: job.id,
			verified: true,
			transcript: (job.result as { transcription: { full_transcript: string } }).transcription
				.full_transcript,
			gladia_delete: { deleted: true },
		});
		expect(exists(job.id)).toBe(false);
		// Read first (the output), then deleted.
		const requests = emulator.log.filter((entry) => entry.path === `/v2/pre-recorded/${job.id}`);
		expect(requests.slice(-2).map((entry) => [entry.method, entry.status])).toEqual([
			['GET', 200],
			['DELETE', 202],
		]);
	});

	it('a refused delete still starts the workflow, with the result and the reason', async () => {
		const server = await trigger({ deleteAfterFetch: true });
		emulator.injectFault({
			route: 'delete',
			kind: '500',
			count: DELETE_AFTER_FETCH_POLICY.maxAttempts,
		});
		const job = await finishedJob({ callback: { url: server.url } });
		await server.settled();
		const output = outputOf(server);
		expect(String(output.transcript).length).toBeGreaterThan(0);
		expect(output.gladia_delete).toEqual({
			deleted: false,
			error: `Could not delete job ${String(job.id)} at Gladia: Internal server error (HTTP 500). The result is complete; delete the job later with Transcription → Delete.`,
		});
		expect(JSON.stringify(output)).not.toContain(emulator.apiKey);
		expect(emulator.callbacks[0]).toMatchObject({ ok: true, status: 200 });
		expect(exists(job.id)).toBe(true);
	});

	it('deletes a failed job once its error is in the output', async () => {
		emulator.script('broken-audio', { errorCode: 422 });
		const server = await trigger({ deleteAfterFetch: true });
		const job = await finishedJob({
			callback: { url: server.url },
			audio: 'https://media.example.com/broken-audio.wav',
		});
		await server.settled();
		expect(outputOf(server)).toMatchObject({
			event: 'transcription.error',
			error: { code: 422 },
			gladia_delete: { deleted: true },
		});
		expect(exists(job.id)).toBe(false);
	});

	it.each([
		['Include Result is off (the output lacks the transcript)', { includeResult: false }],
		[
			'Verify With Gladia is off (only the request body vouches for it)',
			{ verifyWithGladia: false },
		],
	])('keeps the job when %s, and says why', async (_case, parameters) => {
		const server = await trigger({ deleteAfterFetch: true, ...parameters });
		const job = await finishedJob({ callback: { url: server.url } });
		await server.settled();
		expect(outputOf(server).gladia_delete).toEqual({
			deleted: false,
			error:
				'Not deleted: only a job read from Gladia whose result is in this output is deleted (turn on Verify With Gladia, and Include Result for success events)',
		});
		expect(deletes()).toHaveLength(0);
		expect(exists(job.id)).toBe(true);
	});

	it('a redelivery after the delete starts nothing: answered from the replay record', async () => {
		const server = await signedTrigger({ deleteAfterFetch: true });
		const job = await finishedJob();
		const body = dashboardBody('transcription.success', String(job.id));
		const headers = svixHeaders(body);
		expect((await send(server.url, body, { headers })).status).toBe(200);
		expect((await send(server.url, body, { headers })).body).toMatchObject({
			received: true,
			executed: false,
		});
		await server.settled();
		expect(server.executions()).toHaveLength(1);
		expect(outputOf(server).gladia_delete).toEqual({ deleted: true });
		expect(deletes()).toHaveLength(1);
	});

	it('leaves created events alone (no gladia_delete), and is off by default', async () => {
		const created = await signedTrigger({ deleteAfterFetch: true });
		const job = await finishedJob();
		const body = dashboardBody('transcription.created', String(job.id));
		await send(created.url, body, { headers: svixHeaders(body) });
		await created.settled();
		expect(outputOf(created)).not.toHaveProperty('gladia_delete');

		const plain = await trigger();
		await finishedJob({ callback: { url: plain.url } });
		await plain.settled();
		expect(outputOf(plain)).not.toHaveProperty('gladia_delete');
		expect(deletes()).toHaveLength(0);
	});
});
