// Gladia Trigger over real HTTP (setup: GladiaTrigger.harness.ts). Per-job callbacks from the
// emulator: one execution per finished job, raw or simplified.
import {
	emulator,
	finishedJob,
	nodeJobGets,
	outputOf,
	trigger,
	useTriggerHarness,
} from './GladiaTrigger.harness';

useTriggerHarness();

describe('GladiaTrigger with per-job callbacks from the emulator', () => {
	it('starts one execution per finished job, with the result from Gladia', async () => {
		const server = await trigger();
		const job = await finishedJob({ callback: { url: server.url }, metadata: { crm_id: 'C-42' } });
		await server.settled();

		expect(emulator.callbacks).toHaveLength(1);
		expect(emulator.callbacks[0]).toMatchObject({
			ok: true,
			status: 200,
			event: 'transcription.success',
		});
		expect(server.executions()).toHaveLength(1);
		const output = outputOf(server);
		const result = job.result as { transcription: { full_transcript: string } };
		expect(output).toMatchObject({
			event: 'transcription.success',
			id: job.id,
			status: 'done',
			custom_metadata: { crm_id: 'C-42' },
			transcript: result.transcription.full_transcript,
			verified: true,
			source: 'callback',
			delivery_id: null,
		});
		expect(String(output.transcript).length).toBeGreaterThan(10);
		expect(nodeJobGets(String(job.id))).toBe(1);
	});

	it('accepts callbacks sent with PUT', async () => {
		const server = await trigger();
		await finishedJob({ callback: { url: server.url, method: 'PUT' } });
		await server.settled();
		expect(emulator.callbacks[0]).toMatchObject({ method: 'PUT', ok: true });
		expect(server.received[0].method).toBe('PUT');
		expect(server.executions()).toHaveLength(1);
	});

	it('reports a failed job with its error code', async () => {
		emulator.script('broken-audio', { errorCode: 422 });
		const server = await trigger();
		const job = await finishedJob({
			callback: { url: server.url },
			audio: 'https://media.example.com/broken-audio.wav',
		});
		await server.settled();
		expect(job.status).toBe('error');
		const output = outputOf(server);
		expect(output).toMatchObject({
			event: 'transcription.error',
			id: job.id,
			status: 'error',
			verified: true,
		});
		expect(output.error).toMatchObject({
			code: 422,
			message: expect.stringContaining(String(job.id)),
		});
		expect(output).not.toHaveProperty('transcript');
	});

	it('outputs Gladia’s raw result with Simplify off, and no result with Include Result off', async () => {
		const raw = await trigger({ simplify: false });
		const job = await finishedJob({ callback: { url: raw.url } });
		await raw.settled();
		expect(outputOf(raw).result).toEqual(job.result);

		const bare = await trigger({ includeResult: false });
		await finishedJob({ callback: { url: bare.url } });
		await bare.settled();
		expect(Object.keys(outputOf(bare)).sort()).toEqual(
			['custom_metadata', 'delivery_id', 'event', 'id', 'source', 'status', 'verified'].sort(),
		);
	});

	it('with Verify With Gladia off, uses the callback body without calling Gladia', async () => {
		const server = await trigger({ verifyWithGladia: false });
		const job = await finishedJob({ callback: { url: server.url } });
		await server.settled();
		expect(nodeJobGets(String(job.id))).toBe(0);
		expect(outputOf(server)).toMatchObject({
			id: job.id,
			verified: false,
			transcript: (job.result as { transcription: { full_transcript: string } }).transcription
				.full_transcript,
		});
	});

	it('answers 200 without executing for events that are not selected', async () => {
		const server = await trigger({ events: ['transcription.error'] });
		const job = await finishedJob({ callback: { url: server.url } });
		await server.settled();
		expect(emulator.callbacks[0].status).toBe(200);
		expect(server.received[0]).toMatchObject({ outcome: 'answered', status: 200 });
		expect(server.received[0].response).toMatchObject({ received: true, executed: false });
		expect(server.executions()).toHaveLength(0);
		expect(nodeJobGets(String(job.id))).toBe(0);
	});
});
