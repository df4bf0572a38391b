/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// Real n8n end to end: Delete From Gladia After Fetching on a batch while the emulator refuses
// one delete, and a Get Many cost summary of a period. Gladia traffic goes to the emulator.
import type { ExecutionDetail, Item } from '../../scripts/lib/n8n';
import axios from 'axios';

import {
	batchWorkflow,
	E2E_API_KEY,
	e2eVersions,
	eventually,
	executionsOf,
	gladiaCredential,
	transcribeEachUrl,
	useE2eEnv,
} from './helpers/env';

// The delete-after-fetch retry policy's attempts (transport/retry.ts DELETE_AFTER_FETCH_POLICY).
import { DELETE_AFTER_FETCH_POLICY } from '../../nodes/Gladia/transport/retry';

const recordingUrl = (name: string, seconds: number) =>
	`https://media.example.com/${name}.mp3?emulator_duration=${seconds}`;

const FAST_POLL = { minPollIntervalSeconds: 0.05, maxPollIntervalSeconds: 0.5, maxWaitSeconds: 60 };

describe.each(e2eVersions())('n8n %s: privacy and cost', (version) => {
	const env = useE2eEnv(version);

	/** Manual Trigger → Recordings (the URLs) → Split → one Gladia node; the finished execution. */
	async function runBatch(
		name: string,
		urls: string[],
		parameters: Record<string, unknown>,
	): Promise<ExecutionDetail> {
		const { id } = await env.client.importWorkflow(
			batchWorkflow({
				name: `e2e privacy: ${name}`,
				items: urls.map((url) => ({ url })),
				gladia: { parameters },
				credentials: gladiaCredential(env),
			}),
		);
		return await env.client.waitForExecution(await env.client.runWorkflow(id), {
			timeoutMs: 120_000,
		});
	}

	test('Transcribe 5 with Delete After Fetching while one delete is refused: 5 results, 4 deleted, 1 warning', async () => {
		const urls = [1, 2, 3, 4, 5].map((n) => recordingUrl(`private-call-${version}-${n}`, 36));
		// One item at a time, so every attempt of one delete is refused (the first item's).
		env.emulator.injectFault({
			route: 'delete',
			kind: '500',
			count: DELETE_AFTER_FETCH_POLICY.maxAttempts,
		});
		const logStart = env.emulator.log.length;
		const execution = await runBatch(
			'delete after fetching',
			urls,
			transcribeEachUrl({
				deleteAfterFetch: true,
				pricePerAudioHour: 0.61,
				options: { ...FAST_POLL, maxConcurrentJobs: 1 },
			}),
		);
		expect(execution.error?.message).toBeUndefined();
		expect(execution.status).toBe('success');

		const results = env.client.nodeOutput(execution, 'Gladia');
		expect(results).toHaveLength(5);
		results.forEach((item: Item, index: number) => {
			expect(item.json).toMatchObject({ status: 'done', billing_time: 36, estimated_cost: 0.0061 });
			expect(String(item.json.transcript).length).toBeGreaterThan(0);
			expect(item.json.file_name).toBe(`private-call-${version}-${index + 1}.mp3`);
		});
		const outcomes = results.map(
			(item) => item.json.gladia_delete as { deleted: boolean; error?: string },
		);
		expect(outcomes.filter((outcome) => outcome.deleted)).toHaveLength(4);
		const [warning] = outcomes.filter((outcome) => !outcome.deleted);
		expect(warning.error).toMatch(
			/^Could not delete job [0-9a-f-]+ at Gladia: Internal server error \(HTTP 500\)\./,
		);
		expect(JSON.stringify(results)).not.toContain(env.emulator.apiKey);

		// At the emulator: 4 jobs gone, the refused one still there, its result intact in n8n.
		const ids = results.map((item) => String(item.json.id));
		const remaining = new Set(env.emulator.jobs().map((job) => job.id));
		expect(ids.filter((id) => remaining.has(id))).toEqual([
			ids[outcomes.findIndex((o) => !o.deleted)],
		]);
		const deletes = env.emulator.log
			.slice(logStart)
			.filter((entry) => entry.method === 'DELETE')
			.map((entry) => entry.status);
		expect(deletes.filter((status) => status === 202)).toHaveLength(4);
		expect(deletes.filter((status) => status === 500)).toHaveLength(
			DELETE_AFTER_FETCH_POLICY.maxAttempts,
		);
		process.stdout.write(
			`[n8n ${version}] delete-after-fetch: 5 results, 4 deleted, 1 warning, ${deletes.length} DELETE requests\n`,
		);
	});

	test('Get Many → Cost Summary totals a period (After/Before) as one item', async () => {
		await new Promise((resolve) => setTimeout(resolve, 20));
		const after = new Date().toISOString();
		await new Promise((resolve) => setTimeout(resolve, 20));
		const seconds = [36, 72, 180];
		const urls = seconds.map((length, n) => recordingUrl(`billed-${version}-${n}`, length));
		const batch = await runBatch(
			'billed batch',
			urls,
			transcribeEachUrl({ pricePerAudioHour: 0.61, options: FAST_POLL }),
		);
		expect(batch.status).toBe('success');
		const perJob = env.client
			.nodeOutput(batch, 'Gladia')
			.map((item) => Number(item.json.estimated_cost));
		await new Promise((resolve) => setTimeout(resolve, 20));
		const before = new Date().toISOString();

		const execution = await runBatch('cost summary', ['one input item'], {
			resource: 'transcription',
			operation: 'getMany',
			output: 'costSummary',
			pricePerAudioHour: 0.61,
			filters: { afterDate: after, beforeDate: before },
		});
		expect(execution.error?.message).toBeUndefined();
		const [summary, ...more] = env.client.nodeOutput(execution, 'Gladia');
		expect(more).toHaveLength(0);
		// 288 s = 0.08 h; × 0.61 = 0.0488.
		expect(summary.json).toMatchObject({
			jobs: 3,
			jobs_without_billing_time: 0,
			billing_time: 288,
			billed_hours: 0.08,
			estimated_cost: 0.0488,
			price_per_audio_hour: 0.61,
			by_status: { done: { jobs: 3, billing_time: 288, estimated_cost: 0.0488 } },
		});
		// Per-job costs (each rounded) add up to the total within rounding.
		expect(Math.abs(perJob.reduce((sum, cost) => sum + cost, 0) - 0.0488)).toBeLessThan(0.0005);
	});

	test('Gladia Trigger deletes after fetching; the result stays in the saved execution even when a later node fails', async () => {
		const webhookId = `e2e-privacy-trigger-${version.replace(/\./g, '-')}`;
		const { id: workflowId } = await env.client.importWorkflow({
			name: 'e2e privacy: trigger deletes after fetching',
			nodes: [
				{
					id: 'pt-1',
					name: 'Gladia Trigger',
					type: 'n8n-nodes-gladia.gladiaTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: { events: ['transcription.success'], deleteAfterFetch: true },
					credentials: gladiaCredential(env),
				},
				{
					id: 'pt-2',
					name: 'CRM Down',
					type: 'n8n-nodes-base.stopAndError',
					typeVersion: 1,
					position: [220, 0],
					parameters: { errorMessage: 'The CRM is down' },
				},
			],
			connections: { 'Gladia Trigger': { main: [[{ node: 'CRM Down', type: 'main', index: 0 }]] } },
		});
		await env.client.activateWorkflow(workflowId);
		const created = await axios.post(
			`${env.emulator.url}/v2/pre-recorded`,
			{
				audio_url: recordingUrl(`triggered-${version}`, 36),
				callback: true,
				callback_config: { url: `${env.n8n.url}/webhook/${webhookId}/webhook`, method: 'POST' },
			},
			{ headers: { 'x-gladia-key': E2E_API_KEY } },
		);
		const jobId = String(created.data.id);
		const [summary] = await eventually('the triggered execution to end', async () => {
			const all = await executionsOf(env, workflowId);
			return all.length && all.every((e) => ['success', 'error', 'crashed'].includes(e.status))
				? all
				: undefined;
		});
		const execution = await env.client.execution(summary.id);
		expect(execution.status).toBe('error');
		const [output] = env.client.nodeOutput(execution, 'Gladia Trigger');
		expect(output.json).toMatchObject({
			id: jobId,
			verified: true,
			gladia_delete: { deleted: true },
		});
		expect(String(output.json.transcript).length).toBeGreaterThan(0);
		expect(env.emulator.jobs().some((job) => job.id === jobId)).toBe(false);
		await env.client.deactivateWorkflow(workflowId);
	});
});
