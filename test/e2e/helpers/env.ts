/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// One end-to-end run for one n8n version: the Gladia emulator in this process, a real n8n in another (fresh user folder),
// its owner signed in, a Gladia credential pointing at the emulator, and the examples imported.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import {
	N8nClient,
	startN8n,
	type ExecutionDetail,
	type ExecutionSummary,
	type N8nProcess,
} from '../../../scripts/lib/n8n';
import { importExamples } from '../../../scripts/lib/examples';
import { startEmulator, type EmulatorHandle } from '../../emulator';

export { e2eVersions } from '../../../scripts/lib/n8n';

export const E2E_API_KEY = 'e2e-key';
// A Svix signing secret is `whsec_` + base64 of random bytes; fixed here so failures reproduce.
export const E2E_SIGNING_SECRET = 'whsec_' + Buffer.from('n8n-nodes-gladia e2e secret!!').toString('base64');

export interface E2eEnv {
	version: string;
	n8n: N8nProcess;
	client: N8nClient;
	emulator: EmulatorHandle;
	credentialId: string;
	filesDir: string;
	/** Workflow ids of the imported examples, by file name. */
	examples: Record<string, { id: string; name: string; active: boolean }>;
	timings: Record<string, number>;
	stop(): Promise<void>;
}

export async function startE2eEnv(version: string): Promise<E2eEnv> {
	const timings: Record<string, number> = {};
	let t = Date.now();
	const emulator = await startEmulator({
		apiKeys: [E2E_API_KEY],
		// Jobs take audio_duration/60 × 0.05 s: a 10-minute recording is done in 0.5 s.
		speedFactor: 0.05,
	});
	let n8n: N8nProcess | undefined;
	let failure: Error;
	try {
		n8n = await startN8n({ version, log: (m) => process.stdout.write(`[n8n ${version}] ${m}\n`) });
		timings.n8nStartSeconds = n8n.startSeconds ?? 0;
		const client = new N8nClient(n8n.url, { version, n8nDir: n8n.install.dir });
		await client.signIn();
		// No signing secret: per-job callbacks are unsigned (see the dashboard-webhook test for signed ones).
		const credentialId = await client.createCredential('Gladia (emulator)', 'gladiaApi', {
			apiKey: E2E_API_KEY,
			baseUrl: emulator.url,
			webhookSigningSecret: '',
		});
		const filesDir = path.join(n8n.userFolder, 'files');
		mkdirSync(filesDir, { recursive: true });
		t = Date.now();
		const imported = await importExamples(client, { credentialId, n8nUrl: n8n.url, filesDir });
		timings.importSeconds = (Date.now() - t) / 1000;
		const examples: E2eEnv['examples'] = {};
		for (const example of imported) examples[example.file] = example;
		const started = n8n;
		return {
			version,
			n8n,
			client,
			emulator,
			credentialId,
			filesDir,
			examples,
			timings,
			stop: async () => {
				await started.stop();
				await emulator.close();
			},
		};
	} catch (error) {
		failure = error as Error;
	}
	const log = n8n ? `\n--- n8n log ---\n${n8n.logTail(60)}` : '';
	await n8n?.stop();
	await emulator.close();
	throw new Error(`Setting up n8n@${version} failed: ${failure.message}${log}`);
}

/** Every execution of a workflow (n8n pages at 100 at most; the tests stay well below). */
export async function executionsOf(env: E2eEnv, workflowId: string): Promise<ExecutionSummary[]> {
	return await env.client.executions(workflowId);
}

/** Runs an example from its Manual Trigger and waits for the execution to finish. */
export async function runExample(env: E2eEnv, file: string, timeoutMs = 60000): Promise<ExecutionDetail> {
	const example = env.examples[file];
	if (!example) throw new Error(`Example ${file} was not imported (have: ${Object.keys(env.examples).join(', ')})`);
	const executionId = await env.client.runWorkflow(example.id);
	return await env.client.waitForExecution(executionId, { timeoutMs });
}

/** Polls until `check` returns a value; fails with `what` after timeoutMs. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
