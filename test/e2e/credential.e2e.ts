/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// The credential's Test button in a real n8n: n8n's REST endpoint POST /rest/credentials/test runs
// the credential's test request through its own credentials tester, as the credential modal does.
import { createServer } from 'node:net';

import { E2E_API_KEY, e2eVersions, useE2eEnv } from './helpers/env';

interface TestResult {
	status: string;
	message: string;
}

const FIX =
	"Set it to Gladia's API (https://api.gladia.io) or to your proxy's full address, starting with https:// or http://.";

/** A loopback port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe.each(e2eVersions())('n8n %s: the credential test', (version) => {
	const env = useE2eEnv(version);

	/** What the credential modal's Test button shows for this Base URL. */
	async function testWith(baseUrl: string): Promise<TestResult> {
		return await env.client.request<TestResult>('POST', '/rest/credentials/test', {
			// The saved credential's id, as the modal sends it; the data typed in the modal wins.
			credentials: {
				id: env.credentialId,
				name: 'Gladia (emulator)',
				type: 'gladiaApi',
				data: { apiKey: E2E_API_KEY, baseUrl, webhookSigningSecret: '' },
			},
		});
	}

	test('a working Base URL, with spaces and a trailing slash around it: connection successful', async () => {
		const before = env.emulator.log.length;
		await expect(testWith(` ${env.emulator.url}/ `)).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(env.emulator.log.slice(before)).toEqual([
			expect.objectContaining({
				method: 'GET',
				path: '/v2/pre-recorded',
				hadKey: true,
				status: 200,
			}),
		]);
	});

	test.each([
		['api.gladia.io', '"api.gladia.io" has no http:// or https://'],
		['127.0.0.1:8080', '"127.0.0.1:8080" has no http:// or https://'],
		['https://api.gla dia.io', '"https://api.gla dia.io" contains a space or a line break'],
		['ftp://127.0.0.1', '"ftp://127.0.0.1" is not an http(s) address'],
	])(
		'a malformed Base URL %j is explained in words, and nothing is sent',
		async (baseUrl, problem) => {
			const before = env.emulator.log.length;
			await expect(testWith(baseUrl)).resolves.toEqual({
				status: 'Error',
				message: `Base URL ${problem}. ${FIX}`,
			});
			expect(env.emulator.log.length).toBe(before);
		},
	);

	// For a request that got no answer, n8n's credentials tester shows its own text, whatever the
	// credential says (CredentialsTester.runRequestTest: `error.cause.code` on 2.x, n8n's generic
	// text for the code on 1.x): the words live in the Base URL field's hint. What this proves is
	// that the answer comes at once and names the refusal.
	test('a Base URL that refuses connections: n8n says so within seconds', async () => {
		const started = Date.now();
		await expect(testWith(`http://127.0.0.1:${await closedPort()}`)).resolves.toEqual({
			status: 'Error',
			message: version.startsWith('1.')
				? 'The service refused the connection - perhaps it is offline'
				: 'ECONNREFUSED',
		});
		expect(Date.now() - started).toBeLessThan(10_000);
	});
});
