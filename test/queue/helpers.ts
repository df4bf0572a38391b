/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Shared plumbing for the queue-mode suite: the emulator + n8n topology, execution counting
// through n8n's REST API, which worker ran what (from the workers' logs), memory readings.
import { readFileSync } from 'node:fs';
import axios from 'axios';

import {
	delay,
	descendants,
	type ExecutionDetail,
	N8nClient,
	type N8nProcess,
	type QueueTopology,
	readPeakRss,
	readRss,
	resetPeakRss,
	startQueueTopology,
} from '../../scripts/queue';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../emulator';

// Emulated processing time per job = audio seconds / 60 × SPEED seconds.
export const SPEED = 0.1;

export interface QueueEnv {
	emulator: EmulatorHandle;
	topo: QueueTopology;
	/** Signed in as the owner, on main. */
	client: N8nClient;
	/** The Gladia credential pointing at the emulator. */
	credentialId: string;
}

/**
 * The emulator, then the topology (2 workers; QUEUE_PACKAGE_ROOT installs that package instead
 * of this repository), the owner signed in and a Gladia credential for the emulator.
 */
export async function startQueueEnv(options: {
	deliveryRetry: EmulatorOptions['deliveryRetry'];
	env?: Record<string, string>;
	webhookSigningSecret?: string;
}): Promise<QueueEnv> {
	const emulator = await startEmulator({
		speedFactor: SPEED,
		deliveryRetry: options.deliveryRetry,
	});
	const topo = await startQueueTopology({
		workers: 2,
		env: options.env,
		log: (message) => report('setup', message),
		packageRoot: process.env.QUEUE_PACKAGE_ROOT || undefined,
	});
	return {
		emulator,
		topo,
		...(await signInWithCredential(topo, emulator, options.webhookSigningSecret)),
	};
}

/** A client of the topology's main, signed in as the owner, and a Gladia credential for the emulator. */
export async function signInWithCredential(
	topo: QueueTopology,
	emulator: EmulatorHandle,
	webhookSigningSecret = '',
): Promise<{ client: N8nClient; credentialId: string }> {
	const client = new N8nClient(topo.main.url, { version: topo.version, n8nDir: topo.install.dir });
	await client.signIn();
	const credentialId = await client.createCredential('Gladia (emulator)', 'gladiaApi', {
		apiKey: emulator.apiKey,
		baseUrl: emulator.url,
		webhookSigningSecret,
	});
	return { client, credentialId };
}

export const TERMINAL_STATUSES = ['success', 'error', 'crashed', 'canceled'];

export interface ExecutionSummary {
	id: string;
	status: string;
	workflowId: string;
	mode: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

/** Every execution of a workflow, through n8n's REST API (paged: n8n caps a page at 100). */
export async function listExecutions(
	client: N8nClient,
	workflowId: string,
): Promise<ExecutionSummary[]> {
	const all: ExecutionSummary[] = [];
	let cursor: string | undefined;
	for (;;) {
		const query = new URLSearchParams({ filter: JSON.stringify({ workflowId }), limit: '100' });
		if (cursor) query.set('cursor', cursor);
		const page = await client.request<{ results: ExecutionSummary[]; nextCursor?: string | null }>(
			'GET',
			`/rest/executions?${query.toString()}`,
		);
		all.push(...page.results.map((e) => ({ ...e, id: String(e.id) })));
		// n8n 2.41 was seen to list an execution on two consecutive pages: count each once.
		if (!page.nextCursor) return [...new Map(all.map((e) => [e.id, e])).values()];
		cursor = page.nextCursor;
	}
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
	return counts;
}

/**
 * Waits until the workflow has `expected` executions, all in a final state (or `statuses`),
 * and the count has stopped moving. Returns them.
 */
export async function waitForExecutions(
	client: N8nClient,
	workflowId: string,
	expected: number,
	{ timeoutMs = 120_000, statuses = TERMINAL_STATUSES, settleMs = 0 } = {},
): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let last: ExecutionSummary[] = [];
	for (;;) {
		last = await listExecutions(client, workflowId);
		const done = last.filter((e) => statuses.includes(e.status));
		if (last.length >= expected && done.length === last.length) {
			if (settleMs === 0) return last;
			await delay(settleMs);
			const again = await listExecutions(client, workflowId);
			if (again.length === last.length) return again;
			continue;
		}
		if (Date.now() > deadline) {
			throw new Error(
				`workflow ${workflowId}: expected ${expected} executions in ${statuses.join('/')} within ${timeoutMs} ms, ` +
					`have ${last.length}: ${JSON.stringify(countBy(last, (e) => e.status))}`,
			);
		}
		await delay(500);
	}
}

/**
 * Waits until the workflow's executions are all final and their number has not moved for
 * `quietMs`; returns them (however many there are: the caller asserts the count).
 */
export async function settledExecutions(
	client: N8nClient,
	workflowId: string,
	{ quietMs = 3000, timeoutMs = 180_000 } = {},
): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let previous = -1;
	let stableSince = Date.now();
	for (;;) {
		const all = await listExecutions(client, workflowId);
		const final = all.every((e) => TERMINAL_STATUSES.includes(e.status));
		if (all.length !== previous || !final) {
			previous = all.length;
			stableSince = Date.now();
		} else if (Date.now() - stableSince >= quietMs) {
			return all;
		}
		if (Date.now() > deadline) return all;
		await delay(500);
	}
}

/** Loads executions in full (run data), a few at a time. */
export async function loadExecutions(client: N8nClient, ids: string[]): Promise<ExecutionDetail[]> {
	const out: ExecutionDetail[] = [];
	for (let i = 0; i < ids.length; i += 8) {
		out.push(...(await Promise.all(ids.slice(i, i + 8).map((id) => client.execution(id)))));
	}
	return out;
}

/** executionId → worker index, from the "Worker started execution N" lines of each worker's log. */
export function executionsByWorker(workers: N8nProcess[]): Map<string, number> {
	const map = new Map<string, number>();
	for (const worker of workers) {
		const log = readFileSync(worker.logFile, 'utf8');
		for (const match of log.matchAll(/Worker started execution (\d+)/g)) {
			map.set(match[1], worker.workerIndex ?? -1);
		}
	}
	return map;
}

/** Production webhook URL of a path, on the webhook processor (the only process serving them). */
export function productionUrl(topo: QueueTopology, path: string): string {
	return `${topo.webhookUrl}/webhook/${path}`;
}

/** POSTs JSON, returning the status (never throws on HTTP errors). */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
	return (await postJsonFull(url, body, headers)).status;
}

/** POSTs JSON, returning status and body (never throws on HTTP errors). */
export async function postJsonFull(
	url: string,
	body: unknown,
	headers: Record<string, string> = {},
) {
	const res = await axios.post(url, body, { headers, validateStatus: () => true, timeout: 60_000 });
	return { status: res.status, data: res.data as unknown };
}

/** Runs `fn` over items with at most `limit` in flight. */
export async function inBatches<T, R>(
	items: T[],
	limit: number,
	fn: (item: T, index: number) => Promise<R>,
) {
	const results: R[] = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, async () => {
			while (next < items.length) {
				const index = next++;
				results[index] = await fn(items[index], index);
			}
		}),
	);
	return results;
}

/** The process tree of an n8n process (its task runner is a child). */
export function processTree(proc: N8nProcess): number[] {
	const pid = proc.child.pid as number;
	return [pid, ...descendants(pid)];
}

/**
 * Peak-memory probe over processes: resets the kernel's high-water mark (VmHWM) now,
 * reports each process's peak since then, minus its resident memory at reset time.
 */
export function memoryProbe(procs: Record<string, N8nProcess>) {
	const baseline: Record<string, number> = {};
	const exact: Record<string, boolean> = {};
	for (const [name, proc] of Object.entries(procs)) {
		const pid = proc.child.pid as number;
		exact[name] = resetPeakRss(pid);
		baseline[name] = readRss(pid);
	}
	return {
		read() {
			const out: Record<
				string,
				{ baselineMiB: number; peakMiB: number; increaseMiB: number; exact: boolean }
			> = {};
			for (const [name, proc] of Object.entries(procs)) {
				const peak = readPeakRss(proc.child.pid as number);
				out[name] = {
					baselineMiB: mib(baseline[name]),
					peakMiB: mib(peak),
					increaseMiB: mib(Math.max(0, peak - baseline[name])),
					exact: exact[name],
				};
			}
			return out;
		},
	};
}

/** CPU seconds (user + system) a process and its descendants have used so far, from /proc. */
function cpuSeconds(pid: number): number {
	let ticks = 0;
	for (const one of [pid, ...descendants(pid)]) {
		try {
			const stat = readFileSync(`/proc/${one}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// the process ended meanwhile
		}
	}
	return ticks / 100; // USER_HZ is 100 on Linux
}

/**
 * CPU probe over process trees: `read()` gives each one's CPU seconds since the probe started
 * and its share of one core over that time, plus the machine's load average.
 */
export function cpuProbe(pids: Record<string, number>) {
	const started = Date.now();
	const baseline = Object.fromEntries(
		Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]),
	);
	return {
		read() {
			const wall = (Date.now() - started) / 1000;
			const out: Record<string, unknown> = {
				wallSeconds: Math.round(wall),
				loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
			};
			for (const [name, pid] of Object.entries(pids)) {
				const used = cpuSeconds(pid) - baseline[name];
				out[name] = `${used.toFixed(1)} s (${Math.round((used / wall) * 100)} % of a core)`;
			}
			return out;
		},
	};
}

/** Smallest, median, 90th percentile and largest of some numbers. */
export function spread(values: number[]): { min: number; p50: number; p90: number; max: number } {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
	return { min: at(0), p50: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1] ?? 0 };
}

export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Prints a line of figures to the console (the report quotes them). */
export function report(label: string, figures: unknown) {
	// eslint-disable-next-line no-console
	console.log(`[queue] ${label}: ${JSON.stringify(figures)}`);
}
