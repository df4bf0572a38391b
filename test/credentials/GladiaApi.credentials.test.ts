// The credential: its authenticate block and its test request, run the way n8n runs them.
import { GladiaApi } from '../../credentials/GladiaApi.credentials';
import { testCredentials } from '../helpers/engine';
import { useEmulator } from '../helpers/gladia';

const emulator = useEmulator();

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

	it('reports an unreachable Base URL', async () => {
		const result = await testCredentials({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' });
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it('defaults the Base URL to Gladia’s API and keeps secrets as password fields', () => {
		const credential = new GladiaApi();
		const field = (name: string) =>
			credential.properties.find((property) => property.name === name);
		expect(field('baseUrl')?.default).toBe('https://api.gladia.io');
		expect(field('apiKey')?.typeOptions?.password).toBe(true);
		expect(field('webhookSigningSecret')?.typeOptions?.password).toBe(true);
		expect(credential.authenticate.properties.headers).toEqual({
			'x-gladia-key': '={{$credentials.apiKey}}',
		});
	});
});
