/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// A second loopback origin for redirect tests: the host a hostile or misconfigured server
// redirects to. It records every request it receives (headers and body) and, unless told
// otherwise, answers like an impostor would: 200 with a plausible job, so a client that
// followed the redirect would carry on as if nothing had happened.
import { once } from 'node:events';
import {
	createServer,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path and query. */
	url: string;
	headers: IncomingHttpHeaders;
	body: string;
}

export type Responder = (request: RecordedRequest, res: ServerResponse) => void;

export interface RecordingOrigin {
	/** http://127.0.0.1:<port> */
	url: string;
	requests: RecordedRequest[];
	/** Replaces the answer (until reset()). */
	respond(responder: Responder): void;
	reset(): void;
	close(): Promise<void>;
}

/** What the impostor answers by default: a finished job (and an upload's audio_url). */
export const IMPOSTOR_JOB = {
	id: '00000000-0000-4000-8000-00000000beef',
	status: 'done',
	audio_url: 'https://impostor.example/audio.wav',
	result: { transcription: { full_transcript: 'not from Gladia', utterances: [] } },
};

const impostor: Responder = (_request, res) => {
	const body = JSON.stringify(IMPOSTOR_JOB);
	res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
	res.end(body);
};

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

export async function startRecordingOrigin(): Promise<RecordingOrigin> {
	const requests: RecordedRequest[] = [];
	let responder = impostor;
	const server = createServer((req, res) => {
		void readBody(req).then((body) => {
			const request = {
				method: req.method ?? 'GET',
				url: req.url ?? '/',
				headers: req.headers,
				body,
			};
			requests.push(request);
			responder(request, res);
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		respond: (next) => (responder = next),
		reset: () => {
			requests.length = 0;
			responder = impostor;
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** One recording origin per test file, reset before each test. */
export function useRecordingOrigin(): { get: () => RecordingOrigin } {
	let origin: RecordingOrigin | undefined;
	beforeAll(async () => {
		origin = await startRecordingOrigin();
	});
	afterAll(async () => {
		await origin?.close();
	});
	beforeEach(() => origin?.reset());
	return {
		get: () => {
			if (!origin) throw new Error('recording origin not started');
			return origin;
		},
	};
}
