// Gladia Trigger over real HTTP (setup: GladiaTrigger.harness.ts). Replay protection: a Svix
// message or a job event starts the workflow once, across processes.
import type { IDataObject, INodeType } from 'n8n-workflow';

import {
	ALL_EVENTS,
	dashboardBody,
	describeRefusals,
	finishedJob,
	SECRET,
	send,
	signedTrigger,
	svixHeaders,
	trigger,
	useTriggerHarness,
} from './GladiaTrigger.harness';

useTriggerHarness();

describeRefusals((job) => {
	it('executes a Svix message once: retries (same svix-id, new signature) and exact replays get 200', async () => {
		const server = await signedTrigger();
		const body = dashboardBody('transcription.success', String(job().id));
		const first = svixHeaders(body, {
			id: 'msg_retry_me',
			timestamp: Math.floor(Date.now() / 1000) - 30,
		});
		expect((await send(server.url, body, { headers: first })).status).toBe(200);
		const retry = svixHeaders(body, { id: 'msg_retry_me' });
		const second = await send(server.url, body, { headers: retry });
		const replay = await send(server.url, body, { headers: first });
		await server.settled();
		for (const answer of [second, replay]) {
			expect(answer.status).toBe(200);
			expect(answer.body).toMatchObject({
				executed: false,
				message: expect.stringContaining('already received'),
			});
		}
		expect(server.executions()).toHaveLength(1);
		expect(server.staticData()).toEqual({
			'node:Gladia Trigger': {
				deliveries: [
					[expect.any(Number), 'msg:msg_retry_me'],
					[expect.any(Number), `job:${String(job().id)}:transcription.success`],
				],
			},
		});
	});

	it('keeps replay protection in static data only: another webhook process refuses the duplicate', async () => {
		const first = await signedTrigger();
		const body = dashboardBody('transcription.success', String(job().id));
		await send(first.url, body, { headers: svixHeaders(body) });
		await first.settled();
		// A second n8n process (queue mode): the node's modules loaded afresh, so it shares
		// nothing with the first but the workflow static data saved in the database.
		const freshNodeType = freshTriggerType();
		const second = await trigger(
			{ events: ALL_EVENTS },
			{
				credentials: { webhookSigningSecret: SECRET },
				staticData: first.staticData(),
				nodeType: freshNodeType,
			},
		);
		const answer = await send(second.url, body, { headers: svixHeaders(body) });
		await second.settled();
		expect(answer.body).toMatchObject({ executed: false });
		expect(second.executions()).toHaveLength(0);

		// The same fresh process without that static data would run it again.
		const amnesic = await trigger(
			{ events: ALL_EVENTS },
			{
				credentials: { webhookSigningSecret: SECRET },
				nodeType: freshNodeType,
			},
		);
		await send(amnesic.url, body, { headers: svixHeaders(body) });
		await amnesic.settled();
		expect(amnesic.executions()).toHaveLength(1);
	});

	it('saves the record of every delivery that starts the workflow, not only the first', async () => {
		const server = await signedTrigger();
		const jobs = [job(), ...(await Promise.all([1, 2, 3, 4].map(async () => await finishedJob())))];
		const bodies = jobs.map((j) => dashboardBody('transcription.success', String(j.id)));
		for (const [i, body] of bodies.entries()) {
			const answer = await send(server.url, body, {
				headers: svixHeaders(body, { id: `msg_every_${i}` }),
			});
			expect(answer).toMatchObject({ status: 200, body: { message: 'Workflow was started' } });
		}
		await server.settled();
		expect(server.executions()).toHaveLength(5);
		const saved = server.staticData()['node:Gladia Trigger'] as IDataObject;
		// The newest entries, in order (this process's earlier deliveries come before them).
		expect((saved.deliveries as Array<[number, string]>).map(([, key]) => key).slice(-10)).toEqual(
			jobs.flatMap((j, i) => [`msg:msg_every_${i}`, `job:${String(j.id)}:transcription.success`]),
		);

		// After a restart (a fresh process with only the saved static data), all five are replays.
		const restarted = await trigger(
			{ events: ALL_EVENTS },
			{
				credentials: { webhookSigningSecret: SECRET },
				staticData: server.staticData(),
				nodeType: freshTriggerType(),
			},
		);
		for (const [i, body] of bodies.entries()) {
			const answer = await send(restarted.url, body, {
				headers: svixHeaders(body, { id: `msg_every_${i}` }),
			});
			expect(answer.body).toMatchObject({ executed: false });
		}
		await restarted.settled();
		expect(restarted.executions()).toHaveLength(0);
	});

	it('keeps every record of a burst when the database finishes saves out of order', async () => {
		// The first save lands last; any later save issued within a few ms lands first. If each
		// delivery saved its own copy, the first delivery's copy would be what stays.
		const server = await trigger(
			{ events: ALL_EVENTS },
			{
				credentials: { webhookSigningSecret: SECRET },
				saveLatencyMs: (saveIndex) => (saveIndex === 0 ? 150 : 0),
			},
		);
		const jobs = [job(), ...(await Promise.all([1, 2, 3, 4].map(async () => await finishedJob())))];
		const answers = await Promise.all(
			jobs.map(async (j, i) => {
				const body = dashboardBody('transcription.success', String(j.id));
				return await send(server.url, body, {
					headers: svixHeaders(body, { id: `msg_burst_${i}` }),
				});
			}),
		);
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
		await server.settled();
		expect(server.executions()).toHaveLength(5);
		const saved = server.staticData()['node:Gladia Trigger'] as IDataObject;
		const keys = new Set((saved.deliveries as Array<[number, string]>).map(([, key]) => key));
		for (const [i, j] of jobs.entries()) {
			expect(keys).toContain(`msg:msg_burst_${i}`);
			expect(keys).toContain(`job:${String(j.id)}:transcription.success`);
		}
		// Fewer saves than deliveries: the ones that arrived together shared one.
		expect(server.saves()).toBeLessThan(5);
	});
});

/** The trigger's node type with its modules loaded afresh: a new n8n process shares nothing. */
function freshTriggerType(): INodeType {
	let nodeType!: INodeType;
	jest.isolateModules(() => {
		type TriggerModule = typeof import('../../../nodes/Gladia/GladiaTrigger.node');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const fresh = require('../../../nodes/Gladia/GladiaTrigger.node') as TriggerModule;
		nodeType = new fresh.GladiaTrigger();
	});
	return nodeType;
}
