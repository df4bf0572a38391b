import { Webhook } from 'svix';
import { validateComponent } from './index';
import { startReceiver, TEST_WHSEC, transcribe, useEmulator, waitFor } from './testkit';

const ctx = useEmulator({ deliveryRetry: { attempts: 3, backoffMs: 5 } });
const SECRET = TEST_WHSEC;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

afterEach(async () => {
	await receiver?.close();
});

describe('per-job callbacks (API.md §6.1)', () => {
	it('POSTs the success payload: {id, event, payload: result, custom_metadata}', async () => {
		receiver = await startReceiver();
		const job = await transcribe(ctx.api, {
			audio_url: 'https://x.example/a.wav?emulator_duration=10',
			callback: true,
			callback_config: { url: `${receiver.url}/hook?token=abc` },
			custom_metadata: { user: 'John Doe' },
		});
		await ctx.emu.deliveriesSettled();
		expect(receiver.received).toHaveLength(1);
		const [request] = receiver.received;
		expect(request.method).toBe('POST');
		expect(request.url).toBe('/hook?token=abc');
		expect(request.headers['content-type']).toBe('application/json');
		const body = JSON.parse(request.body);
		expect(body).toEqual({
			id: job.id,
			event: 'transcription.success',
			payload: job.result,
			custom_metadata: { user: 'John Doe' },
		});
		expect(validateComponent('CallbackTranscriptionSuccessPayload', body).errors).toEqual([]);
		expect(ctx.emu.callbacks[0]).toMatchObject({
			kind: 'callback',
			method: 'POST',
			status: 200,
			attempts: 1,
			ok: true,
			jobId: job.id,
		});
	});

	it('uses the configured method (PUT) and sends the error payload when the job fails', async () => {
		receiver = await startReceiver();
		ctx.emu.script('bad.wav', { errorCode: 422 });
		const job = await transcribe(ctx.api, {
			audio_url: 'https://x.example/bad.wav',
			callback: true,
			callback_config: { url: receiver.url, method: 'PUT' },
		});
		await ctx.emu.deliveriesSettled();
		const [request] = receiver.received;
		expect(request.method).toBe('PUT');
		const body = JSON.parse(request.body);
		expect(body).toEqual({
			id: job.id,
			event: 'transcription.error',
			error: { code: 422, message: expect.any(String) },
			custom_metadata: null,
		});
		expect(validateComponent('CallbackTranscriptionErrorPayload', body).errors).toEqual([]);
	});

	it('POSTs to the deprecated callback_url too', async () => {
		receiver = await startReceiver();
		await transcribe(ctx.api, {
			audio_url: 'https://x.example/a.wav',
			callback_url: `${receiver.url}/legacy`,
		});
		await ctx.emu.deliveriesSettled();
		expect(receiver.received.map((r) => [r.method, r.url])).toEqual([['POST', '/legacy']]);
	});

	it('retries a failing receiver with backoff and records every attempt count', async () => {
		receiver = await startReceiver(2);
		await transcribe(ctx.api, {
			audio_url: 'https://x.example/a.wav',
			callback: true,
			callback_config: { url: receiver.url },
		});
		await ctx.emu.deliveriesSettled();
		expect(receiver.received).toHaveLength(3);
		expect(ctx.emu.callbacks[0]).toMatchObject({ attempts: 3, status: 200, ok: true });
	});

	it('gives up after the configured attempts, recording the last status (0 for an unreachable host)', async () => {
		receiver = await startReceiver(10);
		ctx.emu.configure({ deliveryRetry: { attempts: 2, backoffMs: 1 } });
		await transcribe(ctx.api, {
			audio_url: 'https://x.example/a.wav',
			callback: true,
			callback_config: { url: receiver.url },
		});
		await transcribe(ctx.api, {
			audio_url: 'https://x.example/b.wav',
			callback: true,
			callback_config: { url: 'http://127.0.0.1:9/closed' },
		});
		await ctx.emu.deliveriesSettled();
		expect(receiver.received).toHaveLength(2);
		expect(ctx.emu.callbacks.map((c) => [c.status, c.attempts, c.ok])).toEqual([
			[500, 2, false],
			[0, 2, false],
		]);
	});
});

describe('dashboard webhooks signed with svix (API.md §6.2)', () => {
	it('sends transcription.created and transcription.success, each verifiable with svix Webhook.verify', async () => {
		receiver = await startReceiver();
		ctx.emu.configure({ webhook: { urls: [`${receiver.url}/gladia`], secret: SECRET } });
		const job = await transcribe(ctx.api, { audio_url: 'https://x.example/a.wav' });
		await ctx.emu.deliveriesSettled();
		expect(receiver.received).toHaveLength(2);
		const verifier = new Webhook(SECRET);
		const events = receiver.received.map((r) => {
			const verified = verifier.verify(r.body, {
				'svix-id': String(r.headers['svix-id']),
				'svix-timestamp': String(r.headers['svix-timestamp']),
				'svix-signature': String(r.headers['svix-signature']),
			}) as { event: string; payload: { id: string } };
			return verified;
		});
		expect(events).toEqual([
			{ event: 'transcription.created', payload: { id: job.id } },
			{ event: 'transcription.success', payload: { id: job.id } },
		]);
		expect(validateComponent('WebhookTranscriptionCreatedPayload', events[0]).errors).toEqual([]);
		expect(validateComponent('WebhookTranscriptionSuccessPayload', events[1]).errors).toEqual([]);
		expect(receiver.received[0].headers['svix-id']).toMatch(/^msg_/);
	});

	it('sends transcription.error for a failed job', async () => {
		receiver = await startReceiver();
		ctx.emu.configure({ webhook: { urls: [receiver.url], secret: SECRET } });
		ctx.emu.script('fail', { errorCode: 500 });
		const job = await transcribe(ctx.api, { audio_url: 'https://x.example/fail.wav' });
		await waitFor(() => receiver.received.length === 2);
		const last = JSON.parse(receiver.received[1].body);
		expect(last).toEqual({ event: 'transcription.error', payload: { id: job.id } });
		expect(validateComponent('WebhookTranscriptionErrorPayload', last).errors).toEqual([]);
	});

	it('rejects verification with another secret or a tampered body', async () => {
		receiver = await startReceiver();
		ctx.emu.configure({ webhook: { urls: [receiver.url], secret: SECRET } });
		await ctx.api.post('/v2/pre-recorded', { audio_url: 'https://x.example/a.wav' });
		await waitFor(() => receiver.received.length >= 1);
		const [request] = receiver.received;
		const headers = {
			'svix-id': String(request.headers['svix-id']),
			'svix-timestamp': String(request.headers['svix-timestamp']),
			'svix-signature': String(request.headers['svix-signature']),
		};
		expect(() =>
			new Webhook('whsec_' + Buffer.from('another-secret-key!!').toString('base64')).verify(
				request.body,
				headers,
			),
		).toThrow();
		expect(() =>
			new Webhook(SECRET).verify(request.body.replace('created', 'success'), headers),
		).toThrow();
	});

	it('can use webhook-* header names, and keeps the message id across retries', async () => {
		receiver = await startReceiver(1);
		// A slow job, so only transcription.created is in flight.
		ctx.emu.configure({
			speedFactor: 1000,
			webhook: { urls: [receiver.url], secret: SECRET, headerPrefix: 'webhook' },
		});
		await ctx.api.post('/v2/pre-recorded', { audio_url: 'https://x.example/a.wav' });
		await ctx.emu.deliveriesSettled();
		expect(receiver.received).toHaveLength(2);
		const [failed, retried] = receiver.received;
		expect(failed.headers['svix-id']).toBeUndefined();
		expect(retried.headers['webhook-id']).toBe(failed.headers['webhook-id']);
		const verified = new Webhook(SECRET).verify(retried.body, {
			'webhook-id': String(retried.headers['webhook-id']),
			'webhook-timestamp': String(retried.headers['webhook-timestamp']),
			'webhook-signature': String(retried.headers['webhook-signature']),
		});
		expect(verified).toMatchObject({ event: 'transcription.created' });
		expect(ctx.emu.webhooks).toEqual([
			expect.objectContaining({ event: 'transcription.created', attempts: 2, ok: true }),
		]);
	});

	it('delivers to every configured URL', async () => {
		receiver = await startReceiver();
		ctx.emu.configure({
			speedFactor: 1000,
			webhook: { urls: [`${receiver.url}/one`, `${receiver.url}/two`], secret: SECRET },
		});
		await ctx.api.post('/v2/pre-recorded', { audio_url: 'https://x.example/a.wav' });
		await ctx.emu.deliveriesSettled();
		expect(receiver.received.map((r) => r.url).sort()).toEqual(['/one', '/two']);
	});
});
