import axios from 'axios';
import { makeWav } from './index';
import { transcribe, uploadWav, useEmulator, waitFor } from './testkit';

const ctx = useEmulator();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('auth', () => {
	it.each([
		['missing', {}],
		['wrong', { 'x-gladia-key': 'not-a-key' }],
	])("answers 401 with Gladia's body when the key is %s", async (_, headers) => {
		const response = await ctx.anonymous.get('/v2/pre-recorded', { headers });
		expect(response.status).toBe(401);
		expect(response.data).toMatchObject({
			statusCode: 401,
			message: 'gladia key not found',
			path: '/v2/pre-recorded',
		});
		expect(response.data.request_id).toMatch(/^G-[0-9a-f]{8}$/);
		expect(ctx.emu.log[0]).toMatchObject({ status: 401, hadKey: 'x-gladia-key' in headers });
	});

	it('accepts every configured key and never logs its value', async () => {
		ctx.emu.configure({ apiKeys: ['first', 'second'] });
		expect(
			(await ctx.anonymous.get('/v2/pre-recorded', { headers: { 'x-gladia-key': 'second' } }))
				.status,
		).toBe(200);
		expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(401);
		expect(JSON.stringify(ctx.emu.log)).not.toContain('second');
		expect(ctx.emu.log[0].headers['x-gladia-key']).toBe('[redacted]');
	});
});

describe('POST /v2/upload', () => {
	it('stores a multipart upload and reads the WAV header', async () => {
		const wav = makeWav(12.5, { channels: 2 });
		const response = await ctx.api.post('/v2/upload', formWith(wav, 'call.wav'));
		expect(response.status).toBe(200);
		const { audio_url, audio_metadata } = response.data;
		expect(audio_metadata).toEqual({
			id: expect.stringMatching(UUID),
			filename: 'call.wav',
			extension: 'wav',
			size: wav.length,
			audio_duration: 12.5,
			number_of_channels: 2,
		});
		expect(audio_url).toBe(`${ctx.emu.url}/file/${audio_metadata.id}`);
		expect(ctx.emu.log[0].bodySummary).toContain('audio=call.wav');
	});

	it('accepts the trailing-slash path gladia-cli uses', async () => {
		expect((await ctx.api.post('/v2/upload/', formWith(makeWav(1), 'a.wav'))).status).toBe(200);
	});

	it('imports a URL given as JSON, with source and a deterministic duration', async () => {
		const body = { audio_url: 'https://media.example.com/podcasts/episode-12.mp3' };
		const first = await ctx.api.post('/v2/upload', body);
		const second = await ctx.api.post('/v2/upload', body);
		expect(first.status).toBe(200);
		expect(first.data.audio_metadata).toMatchObject({
			filename: 'episode-12.mp3',
			extension: 'mp3',
			source: body.audio_url,
		});
		expect(first.data.audio_metadata.audio_duration).toBeGreaterThanOrEqual(30);
		expect(first.data.audio_metadata.audio_duration).toBeLessThanOrEqual(600);
		expect(second.data.audio_metadata.audio_duration).toBe(
			first.data.audio_metadata.audio_duration,
		);
		expect(second.data.audio_metadata.id).not.toBe(first.data.audio_metadata.id);
	});

	it('lets emulator_duration override the duration of an upload or an imported URL', async () => {
		const upload = await uploadWav(ctx.api, makeWav(1), 'short.wav', '?emulator_duration=5400');
		expect(upload.audio_metadata.audio_duration).toBe(5400);
		const imported = await ctx.api.post('/v2/upload', {
			audio_url: 'https://x.example/a.wav?emulator_duration=42',
		});
		expect(imported.data.audio_metadata.audio_duration).toBe(42);
	});
});

describe('POST /v2/pre-recorded', () => {
	it('creates a job (201 {id, result_url}) that is in flight right away', async () => {
		const { audio_url } = await uploadWav(ctx.api, makeWav(3));
		ctx.emu.configure({ speedFactor: 1000 }); // keep it in flight
		const response = await ctx.api.post('/v2/pre-recorded', { audio_url });
		expect(response.status).toBe(201);
		expect(Object.keys(response.data).sort()).toEqual(['id', 'result_url']);
		expect(response.data.result_url).toBe(`${ctx.emu.url}/v2/transcription/${response.data.id}`);
		const job = await ctx.api.get(`/v2/pre-recorded/${response.data.id}`);
		expect(job.data).toMatchObject({
			id: response.data.id,
			kind: 'pre-recorded',
			version: 2,
			result: null,
			completed_at: null,
		});
		expect(['queued', 'processing']).toContain(job.data.status);
		ctx.emu.configure({ speedFactor: 0.001 });
	});

	it('also answers on the trailing-slash path and the legacy /v2/transcription', async () => {
		const audio_url = 'https://files.example.com/a.wav';
		expect((await ctx.api.post('/v2/pre-recorded/', { audio_url })).status).toBe(201);
		expect((await ctx.api.post('/v2/transcription', { audio_url })).status).toBe(201);
		expect(
			ctx.emu
				.jobs()
				.map((j) => j.createdVia)
				.sort(),
		).toEqual(['pre-recorded', 'transcription']);
	});
});

describe('GET /v2/pre-recorded/:id (and the legacy alias)', () => {
	it('returns the finished job with file, defaulted request_params and result', async () => {
		const { audio_url } = await uploadWav(ctx.api, makeWav(20), 'standup.wav');
		const done = await transcribe(ctx.api, { audio_url, custom_metadata: { team: 'ops' } });
		expect(done).toMatchObject({
			status: 'done',
			request_id: `G-${done.id.slice(0, 8)}`,
			error_code: null,
			custom_metadata: { team: 'ops' },
			post_session_metadata: {},
			file: { filename: 'standup.wav', source: null, audio_duration: 20, number_of_channels: 1 },
			request_params: {
				audio_url,
				diarization: false,
				subtitles: false,
				language_config: { languages: [], code_switching: false },
				model: 'solaria-1',
			},
		});
		expect(done.request_params.custom_metadata).toBeUndefined();
		expect(new Date(done.completed_at).getTime()).toBeGreaterThanOrEqual(
			new Date(done.created_at).getTime(),
		);
		expect(done.result.metadata).toMatchObject({
			audio_duration: 20,
			number_of_distinct_channels: 1,
			billing_time: 20,
		});
		const legacy = await ctx.api.get(`/v2/transcription/${done.id}/`);
		expect(legacy.status).toBe(200);
		expect(legacy.data.id).toBe(done.id);
	});

	it('answers 404 for an unknown id', async () => {
		const response = await ctx.api.get('/v2/pre-recorded/00000000-0000-0000-0000-000000000000');
		expect(response.status).toBe(404);
		expect(response.data).toMatchObject({ statusCode: 404, message: 'Not found' });
	});
});

describe('DELETE /v2/pre-recorded/:id', () => {
	it('refuses while queued/processing (403), deletes when done (202, no body), then 404', async () => {
		ctx.emu.configure({ speedFactor: 1000 });
		const created = await ctx.api.post('/v2/pre-recorded', {
			audio_url: 'https://x.example/a.wav',
		});
		const refused = await ctx.api.delete(`/v2/pre-recorded/${created.data.id}`);
		expect(refused.status).toBe(403);
		expect(refused.data.statusCode).toBe(403);

		ctx.emu.configure({ speedFactor: 0.001 });
		const done = await transcribe(ctx.api, { audio_url: 'https://x.example/b.wav' });
		const deleted = await ctx.api.delete(`/v2/pre-recorded/${done.id}`);
		expect(deleted.status).toBe(202);
		expect(deleted.data).toBe('');
		expect((await ctx.api.get(`/v2/pre-recorded/${done.id}`)).status).toBe(404);
		expect((await ctx.api.delete(`/v2/pre-recorded/${done.id}`)).status).toBe(404);
		expect(
			(await ctx.api.delete('/v2/transcription/00000000-0000-0000-0000-000000000000')).status,
		).toBe(404);
	});

	it('deletes the uploaded audio with the job: a new job on that URL fails with error_code 404', async () => {
		const { audio_url } = await uploadWav(ctx.api, makeWav(2));
		const done = await transcribe(ctx.api, { audio_url });
		expect((await ctx.api.delete(`/v2/pre-recorded/${done.id}`)).status).toBe(202);
		const again = await transcribe(ctx.api, { audio_url });
		expect(again).toMatchObject({ status: 'error', error_code: 404, result: null, file: null });
	});
});

describe('GET /v2/pre-recorded/:id/file', () => {
	it('redirects (302) to the storage origin, which serves the original bytes without needing the key', async () => {
		const wav = makeWav(4);
		const { audio_url } = await uploadWav(ctx.api, wav);
		const done = await transcribe(ctx.api, { audio_url });
		const redirect = await ctx.api.get(`/v2/pre-recorded/${done.id}/file`);
		expect(redirect.status).toBe(302);
		const location = String(redirect.headers.location);
		expect(location.startsWith(`${ctx.emu.storageUrl}/`)).toBe(true);
		const media = await axios.get(location, { responseType: 'arraybuffer' });
		expect(Buffer.from(media.data).equals(wav)).toBe(true);
		await waitFor(() => ctx.emu.storageLog[0]?.status === 200);
		expect(ctx.emu.storageLog).toEqual([expect.objectContaining({ status: 200, hadKey: false })]);
	});

	it('storage refuses a tampered signature (403) and unknown objects (404)', async () => {
		const done = await transcribe(ctx.api, { audio_url: 'https://x.example/c.wav' });
		const location = String(
			(await ctx.api.get(`/v2/transcription/${done.id}/file`)).headers.location,
		);
		// Change the signature's first hex digit to a different one (a fixed '0' would sometimes match).
		const tamperedUrl = location.replace(/signature=(\w)/, (_, digit: string) =>
			digit === '0' ? 'signature=1' : 'signature=0',
		);
		const tampered = await axios.get(tamperedUrl, {
			validateStatus: () => true,
		});
		expect(tampered.status).toBe(403);
		const unknown = await axios.get(`${ctx.emu.storageUrl}/gladia-files/nope`, {
			validateStatus: () => true,
		});
		expect(unknown.status).toBe(404);
	});

	it('synthesises a WAV of the job duration for URL jobs, and follows through axios redirects', async () => {
		const done = await transcribe(ctx.api, {
			audio_url: 'https://x.example/talk.mp3?emulator_duration=3',
		});
		const followed = await ctx.api.get(`/v2/pre-recorded/${done.id}/file`, {
			maxRedirects: 5,
			responseType: 'arraybuffer',
		});
		expect(followed.status).toBe(200);
		const bytes = Buffer.from(followed.data);
		expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
		expect(bytes.length).toBe(44 + 3 * 8000 * 2);
	});

	it('answers 404 for an unknown job', async () => {
		expect(
			(await ctx.api.get('/v2/pre-recorded/00000000-0000-0000-0000-000000000000/file')).status,
		).toBe(404);
	});
});

describe('GET /v2/pre-recorded (list)', () => {
	async function seed() {
		const jobs = [];
		for (const [i, user] of ['ann', 'bob', 'ann'].entries()) {
			jobs.push(
				await transcribe(ctx.api, {
					audio_url: `https://x.example/${i}.wav`,
					custom_metadata: { user, n: i, nested: { a: i } },
				}),
			);
		}
		return jobs;
	}

	it('pages newest first with absolute first/current/next links that repeat the filters', async () => {
		const jobs = await seed();
		const page1 = await ctx.api.get('/v2/pre-recorded', { params: { limit: 2 } });
		expect(page1.status).toBe(200);
		expect(page1.data.items.map((j: { id: string }) => j.id)).toEqual([jobs[2].id, jobs[1].id]);
		expect(page1.data.items[0].post_session_metadata).toBeUndefined();
		expect(page1.data.first).toBe(`${ctx.emu.url}/v2/pre-recorded?offset=0&limit=2`);
		expect(page1.data.next).toBe(`${ctx.emu.url}/v2/pre-recorded?offset=2&limit=2`);
		const page2 = await axios.get(page1.data.next, { headers: { 'x-gladia-key': ctx.emu.apiKey } });
		expect(page2.data.items.map((j: { id: string }) => j.id)).toEqual([jobs[0].id]);
		expect(page2.data.next).toBeNull();
		expect(page2.data.current).toBe(page1.data.next);
	});

	it('filters by status (repeated keys) and custom_metadata in both encodings', async () => {
		await seed();
		const done = await ctx.api.get('/v2/pre-recorded?status=done&status=error');
		expect(done.data.items).toHaveLength(3);
		expect((await ctx.api.get('/v2/pre-recorded?status=queued')).data.items).toHaveLength(0);
		const brackets = await ctx.api.get(
			'/v2/pre-recorded?custom_metadata[user]=ann&custom_metadata[n]=2',
		);
		expect(brackets.data.items).toHaveLength(1);
		expect(brackets.data.first).toContain('custom_metadata%5Buser%5D=ann');
		const json = await ctx.api.get('/v2/pre-recorded', {
			params: { custom_metadata: JSON.stringify({ user: 'ann' }) },
		});
		expect(json.data.items).toHaveLength(2);
		const nested = await ctx.api.get('/v2/pre-recorded', {
			params: { custom_metadata: JSON.stringify({ nested: { a: 1 } }) },
		});
		expect(
			nested.data.items.map((j: { custom_metadata: { user: string } }) => j.custom_metadata.user),
		).toEqual(['bob']);
	});

	it('filters by date, before_date and after_date', async () => {
		const jobs = await seed();
		const today = new Date().toISOString().slice(0, 10);
		expect((await ctx.api.get(`/v2/pre-recorded?date=${today}`)).data.items).toHaveLength(3);
		expect((await ctx.api.get('/v2/pre-recorded?date=2001-01-01')).data.items).toHaveLength(0);
		const middle = jobs[1].created_at;
		expect(
			(await ctx.api.get('/v2/pre-recorded', { params: { after_date: middle } })).data.items.map(
				(j: { id: string }) => j.id,
			),
		).toEqual([jobs[2].id]);
		expect(
			(await ctx.api.get('/v2/pre-recorded', { params: { before_date: middle } })).data.items.map(
				(j: { id: string }) => j.id,
			),
		).toEqual([jobs[0].id]);
	});

	it('serves the legacy list with the kind filter, and /v1/history', async () => {
		await seed();
		expect((await ctx.api.get('/v2/transcription?kind=pre-recorded')).data.items).toHaveLength(3);
		expect((await ctx.api.get('/v2/transcription?kind=live')).data.items).toHaveLength(0);
		expect((await ctx.api.get('/v1/history?limit=1')).data.items).toHaveLength(1);
	});
});

describe('unknown routes', () => {
	it("answer 404 in Gladia's shape", async () => {
		const response = await ctx.api.get('/v2/nothing-here');
		expect(response.status).toBe(404);
		expect(response.data).toMatchObject({
			statusCode: 404,
			message: 'Cannot GET /v2/nothing-here',
		});
		expect((await ctx.api.put('/v2/pre-recorded', {})).status).toBe(404);
	});
});

function formWith(bytes: Buffer, filename: string) {
	const form = new FormData();
	form.append('audio', new Blob([bytes]), filename);
	return form;
}
