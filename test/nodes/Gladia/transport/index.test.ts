/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// gladiaRequest through the node, in n8n's engine against the emulator: auth, base URL,
// headers, and how each kind of failure reaches the user.
import { version } from '../../../../package.json';
import { gladiaRequest } from '../../../../nodes/Gladia/transport';
import { runNode, type TestCredentials } from '../../../helpers/engine';
import { apiCalls, runGladia, useEmulator } from '../../../helpers/gladia';
import { probeNode } from '../helpers/probe';

const emulator = useEmulator();

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const get = (transcriptionId = MISSING_ID) => ({
	resource: 'transcription',
	operation: 'get',
	transcriptionId,
});
// gladiaRequest does not retry a POST unless asked, so failures surface at once.
const postProbe = probeNode(async function () {
	await gladiaRequest.call(this, {
		method: 'POST',
		path: '/v2/upload',
		body: { audio_url: 'https://media.example.com/a.mp3' },
		itemIndex: 0,
	});
	return [{}];
});
const runPost = async (credentials: TestCredentials) =>
	await runNode({ nodeType: postProbe, parameters: {}, credentials });

type ApiError = {
	message: string;
	description?: string;
	httpCode?: string;
	context?: Record<string, unknown>;
};

describe('gladiaRequest', () => {
	it('sends the key, the client version and joins paths to a Base URL with trailing slashes', async () => {
		const { apiKey, url } = emulator.get();
		await runGladia(
			emulator.get(),
			{ ...get(), operation: 'getMany', limit: 1 },
			{ credentials: { apiKey, baseUrl: `${url}//` } },
		);
		const [call] = apiCalls(emulator.get());
		expect(call).toMatchObject({
			method: 'GET',
			path: '/v2/pre-recorded',
			hadKey: true,
			status: 200,
		});
		expect(call.headers['x-gladia-version']).toBe(`n8n-nodes-gladia/${version}`);
	});

	it('maps a 404 to a NodeApiError with Gladia’s message, the code, the request_id and the item', async () => {
		const result = await runGladia(emulator.get(), get());
		const error = result.error as unknown as ApiError;
		expect(error.message).toBe('Gladia: Not found (HTTP 404) [item 0]');
		expect(error.httpCode).toBe('404');
		expect(error.description).toContain('No such transcription');
		expect(error.description).toMatch(
			new RegExp(`GET /v2/pre-recorded/${MISSING_ID} → HTTP 404, request_id G-`),
		);
		expect(error.context?.itemIndex).toBe(0);
	});

	it('explains a rejected key without ever showing it', async () => {
		const rejectedCredential = 'not-the-right-one-123';
		const result = await runGladia(emulator.get(), get(), {
			credentials: { apiKey: rejectedCredential, baseUrl: emulator.get().url },
		});
		const error = result.error as unknown as ApiError;
		expect(error.message).toBe('Gladia: gladia key not found (HTTP 401) [item 0]');
		expect(error.description).toContain('Check the Gladia credential');
		expect(JSON.stringify(result.run)).not.toContain(rejectedCredential);
	});

	it('names the URL and the reason when Gladia cannot be reached', async () => {
		const result = await runPost({ apiKey: 'k-123456', baseUrl: 'http://127.0.0.1:1' });
		const error = result.error as unknown as ApiError;
		expect(error.message).toBe(
			'Could not reach Gladia (POST http://127.0.0.1:1/v2/upload): connection refused [item 0]',
		);
		expect(error.description).toContain('Base URL');
		expect(JSON.stringify(result.run)).not.toContain('k-123456');
	});

	it('scrubs the key even if a proxy echoes it back in an error body', async () => {
		// A misconfigured proxy answering with the request headers in its error page.
		const { createServer } = await import('node:http');
		const server = createServer((req, res) => {
			res.writeHead(502, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					message: `upstream failed for key ${String(req.headers['x-gladia-key'])}`,
				}),
			);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as { port: number }).port;
		const echoedCredential = 'echo-me-if-you-dare-999';
		const result = await runPost({
			apiKey: echoedCredential,
			baseUrl: `http://127.0.0.1:${port}`,
		});
		await new Promise((resolve) => server.close(resolve));
		expect(result.error?.message).toMatch(/upstream failed for key \*{5}/);
		expect(JSON.stringify(result.run)).not.toContain(echoedCredential);
	});
});
