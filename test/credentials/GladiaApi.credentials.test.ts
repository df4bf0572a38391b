// The credential: its authenticate block and its test request, run the way n8n runs them.
import type { IHttpRequestOptions } from 'n8n-workflow';

import { GladiaApi } from '../../credentials/GladiaApi.credentials';
import { testCredentials } from '../helpers/engine';
import { useEmulator } from '../helpers/gladia';

const emulator = useEmulator();

/** The request options the credential's authenticate hook hands to n8n's HTTP client. */
async function credentialTestRequest(options: IHttpRequestOptions, apiKey = 'k') {
	return await new GladiaApi().authenticate({ apiKey }, options);
}

describe('GladiaApi credential', () => {
	it('accepts a valid key with GET /v2/pre-recorded?limit=1, sending it as x-gladia-key', async () => {
		const { apiKey, url } = emulator.get();
		await expect(testCredentials({ apiKey, baseUrl: url })).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		const [call] = emulator.get().log;
		expect(call).toMatchObject({
			method: 'GET',
			path: '/v2/pre-recorded',
			query: { limit: '1' },
			hadKey: true,
			status: 200,
		});
	});

	it('explains a rejected key (401)', async () => {
		const result = await testCredentials({ apiKey: 'wrong-key', baseUrl: emulator.get().url });
		expect(result).toEqual({
			status: 'Error',
			message: 'Gladia rejected the API key (401). Copy a valid key from app.gladia.io → API keys.',
		});
		expect(emulator.get().log[0].status).toBe(401);
	});

	it('tolerates a trailing slash on the Base URL', async () => {
		const { apiKey, url } = emulator.get();
		await expect(testCredentials({ apiKey, baseUrl: `${url}/` })).resolves.toMatchObject({
			status: 'OK',
		});
		expect(emulator.get().log[0].path).toBe('/v2/pre-recorded');
	});

	it('explains a Base URL with a path Gladia does not serve (404)', async () => {
		const { apiKey, url } = emulator.get();
		const result = await testCredentials({ apiKey, baseUrl: `${url}/gladia` });
		expect(result).toEqual({
			status: 'Error',
			message:
				"The Base URL answered 404 for /v2/pre-recorded: it is not Gladia's API. Set it to https://api.gladia.io, or to a proxy that forwards /v2/… unchanged.",
		});
	});

	it('trims spaces around the Base URL like the nodes do, and uses Gladia’s API when empty', async () => {
		const { apiKey, url } = emulator.get();
		await expect(testCredentials({ apiKey, baseUrl: `  ${url}//  ` })).resolves.toMatchObject({
			status: 'OK',
		});
		expect(emulator.get().log[0].path).toBe('/v2/pre-recorded');
		const empty = credentialTestRequest({ baseURL: '   ', url: '/v2/pre-recorded' });
		await expect(empty).resolves.toMatchObject({ baseURL: 'https://api.gladia.io' });
	});

	it.each([
		['api.gladia.io', '"api.gladia.io" has no http:// or https://'],
		['127.0.0.1:8080', '"127.0.0.1:8080" has no http:// or https://'],
		['https://api.gla dia.io', '"https://api.gla dia.io" contains a space or a line break'],
		['ftp://127.0.0.1', '"ftp://127.0.0.1" is not an http(s) address'],
		['http://', '"http://" is not an http(s) address'],
	])('explains a malformed Base URL %j in words, before any request', async (baseUrl, problem) => {
		const result = await testCredentials({ apiKey: 'k', baseUrl });
		expect(result).toEqual({
			status: 'Error',
			message: `Base URL ${problem}. Set it to Gladia's API (https://api.gladia.io) or to your proxy's full address, starting with https:// or http://.`,
		});
		expect(emulator.get().log).toEqual([]);
	});

	it('reports an unreachable Base URL with n8n’s network code (n8n shows nothing more)', async () => {
		const result = await testCredentials({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' });
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it('leaves requests with a full URL (the nodes’, an HTTP Request node’s) as they are, key added', async () => {
		const options = { url: 'https://example.com/v2/x', headers: { accept: 'a' } };
		await expect(credentialTestRequest(options, 'secret')).resolves.toEqual({
			url: 'https://example.com/v2/x',
			headers: { accept: 'a', 'x-gladia-key': 'secret' },
		});
	});

	it('defaults the Base URL to Gladia’s API and keeps secrets as password fields', () => {
		const credential = new GladiaApi();
		const field = (name: string) =>
			credential.properties.find((property) => property.name === name);
		expect(field('baseUrl')?.default).toBe('https://api.gladia.io');
		expect(field('apiKey')?.typeOptions?.password).toBe(true);
		expect(field('webhookSigningSecret')?.typeOptions?.password).toBe(true);
	});
});
