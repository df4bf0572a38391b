/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import axios from 'axios';
import { parseArgs } from './cli';
import { startReceiver, TEST_WHSEC, transcribe, useEmulator, waitFor } from './testkit';

const ctx = useEmulator();

describe('control API over HTTP (/__emulator/*, no key needed)', () => {
	const control = () =>
		axios.create({ baseURL: `${ctx.emu.url}/__emulator`, validateStatus: () => true });

	it('exposes log, jobs and config, and resets', async () => {
		const done = await transcribe(ctx.api, { audio_url: 'https://x.example/a.wav' });
		const log = await control().get('/log');
		expect(log.data.length).toBeGreaterThan(1);
		expect(log.data[0]).toMatchObject({
			method: 'POST',
			path: '/v2/pre-recorded',
			status: 201,
			hadKey: true,
		});
		expect(JSON.stringify(log.data)).not.toContain(ctx.emu.apiKey);
		expect((await control().get('/jobs')).data).toEqual([
			expect.objectContaining({ id: done.id, status: 'done' }),
		]);
		expect((await control().get('/config')).data).toMatchObject({
			url: ctx.emu.url,
			concurrency: 25,
		});
		expect((await control().post('/reset')).status).toBe(200);
		expect(ctx.emu.jobs()).toHaveLength(0);
		expect((await ctx.api.get(`/v2/pre-recorded/${done.id}`)).status).toBe(404);
	});

	it('injects faults (one or several), configures and scripts', async () => {
		expect(
			(
				await control().post('/faults', [
					{ route: 'list', kind: '500' },
					{ route: 'list', kind: '429', retryAfter: 1 },
				])
			).status,
		).toBe(200);
		expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(500);
		expect((await ctx.api.get('/v2/pre-recorded')).status).toBe(429);
		expect((await control().post('/faults', { route: 'nowhere', kind: '500' })).status).toBe(400);

		await control().post('/config', { concurrency: 1, queueLimit: 0, speedFactor: 1000 });
		expect(
			(await ctx.api.post('/v2/pre-recorded', { audio_url: 'https://x.example/1.wav' })).status,
		).toBe(201);
		expect(
			(await ctx.api.post('/v2/pre-recorded', { audio_url: 'https://x.example/2.wav' })).status,
		).toBe(429);
		await control().post('/reset');

		await control().post('/script', {
			match: 'scripted',
			transcript: { utterances: [{ text: 'hello from a script' }] },
		});
		const job = await transcribe(ctx.api, { audio_url: 'https://x.example/scripted.wav' });
		expect(job.result.transcription.full_transcript).toBe('hello from a script');
	});

	it('lists callbacks and webhooks deliveries, and settles them', async () => {
		const receiver = await startReceiver();
		try {
			await control().post('/config', { webhook: { urls: [receiver.url], secret: TEST_WHSEC } });
			await transcribe(ctx.api, {
				audio_url: 'https://x.example/a.wav',
				callback: true,
				callback_config: { url: receiver.url },
			});
			expect((await control().post('/settle')).status).toBe(200);
			expect((await control().get('/callbacks')).data).toHaveLength(1);
			expect(
				(await control().get('/webhooks')).data.map((w: { event: string }) => w.event),
			).toEqual(['transcription.created', 'transcription.success']);
		} finally {
			await receiver.close();
		}
	});

	it('answers malformed control requests without breaking', async () => {
		expect(
			(
				await control().post('/faults', '{oops', {
					headers: { 'content-type': 'application/json' },
				})
			).status,
		).toBe(400);
		expect((await control().get('/nothing')).status).toBe(404);
		expect((await control().delete('/log')).status).toBe(405);
		await waitFor(async () => (await ctx.api.get('/v2/pre-recorded')).status === 200);
	});
});

describe('CLI', () => {
	it('parses every flag', () => {
		expect(
			parseArgs([
				'--port',
				'0',
				'--storage-port',
				'9001',
				'--speed',
				'0.5',
				'--concurrency',
				'3',
				'--queue-limit',
				'0',
				'--retry-after',
				'2',
				'--key',
				'a',
				'--key',
				'b',
				'--webhook-url',
				'http://h/1',
				'--webhook-secret',
				'whsec_x',
				'--webhook-headers',
				'webhook',
			]),
		).toEqual({
			port: 0,
			storagePort: 9001,
			speedFactor: 0.5,
			concurrency: 3,
			queueLimit: 0,
			retryAfterSeconds: 2,
			apiKeys: ['a', 'b'],
			webhook: { urls: ['http://h/1'], secret: 'whsec_x', headerPrefix: 'webhook' },
		});
		expect(parseArgs([])).toEqual({ port: 8787 });
		expect(() => parseArgs(['--speed', 'fast'])).toThrow(
			'--speed needs a non-negative number, got "fast"',
		);
		expect(() => parseArgs(['--port'])).toThrow('--port needs a value');
		expect(() => parseArgs(['--webhook-url', 'http://h'])).toThrow(
			'--webhook-url and --webhook-secret go together',
		);
		expect(() => parseArgs(['--bogus'])).toThrow('Unknown option --bogus');
		expect(
			parseArgs(['--jitter', '0.5:42', '--list-items', 'trimmed', '--no-fetch-audio-urls']),
		).toEqual({
			port: 8787,
			jitter: { factor: 0.5, seed: 42 },
			listItems: 'trimmed',
			fetchAudioUrls: false,
		});
	});

	it('prints its URLs and keys, serves, and stops cleanly on SIGTERM', async () => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- signals need a real process
		const child = spawn(
			process.execPath,
			[
				'-r',
				'ts-node/register/transpile-only',
				join(__dirname, 'cli.ts'),
				'--port',
				'0',
				'--key',
				'cli-key',
			],
			{
				env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '../../tsconfig.test.json') },
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		try {
			const url = await waitFor(
				() => /API:\s+(http:\S+)/.exec(output)?.[1],
				20000,
				'the CLI to print its URL',
			);
			expect(output).toMatch(/storage:\s+http:\/\/127\.0\.0\.1:\d+/);
			expect(output).toContain('keys:     cli-key');
			const response = await axios.get(`${url}/v2/pre-recorded`, {
				headers: { 'x-gladia-key': 'cli-key' },
			});
			expect(response.status).toBe(200);
			child.kill('SIGTERM');
			const [code] = await once(child, 'exit');
			expect(code).toBe(0);
			expect(output).toContain('SIGTERM: stopping');
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	}, 30000);
});
