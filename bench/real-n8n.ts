/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Shared by bench/run.ts and bench/scale.ts: a real n8n (the installed 2.41.1, another process)
// running Start → URL list → one item per URL → Gladia Transcribe against the in-process emulator,
// with the figures that do not depend on the machine's load: polls and requests per job, detection
// latency from the emulator's own records, the n8n process's RSS and CPU time (from /proc), and
// the bytes of execution data n8n stores.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { N8nClient, PACKAGE_ROOT, startN8n, type N8nProcess } from '../scripts/lib/n8n';
import type { EmulatorHandle } from '../test/emulator';

export const N8N_VERSION = '2.41.1';
const RESULTS = join(__dirname, 'results.json');

export function log(text: string) {
	process.stdout.write(`${text}\n`);
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function median(values: number[]): number {
	return quantile(values, 0.5);
}

export function quantile(values: number[], q: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const position = (sorted.length - 1) * q;
	const below = Math.floor(position);
	const above = Math.min(sorted.length - 1, below + 1);
	return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The 1-minute load average, printed next to every figure that takes time. */
export function load(): string {
	return `load ${loadavg()[0].toFixed(1)}`;
}

// ------------------------------------------------------------------ emulator figures

/** Per job: polls (GETs of it), requests, and how long after it finished the first GET saw it. */
export function pollingFigures(emulator: EmulatorHandle) {
	const getsByPath = new Map<string, number[]>();
	for (const entry of emulator.log) {
		if (entry.method !== 'GET') continue;
		const times = getsByPath.get(entry.path) ?? [];
		times.push(Date.parse(entry.at));
		getsByPath.set(entry.path, times);
	}
	const jobs = emulator.jobs();
	const polls: number[] = [];
	const latenciesMs: number[] = [];
	const latencyShares: number[] = [];
	for (const job of jobs) {
		const gets = getsByPath.get(`/v2/pre-recorded/${job.id}`) ?? [];
		const completedAt = Date.parse(job.completedAt!);
		const seen = gets.find((at) => at >= completedAt);
		polls.push(gets.length);
		if (seen === undefined) continue;
		latenciesMs.push(seen - completedAt);
		latencyShares.push((seen - completedAt) / job.processingMs);
	}
	return {
		jobs: jobs.length,
		medianPolls: median(polls),
		p95Polls: quantile(polls, 0.95),
		maxPolls: Math.max(...polls),
		requestsPerJob: emulator.log.length / jobs.length,
		medianLatencyMs: median(latenciesMs),
		p95LatencyMs: quantile(latenciesMs, 0.95),
		maxLatencyMs: Math.max(...latenciesMs),
		medianLatencyShareOfT: median(latencyShares),
		p95LatencyShareOfT: quantile(latencyShares, 0.95),
	};
}

/**
 * The batch time of a scheduler that knew each job's end exactly: `slots` jobs at a time, in
 * creation order, each started the moment a slot frees, over the emulator's planned run times.
 */
export function idealScheduleMs(emulator: EmulatorHandle, slots: number): number {
	const durations = [...emulator.jobs()]
		.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
		.map((job) => job.processingMs);
	const freeAt = new Array<number>(slots).fill(0);
	for (const duration of durations) {
		const slot = freeAt.indexOf(Math.min(...freeAt));
		freeAt[slot] += duration;
	}
	return Math.max(...freeAt);
}

// ------------------------------------------------------------------ n8n process figures

/** RSS (KiB) and CPU time (ms, user + system) of one process, from /proc. */
function processSample(pid: number) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
	return { at: Date.now(), rssKiB, cpuMs: ticks * 10 }; // 100 ticks per second on Linux
}

export interface ProcessTrace {
	samples: Array<ReturnType<typeof processSample>>;
	stop(): void;
}

export function traceProcess(pid: number, everyMs = 50): ProcessTrace {
	const samples = [processSample(pid)];
	const timer = setInterval(() => samples.push(processSample(pid)), everyMs);
	return {
		samples,
		stop: () => {
			clearInterval(timer);
			samples.push(processSample(pid));
		},
	};
}

// ------------------------------------------------------------------ a real n8n

export interface RealN8n {
	n8n: N8nProcess;
	client: N8nClient;
	credentialId: string;
	stop(): Promise<void>;
}

export async function startRealN8n(emulator: EmulatorHandle): Promise<RealN8n> {
	log(`Building dist/ and starting n8n ${N8N_VERSION} … (${load()})`);
	// n8n loads the package from dist/: build it so the bench measures the current code.
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
	execFileSync('npm', ['run', 'build'], {
		cwd: PACKAGE_ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const n8n = await startN8n({ version: N8N_VERSION });
	const client = new N8nClient(n8n.url, { version: N8N_VERSION, n8nDir: n8n.install.dir });
	await client.signIn();
	const credentialId = await client.createCredential('Gladia (emulator)', 'gladiaApi', {
		apiKey: emulator.apiKey,
		baseUrl: emulator.url,
		webhookSigningSecret: '',
	});
	log(`   n8n started in ${round(n8n.startSeconds ?? 0, 0)} s`);
	return { n8n, client, credentialId, stop: async () => await n8n.stop() };
}

export interface BatchSpec {
	count: number;
	audioSeconds: number;
	maxConcurrentJobs: number;
	simplify?: boolean;
	/** Extra Transcribe options (e.g. minPollIntervalSeconds). */
	options?: IDataObject;
	/** Emulator settings for this batch (applied after its reset). */
	emulator?: Parameters<EmulatorHandle['configure']>[0];
}

function batchWorkflow(spec: BatchSpec, credentialId: string) {
	const urls = Array.from(
		{ length: spec.count },
		(_, index) =>
			`https://media.example.com/recording-${index}.mp3?emulator_duration=${spec.audioSeconds}`,
	);
	const node = (name: string, type: string, typeVersion: number, parameters: IDataObject) => ({
		id: `bench-${name.toLowerCase()}`,
		name,
		type,
		typeVersion,
		position: [0, 0],
		parameters,
	});
	return {
		name: `Bench ${spec.count} jobs`,
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
			node('Recordings', 'n8n-nodes-base.set', 3.4, {
				mode: 'manual',
				assignments: {
					assignments: [{ id: 'urls', name: 'urls', value: JSON.stringify(urls), type: 'array' }],
				},
				options: {},
			}),
			node('Split', 'n8n-nodes-base.splitOut', 1, {
				fieldToSplitOut: 'urls',
				options: { destinationFieldName: 'url' },
			}),
			{
				...node('Gladia', 'n8n-nodes-gladia.gladia', 1, {
					resource: 'transcription',
					operation: 'transcribe',
					audioSource: 'url',
					audioUrl: '={{ $json.url }}',
					waitMode: 'poll',
					simplify: spec.simplify ?? true,
					options: { maxConcurrentJobs: spec.maxConcurrentJobs, ...spec.options },
				}),
				credentials: { gladiaApi: { id: credentialId, name: 'Gladia (emulator)' } },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Recordings', type: 'main', index: 0 }]] },
			Recordings: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'Gladia', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

export interface BatchRun {
	/** The Gladia node's own execution time, as n8n recorded it. */
	nodeSeconds: number;
	executionId: string;
	executionDataBytes: number;
	trace: ProcessTrace;
	load: string;
}

/** Runs the batch once in the real n8n; throws unless every job came back done. */
export async function runRealBatch(
	env: RealN8n,
	emulator: EmulatorHandle,
	spec: BatchSpec,
): Promise<BatchRun> {
	emulator.reset();
	if (spec.emulator) emulator.configure(spec.emulator);
	const { id } = await env.client.importWorkflow(batchWorkflow(spec, env.credentialId));
	const loadBefore = load();
	const trace = traceProcess(env.n8n.child.pid!);
	let execution;
	try {
		const executionId = await env.client.runWorkflow(id);
		execution = await env.client.waitForExecution(executionId, { timeoutMs: 30 * 60_000 });
	} finally {
		trace.stop();
	}
	const run = execution.runData.Gladia?.[0] as
		| { executionTime?: number; data?: { main?: Array<Array<{ json: IDataObject }>> } }
		| undefined;
	const items = run?.data?.main?.[0] ?? [];
	const done = items.filter((item) => item.json.status === 'done' || item.json.transcript).length;
	if (execution.status !== 'success' || items.length !== spec.count || done !== spec.count) {
		throw new Error(
			`real n8n batch of ${spec.count}: ${execution.status}, ${done}/${spec.count} done ${execution.error?.message ?? ''}`,
		);
	}
	const raw = await env.client.request<{ data: unknown }>(
		'GET',
		`/rest/executions/${execution.id}`,
	);
	const stored = typeof raw.data === 'string' ? raw.data : JSON.stringify(raw.data);
	return {
		nodeSeconds: (run?.executionTime ?? NaN) / 1000,
		executionId: execution.id,
		executionDataBytes: Buffer.byteLength(stored),
		trace,
		load: `${loadBefore} → ${load()}`,
	};
}

/** A first small batch: n8n loads the node and grows its heap on its first run. */
export async function warmUp(env: RealN8n, emulator: EmulatorHandle, slots: number) {
	log(`   warm-up: ${slots} jobs`);
	await runRealBatch(env, emulator, { count: slots, audioSeconds: 6, maxConcurrentJobs: slots });
}

/** RSS growth of n8n during a batch: at the first job's end (all slots in flight) and at peak. */
export function memoryFigures(run: BatchRun, emulator: EmulatorHandle, inFlight: number) {
	const { samples } = run.trace;
	const baseline = samples[0].rssKiB;
	const firstDone = Math.min(...emulator.jobs().map((job) => Date.parse(job.completedAt!)));
	const beforeFirstDone = samples.filter((sample) => sample.at <= firstDone);
	const inFlightKiB = Math.max(...beforeFirstDone.map((sample) => sample.rssKiB)) - baseline;
	const peakKiB = Math.max(...samples.map((sample) => sample.rssKiB)) - baseline;
	const cpuMs = samples[samples.length - 1].cpuMs - samples[0].cpuMs;
	const jobs = emulator.jobs().length;
	return {
		baselineMiB: round(baseline / 1024, 1),
		peakIncreaseMiB: round(peakKiB / 1024, 1),
		rssKiBPerInFlightJob: round(inFlightKiB / inFlight, 1),
		rssKiBPerFinishedJob: round(peakKiB / jobs, 1),
		n8nCpuMsPerJob: round(cpuMs / jobs, 1),
	};
}

// ------------------------------------------------------------------ results.json

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(into: IDataObject, from: IDataObject): IDataObject {
	for (const [key, value] of Object.entries(from)) {
		into[key] = isObject(value) && isObject(into[key]) ? merge(into[key], value) : value;
	}
	return into;
}

/** Writes `results` over bench/results.json, keeping the keys this run did not measure. */
export function saveResults(results: IDataObject) {
	const previous = existsSync(RESULTS)
		? (JSON.parse(readFileSync(RESULTS, 'utf8')) as IDataObject)
		: {};
	writeFileSync(RESULTS, `${JSON.stringify(merge(previous, results), null, 2)}\n`);
}
