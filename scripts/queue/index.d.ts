// Types for scripts/queue/index.js (plain CommonJS, shared with scripts/lib/n8n.js).

import type { N8nProcess as LaunchedProcess } from '../lib/n8n';

// The REST client, the process type and freePort are scripts/lib/n8n's own, re-exported by index.js.
export { DEMO_OWNER, N8nClient, freePort } from '../lib/n8n';
export type { ExecutionDetail, WorkflowJson } from '../lib/n8n';

export interface N8nProcess extends LaunchedProcess {
	/** Set on workers: their position in the topology. */
	workerIndex?: number;
}

export interface PostgresHandle {
	host: string;
	port: number;
	user: string;
	database: string;
	pid: number;
	sql(statement: string): string;
	stop(): Promise<void>;
}

export interface QueueTopology {
	main: N8nProcess;
	webhook: N8nProcess;
	workers: N8nProcess[];
	webhookUrl: string;
	redis: { host: string; port: number; pid: number; stop(): Promise<void> };
	postgres: PostgresHandle;
	env: Record<string, string>;
	install: { dir: string; nodeBin: string; n8nBin: string };
	version: string;
	logsDir: string;
	timings: Record<string, number>;
	startWorker(): Promise<N8nProcess>;
	restartWebhook(): Promise<N8nProcess>;
	/** Another webhook processor, on a port of its own; stopped with the topology. */
	startWebhook(): Promise<N8nProcess>;
	stop(): Promise<void>;
}

export interface QueueTopologyOptions {
	version?: string;
	workers?: number;
	workerConcurrency?: number;
	binaryDataMode?: 'database' | 'filesystem';
	env?: Record<string, string>;
	withPackage?: boolean;
	packageRoot?: string;
	logsDir?: string;
	log?: (message: string) => void;
}

export function startQueueTopology(options?: QueueTopologyOptions): Promise<QueueTopology>;

export function delay(ms: number): Promise<void>;
export function waitFor(
	name: string,
	predicate: () => boolean | Promise<boolean>,
	options?: { timeoutMs?: number; intervalMs?: number },
): Promise<void>;
export function descendants(pid: number): number[];
export function readPeakRss(pid: number): number;
export function readRss(pid: number): number;
export function resetPeakRss(pid: number): boolean;
