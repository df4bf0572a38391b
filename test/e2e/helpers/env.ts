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
	type WorkflowJson,
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

/**
 * Starts an environment before the tests of the enclosing describe block and stops it after them.
 * The object returned is empty until then and filled in once n8n is up: read it inside tests and hooks.
 */
export function useE2eEnv(version: string): E2eEnv {
	const env = {} as E2eEnv;
	beforeAll(
		async () => {
			Object.assign(env, await startE2eEnv(version));
		},
		5 * 60 * 1000,
	);
	afterAll(async () => {
		// Not set when the start failed (that failure is the one to read).
		if (env.stop) await env.stop();
	});
	return env;
}

/**
 * A Gladia Trigger for success events behind its own credential, signing secret set (dashboard
 * webhooks are signed), alone in an active workflow; the workflow id and the trigger's URL.
 */
export async function activeSignedTrigger(
	env: E2eEnv,
	options: { workflowName: string; credentialName: string; webhookId: string },
): Promise<{ workflowId: string; url: string }> {
	const credentialId = await env.client.createCredential(options.credentialName, 'gladiaApi', {
		apiKey: E2E_API_KEY,
		baseUrl: env.emulator.url,
		webhookSigningSecret: E2E_SIGNING_SECRET,
	});
	const { id: workflowId } = await env.client.importWorkflow({
		name: options.workflowName,
		nodes: [
			{
				id: '0b7c3a52-5d1e-4f7a-9b0e-000000000001',
				name: 'Gladia Trigger',
				type: 'n8n-nodes-gladia.gladiaTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: options.webhookId,
				parameters: { events: ['transcription.success'] },
				credentials: { gladiaApi: { id: credentialId, name: options.credentialName } },
			},
		],
		connections: {},
	});
	await env.client.activateWorkflow(workflowId);
	return { workflowId, url: `${env.n8n.url}/webhook/${options.webhookId}/webhook` };
}

/** Transcribe, Wait Mode Poll, of each item's `url`; `extra` adds or overrides parameters. */
export const transcribeEachUrl = (extra: Record<string, unknown> = {}) => ({
	resource: 'transcription',
	operation: 'transcribe',
	audioSource: 'url',
	audioUrl: '={{ $json.url }}',
	waitMode: 'poll',
	...extra,
});

type WorkflowNode = Record<string, unknown>;

/** A workflow node on the first row of the canvas, its id taken from its name. */
const node = (
	name: string,
	type: string,
	typeVersion: number,
	x: number,
	parameters: Record<string, unknown>,
): WorkflowNode => ({
	id: name.toLowerCase(),
	name,
	type,
	typeVersion,
	position: [x, 0],
	parameters,
});

/** The Manual Trigger most workflows of these tests start from. */
export const MANUAL_START = node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {});

/** A node's `credentials`: the environment's Gladia credential (unsigned). */
export const gladiaCredential = (env: E2eEnv) => ({
	gladiaApi: { id: env.credentialId, name: 'Gladia (emulator)' },
});

/** Connections from one node's outputs (the first, then the error output if any) to these nodes. */
function outputsTo(...names: string[]) {
	return { main: names.map((name) => [{ node: name, type: 'main', index: 0 }]) };
}

export interface BatchWorkflowOptions {
	name: string;
	/** One item each, with these fields; the Gladia node reads `url`. */
	items: Array<Record<string, unknown>>;
	/** The Gladia node: its parameters, its name ("Gladia" unless given), anything else it sets. */
	gladia: { name?: string; parameters: Record<string, unknown> } & WorkflowNode;
	credentials: WorkflowNode;
	/** The first node (MANUAL_START unless given). */
	trigger?: WorkflowNode;
	/** The nodes the Gladia node's outputs go to: its main output, then its error output. */
	next?: WorkflowNode[];
}

/** Trigger → "Recordings" (a Set node holding the items) → "Split" (one item each) → Gladia (→ next). */
export function batchWorkflow(options: BatchWorkflowOptions): WorkflowJson {
	const { name: gladiaName = 'Gladia', parameters, ...gladiaSettings } = options.gladia;
	const trigger = options.trigger ?? MANUAL_START;
	const next = options.next ?? [];
	const items = `={{ ${JSON.stringify(options.items)} }}`;
	const nodes = [
		{ ...trigger, position: [0, 0] },
		node('Recordings', 'n8n-nodes-base.set', 3.4, 220, {
			mode: 'manual',
			assignments: { assignments: [{ id: 'items', name: 'items', value: items, type: 'array' }] },
			includeOtherFields: false,
			options: {},
		}),
		node('Split', 'n8n-nodes-base.splitOut', 1, 440, { fieldToSplitOut: 'items', options: {} }),
		{
			...node(gladiaName, 'n8n-nodes-gladia.gladia', 1, 660, parameters),
			credentials: options.credentials,
			...gladiaSettings,
		},
		...next.map((step, index) => ({ ...step, position: [880, 200 * index] })),
	];
	return {
		name: options.name,
		nodes,
		connections: {
			[String(trigger.name)]: outputsTo('Recordings'),
			Recordings: outputsTo('Split'),
			Split: outputsTo(gladiaName),
			...(next.length ? { [gladiaName]: outputsTo(...next.map((step) => String(step.name))) } : {}),
		},
	};
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
