/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// A loopback stand-in for OpenAI's chat API, for n8n's OpenAI Chat Model node (its credential's
// Base URL points here). Each POST /v1/chat/completions is answered by the next scripted turn
// (a tool call or a final text), plainly or as server-sent events when the request streams;
// every request is recorded with its body, so a test reads what n8n sent the model.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
	method: string;
	path: string;
	body: ChatBody;
	/** Size of the request body as received, in bytes. */
	bytes: number;
}

export interface ChatMessage {
	role: string;
	content?: string | Array<{ type: string; text?: string }> | null;
	tool_call_id?: string;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
}

export interface ChatBody {
	model?: string;
	stream?: boolean;
	messages?: ChatMessage[];
	tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: Record<string, unknown> } }>;
	[key: string]: unknown;
}

/** A scripted answer: call a tool (named from the request's tool list) or reply with text. */
export type ChatTurn =
	| { toolCall: { pickTool: (tools: NonNullable<ChatBody['tools']>) => string; arguments: Record<string, unknown> } }
	| { text: string };

export interface OpenAiStandIn {
	/** The Base URL for n8n's OpenAI credential (ends in /v1). */
	baseUrl: string;
	requests: ChatRequest[];
	/** The chat completion requests only. */
	chats(): ChatRequest[];
	/** Replaces the script; turns are used in order, the last one repeats. */
	script(turns: ChatTurn[]): void;
	close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function completionMessage(turn: ChatTurn, body: ChatBody, callId: string) {
	if ('text' in turn) return { message: { role: 'assistant', content: turn.text }, finish: 'stop' };
	const name = turn.toolCall.pickTool(body.tools ?? []);
	const call = { id: callId, type: 'function', function: { name, arguments: JSON.stringify(turn.toolCall.arguments) } };
	return { message: { role: 'assistant', content: null, tool_calls: [call] }, finish: 'tool_calls' };
}

function answer(res: ServerResponse, turn: ChatTurn, body: ChatBody, index: number): void {
	const id = `chatcmpl-standin-${index}`;
	const created = Math.floor(Date.now() / 1000);
	const model = body.model ?? 'gpt-4o-mini';
	const { message, finish } = completionMessage(turn, body, `call_standin_${index}`);
	const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
	if (!body.stream) {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(
			JSON.stringify({ id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage }),
		);
		return;
	}
	const chunk = (delta: unknown, finishReason: string | null, extra = {}) =>
		`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`;
	const delta =
		'tool_calls' in message && message.tool_calls
			? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, i) => ({ index: i, ...call })) }
			: { role: 'assistant', content: message.content };
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	res.write(chunk(delta, null));
	res.write(chunk({}, finish, { usage }));
	res.end('data: [DONE]\n\n');
}

export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
	const requests: ChatRequest[] = [];
	let turns: ChatTurn[] = [{ text: 'Done.' }];
	let chatCount = 0;
	const server = createServer((req, res) => {
		void (async () => {
			const raw = await readBody(req);
			const path = (req.url ?? '/').split('?')[0];
			let body: ChatBody = {};
			try {
				body = raw.length ? (JSON.parse(raw.toString('utf8')) as ChatBody) : {};
			} catch {
				body = {};
			}
			requests.push({ method: req.method ?? 'GET', path, body, bytes: raw.length });
			if (req.method === 'POST' && path === '/v1/chat/completions') {
				const turn = turns[Math.min(chatCount, turns.length - 1)];
				answer(res, turn, body, chatCount++);
				return;
			}
			if (req.method === 'GET' && path === '/v1/models') {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'stand-in' }] }));
				return;
			}
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `The stand-in does not serve ${req.method} ${path}` } }));
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		chats: () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions'),
		script: (next) => {
			turns = next;
			chatCount = 0;
			requests.length = 0;
		},
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
