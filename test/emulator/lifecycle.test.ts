import { ERROR_CODE_TOO_LONG, makeWav } from './index';
import { transcribe, uploadWav, useEmulator, waitFor, waitForJob } from './testkit';

const ctx = useEmulator();

describe('job lifecycle', () => {
	it('goes queued → processing → done, taking audio_duration / 60 × speedFactor', async () => {
		// 60 s of audio at speedFactor 0.5 → 500 ms of processing.
		ctx.emu.configure({ speedFactor: 0.5, concurrency: 1 });
		const blocker = await ctx.api.post('/v2/pre-recorded', {
			audio_url: 'https://x.example/a.wav?emulator_duration=60',
		});
		const waiting = await ctx.api.post('/v2/pre-recorded', {
			audio_url: 'https://x.example/b.wav?emulator_duration=6',
		});
		expect((await ctx.api.get(`/v2/pre-recorded/${waiting.data.id}`)).data.status).toBe('queued');
		await waitFor(
			async () =>
				(await ctx.api.get(`/v2/pre-recorded/${blocker.data.id}`)).data.status === 'processing',
		);
		const done = await waitForJob(ctx.api, blocker.data.id);
		const [first, second] = ctx.emu.jobs().sort((a, b) => a.createdAt.localeCompare(b.createdAt));
		expect(first.processingMs).toBe(500);
		const took = new Date(done.completed_at).getTime() - new Date(first.startedAt!).getTime();
		expect(took).toBeGreaterThanOrEqual(495);
		expect(took).toBeLessThan(3000); // generous: the machine may be busy
		// The queued job only starts when the slot frees.
		await waitForJob(ctx.api, waiting.data.id);
		expect(
			new Date(ctx.emu.jobs().find((j) => j.id === second.id)!.startedAt!).getTime(),
		).toBeGreaterThanOrEqual(new Date(done.completed_at).getTime());
		expect(done.result.metadata.transcription_time).toBeGreaterThanOrEqual(0.49);
	});

	it('processes `concurrency` jobs at once and queues the rest', async () => {
		ctx.emu.configure({ speedFactor: 1000, concurrency: 2 });
		for (let i = 0; i < 5; i++)
			await ctx.api.post('/v2/pre-recorded', { audio_url: `https://x.example/${i}.wav` });
		await waitFor(() => ctx.emu.jobs().filter((j) => j.status === 'processing').length === 2);
		expect(ctx.emu.jobs().filter((j) => j.status === 'queued')).toHaveLength(3);
		// Raising concurrency starts waiting jobs straight away.
		ctx.emu.configure({ concurrency: 5 });
		await waitFor(() => ctx.emu.jobs().every((j) => j.status === 'processing'));
	});
});

describe('plan limits → 429', () => {
	it('answers 429 to the create beyond concurrency + queueLimit, without Retry-After by default', async () => {
		ctx.emu.configure({ speedFactor: 1000, concurrency: 3, queueLimit: 0 });
		for (let i = 0; i < 3; i++) {
			expect(
				(await ctx.api.post('/v2/pre-recorded', { audio_url: `https://x.example/${i}.wav` }))
					.status,
			).toBe(201);
		}
		const refused = await ctx.api.post('/v2/pre-recorded', {
			audio_url: 'https://x.example/4.wav',
		});
		expect(refused.status).toBe(429);
		expect(refused.data).toMatchObject({ statusCode: 429, path: '/v2/pre-recorded' });
		expect(refused.data.message).toContain('Too many concurrent jobs');
		expect(refused.headers['retry-after']).toBeUndefined();
		expect(ctx.emu.jobs()).toHaveLength(3);
	});

	it('sends Retry-After when retryAfterSeconds is set, and accepts again once a slot frees', async () => {
		ctx.emu.configure({ speedFactor: 0.2, concurrency: 1, queueLimit: 1, retryAfterSeconds: 7 });
		const first = await ctx.api.post('/v2/pre-recorded', {
			audio_url: 'https://x.example/a.wav?emulator_duration=30',
		});
		await ctx.api.post('/v2/pre-recorded', {
			audio_url: 'https://x.example/b.wav?emulator_duration=1',
		});
		const refused = await ctx.api.post('/v2/pre-recorded', {
			audio_url: 'https://x.example/c.wav',
		});
		expect(refused.status).toBe(429);
		expect(refused.headers['retry-after']).toBe('7');
		await waitForJob(ctx.api, first.data.id);
		expect(
			(
				await ctx.api.post('/v2/pre-recorded', {
					audio_url: 'https://x.example/c.wav?emulator_duration=1',
				})
			).status,
		).toBe(201);
	});
});

describe('size and duration limits', () => {
	it('rejects an upload over maxUploadBytes with a Gladia-shaped 413, and keeps serving', async () => {
		ctx.emu.configure({ maxUploadBytes: 50_000 });
		const form = new FormData();
		form.append('audio', new Blob([makeWav(4)]), 'big.wav'); // 64 kB
		const response = await ctx.api.post('/v2/upload', form);
		expect(response.status).toBe(413);
		expect(response.data).toMatchObject({ statusCode: 413, message: 'payload too large' });
		expect(
			(
				await ctx.api.post(
					'/v2/upload',
					(() => {
						const ok = new FormData();
						ok.append('audio', new Blob([makeWav(1)]), 'small.wav');
						return ok;
					})(),
				)
			).status,
		).toBe(200);
	});

	it('rejects at once when Content-Length already exceeds the limit', async () => {
		ctx.emu.configure({ maxUploadBytes: 1000 });
		const form = new FormData();
		form.append('audio', new Blob([Buffer.alloc(200_000, 1)]), 'huge.wav');
		const response = await ctx.api.post('/v2/upload', form);
		expect(response.status).toBe(413);
	});

	it('fails a job whose audio is longer than 135 minutes with error_code 400', async () => {
		const { audio_url } = await uploadWav(
			ctx.api,
			makeWav(1),
			'long.wav',
			'?emulator_duration=8101',
		);
		const failed = await transcribe(ctx.api, { audio_url });
		expect(failed).toMatchObject({
			status: 'error',
			error_code: ERROR_CODE_TOO_LONG,
			result: null,
		});
		expect(failed.completed_at).not.toBeNull();
		const ok = await transcribe(ctx.api, {
			audio_url: 'https://x.example/a.wav?emulator_duration=8100',
		});
		expect(ok.status).toBe('done');
	});

	it('ends in error with the scripted error_code', async () => {
		ctx.emu.script('broken-file', { errorCode: 500 });
		const failed = await transcribe(ctx.api, { audio_url: 'https://x.example/broken-file.mp3' });
		expect(failed).toMatchObject({ status: 'error', error_code: 500 });
	});
});
