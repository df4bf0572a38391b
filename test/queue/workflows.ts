// The workflows the queue-mode scenarios import into n8n (built here so parameter names live
// in one place). Each starts from a production webhook, served by the webhook processor.
import { randomUUID } from 'node:crypto';

import type { WorkflowJson } from '../../scripts/queue';

type Node = Record<string, unknown>;

const credentials = { gladiaApi: { id: 'set-on-import', name: 'Gladia (emulator)' } };

function webhookNode(path: string, options: Record<string, unknown> = {}): Node {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options },
	};
}

/** One item per element of the request body's `items` array ({ url }). */
function splitItems(): Node {
	return {
		name: 'Split Items',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [220, 0],
		parameters: { fieldToSplitOut: 'body.items', options: {} },
	};
}

function chain(nodes: Node[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name as string] = {
			main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]],
		};
	}
	return connections;
}

function workflow(name: string, nodes: Node[]): WorkflowJson {
	return { name, nodes, connections: chain(nodes), settings: { executionOrder: 'v1' } };
}

/** Transcribe's options that keep the scenarios fast against the emulator. */
interface TranscribeSettings {
	waitMode: 'poll' | 'callback';
	maxConcurrentJobs?: number;
	continueOnFail?: boolean;
}

export function transcribeNode(audio: 'url' | 'binary', settings: TranscribeSettings): Node {
	return {
		name: 'Gladia',
		type: 'n8n-nodes-gladia.gladia',
		typeVersion: 1,
		position: [440, 0],
		credentials,
		...(settings.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		parameters: {
			resource: 'transcription',
			operation: 'transcribe',
			audioSource: audio,
			...(audio === 'url' ? { audioUrl: '={{ $json.url }}' } : { binaryPropertyName: 'data' }),
			waitMode: settings.waitMode,
			options: {
				maxConcurrentJobs: settings.maxConcurrentJobs ?? 5,
				// The emulator finishes jobs in a fraction of Gladia's time: check early.
				minPollIntervalSeconds: 0.2,
				maxPollIntervalSeconds: 2,
				maxWaitSeconds: 600,
			},
		},
	};
}

/**
 * Webhook { items: [{ url }] } → one item per URL → Transcribe (poll or callback).
 * The webhook answers with the execution id, so the sender can follow what became of its items.
 */
export function urlBatchWorkflow(
	name: string,
	path: string,
	settings: TranscribeSettings,
): WorkflowJson {
	return workflow(name, [
		webhookNode(path, { responseData: '={{ $execution.id }}' }),
		splitItems(),
		transcribeNode('url', settings),
	]);
}

/** Webhook with a raw audio body (stored as binary `data`) → Transcribe from binary. */
export function binaryWorkflow(name: string, path: string): WorkflowJson {
	return workflow(name, [
		webhookNode(path, { binaryPropertyName: 'data', rawBody: false }),
		{ ...transcribeNode('binary', { waitMode: 'poll' }), position: [220, 0] },
	]);
}

/** Gladia Trigger (dashboard webhooks, success events, verified with Gladia) → Done. */
export function triggerWorkflow(name: string): WorkflowJson {
	return workflow(name, [
		{
			name: 'Gladia Trigger',
			type: 'n8n-nodes-gladia.gladiaTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			credentials,
			parameters: {
				events: ['transcription.success'],
				verifyWithGladia: true,
				includeResult: true,
				simplify: true,
			},
		},
		{
			name: 'Done',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [220, 0],
			parameters: {},
		},
	]);
}

/** The production URL path of the trigger (`<webhookId>/<path>`). */
export function triggerPath(json: WorkflowJson): string {
	const trigger = json.nodes.find((n) => n.type === 'n8n-nodes-gladia.gladiaTrigger') as Node;
	return `${trigger.webhookId as string}/webhook`;
}
