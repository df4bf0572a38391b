/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// Where the emulator follows observed Gladia behaviour rather than the easiest thing to build:
// speaker numbering, audio URLs fetched for real, upload details, trimmed list items, jitter.
import { readdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import {
	ERROR_CODE_AUDIO_UNREACHABLE,
	ERROR_CODE_AUDIO_URL_NOT_FOUND,
	ERROR_CODE_NOT_AUDIO,
} from './audio-url';
import { ERROR_CODE_TOO_LONG, makeWav, startEmulator } from './index';
import { jitterFactor } from './server';
import { transcribe, uploadWav, useEmulator, waitFor } from './testkit';
import { wavHeader } from './wav';

const ctx = useEmulator();

/** A loopback server that answers each path with fixed bytes (404 for unknown paths). */
async function serveFiles(files: Record<string, Buffer>) {
	const server: Server = createServer((req, res) => {
		const body = files[req.url ?? ''];
		if (!body) return void res.writeHead(404).end('missing');
		res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A WAV whose header claims `seconds` of audio although only a second of bytes follow. */
function wavClaiming(seconds: number): Buffer {
	const sampleRate = 8000;
	return Buffer.concat([wavHeader(seconds * sampleRate * 2, sampleRate, 1), Buffer.alloc(16000)]);
}

describe('speakers', () => {
	it('are numbered from 0 in order of appearance, even in a one-utterance job', async () => {
		for (let i = 0; i < 20; i++) {
			const job = await transcribe(ctx.api, {
				audio_url: `https://x.example/short-${i}.wav?emulator_duration=1`,
				diarization: true,
			});
			expect(job.result.transcription.utterances[0].speaker).toBe(0);
		}
		const long = await transcribe(ctx.api, {
			audio_url: 'https://x.example/meeting.wav?emulator_duration=120',
			diarization: true,
		});
		const order = [
			...new Set(long.result.transcription.utterances.map((u: { speaker: number }) => u.speaker)),
		];
		expect(order).toEqual([0, 1, 2]);
	});
});

describe('audio URLs are fetched when the job starts', () => {
	let files: Awaited<ReturnType<typeof serveFiles>>;
	beforeAll(async () => {
		files = await serveFiles({
			'/call.wav': makeWav(12, { channels: 2 }),
			'/notes.pdf': Buffer.from('%PDF-1.7 not audio at all'),
			'/ten-hours.wav': wavClaiming(10 * 3600),
		});
	});
	afterAll(() => files.close());

	it('reads duration and channels from the served bytes', async () => {
		const job = await transcribe(ctx.api, { audio_url: `${files.url}/call.wav` });
		expect(job.status).toBe('done');
		expect(job.file).toMatchObject({
			filename: 'call.wav',
			audio_duration: 12,
			number_of_channels: 2,
		});
		expect(job.result.metadata.audio_duration).toBe(12);
	});

	it.each([
		[
			'an unreachable host',
			'http://127.0.0.1:1/none.wav',
			ERROR_CODE_AUDIO_UNREACHABLE,
			/Could not download/,
		],
		['a 404', '/missing.wav', ERROR_CODE_AUDIO_URL_NOT_FOUND, /not found at audio_url/],
		['bytes that are not audio', '/notes.pdf', ERROR_CODE_NOT_AUDIO, /not a supported audio/],
		[
			'a WAV header claiming 10 hours',
			'/ten-hours.wav',
			ERROR_CODE_TOO_LONG,
			/exceeds the maximum/,
		],
	])('fails the job for %s, with the error in the callback', async (_what, path, code, message) => {
		const receiver = await serveCallbacks();
		try {
			const audioUrl = path.startsWith('/') ? `${files.url}${path}` : path;
			const job = await transcribe(ctx.api, {
				audio_url: audioUrl,
				callback: true,
				callback_config: { url: receiver.url },
			});
			expect(job).toMatchObject({ status: 'error', error_code: code, result: null });
			await ctx.emu.deliveriesSettled();
			const [callback] = ctx.emu.callbacks;
			expect(callback.body).toMatchObject({ event: 'transcription.error', error: { code } });
			expect((callback.body as { error: { message: string } }).error.message).toMatch(message);
		} finally {
			await receiver.close();
		}
	});

	it('fetches the URL of an upload by URL at once; an unusable one is a 400', async () => {
		const imported = await ctx.api.post('/v2/upload', { audio_url: `${files.url}/call.wav` });
		expect(imported.status).toBe(200);
		expect(imported.data.audio_metadata).toMatchObject({
			filename: 'call.wav',
			audio_duration: 12,
			number_of_channels: 2,
			source: `${files.url}/call.wav`,
		});
		const missing = await ctx.api.post('/v2/upload', { audio_url: `${files.url}/gone.wav` });
		expect(missing.status).toBe(400);
		expect(missing.data.validation_errors).toEqual([
			'Field "audio_url": Audio file not found at audio_url (HTTP 404)',
		]);
	});

	it('leaves emulator_duration URLs, other hosts and fetchAudioUrls:false un-fetched', async () => {
		const named = await transcribe(ctx.api, {
			audio_url: 'http://127.0.0.1:1/x.wav?emulator_duration=5',
		});
		expect(named).toMatchObject({ status: 'done', file: { audio_duration: 5 } });
		const elsewhere = await transcribe(ctx.api, { audio_url: 'https://media.example.com/a.mp3' });
		expect(elsewhere.status).toBe('done');
		ctx.emu.configure({ fetchAudioUrls: false });
		const off = await transcribe(ctx.api, { audio_url: 'http://127.0.0.1:1/none.wav' });
		expect(off.status).toBe('done');
	});
});

async function serveCallbacks() {
	const server = createServer((req, res) => {
		req.resume();
		req.on('end', () => res.writeHead(200).end());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
	return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('uploads', () => {
	it('keeps a UTF-8 file name intact', async () => {
		const name = 'réunion équipe 会議.wav';
		const { audio_metadata } = await uploadWav(ctx.api, makeWav(1), name);
		expect(audio_metadata.filename).toBe(name);
	});

	it('takes a WAV duration from its header: a header claiming 10 hours fails the job', async () => {
		const { audio_url, audio_metadata } = await uploadWav(ctx.api, wavClaiming(36000), 'long.wav');
		expect(audio_metadata.audio_duration).toBe(36000);
		const job = await transcribe(ctx.api, { audio_url });
		expect(job).toMatchObject({ status: 'error', error_code: ERROR_CODE_TOO_LONG });
	});

	it('deletes the partial file as soon as the client drops an upload', async () => {
		await uploadWav(ctx.api, makeWav(1), 'first.wav'); // creates the upload folder
		const dir = ctx.emu.uploadsDir()!;
		const before = readdirSync(dir).length;
		const boundary = 'abort-boundary';
		const url = new URL('/v2/upload', ctx.emu.url);
		const req = request(url, {
			method: 'POST',
			headers: {
				'x-gladia-key': ctx.emu.apiKey,
				'content-type': `multipart/form-data; boundary=${boundary}`,
				'content-length': 50_000_000,
			},
		});
		req.on('error', () => undefined);
		req.write(
			`--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="cut.wav"\r\n` +
				'Content-Type: audio/wav\r\n\r\n',
		);
		req.write(makeWav(60));
		await waitFor(() => readdirSync(dir).length > before, 5000, 'the partial file');
		req.destroy();
		await waitFor(() => readdirSync(dir).length === before, 5000, 'the partial file to go');
	});
});

describe('list items', () => {
	it("are trimmed like real ones with listItems: 'trimmed' (set through the control API)", async () => {
		await transcribe(ctx.api, {
			audio_url: 'https://x.example/a.wav?emulator_duration=3',
			diarization: true,
		});
		const full = await ctx.api.get('/v2/pre-recorded');
		expect(full.data.items[0].result.transcription).toBeDefined();
		expect(full.data.items[0].request_params.audio_url).toBeDefined();
		const set = await axios.post(`${ctx.emu.url}/__emulator/config`, { listItems: 'trimmed' });
		expect(set.status).toBe(200);
		const trimmed = await ctx.api.get('/v2/pre-recorded');
		expect(trimmed.data.items[0].request_params).toEqual({
			model: 'solaria-1',
			language_config: { languages: [], code_switching: false },
		});
		expect(Object.keys(trimmed.data.items[0].result)).toEqual(['metadata']);
		const bad = await axios.post(
			`${ctx.emu.url}/__emulator/config`,
			{ listItems: 'some' },
			{ validateStatus: () => true },
		);
		expect(bad.status).toBe(400);
		expect(bad.data.message).toMatch(/listItems must be "full" or "trimmed"/);
	});
});

describe('seeded jitter', () => {
	it('gives each job T × a factor in [1 − f, 1 + f], the same for the same seed', () => {
		const jitter = { factor: 0.5, seed: 42 };
		const factors = Array.from({ length: 200 }, (_, n) => jitterFactor(jitter, n));
		for (const factor of factors) {
			expect(factor).toBeGreaterThanOrEqual(0.5);
			expect(factor).toBeLessThanOrEqual(1.5);
		}
		expect(Math.min(...factors)).toBeLessThan(0.6);
		expect(Math.max(...factors)).toBeGreaterThan(1.4);
		expect(factors).toEqual(Array.from({ length: 200 }, (_, n) => jitterFactor(jitter, n)));
		expect(factors).not.toEqual(factors.map((_, n) => jitterFactor({ factor: 0.5, seed: 7 }, n)));
		expect(jitterFactor(null, 3)).toBe(1);
	});

	it('applies to the jobs of two emulators alike, configured through the control API', async () => {
		const plans: number[][] = [];
		for (let run = 0; run < 2; run++) {
			const emu = await startEmulator({ speedFactor: 100 });
			try {
				await axios.post(`${emu.url}/__emulator/config`, { jitter: { factor: 0.5, seed: 42 } });
				const api = axios.create({ baseURL: emu.url, headers: { 'x-gladia-key': emu.apiKey } });
				for (let i = 0; i < 10; i++)
					await api.post('/v2/pre-recorded', {
						audio_url: `https://x.example/${i}.wav?emulator_duration=60`,
					});
				const planned = emu.jobs().map((job) => job.processingMs);
				for (const ms of planned) {
					expect(ms).toBeGreaterThanOrEqual(50_000);
					expect(ms).toBeLessThanOrEqual(150_000);
				}
				plans.push(planned);
			} finally {
				await emu.close();
			}
		}
		expect(plans[0]).toEqual(plans[1]);
		expect(new Set(plans[0]).size).toBeGreaterThan(5);
	});

	it('rejects a factor outside 0..1', async () => {
		await expect(startEmulator({ jitter: { factor: 2, seed: 1 } })).rejects.toThrow(
			/jitter.factor/,
		);
	});
});
