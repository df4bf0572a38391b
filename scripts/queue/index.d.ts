// Types for scripts/queue/index.js (plain CommonJS, shared with scripts/lib/n8n.js).

export interface N8nProcess {
	url: string;
	port: number;
	userFolder: string;
	logFile: string;
	/** The n8n process (its own process group: signal -pid to reach its task runner too). */
	child: { pid?: number };
	version: string;
	command: 'start' | 'webhook' | 'worker';
	startSeconds?: number;
	workerIndex?: number;
	logTail(lines?: number): string;
	stop(): Promise<void>;
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

export interface ExecutionDetail {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	workflowId: string;
	data: unknown;
	runData: Record<
		string,
		Array<{
			data?: {
				main?: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }>>;
			};
			error?: { message: string };
		}>
	>;
	error?: { message: string; description?: string };
	lastNodeExecuted?: string;
}

export interface WorkflowJson {
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
}

export class N8nClient {
	constructor(baseUrl: string, options?: { version?: string; n8nDir?: string });
	request<T = unknown>(
		method: string,
		url: string,
		data?: unknown,
		options?: { expect?: number[] },
	): Promise<T>;
	signIn(): Promise<unknown>;
	nodeTypeNames(): Promise<string[]>;
	createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string>;
	importWorkflow(
		json: WorkflowJson,
		options?: { credentialIds?: Record<string, string>; name?: string },
	): Promise<{ id: string; versionId: string }>;
	workflow(
		id: string,
	): Promise<{ id: string; name: string; nodes: Array<Record<string, unknown>> }>;
	activateWorkflow(id: string, options?: { timeoutMs?: number }): Promise<void>;
	deactivateWorkflow(id: string): Promise<void>;
	execution(id: string): Promise<ExecutionDetail>;
	nodeOutput(
		execution: ExecutionDetail,
		nodeName: string,
		options?: { output?: number; run?: number },
	): Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }>;
}

export function freePort(): Promise<number>;
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
