// Answers that do not come from Gladia's API (a proxy's HTML page, a web server's 404, nothing
// listening): short readable errors that point at the Base URL, and no minute of retries.
import type { INodeParameters } from 'n8n-workflow';

import { gladiaApiError } from '../../../../nodes/Gladia/helpers/errors';
import { runGladia, useEmulator } from '../../../helpers/gladia';
import { startLoopback, type Loopback } from '../../../helpers/loopback';
import { GLADIA_NODE as node } from '../helpers/probe';

const emulator = useEmulator();
const ID = '45463597-20b7-4af7-b3b3-f5fb778203ab';

interface Page {
	status: number;
	contentType: string;
	body: string;
}

async function pageServer(page: Page): Promise<Loopback> {
	return await startLoopback((_request, response) => {
		response.writeHead(page.status, { 'content-type': page.contentType });
		response.end(page.body);
	});
}

const NGINX_502 = `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n${'<!-- padding -->\n'.repeat(50)}`;
const EXPRESS_404 =
	'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /gladia/v2/pre-recorded</pre>\n</body>\n</html>\n';

const getMany = { resource: 'transcription', operation: 'getMany', limit: 5 };
const get = { resource: 'transcription', operation: 'get', transcriptionId: ID };

type Described = { message: string; description: string };

async function failWith(page: Page, parameters: INodeParameters, path = '') {
	const server = await pageServer(page);
	try {
		const run = await runGladia(emulator.get(), parameters, {
			credentials: { apiKey: 'k-secret-123', baseUrl: `${server.url}${path}` },
		});
		expect(run.status).toBe('error');
		return { error: run.error as unknown as Described, requests: server.requests() };
	} finally {
		await server.close();
	}
}

describe('answers that are not Gladia’s', () => {
	it('an HTML 502 page is reduced to its status and title, not dumped', () => {
		// Mapped directly: through the node a 502 is retried for ~30 s (DEFAULT_RETRY_POLICY).
		const error = gladiaApiError(node, {
			statusCode: 502,
			body: Buffer.from(NGINX_502),
			method: 'GET',
			path: `/v2/pre-recorded/${ID}`,
			itemIndex: 2,
		});
		expect(error.message).toBe('Gladia: 502 Bad Gateway (HTTP 502) [item 2]');
		expect(error.description).toMatch(
			/^The answer did not come from Gladia's API: check the Base URL/,
		);
		expect(JSON.stringify(error)).not.toContain('<center>');
	});

	it('a page without a title is named by its first line, or as an HTML page', () => {
		const read = (body: string) =>
			gladiaApiError(node, { statusCode: 503, body, method: 'GET', path: '/v2/pre-recorded' })
				.message;
		expect(read('<html><body><p>down</p></body></html>')).toBe('Gladia: an HTML page (HTTP 503)');
		expect(read('\n  upstream connect error or disconnect/reset before headers\nmore')).toBe(
			'Gladia: upstream connect error or disconnect/reset before headers (HTTP 503)',
		);
		expect(read('')).toBe('Gladia: HTTP 503 (HTTP 503)');
	});

	it('a 404 page on the list endpoint says the Base URL is wrong, not "No such transcription"', async () => {
		const { error } = await failWith(
			{ status: 404, contentType: 'text/html', body: EXPRESS_404 },
			getMany,
			'/gladia',
		);
		expect(error.message).toBe('Gladia: Error (HTTP 404) [item 0]');
		expect(error.description).toMatch(
			/^Nothing is served at \/v2\/pre-recorded: check the Base URL of the Gladia credential/,
		);
		expect(error.description).not.toContain('No such transcription');
	});

	it('a 404 page on a job lookup also blames the address when it is not Gladia’s JSON', async () => {
		const { error } = await failWith(
			{ status: 404, contentType: 'text/plain', body: 'Not Found\n' },
			get,
		);
		expect(error.message).toBe('Gladia: Not Found (HTTP 404) [item 0]');
		expect(error.description).toMatch(new RegExp(`^Nothing is served at /v2/pre-recorded/${ID}`));
	});

	it('Gladia’s own 404 for a job still says "No such transcription"', async () => {
		const run = await runGladia(emulator.get(), get);
		expect(run.error?.message).toBe('Gladia: Not found (HTTP 404) [item 0]');
		expect((run.error as unknown as Described).description).toMatch(/^No such transcription/);
	});

	it('a refused connection fails in seconds (2 quick retries), not after a minute of backoff', async () => {
		const server = await pageServer({ status: 200, contentType: 'text/plain', body: '' });
		const closedUrl = server.url;
		await server.close(); // nothing listens on that port any more
		const started = Date.now();
		const run = await runGladia(emulator.get(), get, {
			credentials: { apiKey: 'k', baseUrl: closedUrl },
		});
		const elapsed = Date.now() - started;
		expect(run.error?.message).toBe(
			`Could not reach Gladia (GET ${closedUrl}/v2/pre-recorded/${ID}): connection refused [item 0]`,
		);
		// REFUSED_CONNECTION_POLICY waits at most 2 s in total; the old policy took ~30 s. The
		// bound leaves room for a loaded machine and still fails on a return to the old policy.
		expect(elapsed).toBeLessThan(10_000);
	});
});
