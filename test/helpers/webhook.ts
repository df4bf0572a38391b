/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// A loopback HTTP server that receives real webhook requests the way n8n's production webhook
// endpoint does, and hands them to a trigger node's webhook() through n8n-core's real
// WebhookContext:
//   - n8n's request parsing: parseIncomingMessage (content type, charset), the raw body read
//     with N8N_PAYLOAD_SIZE_MAX (16 MiB by default → 413), gzip/deflate, JSON parsed only for
//     application/json (malformed → 422), as packages/cli/src/middlewares/body-parser.ts does;
//   - n8n's answer to IWebhookResponseData (handleImmediateWebhookResponse in webhook-helpers):
//     workflowData → "Workflow was started" (responseMode onReceived) and an execution in
//     WorkflowExecute; webhookResponse → 200 with it; noWebhookResponse → the node answered;
//     a throw → 500;
//   - static data as n8n keeps it: loaded from the "database" (a JSON string) for every
//     request and saved back after the answer when it changed, so nothing but static data
//     survives between requests (what queue mode with several webhook processors requires).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

import { parseIncomingMessage } from '@n8n/backend-network';
import {
	ObservableObject,
	sleep,
	type IDataObject,
	type INodeParameters,
	type INodeType,
	type IWebhookDescription,
	type IWebhookResponseData,
} from 'n8n-workflow';

import {
	buildRunContext,
	makeAdditionalData,
	runNode,
	webhookContextFor,
	type RunNodeResult,
	type TestCredentials,
} from './engine';

/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MiB). */
export const N8N_PAYLOAD_SIZE_MAX_BYTES = 16 * 1024 * 1024;

const WEBHOOK_ID = 'a6c2f4e0-5f53-4cde-9b5c-trigger-test';

export type RequestOutcome =
	/** The node returned workflowData: n8n answered and started an execution. */
	| 'executed'
	/** The node returned webhookResponse: answered, no execution. */
	| 'answered'
	/** The node wrote the answer itself (noWebhookResponse): no execution. */
	| 'refused'
	/** n8n itself answered before the node ran (404 route, 413 size, 422 body). */
	| 'n8n'
	/** webhook() threw (n8n answers 500), or returned noWebhookResponse without answering. */
	| 'crashed';

export interface ReceivedRequest {
	method: string;
	outcome: RequestOutcome;
	/** The HTTP status the caller got. */
	status: number;
	/** The body the caller got (parsed JSON when possible). */
	response: unknown;
	/** The execution this request started, once it has finished (see settled()). */
	execution?: RunNodeResult;
	error?: unknown;
}

export interface TriggerServerOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials: TestCredentials;
	nodeName?: string;
	payloadSizeMaxBytes?: number;
	/** Workflow static data to start from (as stored in the database). */
	staticData?: IDataObject;
	/**
	 * How long the database takes to finish the n-th save (0-based). Unset: saves land at once.
	 * Set, each save is written out when n8n issues it and lands that much later, so saves
	 * issued together can land in any order, as they do in n8n's SQLite.
	 */
	saveLatencyMs?: (saveIndex: number) => number;
}

export interface TriggerServer {
	/** The trigger's production webhook URL. */
	url: string;
	received: ReceivedRequest[];
	/** Requests that crashed the node or were left hanging: always expected to stay empty. */
	crashes(): ReceivedRequest[];
	/** Executions started so far, in order. */
	executions(): RunNodeResult[];
	/** The workflow's static data as n8n would have saved it. */
	staticData(): IDataObject;
	/** How many times static data was saved. */
	saves(): number;
	/** Resolves once every request received so far is answered and its execution finished. */
	settled(): Promise<void>;
	close(): Promise<void>;
}

/** An answer n8n itself gives before the node runs. */
interface N8nAnswer {
	status: number;
	message: string;
}

function isN8nAnswer(value: unknown): value is N8nAnswer {
	return typeof value === 'object' && value !== null && 'status' in value && 'message' in value;
}

/** n8n's readRawBody: decompress, enforce the payload limit (declared and actual). */
async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | N8nAnswer> {
	const tooLarge = { status: 413, message: 'request entity too large' };
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > limit) return tooLarge;
	let stream: Readable = req;
	const encoding = req.headers['content-encoding'];
	if (encoding === 'gzip') stream = req.pipe(createGunzip());
	else if (encoding === 'deflate') stream = req.pipe(createInflate());
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of stream) {
			size += (chunk as Buffer).length;
			if (size > limit) return tooLarge;
			chunks.push(chunk as Buffer);
		}
	} catch (error) {
		return { status: 400, message: `could not read the request body: ${(error as Error).message}` };
	}
	return Buffer.concat(chunks);
}

/** n8n's parseBody for the content types a JSON webhook can meet. */
function parseBody(req: IncomingMessage & { body?: unknown }): N8nAnswer | undefined {
	const { rawBody, contentType, encoding } = req;
	if (!rawBody?.length) return undefined;
	const text = rawBody.toString(Buffer.isEncoding(encoding) ? encoding : 'utf8');
	try {
		if (contentType === 'application/json') req.body = JSON.parse(text);
		else if (contentType === 'application/x-www-form-urlencoded') req.body = parseQueryString(text);
		else if (contentType === 'text/plain') req.body = text;
	} catch (error) {
		return { status: 422, message: `Failed to parse request body: ${(error as Error).message}` };
	}
	return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	if (res.headersSent) return;
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify(body));
}

function webhookPath(description: IWebhookDescription): string {
	return `/webhook/${WEBHOOK_ID}/${description.path}`;
}

export async function startTriggerServer(options: TriggerServerOptions): Promise<TriggerServer> {
	const limit = options.payloadSizeMaxBytes ?? N8N_PAYLOAD_SIZE_MAX_BYTES;
	const nodeName = options.nodeName ?? 'Gladia Trigger';
	const descriptions = options.nodeType.description.webhooks ?? [];
	const { parameters } = options;
	let savedStaticData = JSON.stringify(options.staticData ?? {});
	let saves = 0;
	const received: ReceivedRequest[] = [];
	const pending = new Set<Promise<unknown>>();
	const track = (work: Promise<unknown>) => {
		pending.add(work);
		void work.finally(() => pending.delete(work));
	};
	const writeStaticData = (body: string) => {
		const latencyMs = options.saveLatencyMs?.(saves++);
		if (latencyMs === undefined) {
			savedStaticData = body;
			return;
		}
		track(sleep(latencyMs).then(() => (savedStaticData = body)));
	};

	async function handle(
		req: IncomingMessage,
		res: ServerResponse,
		record: ReceivedRequest,
	): Promise<N8nAnswer | undefined> {
		const path = (req.url ?? '').split('?')[0];
		const description = descriptions.find(
			(webhook) => webhook.httpMethod === req.method && webhookPath(webhook) === path,
		);
		if (!description) {
			return {
				status: 404,
				message: `The requested webhook "${req.method} ${path}" is not registered.`,
			};
		}

		parseIncomingMessage(req);
		const rawBody = await readRawBody(req, limit);
		if (isN8nAnswer(rawBody)) return rawBody;
		req.rawBody = rawBody;
		req.readRawBody = async () => {};
		const request = req as IncomingMessage & { body?: unknown; query?: unknown; params?: unknown };
		const unparsable = parseBody(request);
		if (unparsable) return unparsable;
		request.body ??= {};
		request.query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
		request.params = {};

		// A fresh workflow per request, its static data read from the "database".
		const { node, workflow, credentialsHelper } = buildRunContext({
			nodeType: options.nodeType,
			parameters,
			credentials: options.credentials,
			nodeName,
		});
		node.webhookId = WEBHOOK_ID;
		const loadedStaticData = JSON.parse(savedStaticData) as IDataObject;
		workflow.staticData = ObservableObject.create(loadedStaticData, undefined, {
			ignoreEmptyOnFirstChild: true,
		});
		// n8n saves static data once the request is answered, if the node changed it.
		const saveStaticData = () => {
			if ((workflow.staticData as IDataObject).__dataChanged === true) {
				writeStaticData(JSON.stringify(workflow.staticData));
				(workflow.staticData as IDataObject).__dataChanged = false;
			}
		};
		const additionalData = makeAdditionalData(
			credentialsHelper,
			undefined,
			`webhook-${received.length}`,
		);
		const context = webhookContextFor({
			workflow,
			node,
			additionalData,
			request: req,
			response: res,
			description,
			path: `${WEBHOOK_ID}/${description.path}`,
			webhookId: WEBHOOK_ID,
		});

		let result: IWebhookResponseData;
		try {
			result = await options.nodeType.webhook!.call(context);
		} catch (error) {
			record.outcome = 'crashed';
			record.error = error;
			sendJson(res, 500, { code: 0, message: 'Error in workflow' });
			return undefined;
		}

		if (result.noWebhookResponse === true && result.workflowData === undefined) {
			record.outcome = res.writableEnded ? 'refused' : 'crashed';
			if (!res.writableEnded) {
				record.error = new Error(
					'webhook() returned noWebhookResponse without answering: the caller would hang',
				);
				sendJson(res, 500, { message: 'no response' });
			}
		} else if (result.workflowData !== undefined) {
			record.outcome = 'executed';
			// Answered by the node: n8n saves before it starts the execution. Then n8n 2.x builds
			// the execution's Workflow over the same static data object, which clears its
			// "changed" mark, before it answers and saves (WorkflowRunner.run).
			if (result.noWebhookResponse === true) saveStaticData();
			ObservableObject.create(loadedStaticData, undefined, { ignoreEmptyOnFirstChild: true });
			if (!res.writableEnded) sendJson(res, 200, { message: 'Workflow was started' });
		} else {
			record.outcome = 'answered';
			sendJson(res, 200, result.webhookResponse ?? { message: 'Webhook call received' });
		}

		saveStaticData();

		if (result.workflowData !== undefined && record.outcome === 'executed') {
			// The execution starts from the trigger with the items webhook() returned.
			record.execution = await runNode({
				nodeType: options.nodeType,
				parameters,
				items: result.workflowData[0] ?? [],
				credentials: options.credentials,
				nodeName,
				mode: 'webhook',
			});
		}
		return undefined;
	}

	const server: Server = createServer((req, res) => {
		const record: ReceivedRequest = {
			method: req.method ?? '',
			outcome: 'n8n',
			status: 0,
			response: undefined,
		};
		received.push(record);
		const chunks: Buffer[] = [];
		const write = res.write.bind(res);
		const end = res.end.bind(res);
		res.write = ((chunk: unknown, ...rest: never[]) => {
			if (chunk) chunks.push(Buffer.from(chunk as Buffer));
			return write(chunk as Buffer, ...rest);
		}) as typeof res.write;
		res.end = ((chunk?: unknown, ...rest: never[]) => {
			if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as Buffer));
			record.status = res.statusCode;
			const text = Buffer.concat(chunks).toString('utf8');
			try {
				record.response = JSON.parse(text);
			} catch {
				record.response = text;
			}
			return end(chunk as Buffer, ...rest);
		}) as typeof res.end;

		const work = handle(req, res, record).then(
			(n8nAnswer) => {
				if (!n8nAnswer) return;
				record.outcome = 'n8n';
				// Let the client finish sending, then answer (as Express does after raw-body's limit).
				req.resume();
				res.setHeader('Connection', 'close');
				sendJson(res, n8nAnswer.status, { code: n8nAnswer.status, message: n8nAnswer.message });
			},
			(error: unknown) => {
				record.outcome = 'crashed';
				record.error = error;
				sendJson(res, 500, { message: 'harness error' });
			},
		);
		track(work);
	});
	server.keepAliveTimeout = 1000;
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	const postWebhook =
		descriptions.find((webhook) => webhook.httpMethod === 'POST') ?? descriptions[0];

	const settled = async () => {
		while (pending.size) await Promise.allSettled([...pending]);
	};
	return {
		url: `http://127.0.0.1:${port}${webhookPath(postWebhook)}`,
		received,
		crashes: () => received.filter((request) => request.outcome === 'crashed'),
		executions: () => received.flatMap((request) => (request.execution ? [request.execution] : [])),
		staticData: () => JSON.parse(savedStaticData) as IDataObject,
		saves: () => saves,
		settled,
		async close() {
			await settled();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
