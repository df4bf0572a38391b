import axios from 'axios';
import { makeWav } from './index';
import { transcribe, uploadWav, useEmulator } from './testkit';

const ctx = useEmulator();
const audio_url = 'https://x.example/a.wav';

describe('fault injection', () => {
	it('429 with Retry-After, for `count` requests of the route only', async () => {
		ctx.emu.injectFault({ route: 'list', kind: '429', count: 2, retryAfter: 3 });
		const first = await ctx.api.get('/v2/pre-recorded');
		expect(first.status).toBe(429);
		expect(first.headers['retry-after']).toBe('3');
		expect(first.data).toMatchObject({ statusCode: 429 });
		expect((await ctx.api.post('/v2/pre-recorded', { audio_url })).status).toBe(201); // other route untouched
		expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(429);
		expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(200);
		expect(ctx.emu.log.map((e) => e.fault ?? '-')).toEqual(['429', '-', '429', '-']);
	});

	it('429 without Retry-After', async () => {
		ctx.emu.injectFault({ route: 'get', kind: '429' });
		const response = await ctx.api.get('/v2/pre-recorded/00000000-0000-0000-0000-000000000000');
		expect(response.status).toBe(429);
		expect(response.headers['retry-after']).toBeUndefined();
	});

	it("500 in Gladia's error shape, and does not create the job", async () => {
		ctx.emu.injectFault({ route: 'create', kind: '500' });
		const response = await ctx.api.post('/v2/pre-recorded', { audio_url });
		expect(response.status).toBe(500);
		expect(response.data).toMatchObject({ statusCode: 500, path: '/v2/pre-recorded' });
		expect(ctx.emu.jobs()).toHaveLength(0);
	});

	it('502 as a gateway would send it (HTML, not JSON)', async () => {
		ctx.emu.injectFault({ route: 'upload', kind: '502' });
		const form = new FormData();
		form.append('audio', new Blob([makeWav(1)]), 'a.wav');
		const response = await ctx.api.post('/v2/upload', form);
		expect(response.status).toBe(502);
		expect(response.headers['content-type']).toBe('text/html');
		expect(String(response.data)).toContain('502 Bad Gateway');
		// The emulator drained the upload and serves the next one.
		expect((await ctx.api.post('/v2/upload', form)).status).toBe(200);
	});

	it('slow delays the response by delayMs, then answers normally', async () => {
		ctx.emu.injectFault({ route: 'list', kind: 'slow', delayMs: 300 });
		const started = Date.now();
		const response = await ctx.api.get('/v2/pre-recorded');
		expect(response.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		// Only the next request was slowed.
		const next = Date.now();
		expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(200);
		expect(Date.now() - next).toBeLessThan(290);
	});

	it('slow beyond the client timeout makes the client time out', async () => {
		ctx.emu.injectFault({ route: 'get', kind: 'slow', delayMs: 400 });
		await expect(ctx.api.get('/v2/pre-recorded/x', { timeout: 100 })).rejects.toMatchObject({
			code: 'ECONNABORTED',
		});
	});

	it('reset drops the connection without a response, logged with status 0', async () => {
		ctx.emu.injectFault({ route: 'get', kind: 'reset' });
		const error = await ctx.api.get('/v2/pre-recorded/x').catch((e: unknown) => e);
		expect(axios.isAxiosError(error) && error.response).toBeFalsy();
		expect((error as { code?: string }).code).toMatch(/ECONNRESET|ERR_BAD_RESPONSE|socket hang up/);
		expect(ctx.emu.log[0]).toMatchObject({ status: 0, fault: 'reset' });
		expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(200);
	});

	it('ambiguous-create creates the job, then drops the connection before any response', async () => {
		ctx.emu.injectFault({ route: 'create', kind: 'ambiguous-create' });
		const error = await ctx.api
			.post('/v2/pre-recorded', { audio_url, custom_metadata: { key: 'k1' } })
			.catch((e: unknown) => e);
		expect(axios.isAxiosError(error) && !error.response).toBe(true);
		expect(ctx.emu.jobs()).toHaveLength(1);
		// A client can find it again through its custom_metadata.
		const found = await ctx.api.get('/v2/pre-recorded', {
			params: { custom_metadata: JSON.stringify({ key: 'k1' }) },
		});
		expect(found.data.items.map((j: { id: string }) => j.id)).toEqual([ctx.emu.jobs()[0].id]);
		expect((await ctx.api.post('/v2/pre-recorded', { audio_url })).status).toBe(201);
	});

	it('route "any" hits the next request whatever it is; file faults hit the /file redirect', async () => {
		const done = await transcribe(ctx.api, { audio_url });
		ctx.emu.injectFault({ route: 'file', kind: '500' });
		expect((await ctx.api.get(`/v2/pre-recorded/${done.id}/file`)).status).toBe(500);
		expect((await ctx.api.get(`/v2/pre-recorded/${done.id}/file`)).status).toBe(302);
		ctx.emu.injectFault({ route: 'any', kind: '500', count: 2 });
		expect((await ctx.api.delete(`/v2/pre-recorded/${done.id}`)).status).toBe(500);
		expect((await ctx.api.get(`/v2/pre-recorded/${done.id}`)).status).toBe(500);
		expect((await ctx.api.delete(`/v2/pre-recorded/${done.id}`)).status).toBe(202);
	});

	it('faults come before auth, like a gateway', async () => {
		ctx.emu.injectFault({ route: 'list', kind: '429' });
		expect((await ctx.anonymous.get('/v2/pre-recorded')).status).toBe(429);
		expect((await ctx.anonymous.get('/v2/pre-recorded')).status).toBe(401);
	});

	it('reset() clears pending faults', async () => {
		ctx.emu.injectFault({ route: 'any', kind: '500', count: 10 });
		ctx.emu.reset();
		expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(200);
	});

	it('every: N hits only every Nth matching request, `count` times', async () => {
		ctx.emu.injectFault({ route: 'list', kind: '500', every: 3, count: 2 });
		const statuses = [];
		for (let i = 0; i < 8; i++) statuses.push((await ctx.api.get('/v2/pre-recorded')).status);
		expect(statuses).toEqual([200, 200, 500, 200, 200, 500, 200, 200]);
	});

	it('refuses an unknown route or kind, and a bad count or every', () => {
		expect(() => ctx.emu.injectFault({ route: 'any', kind: '500', count: 0 })).toThrow(
			/count must be a positive integer/,
		);
		expect(() => ctx.emu.injectFault({ route: 'any', kind: '500', every: 1.5 })).toThrow(
			/every must be a positive integer/,
		);
		expect(() => ctx.emu.injectFault({ route: 'nope' as 'any', kind: '500' })).toThrow(
			/Unknown fault route/,
		);
		expect(() => ctx.emu.injectFault({ route: 'any', kind: '418' as '500' })).toThrow(
			/Unknown fault kind/,
		);
	});

	it('redirect sends the request to the storage origin (same path and query) by default, or where told', async () => {
		ctx.emu.injectFault({ route: 'list', kind: 'redirect' });
		const listed = await ctx.api.get('/v2/pre-recorded?limit=1');
		expect(listed.status).toBe(302);
		expect(listed.headers.location).toBe(`${ctx.emu.storageUrl}/v2/pre-recorded?limit=1`);

		// Over the control API, as a real n8n's tests set it; the create is not carried out.
		const faults = await axios.post(`${ctx.emu.url}/__emulator/faults`, {
			route: 'create',
			kind: 'redirect',
			status: 307,
			location: '/v2/elsewhere',
		});
		expect(faults.status).toBe(200);
		const created = await ctx.api.post('/v2/pre-recorded', { audio_url });
		expect(created.status).toBe(307);
		expect(created.headers.location).toBe('/v2/elsewhere');
		expect(ctx.emu.jobs()).toHaveLength(0);
		expect(ctx.emu.log.map((entry) => [entry.fault, entry.status])).toEqual([
			['redirect', 302],
			['redirect', 307],
		]);
		expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(200); // used up

		const refused = await axios.post(
			`${ctx.emu.url}/__emulator/faults`,
			{ route: 'get', kind: 'redirect', status: 304 },
			{ validateStatus: () => true },
		);
		expect(refused.status).toBe(400);
		expect(refused.data.message).toBe(
			'Fault status must be one of 301, 302, 303, 307, 308, got 304',
		);
	});

	it('a delete fault does not delete', async () => {
		const { audio_url: url } = await uploadWav(ctx.api, makeWav(1));
		const done = await transcribe(ctx.api, { audio_url: url });
		ctx.emu.injectFault({ route: 'delete', kind: '502' });
		expect((await ctx.api.delete(`/v2/pre-recorded/${done.id}`)).status).toBe(502);
		expect((await ctx.api.get(`/v2/pre-recorded/${done.id}`)).status).toBe(200);
	});
});
