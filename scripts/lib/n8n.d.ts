/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// Types for scripts/lib/n8n.js (plain CommonJS so `npm start` runs without a compile step).
import type { ChildProcess } from 'node:child_process';

export const DEFAULT_N8N_VERSION: string;
export const LEGACY_N8N_VERSION: string;
export const PACKAGE_NAME: string;
export const PACKAGE_ROOT: string;
export const DEMO_OWNER: Owner;
export function e2eVersions(): string[];

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface N8nInstall {
	version: string;
	dir: string;
	n8nBin: string;
	nodeBin: string;
	nodeDir?: string;
	installed: boolean;
}

export interface N8nProcess {
	url: string;
	port: number;
	userFolder: string;
	logFile: string;
	child: ChildProcess;
	version: string;
	command: 'start' | 'webhook' | 'worker';
	install: N8nInstall;
	/** Ends n8n's process group if this process dies without stopping it. */
	watchdog: ChildProcess;
	startSeconds?: number;
	logTail(lines?: number): string;
	stop(): Promise<void>;
}

export interface StartOptions {
	version?: string;
	userFolder?: string;
	port?: number;
	command?: 'start' | 'webhook' | 'worker';
	env?: Record<string, string>;
	log?: (message: string) => void;
	logFile?: string;
	install?: N8nInstall;
	preparePackage?: boolean;
	timeoutMs?: number;
}

export function cacheRoot(): string;
export function nodeMajorFor(n8nVersion: string): number;
export function ensureN8n(version: string, options?: { log?: (message: string) => void }): Promise<N8nInstall>;
export function freePort(): Promise<number>;
export function preparePackage(userFolder: string, options?: { packageRoot?: string }): string;
export function startN8n(options?: StartOptions): Promise<N8nProcess>;
export function stopAll(): Promise<void>;
export function waitUntil<T>(
	check: () => T | Promise<T>,
	options: { timeoutMs: number; what: string; failFast?: () => string | undefined | false },
): Promise<T>;

export interface Item {
	json: Record<string, unknown>;
	binary?: Record<string, { fileName?: string; mimeType?: string; fileExtension?: string; fileSize?: string; id?: string; data?: string }>;
	pairedItem?: unknown;
}

export interface ExecutionDetail {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	workflowId: string;
	data: unknown;
	runData: Record<string, Array<{ data?: { main?: Item[][] }; error?: { message: string } }>>;
	error?: { message: string; description?: string };
	lastNodeExecuted?: string;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	workflowId: string;
	startedAt?: string | null;
	stoppedAt?: string | null;
}

export interface WorkflowJson {
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
}

export class N8nClient {
	constructor(baseUrl: string, options?: { version?: string; n8nDir?: string });
	baseUrl: string;
	request<T = unknown>(method: string, url: string, data?: unknown, options?: { expect?: number[] }): Promise<T>;
	setupOwner(owner?: Owner): Promise<Owner>;
	login(owner?: Owner): Promise<void>;
	signIn(owner?: Owner): Promise<Owner>;
	nodeTypeNames(): Promise<string[]>;
	credentials(): Promise<Array<{ id: string; name: string; type: string }>>;
	createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string>;
	updateCredential(id: string, name: string, type: string, data: Record<string, unknown>): Promise<void>;
	workflows(): Promise<Array<{ id: string; name: string; active: boolean }>>;
	importWorkflow(
		json: WorkflowJson,
		options?: { credentialIds?: Record<string, string>; name?: string },
	): Promise<{ id: string; versionId: string }>;
	workflow(id: string): Promise<WorkflowJson & { id: string; versionId: string; active: boolean }>;
	activateWorkflow(id: string, options?: { timeoutMs?: number }): Promise<void>;
	deactivateWorkflow(id: string): Promise<void>;
	runWorkflow(id: string, options?: { trigger?: string }): Promise<string>;
	executions(workflowId?: string): Promise<ExecutionSummary[]>;
	execution(id: string): Promise<ExecutionDetail>;
	waitForExecution(id: string, options?: { statuses?: string[]; timeoutMs?: number }): Promise<ExecutionDetail>;
	nodeOutput(execution: ExecutionDetail, nodeName: string, options?: { output?: number; run?: number }): Item[];
}
