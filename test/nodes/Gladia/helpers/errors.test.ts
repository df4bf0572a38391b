// Error mapping as pure functions: what the user reads for each kind of Gladia answer.

import {
	errorItemJson,
	gladiaApiError,
	gladiaNetworkError,
	gladiaRedirectError,
	jobFailedError,
	scrub,
} from '../../../../nodes/Gladia/helpers/errors';
import type { PreRecordedJob } from '../../../../nodes/Gladia/helpers/types';
import { GLADIA_NODE as node } from './probe';

describe('gladiaApiError', () => {
	it('carries the message, every validation error, the code, the request_id and the item', () => {
		const error = gladiaApiError(node, {
			statusCode: 400,
			body: {
				message: 'Invalid parameter',
				request_id: 'G-1234abcd',
				validation_errors: ['a must be x', 'b must be y'],
			},
			headers: { 'retry-after': '3' },
			method: 'POST',
			path: '/v2/pre-recorded',
			itemIndex: 3,
		});
		expect(error.message).toBe(
			'Gladia: Invalid parameter (a must be x; b must be y) (HTTP 400) [item 3]',
		);
		expect(error.description).toBe(
			'• a must be x\n• b must be y\nGladia rejected the request. Check the fields listed above.\nPOST /v2/pre-recorded → HTTP 400, request_id G-1234abcd',
		);
		expect(error.httpCode).toBe('400');
		expect(error.context).toMatchObject({
			itemIndex: 3,
			requestId: 'G-1234abcd',
			validationErrors: ['a must be x', 'b must be y'],
		});
		expect((error.errorResponse as { headers: object }).headers).toEqual({ 'retry-after': '3' });
	});

	it('masks the key everywhere n8n stores the error, not only in the message', () => {
		const key = 'gk-"quoted"-0123456789';
		const echoed = gladiaApiError(node, {
			statusCode: 502,
			body: {
				message: `upstream failed for ${key}`,
				validation_errors: [`x-gladia-key ${key} rejected`],
			},
			headers: { 'x-echo': key },
			method: 'POST',
			path: '/v2/upload',
			secrets: [key],
		});
		// The execution saves the whole error: errorResponse, messages, description, context.
		const saved = JSON.stringify({ ...echoed, message: echoed.message });
		expect(saved).not.toContain('0123456789');
		expect(echoed.message).toContain('upstream failed for *****');
		// A text page is shortened to 300 characters after masking: no piece of the key survives.
		const page = gladiaApiError(node, {
			statusCode: 502,
			body: `${'x'.repeat(290)}${key}`,
			method: 'GET',
			path: '/x',
			secrets: [key],
		});
		expect(JSON.stringify({ ...page, message: page.message })).not.toContain('gk-');
	});

	it('reads a JSON body that came as text or a Buffer, and keeps a non-JSON page short', () => {
		const fromBuffer = gladiaApiError(node, {
			statusCode: 404,
			body: Buffer.from('{"message":"Not found"}'),
			method: 'GET',
			path: '/x',
		});
		expect(fromBuffer.message).toBe('Gladia: Not found (HTTP 404)');
		const html = gladiaApiError(node, {
			statusCode: 502,
			body: `<html>${'x'.repeat(1000)}</html>`,
			method: 'GET',
			path: '/x',
		});
		expect(html.message.length).toBeLessThan(350);
		expect(html.description).toContain('Gladia had an internal problem');
	});

	it('gives a hint for the statuses users meet', () => {
		const hint = (statusCode: number) =>
			gladiaApiError(node, { statusCode, body: {}, method: 'GET', path: '/x' }).description ?? '';
		expect(hint(401)).toContain('API key');
		expect(hint(413)).toContain('1000 MB');
		expect(hint(429)).toContain('Max Concurrent Jobs');
		expect(hint(503)).toContain('Retry later');
	});

	it('never contains the secrets it is given', () => {
		const error = gladiaApiError(node, {
			statusCode: 400,
			body: {
				message: 'bad key sk-123456 in header',
				validation_errors: ['x-gladia-key=sk-123456'],
			},
			method: 'GET',
			path: '/x',
			secrets: ['sk-123456'],
		});
		expect(`${error.message}${error.description}`).not.toContain('sk-123456');
	});
});

describe('gladiaNetworkError', () => {
	it('words the cause itself, so n8n keeps the item and the URL, and exposes the code', () => {
		const error = gladiaNetworkError(
			node,
			{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND api.gladia.io' },
			{ method: 'GET', url: 'https://api.gladia.io/v2/pre-recorded', itemIndex: 1 },
		);
		expect(error.message).toBe(
			'Could not reach Gladia (GET https://api.gladia.io/v2/pre-recorded): host not found [item 1]',
		);
		expect((error as unknown as { code: string }).code).toBe('ENOTFOUND');
		const timeout = gladiaNetworkError(
			node,
			{ code: 'ECONNABORTED', message: 'timeout of 30000ms exceeded' },
			{ method: 'GET', url: 'u', timeout: 30_000 },
		);
		expect(timeout.message).toBe('Could not reach Gladia (GET u): no answer within 30 s');
	});
});

describe('gladiaRedirectError', () => {
	const key = 'Secret-Key-1234';
	const redirect = {
		statusCode: 302,
		method: 'GET',
		path: '/v2/pre-recorded/abc',
		baseUrl: 'https://proxy-user:proxy-pass@proxy.example:8443/gladia',
		itemIndex: 2,
		secrets: [key],
	};

	it('names origins only: no path or query of the Location, no user:password of the Base URL', () => {
		const error = gladiaRedirectError(node, {
			...redirect,
			target: `https://evil.example/steal?key=${key}`,
			reason: 'other-origin',
		});
		expect(error.message).toBe(
			'Gladia answered GET /v2/pre-recorded/abc with a redirect (HTTP 302) to https://evil.example: refused, the API key is only sent to https://proxy.example:8443 [item 2]',
		);
		expect(error.httpCode).toBe('302');
		expect(JSON.stringify(error)).not.toMatch(/steal|proxy-pass|secret-key/i);
	});

	it('masks the key even when a hostile server puts it in the host name', () => {
		const error = gladiaRedirectError(node, {
			...redirect,
			target: `https://${key}.evil.example/`,
			reason: 'other-origin',
		});
		expect(error.message).toContain('to https://*****.evil.example: refused');
		expect(JSON.stringify(error).toLowerCase()).not.toContain(key.toLowerCase());
	});
});

describe('jobFailedError', () => {
	it('names the job, the error code and what to check', () => {
		const job = {
			id: 'j-1',
			request_id: 'G-j1',
			status: 'error',
			error_code: 500,
		} as PreRecordedJob;
		const error = jobFailedError(node, job, 0);
		expect(error.message).toBe('Gladia could not transcribe job j-1: error code 500 [item 0]');
		expect(error.description).toBe(
			'A failure on Gladia’s side; transcribing again later usually works. (request_id G-j1)',
		);
		expect(error.httpCode).toBe('500');
	});
});

describe('helpers', () => {
	it('scrub masks every occurrence and ignores empty or tiny secrets', () => {
		expect(scrub('a SECRET b SECRET', ['SECRET', undefined, ''])).toBe('a ***** b *****');
		// Too short to be a key: masking it would garble ordinary words.
		expect(scrub('a KEY', ['KEY'])).toBe('a KEY');
	});

	it('errorItemJson keeps what helps to act', () => {
		const error = gladiaApiError(node, {
			statusCode: 404,
			body: { message: 'Not found', request_id: 'G-1' },
			method: 'GET',
			path: '/v2/pre-recorded/x',
			itemIndex: 0,
		});
		expect(errorItemJson(error)).toEqual({
			error: 'Gladia: Not found (HTTP 404) [item 0]',
			description: expect.stringContaining('No such transcription'),
			httpCode: '404',
			requestId: 'G-1',
		});
	});
});
