/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { connect } from 'node:net';
import { makeWav } from './index';
import { useEmulator } from './testkit';

const ctx = useEmulator();

async function stillServing() {
	expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(200);
}

function form(parts: Array<[string, Blob | string, string?]>) {
	const body = new FormData();
	for (const [name, value, filename] of parts) {
		if (typeof value === 'string') body.append(name, value);
		else body.append(name, value, filename);
	}
	return body;
}

/** Sends raw bytes and returns the raw HTTP response text. */
function raw(request: string | Buffer): Promise<string> {
	const { port } = new URL(ctx.emu.url);
	return new Promise((resolve, reject) => {
		const socket = connect(Number(port), '127.0.0.1', () => socket.end(request));
		const chunks: Buffer[] = [];
		socket.on('data', (chunk) => chunks.push(chunk));
		socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
		socket.on('error', reject);
	});
}

describe('bad input gets a Gladia-shaped error and the emulator keeps serving', () => {
	it.each([
		['malformed JSON', '{"audio_url": ', 'application/json', 400, /^Invalid JSON body/],
		['an empty JSON body', '', 'application/json', 400, /empty/],
		['a JSON array', '[1,2]', 'application/json', 400, /Invalid parameter/],
		[
			'text/plain',
			'audio_url=https://x',
			'text/plain',
			400,
			/Unsupported Content-Type "text\/plain"/,
		],
		['no content type', Buffer.from('{}'), '', 400, /Unsupported Content-Type/],
	])('create with %s', async (_, body, contentType, status, message) => {
		const response = await ctx.api.post('/v2/pre-recorded', body, {
			headers: { 'content-type': contentType },
			transformRequest: [(data: unknown) => data],
		});
		expect(response.status).toBe(status);
		expect(response.data.statusCode).toBe(status);
		expect(response.data.message).toMatch(message);
		await stillServing();
	});

	it('a JSON body over 10 MB → 413', async () => {
		const response = await ctx.api.post(
			'/v2/pre-recorded',
			`{"audio_url":"${'x'.repeat(10_100_000)}"}`,
			{
				headers: { 'content-type': 'application/json' },
			},
		);
		expect(response.status).toBe(413);
		await stillServing();
	});

	it.each([
		[
			'no audio part',
			() => form([['file', new Blob([makeWav(1)]), 'a.wav']]),
			/Field "audio" is required/,
		],
		[
			'audio sent as a text field',
			() => form([['audio', 'not a file']]),
			/Field "audio" must be a file part with a filename/,
		],
		[
			'an empty audio part',
			() => form([['audio', new Blob([]), 'empty.wav']]),
			/Field "audio" is an empty file/,
		],
		[
			'non-audio bytes',
			() => form([['audio', new Blob(['%PDF-1.7 hello']), 'report.pdf']]),
			/must be an audio or video file/,
		],
		[
			'a WAV header without data',
			() => form([['audio', new Blob([Buffer.from('RIFF\0\0\0\0WAVEjunk')]), 'a.wav']]),
			/must be an audio or video file/,
		],
	])('upload with %s → 400', async (_, body, message) => {
		const response = await ctx.api.post('/v2/upload', body());
		expect(response.status).toBe(400);
		expect(response.data.statusCode).toBe(400);
		expect(response.data.validation_errors.join(' ')).toMatch(message);
		await stillServing();
	});

	it('upload part without a filename → 400', async () => {
		const boundary = 'XyZ';
		const body = Buffer.concat([
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="audio"\r\nContent-Type: audio/wav\r\n\r\n`,
			),
			makeWav(1),
			Buffer.from(`\r\n--${boundary}--\r\n`),
		]);
		const response = await ctx.api.post('/v2/upload', body, {
			headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
		});
		expect(response.status).toBe(400);
		expect(response.data.validation_errors).toEqual([
			'Field "audio" must be a file part with a filename',
		]);
	});

	it("multipart without a boundary → Gladia's own message", async () => {
		const response = await ctx.api.post('/v2/upload', 'x', {
			headers: { 'content-type': 'multipart/form-data' },
		});
		expect(response.status).toBe(400);
		expect(response.data.message).toBe('Content-Type is missing Multipart Boundary.');
	});

	it('truncated multipart body → 400', async () => {
		const response = await ctx.api.post(
			'/v2/upload',
			'--XyZ\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\nRIFF',
			{
				headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
			},
		);
		expect(response.status).toBe(400);
		await stillServing();
	});

	it('upload with another content type → 400', async () => {
		const response = await ctx.api.post('/v2/upload', makeWav(1), {
			headers: { 'content-type': 'audio/wav' },
		});
		expect(response.status).toBe(400);
		expect(response.data.message).toMatch(/multipart\/form-data/);
		await stillServing();
	});

	it('huge headers → 431 with a JSON body', async () => {
		const response = await raw(
			`GET /v2/pre-recorded HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
		);
		expect(response).toMatch(/^HTTP\/1\.1 431 /);
		expect(JSON.parse(response.split('\r\n\r\n')[1])).toMatchObject({ statusCode: 431 });
		await stillServing();
	});

	it('garbage instead of HTTP → 400', async () => {
		const response = await raw('\x16\x03\x01 this is not http\r\n\r\n');
		expect(response).toMatch(/^HTTP\/1\.1 400 /);
		await stillServing();
	});

	it('a client that disconnects mid-upload does not disturb the next one', async () => {
		const { port } = new URL(ctx.emu.url);
		await new Promise<void>((resolve) => {
			const socket = connect(Number(port), '127.0.0.1', () => {
				socket.write(
					`POST /v2/upload HTTP/1.1\r\nHost: x\r\nx-gladia-key: ${ctx.emu.apiKey}\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: 100000\r\n\r\n--B\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\n`,
				);
				socket.write(makeWav(0.5), () => {
					socket.destroy();
					resolve();
				});
			});
		});
		await stillServing();
		const ok = new FormData();
		ok.append('audio', new Blob([makeWav(1)]), 'a.wav');
		expect((await ctx.api.post('/v2/upload', ok)).status).toBe(200);
	});

	it('an unparsable custom_metadata query is a 400, not a crash', async () => {
		const response = await ctx.api.get('/v2/pre-recorded?custom_metadata=%7Bnope');
		expect(response.status).toBe(400);
		await stillServing();
	});
});
