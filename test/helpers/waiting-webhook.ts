/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// n8n's /webhook-waiting/<executionId> endpoint for restart webhooks (a node that parked its
// execution with putExecutionToWait), reduced to what a node relies on: the resume token check
// (401), 409 while the execution is not waiting yet or already resumed, and the request handed
// to the node's webhook() through n8n-core's real WebhookContext with the waiting execution's
// run data. workflowData resumes the execution; otherwise the node answered and it keeps waiting.
// While started, runNode's `$execution.resumeUrl` points here.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	IWebhookResponseData,
} from 'n8n-workflow';

import {
	buildRunContext,
	makeAdditionalData,
	TEST_BASE_URLS,
	webhookContextFor,
	type RunNodeResult,
	type TestCredentials,
} from './engine';

export interface WaitingAnswer {
	executionId: string;
	status: number;
	body: unknown;
}

export interface ParkedExecution {
	run: RunNodeResult;
	/** What webhook() returned when it resumed the execution (a throw: no workflowData). */
	resumedWith?: IWebhookResponseData;
	resumedAt?: number;
	/** The error webhook() threw, which ends the execution in n8n. */
	error?: Error;
	/** Resolves once resumed; rejects after `timeoutMs`. */
	resumed(timeoutMs?: number): Promise<IWebhookResponseData>;
}

export interface WaitingWebhookServer {
	/** Registers a run that ended in status "waiting" so its resume URL answers. */
	park(
		run: RunNodeResult,
		options: {
			parameters: INodeParameters;
			credentials: TestCredentials;
			onError?: INode['onError'];
		},
	): ParkedExecution;
	answers: WaitingAnswer[];
	close(): Promise<void>;
}

interface Registration {
	parked: ParkedExecution;
	parameters: INodeParameters;
	credentials: TestCredentials;
	onError?: INode['onError'];
}

function expressLike(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: Buffer) {
	const request = Object.assign(req, {
		body: rawBody.length ? (JSON.parse(rawBody.toString('utf8')) as IDataObject) : {},
		rawBody,
		query: Object.fromEntries(url.searchParams),
	});
	const response = Object.assign(res, {
		status: (code: number) => Object.assign(res, { statusCode: code }),
		json: (body: unknown) => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify(body));
		},
	});
	return { request, response };
}

export async function startWaitingWebhookServer(
	createNodeType: () => INodeType,
): Promise<WaitingWebhookServer> {
	const registrations = new Map<string, Registration>();
	const answers: WaitingAnswer[] = [];

	async function handle(
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
	): Promise<WaitingAnswer> {
		const executionId = decodeURIComponent(url.pathname.replace(/^\/webhook-waiting\//, ''));
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const answer = (status: number, message?: string) => ({
			executionId,
			status,
			body: message === undefined ? undefined : { message },
		});
		const registration = registrations.get(executionId);
		if (!registration) return answer(409, 'The execution is not waiting (yet)');
		const { parked } = registration;
		if (parked.resumedAt !== undefined) return answer(409, 'The execution has finished already');
		const token = (parked.run.run.data as unknown as { resumeToken?: string }).resumeToken;
		if (url.searchParams.get('signature') !== token) return answer(401, 'Invalid token');

		const nodeType = createNodeType();
		const { node, workflow, credentialsHelper } = buildRunContext({
			nodeType,
			parameters: registration.parameters,
			credentials: registration.credentials,
			onError: registration.onError,
		});
		const additionalData = makeAdditionalData(credentialsHelper, undefined, executionId);
		const { request, response } = expressLike(req, res, url, Buffer.concat(chunks));
		const description = nodeType.description.webhooks?.find(
			(webhook) => webhook.httpMethod === req.method && webhook.restartWebhook === true,
		);
		if (!description) return answer(404, `No ${req.method} restart webhook on this node`);
		const context = webhookContextFor({
			workflow,
			node,
			additionalData,
			request,
			response,
			description,
			path: '',
			runExecutionData: parked.run.runExecutionData,
		});
		try {
			const result = await nodeType.webhook!.call(context);
			if (result.workflowData) {
				parked.resumedWith = result;
				parked.resumedAt = Date.now();
				return answer(200, 'Workflow was started');
			}
			return { executionId, status: res.statusCode, body: undefined }; // webhook() answered
		} catch (error) {
			// n8n answers 500 and ends the execution with this error.
			parked.error = error as Error;
			parked.resumedWith = {};
			parked.resumedAt = Date.now();
			return answer(500, (error as Error).message);
		}
	}

	const server: Server = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		void handle(req, res, url).then((answer) => {
			answers.push(answer);
			if (!res.writableEnded) {
				res.writeHead(answer.status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(answer.body ?? {}));
			}
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const previousBase = TEST_BASE_URLS.webhookWaiting;
	TEST_BASE_URLS.webhookWaiting = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook-waiting`;

	return {
		answers,
		park(run, options) {
			const parked: ParkedExecution = {
				run,
				async resumed(timeoutMs = 5000) {
					const deadline = Date.now() + timeoutMs;
					while (parked.resumedAt === undefined && Date.now() < deadline) {
						await new Promise((resolve) => setTimeout(resolve, 5));
					}
					if (parked.resumedAt === undefined)
						throw new Error(`execution ${run.executionId} was never resumed`);
					return parked.resumedWith!;
				},
			};
			if (run.status !== 'waiting')
				throw new Error(`execution ${run.executionId} is ${run.status}, not waiting`);
			registrations.set(run.executionId, { parked, ...options });
			return parked;
		},
		async close() {
			TEST_BASE_URLS.webhookWaiting = previousBase;
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}
