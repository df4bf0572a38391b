// Gladia Trigger over real HTTP (setup: GladiaTrigger.harness.ts). What reaches the trigger over
// HTTP: malformed and oversized bodies, other paths and methods.
import {
	describeRefusals,
	nodeJobGets,
	SECRET,
	send,
	svixHeaders,
	trigger,
	useTriggerHarness,
} from './GladiaTrigger.harness';

useTriggerHarness();

describeRefusals((job) => {
	it('answers malformed bodies with 400 (or n8n’s 422 for invalid application/json), never executing', async () => {
		const server = await trigger();
		const cases: Array<[string | Buffer, string | null, number]> = [
			['{"event": "transcription.success", ', 'application/json', 422],
			['{"event": "transcription.success", ', 'text/plain', 400],
			['', 'application/json', 400],
			['[1, 2, 3]', 'application/json', 400],
			['"transcription.success"', 'application/json', 400],
			['{"id": "x"}', 'application/json', 400],
			[JSON.stringify({ event: 'transcription.success' }), 'application/json', 400],
			[
				JSON.stringify({ event: 'transcription.success', payload: { id: 42 } }),
				'application/json',
				400,
			],
			[
				JSON.stringify({ event: 'transcription.success', id: '../../v2/pre-recorded' }),
				'application/json',
				400,
			],
			[JSON.stringify({ event: 'transcription.success', payload: { id: 'a/b' } }), null, 400],
			[Buffer.from([0xff, 0xfe, 0x00, 0x7b]), 'application/octet-stream', 400],
		];
		for (const [body, contentType, status] of cases) {
			const answer = await send(server.url, body, { contentType });
			expect({ body: String(body), status: answer.status }).toEqual({ body: String(body), status });
		}
		await server.settled();
		expect(server.executions()).toHaveLength(0);
		expect(server.crashes()).toEqual([]);
		expect(nodeJobGets(String(job().id))).toBe(0);
	});

	it('refuses oversized bodies (413, before the node), and handles large allowed ones', async () => {
		const server = await trigger(
			{},
			{ payloadSizeMaxBytes: 1024 * 1024, credentials: { webhookSigningSecret: SECRET } },
		);
		const padding = 'x'.repeat(1024 * 1024);
		const huge = JSON.stringify({
			event: 'transcription.success',
			payload: { id: job().id },
			padding,
		});
		expect((await send(server.url, huge, { headers: svixHeaders(huge) })).status).toBe(413);
		const large = JSON.stringify({
			event: 'transcription.success',
			payload: { id: job().id },
			padding: padding.slice(0, 900_000),
		});
		expect((await send(server.url, large, { headers: svixHeaders(`${large} `) })).status).toBe(401);
		expect((await send(server.url, large, { headers: svixHeaders(large) })).status).toBe(200);
		await server.settled();
		expect(server.executions()).toHaveLength(1);
		expect(server.crashes()).toEqual([]);
	});

	it('answers 404 for other paths and methods, like n8n', async () => {
		const server = await trigger();
		const other = await fetch(server.url.replace(/webhook$/, 'other'), {
			method: 'POST',
			body: '{}',
		});
		const get = await fetch(server.url);
		expect([other.status, get.status]).toEqual([404, 404]);
	});
});
