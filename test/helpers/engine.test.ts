/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// The harness itself: a tiny programmatic node run through WorkflowExecute against a
// loopback server proves credentials, binaries, continueOnFail, waiting and cancel work.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	NodeApiError,
	NodeConnectionTypes,
	sleep,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { makeBinaryItem, readBinary, runNode, setBinaryMode, testCredentials } from './engine';

interface Seen {
	method?: string;
	url?: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			seen.push({
				method: req.method,
				url: req.url,
				headers: req.headers,
				body: Buffer.concat(chunks),
			});
			const ok = req.headers['x-gladia-key'] === 'good-key';
			res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify(ok ? { items: [] } : { message: 'gladia key not found', statusCode: 401 }),
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
	seen.length = 0;
});

const description: INodeTypeDescription = {
	displayName: 'Probe',
	name: 'probe',
	group: ['transform'],
	version: 1,
	description: 'probe',
	defaults: { name: 'Probe' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'gladiaApi', required: true }],
	properties: [
		{ displayName: 'Action', name: 'action', type: 'string', default: 'get' },
		{ displayName: 'Sleep', name: 'sleepMs', type: 'number', default: 0 },
	],
};

class Probe implements INodeType {
	description = description;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		for (const [i, item] of this.getInputData().entries()) {
			try {
				const action = this.getNodeParameter('action', i) as string;
				const sleepMs = this.getNodeParameter('sleepMs', i) as number;
				if (sleepMs) await sleep(sleepMs, this.getExecutionCancelSignal());
				if (action === 'wait') {
					await this.putExecutionToWait(new Date(Date.now() + 60_000));
					return [this.getInputData()];
				}
				if (action === 'binary') {
					const bin = item.binary!.data;
					const buffer = await this.helpers.getBinaryDataBuffer(i, 'data');
					const out2 = await this.helpers.prepareBinaryData(
						Buffer.concat([buffer, Buffer.from('!')]),
						'out.txt',
						'text/plain',
					);
					out.push({
						json: { hasId: Boolean(bin.id) },
						binary: { data: out2 },
						pairedItem: { item: i },
					});
					continue;
				}
				const { baseUrl: url } = await this.getCredentials<{ baseUrl: string }>('gladiaApi');
				const body = await this.helpers.httpRequestWithAuthentication.call(this, 'gladiaApi', {
					url: `${url}/v2/pre-recorded`,
					json: true,
				});
				out.push({ json: body, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw new NodeApiError(this.getNode(), error as never, { itemIndex: i });
			}
		}
		return [out];
	}
}

describe('engine harness', () => {
	it('applies the credential type’s own authenticate block (x-gladia-key)', async () => {
		const result = await runNode({
			nodeType: new Probe(),
			parameters: { action: 'get' },
			credentials: { apiKey: 'good-key', baseUrl },
		});
		expect(result.status).toBe('success');
		expect(result.items).toEqual([{ json: { items: [] }, pairedItem: { item: 0 } }]);
		expect(seen[0].headers['x-gladia-key']).toBe('good-key');
		expect(result.authenticatedRequests).toHaveLength(1);
	});

	it('records errors, and continueOnFail keeps one item per input', async () => {
		const failed = await runNode({
			nodeType: new Probe(),
			parameters: { action: 'get' },
			credentials: { apiKey: 'bad-key', baseUrl },
		});
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toMatch(/Authorization failed|401/);

		const continued = await runNode({
			nodeType: new Probe(),
			parameters: { action: 'get' },
			items: [{ json: {} }, { json: {} }],
			credentials: { apiKey: 'bad-key', baseUrl },
			continueOnFail: true,
		});
		expect(continued.status).toBe('success');
		expect(continued.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('reports a waiting execution with waitTill and a signed resume URL', async () => {
		const result = await runNode({
			nodeType: new Probe(),
			parameters: { action: 'wait' },
			credentials: { apiKey: 'good-key', baseUrl },
		});
		expect(result.status).toBe('waiting');
		expect(result.waitTill).toBeInstanceOf(Date);
		expect(result.resumeUrl).toMatch(/\/webhook-waiting\/exec-.*\?signature=.+/);
	});

	it('cancels a running execution through the abort signal', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const pending = runNode({
			nodeType: new Probe(),
			parameters: { action: 'get', sleepMs: 20_000 },
			credentials: { apiKey: 'good-key', baseUrl },
			signal: controller.signal,
		});
		await sleep(50);
		controller.abort();
		const result = await pending;
		expect(result.status).toBe('canceled');
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(seen).toHaveLength(0);
	});

	it.each(['default', 'filesystem'] as const)('handles binaries in %s mode', async (mode) => {
		await setBinaryMode(mode);
		const input = await makeBinaryItem({
			data: Buffer.from('hello'),
			fileName: 'in.txt',
			mimeType: 'text/plain',
		});
		expect(Boolean(input.binary!.data.id)).toBe(mode === 'filesystem');
		const result = await runNode({
			nodeType: new Probe(),
			parameters: { action: 'binary' },
			items: [input],
			credentials: { apiKey: 'good-key', baseUrl },
		});
		expect(result.status).toBe('success');
		expect(result.items[0].json).toEqual({ hasId: mode === 'filesystem' });
		expect((await readBinary(result.items[0].binary!.data)).toString()).toBe('hello!');
		await setBinaryMode('default');
	});

	it('runs a credential test request the way n8n does', async () => {
		await expect(testCredentials({ apiKey: 'good-key', baseUrl })).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(seen.at(-1)?.url).toBe('/v2/pre-recorded?limit=1');
		expect(seen.at(-1)?.headers['x-gladia-key']).toBe('good-key');
		const bad = await testCredentials({ apiKey: 'nope', baseUrl });
		expect(bad.status).toBe('Error');
		expect(bad.message).toMatch(/401/);
	});
});
