/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// Gladia Trigger over real HTTP (setup: GladiaTrigger.harness.ts). Svix signatures: dashboard
// webhooks from the emulator, signed requests, tampered or unusable secrets.
import { gzipSync } from 'node:zlib';

import type { IDataObject } from 'n8n-workflow';

import {
	dashboardBody,
	describeRefusals,
	emulator,
	finishedJob,
	nodeJobGets,
	outputOf,
	SECRET,
	send,
	signedTrigger,
	svixHeaders,
	trigger,
	useTriggerHarness,
	WRONG_SECRET,
} from './GladiaTrigger.harness';

import { SIGNATURE_NOT_CHECKED } from '../../../nodes/Gladia/trigger/webhook';

useTriggerHarness();

describe('GladiaTrigger with Svix-signed dashboard webhooks from the emulator', () => {
	it('verifies the emulator’s svix signatures and fetches the result for success events', async () => {
		const server = await trigger({}, { credentials: { webhookSigningSecret: SECRET } });
		emulator.configure({ webhook: { urls: [server.url], secret: SECRET } });
		const job = await finishedJob({ metadata: { ticket: 7 } });
		await server.settled();

		expect(emulator.webhooks.map((delivery) => [delivery.event, delivery.status])).toEqual([
			['transcription.created', 200],
			['transcription.success', 200],
		]);
		expect(server.executions()).toHaveLength(2);
		const outputs = [0, 1].map((index) => outputOf(server, index));
		const created = outputs.find((output) => output.event === 'transcription.created');
		expect(created).toMatchObject({ id: job.id, source: 'webhook', verified: true });
		expect(created?.delivery_id).toBe(emulator.webhooks[0].headers['svix-id']);
		const success = outputs.find((output) => output.event === 'transcription.success');
		expect(success).toMatchObject({
			event: 'transcription.success',
			id: job.id,
			custom_metadata: { ticket: 7 },
			transcript: (job.result as { transcription: { full_transcript: string } }).transcription
				.full_transcript,
			delivery_id: emulator.webhooks[1].headers['svix-id'],
		});
	});

	it('without a secret in the credential, accepts a signed delivery marked as not checked; an unsigned one is unmarked', async () => {
		const server = await trigger({ events: ['transcription.success'], verifyWithGladia: false });
		const signedJob = await finishedJob();
		const unsignedJob = await finishedJob();
		const signedBody = dashboardBody('transcription.success', String(signedJob.id));
		await send(server.url, signedBody, { headers: svixHeaders(signedBody) });
		await send(server.url, dashboardBody('transcription.success', String(unsignedJob.id)));
		await server.settled();
		expect(server.executions()).toHaveLength(2);
		expect(outputOf(server, 0)).toMatchObject({
			id: signedJob.id,
			signature: SIGNATURE_NOT_CHECKED,
		});
		expect(outputOf(server, 1).id).toBe(unsignedJob.id);
		expect(outputOf(server, 1)).not.toHaveProperty('signature');
	});

	it('accepts the white-labelled webhook-* headers', async () => {
		const server = await trigger(
			{ events: ['transcription.success'] },
			{ credentials: { webhookSigningSecret: SECRET } },
		);
		emulator.configure({
			webhook: { urls: [server.url], secret: SECRET, headerPrefix: 'webhook' },
		});
		await finishedJob();
		await server.settled();
		expect(emulator.webhooks[1].headers).toHaveProperty('webhook-signature');
		expect(server.received.map((request) => request.status)).toEqual([200, 200]);
		expect(server.executions()).toHaveLength(1);
	});

	it('refuses the emulator’s deliveries signed with another secret (401), executing nothing', async () => {
		const server = await trigger({}, { credentials: { webhookSigningSecret: SECRET } });
		emulator.configure({ webhook: { urls: [server.url], secret: WRONG_SECRET } });
		const job = await finishedJob();
		await server.settled();
		expect(emulator.webhooks.map((delivery) => delivery.status)).toEqual([401, 401]);
		expect(server.executions()).toHaveLength(0);
		expect(nodeJobGets(String(job.id))).toBe(0);
	});

	it('runs once per job event when both the callback and the dashboard webhook arrive', async () => {
		const server = await trigger(
			{ events: ['transcription.success'] },
			{ credentials: { webhookSigningSecret: SECRET } },
		);
		emulator.configure({ webhook: { urls: [server.url], secret: SECRET } });
		// Gladia does not sign per-job callbacks: with a secret set, only the signed copy counts.
		await finishedJob({ callback: { url: server.url } });
		await server.settled();
		expect(emulator.callbacks[0].status).toBe(401);
		expect(server.executions()).toHaveLength(1);

		const open = await trigger({ events: ['transcription.success'] });
		emulator.configure({ webhook: { urls: [open.url], secret: SECRET } });
		await finishedJob({ callback: { url: open.url } });
		await open.settled();
		const statuses = open.received.map((request) => request.status);
		expect(statuses).toEqual([200, 200, 200]);
		expect(open.executions()).toHaveLength(1);
		expect(open.received.filter((request) => request.outcome === 'answered')).toHaveLength(2);
	});
});

describeRefusals((job) => {
	it('executes a delivery signed by svix for a real job', async () => {
		const server = await signedTrigger();
		const body = dashboardBody('transcription.success', String(job().id));
		const answer = await send(server.url, body, { headers: svixHeaders(body) });
		await server.settled();
		expect(answer).toMatchObject({ status: 200, body: { message: 'Workflow was started' } });
		expect(outputOf(server)).toMatchObject({ id: job().id, verified: true });
	});

	it.each([
		[
			'the wrong secret',
			(body: string) => svixHeaders(body, { secret: WRONG_SECRET }),
			'No matching signature found',
		],
		['no signature headers', () => ({}), 'Missing signature headers'],
		[
			'a missing svix-signature',
			(body: string) => ({ ...svixHeaders(body), 'svix-signature': '' }),
			'Missing signature headers',
		],
		[
			'a missing svix-id',
			(body: string) => ({ ...svixHeaders(body), 'svix-id': '' }),
			'Missing signature headers',
		],
		[
			'a missing svix-timestamp',
			(body: string) => ({ ...svixHeaders(body), 'svix-timestamp': '' }),
			'Missing signature headers',
		],
		// 30 s past the 5-minute tolerance, so a busy machine cannot carry the request back
		// inside it; the exact edge is checked in trigger/signature.test.ts.
		[
			'a stale timestamp',
			(body: string) => svixHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 330 }),
			'too old',
		],
		[
			'a future timestamp',
			(body: string) => svixHeaders(body, { timestamp: Math.floor(Date.now() / 1000) + 330 }),
			'future',
		],
	])('refuses %s with 401 and no execution', async (_name, headersFor, message) => {
		const server = await signedTrigger();
		const body = dashboardBody('transcription.success', String(job().id));
		const answer = await send(server.url, body, { headers: headersFor(body) });
		await server.settled();
		expect(answer.status).toBe(401);
		expect((answer.body as IDataObject).message).toContain(message);
		expect(server.executions()).toHaveLength(0);
		expect(server.crashes()).toEqual([]);
		expect(nodeJobGets(String(job().id))).toBe(0);
	});

	it('refuses a tampered body (401)', async () => {
		const server = await signedTrigger();
		const body = dashboardBody('transcription.success', String(job().id));
		const tampered = body.replace('transcription.success', 'transcription.created');
		const answer = await send(server.url, tampered, { headers: svixHeaders(body) });
		expect(answer.status).toBe(401);
		await server.settled();
		expect(server.executions()).toHaveLength(0);
	});

	it('verifies the signature over the decompressed body of a gzip request', async () => {
		const server = await signedTrigger();
		const body = dashboardBody('transcription.success', String(job().id));
		const answer = await send(server.url, gzipSync(body), {
			headers: { ...svixHeaders(body), 'content-encoding': 'gzip' },
		});
		await server.settled();
		expect(answer.status).toBe(200);
		expect(server.executions()).toHaveLength(1);
	});

	it('answers 500 (no execution, no key in the answer) when the credential’s secret is unusable', async () => {
		const server = await trigger({}, { credentials: { webhookSigningSecret: 'whsec_%%%' } });
		const body = dashboardBody('transcription.success', String(job().id));
		const answer = await send(server.url, body, { headers: svixHeaders(body) });
		expect(answer.status).toBe(500);
		expect((answer.body as IDataObject).message).toContain('Webhook Signing Secret');
		await server.settled();
		expect(server.executions()).toHaveLength(0);
	});
});
