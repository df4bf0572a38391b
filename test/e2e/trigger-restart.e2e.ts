/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// Real n8n: the Gladia Trigger's replay record outlives a restart of n8n. 50 signed dashboard
// webhooks start 50 executions; n8n is stopped and started again on the same database; the
// same 50 messages delivered again (as Svix retries them: same svix-id, fresh signature) start
// none.
import axios from 'axios';
import { Webhook } from 'svix';

import { N8nClient, startN8n, type N8nProcess } from '../../scripts/lib/n8n';
import {
	activeSignedTrigger,
	E2E_API_KEY,
	E2E_SIGNING_SECRET,
	e2eVersions,
	eventually,
	useE2eEnv,
} from './helpers/env';

const EVENTS = 50;
const TERMINAL = ['success', 'error', 'crashed', 'canceled'];
const WEBHOOK_ID = 'e2e-trigger-restart';

interface Delivery {
	messageId: string;
	jobId: string;
	payload: string;
}

function signedHeaders(delivery: Delivery): Record<string, string> {
	const at = new Date();
	return {
		'content-type': 'application/json',
		'svix-id': delivery.messageId,
		'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
		'svix-signature': new Webhook(E2E_SIGNING_SECRET).sign(
			delivery.messageId,
			at,
			delivery.payload,
		),
	};
}

async function deliver(url: string, delivery: Delivery) {
	const res = await axios.post(url, delivery.payload, {
		headers: signedHeaders(delivery),
		validateStatus: () => true,
		transformRequest: (d: string) => d,
	});
	return { status: res.status, body: res.data as Record<string, unknown> };
}

/** Sends the deliveries five at a time (senders deliver concurrently), in order. */
async function deliverAll(url: string, deliveries: Delivery[]) {
	const answers: Array<Awaited<ReturnType<typeof deliver>>> = [];
	for (let i = 0; i < deliveries.length; i += 5) {
		answers.push(
			...(await Promise.all(deliveries.slice(i, i + 5).map(async (d) => await deliver(url, d)))),
		);
	}
	return answers;
}

describe.each(e2eVersions())('n8n %s', (version) => {
	let restarted: N8nProcess | undefined;
	// Declared before useE2eEnv: jest runs afterAll hooks in that order, so the restarted n8n
	// stops before the emulator it talks to.
	afterAll(async () => {
		await restarted?.stop();
	});
	const env = useE2eEnv(version);

	/** Every execution of the workflow once none is running, after `quietMs` without a new one. */
	async function settledExecutions(
		client: N8nClient,
		workflowId: string,
		expected: number,
		quietMs = 3000,
	) {
		let seen = await eventually(
			`${expected} finished executions`,
			async () => {
				const all = await client.executions(workflowId);
				return all.length >= expected && all.every((e) => TERMINAL.includes(e.status))
					? all
					: undefined;
			},
			120_000,
		);
		// A late (wrong) extra execution gets the chance to show up before counting.
		for (;;) {
			await new Promise((resolve) => setTimeout(resolve, quietMs));
			const again = await client.executions(workflowId);
			if (again.length === seen.length && again.every((e) => TERMINAL.includes(e.status)))
				return again;
			seen = again;
		}
	}

	test(
		`${EVENTS} signed events → ${EVENTS} executions; after a restart the same ${EVENTS} start none`,
		async () => {
			const { workflowId, url } = await activeSignedTrigger(env, {
				workflowName: 'e2e: trigger restart',
				credentialName: 'Gladia (restart)',
				webhookId: WEBHOOK_ID,
			});

			// 50 finished jobs at the emulator, as if created from Gladia's dashboard.
			const jobIds = await Promise.all(
				Array.from({ length: EVENTS }, async (_, i) => {
					const res = await axios.post(
						`${env.emulator.url}/v2/pre-recorded`,
						{ audio_url: `https://example.com/calls/restart-${i}.wav?emulator_duration=30` },
						{ headers: { 'x-gladia-key': E2E_API_KEY } },
					);
					return res.data.id as string;
				}),
			);
			await eventually('the jobs to finish', async () =>
				jobIds.every((id) => env.emulator.jobs().find((j) => j.id === id)?.status === 'done')
					? true
					: undefined,
			);
			const deliveries: Delivery[] = jobIds.map((jobId, i) => ({
				messageId: `msg_restart_${i}_${version}`,
				jobId,
				payload: JSON.stringify({ event: 'transcription.success', payload: { id: jobId } }),
			}));

			const first = await deliverAll(url, deliveries);
			expect(first.map((a) => a.status)).toEqual(new Array(EVENTS).fill(200));
			const before = await settledExecutions(env.client, workflowId, EVENTS);
			expect(before).toHaveLength(EVENTS);
			expect(before.every((e) => e.status === 'success')).toBe(true);
			const jobsRun = await Promise.all(
				before.map(
					async (e) =>
						env.client.nodeOutput(await env.client.execution(e.id), 'Gladia Trigger')[0].json.id,
				),
			);
			expect(jobsRun.sort()).toEqual([...jobIds].sort());

			// The record n8n saved: both keys of every delivery.
			const saved = (await env.client.workflow(workflowId)) as { staticData?: unknown };
			const staticData = (
				typeof saved.staticData === 'string' ? JSON.parse(saved.staticData) : saved.staticData
			) as Record<string, { deliveries?: Array<[number, string]> }> | undefined;
			const recorded = new Set(
				(staticData?.['node:Gladia Trigger']?.deliveries ?? []).map(([, key]) => key),
			);
			process.stdout.write(
				`[n8n ${version}] replay record before the restart: ${recorded.size} keys\n`,
			);
			for (const d of deliveries) {
				expect(recorded).toContain(`msg:${d.messageId}`);
				expect(recorded).toContain(`job:${d.jobId}:transcription.success`);
			}

			// Restart: the same user folder (database) and port, a new process.
			const { userFolder, port } = env.n8n;
			await env.n8n.stop();
			restarted = await startN8n({
				version,
				userFolder,
				port,
				preparePackage: false,
				log: (m) => process.stdout.write(`[n8n ${version}, restarted] ${m}\n`),
			});
			const client = new N8nClient(restarted.url, { version, n8nDir: restarted.install.dir });
			await client.signIn();
			// Live again once an unsigned request reaches the trigger (401) rather than n8n's 404.
			await eventually(
				'the trigger to be live after the restart',
				async () => {
					const res = await axios.post(url, '{}', {
						headers: { 'content-type': 'application/json' },
						validateStatus: () => true,
					});
					return res.status === 401 ? true : undefined;
				},
				60_000,
			);

			const again = await deliverAll(url, deliveries);
			for (const answer of again) {
				expect(answer).toMatchObject({
					status: 200,
					body: { executed: false, message: expect.stringContaining('already received') },
				});
			}
			const after = await settledExecutions(client, workflowId, EVENTS, 5000);
			expect(after).toHaveLength(EVENTS);
		},
		8 * 60 * 1000,
	);
});
