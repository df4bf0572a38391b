/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// A throwaway HTTP server on 127.0.0.1 for answers the emulator does not give (a proxy's page,
// a list that never ends): counts its requests, closes cleanly.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Loopback {
	url: string;
	requests: () => number;
	close: () => Promise<void>;
}

export async function startLoopback(
	handle: (request: IncomingMessage, response: ServerResponse, index: number) => void,
): Promise<Loopback> {
	let requests = 0;
	const server = createServer((request, response) => handle(request, response, requests++));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests: () => requests,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
