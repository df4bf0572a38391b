/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// npm run bench: the Gladia node in n8n's real engine (WorkflowExecute) against the emulator,
// measured on four figures (P1–P4). Prints a table and writes bench/results.json.
//   P1 batch wall time vs the ideal ceil(N / C) · T, and at Max Concurrent Jobs = 1
//   P2 peak RSS increase while uploading a 1 GB WAV (filesystem binary mode) vs in-memory
//   P3 polls per job and detection latency (Poll mode, default settings); Callback mode polls
//   P4 time to simplify a long result
//   P1/P3/P5 in a real n8n 2.41.1 (40 jobs; 1,000 in bench/scale.ts), P3 under seeded jitter
//   P5 execution data n8n stores per 1-hour job, Simplify on vs off
//   P6 upload throughput of the node vs curl, same file, same emulator
// The emulator runs at Gladia's speed (T = audio_duration / 60), so the node's defaults apply.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Gladia } from '../nodes/Gladia/Gladia.node';
import { simplifyJob } from '../nodes/Gladia/helpers/output';
import type { PreRecordedJob } from '../nodes/Gladia/helpers/types';
import { startEmulator, writeWavFile, type EmulatorHandle } from '../test/emulator';
import { buildResult } from '../test/emulator/results';
import { runNode } from '../test/helpers/engine';
import { startWaitingWebhookServer } from '../test/helpers/waiting-webhook';
import {
	idealScheduleMs,
	load,
	log,
	median,
	round,
	memoryFigures,
	pollingFigures,
	runRealBatch,
	warmUp,
	saveResults,
	startRealN8n,
	type RealN8n,
} from './real-n8n';

const MiB = 1024 * 1024;
const T_SECONDS = 2;
const BATCH = 40;
const PLAN_CONCURRENCY = 25;
const CALLBACK_EXECUTIONS = 5;
const UPLOAD_BYTES = 999_000_000; // 1 GB, just under Gladia's 1000 MB (10^9 bytes) limit
const IN_MEMORY_UPLOAD_BYTES = 256 * MiB;
const P6_ROUNDS = 3;
/** `npm run bench -- --only=P6`: the upload throughput alone (a few minutes, no real n8n). */
const ONLY_P6 = process.argv.includes('--only=P6');
const JITTER = { factor: 0.5, seed: 42 };
/** Under jitter: a 10-minute recording (T = 10 s), so the default 1 s poll floor is 10 % of T. */
const JITTER_T_SECONDS = 10;
/** In the real n8n, as in the side-by-side comparison with Gladia's own node. */
const REAL_T_SECONDS = 3;

interface Row {
	figure: string;
	measured: number;
	unit: string;
	goal?: number;
	/** The goal is a floor (measured ≥ goal), not a ceiling. */
	atLeast?: boolean;
	note?: string;
}

const rows: Row[] = [];
const results: IDataObject = {};

// ------------------------------------------------------------------ P1 + P3: a batch, polled

function batchItems(count: number, seconds = T_SECONDS * 60): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({
		json: { url: `https://media.example.com/recording-${index}.mp3?emulator_duration=${seconds}` },
	}));
}

async function transcribeBatch(
	emulator: EmulatorHandle,
	maxConcurrentJobs: number,
	{ seconds = T_SECONDS * 60, jitter = false } = {},
) {
	emulator.reset();
	if (jitter) emulator.configure({ jitter: JITTER });
	const parameters: INodeParameters = {
		resource: 'transcription',
		operation: 'transcribe',
		waitMode: 'poll',
		audioSource: 'url',
		audioUrl: '={{ $json.url }}',
		options: { maxConcurrentJobs }, // poll intervals and Max Wait: the node's defaults
	};
	const started = performance.now();
	const run = await runNode({
		nodeType: new Gladia(),
		parameters,
		items: batchItems(BATCH, seconds),
		credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
	});
	const wallSeconds = (performance.now() - started) / 1000;
	const done = run.items.filter((item) => item.json.status === 'done').length;
	if (run.status !== 'success' || done !== BATCH) {
		throw new Error(
			`batch at ${maxConcurrentJobs}: ${run.status}, ${done}/${BATCH} done ${run.error?.message ?? ''}`,
		);
	}
	return { wallSeconds, ...pollingFigures(emulator), load: load() };
}

async function benchBatch(emulator: EmulatorHandle) {
	const ideal = Math.ceil(BATCH / PLAN_CONCURRENCY) * T_SECONDS;
	log(
		`P1 ${BATCH} URL jobs, T = ${T_SECONDS} s, emulator concurrency ${PLAN_CONCURRENCY}, Max Concurrent Jobs ${PLAN_CONCURRENCY} …`,
	);
	const parallel = await transcribeBatch(emulator, PLAN_CONCURRENCY);
	log(`P1 the same batch at Max Concurrent Jobs 1 (ideal ${BATCH * T_SECONDS} s) …`);
	log(
		`   wall ${round(parallel.wallSeconds)} s (ideal ${ideal} s), median ${parallel.medianPolls} polls/job, median latency ${round(parallel.medianLatencyMs, 0)} ms`,
	);
	const serial = await transcribeBatch(emulator, 1);
	log(`   wall ${round(serial.wallSeconds)} s`);
	results.p1 = {
		jobs: BATCH,
		tSeconds: T_SECONDS,
		concurrency: PLAN_CONCURRENCY,
		wallSeconds: round(parallel.wallSeconds),
		idealSeconds: ideal,
		ratio: round(parallel.wallSeconds / ideal),
		serialWallSeconds: round(serial.wallSeconds),
		serialIdealSeconds: BATCH * T_SECONDS,
		serialRatio: round(serial.wallSeconds / (BATCH * T_SECONDS)),
		speedUp: round(serial.wallSeconds / parallel.wallSeconds, 1),
	};
	rows.push({
		figure: `P1 wall / ideal (${BATCH} jobs, C=${PLAN_CONCURRENCY}, ideal ${ideal} s, wall ${round(parallel.wallSeconds)} s)`,
		measured: round(parallel.wallSeconds / ideal),
		unit: '×',
		goal: 1.2,
	});
	rows.push({
		figure: `P1 same batch at Max Concurrent Jobs 1 (ideal ${BATCH * T_SECONDS} s, wall ${round(serial.wallSeconds)} s)`,
		measured: round(serial.wallSeconds / (BATCH * T_SECONDS)),
		unit: '×',
		note: `speed-up ${round(serial.wallSeconds / parallel.wallSeconds, 1)}×`,
	});
	results.p3 = {
		medianPollsPerJob: parallel.medianPolls,
		maxPollsPerJob: parallel.maxPolls,
		medianDetectionLatencyMs: round(parallel.medianLatencyMs, 0),
		latencyShareOfT: round(parallel.medianLatencyMs / (T_SECONDS * 1000), 3),
	};
	rows.push({
		figure: `P3 median polls per job (Poll mode, defaults, URL jobs; ${parallel.load})`,
		measured: parallel.medianPolls,
		unit: '',
		goal: 2,
		note: 'a first poll reads the unknown duration; the first wave is polled across 0.5–1.5 T',
	});
	rows.push({
		figure: `P3 median detection latency after done (${parallel.load})`,
		measured: round(parallel.medianLatencyMs, 0),
		unit: 'ms',
		goal: 50,
	});
	results.p3 = {
		...(results.p3 as IDataObject),
		requestsPerJob: round(parallel.requestsPerJob, 2),
	};
}

// ------------------------------------------------------------------ P3: Callback mode

async function benchCallback(emulator: EmulatorHandle) {
	log(`P3 Callback mode: ${CALLBACK_EXECUTIONS} executions of one item …`);
	emulator.reset();
	const n8n = await startWaitingWebhookServer(() => new Gladia());
	try {
		const credentials = { apiKey: emulator.apiKey, baseUrl: emulator.url };
		const parked = await Promise.all(
			batchItems(CALLBACK_EXECUTIONS).map(async (item) => {
				const parameters: INodeParameters = {
					resource: 'transcription',
					operation: 'transcribe',
					waitMode: 'callback',
					audioSource: 'url',
					audioUrl: item.json.url as string,
				};
				const run = await runNode({ nodeType: new Gladia(), parameters, credentials });
				return n8n.park(run, { parameters, credentials });
			}),
		);
		const outputs = await Promise.all(
			parked.map(async (execution) => await execution.resumed(T_SECONDS * 5000)),
		);
		const done = outputs.filter(
			(output) => output.workflowData?.[0]?.[0]?.json.status === 'done',
		).length;
		if (done !== CALLBACK_EXECUTIONS)
			throw new Error(`callback mode: ${done}/${CALLBACK_EXECUTIONS} done`);
		const polls: number[] = [];
		const readBacks: number[] = [];
		const resumeMs: number[] = [];
		for (const job of emulator.jobs()) {
			const completedAt = Date.parse(job.completedAt!);
			const gets = emulator.log.filter(
				(entry) => entry.method === 'GET' && entry.path === `/v2/pre-recorded/${job.id}`,
			);
			polls.push(gets.filter((entry) => Date.parse(entry.at) < completedAt).length);
			readBacks.push(gets.length - polls[polls.length - 1]);
		}
		for (const execution of parked) {
			const job = emulator
				.jobs()
				.find(
					(candidate) => candidate.id === execution.resumedWith?.workflowData?.[0]?.[0]?.json.id,
				)!;
			resumeMs.push(execution.resumedAt! - Date.parse(job.completedAt!));
		}
		results.p3callback = {
			executions: CALLBACK_EXECUTIONS,
			maxPollsPerJob: Math.max(...polls),
			readBacksPerJob: Math.max(...readBacks),
			medianResumeAfterDoneMs: round(median(resumeMs), 0),
		};
		rows.push({
			figure: 'P3 Callback mode: polls per job while Gladia works',
			measured: Math.max(...polls),
			unit: '',
			goal: 0,
			note: `then ${Math.max(...readBacks)} GET to read the finished job; resumed ${round(median(resumeMs), 0)} ms after done`,
		});
	} finally {
		await n8n.close();
	}
}

// ------------------------------------------------------------------ P2: upload memory

async function uploadInChild(
	mode: 'filesystem' | 'default',
	wavPath: string,
	emulator: EmulatorHandle,
) {
	const scratch = mkdtempSync(join(tmpdir(), 'gladia-bench-n8n-'));
	try {
		// A separate process keeps the measured RSS free of the bench itself (not shipped code).
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		const child = spawn(
			process.execPath,
			[
				'--expose-gc',
				'-r',
				'ts-node/register/transpile-only',
				'bench/upload-memory.ts',
				mode,
				wavPath,
				emulator.url,
				emulator.apiKey,
			],
			{
				env: {
					...process.env,
					TS_NODE_PROJECT: 'tsconfig.test.json',
					TS_NODE_PREFER_TS_EXTS: 'true', // Gladia.node.ts, not Gladia.node.json
					N8N_USER_FOLDER: scratch,
					N8N_BINARY_DATA_STORAGE_PATH: join(scratch, 'binary'),
				},
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		await new Promise((resolve) => child.on('close', resolve));
		const line = output.trim().split('\n').pop() ?? '{}';
		return JSON.parse(line) as IDataObject;
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

/** A WAV of about `bytes` bytes: 48 kHz stereo 16-bit, 192 000 bytes per second of audio. */
async function writeBenchWav(path: string, bytes: number): Promise<number> {
	return await writeWavFile(path, (bytes - 44) / 192_000, { sampleRate: 48_000, channels: 2 });
}

async function benchUploadMemory(emulator: EmulatorHandle) {
	const dir = mkdtempSync(join(tmpdir(), 'gladia-bench-wav-'));
	try {
		const big = join(dir, 'all-hands-1GB.wav');
		const small = join(dir, 'all-hands-256MiB.wav');
		log('P2 writing a 1 GB WAV …');
		const bigBytes = await writeBenchWav(big, UPLOAD_BYTES);
		const smallBytes = await writeBenchWav(small, IN_MEMORY_UPLOAD_BYTES);
		log('P2 uploading it from the filesystem binary store (child process) …');
		const streamed = await uploadInChild('filesystem', big, emulator);
		log(`   ${JSON.stringify(streamed)}`);
		await benchThroughput(big);
		log('P2 uploading 256 MiB from the filesystem store and from memory (child processes) …');
		const streamedSmall = await uploadInChild('filesystem', small, emulator);
		const buffered = await uploadInChild('default', small, emulator);
		log(`   ${JSON.stringify(streamedSmall)}\n   ${JSON.stringify(buffered)}`);
		log('P2 trying 1 GB in memory mode …');
		const bufferedBig = await uploadInChild('default', big, emulator);
		log(`   ${JSON.stringify(bufferedBig)}`);
		for (const [name, outcome] of Object.entries({ streamed, streamedSmall, buffered })) {
			if (outcome.ok !== true) throw new Error(`P2 ${name}: ${JSON.stringify(outcome)}`);
		}
		results.p2 = {
			fileBytes: bigBytes,
			filesystemPeakIncreaseMiB: round(streamed.peakIncreaseMiB as number, 1),
			filesystemUploadSeconds: round(streamed.seconds as number, 1),
			smallFileBytes: smallBytes,
			filesystemSmallPeakIncreaseMiB: round(streamedSmall.peakIncreaseMiB as number, 1),
			inMemorySmallPeakIncreaseMiB: round(buffered.peakIncreaseMiB as number, 1),
			inMemory1GB:
				bufferedBig.ok === true
					? { peakIncreaseMiB: round(bufferedBig.peakIncreaseMiB as number, 1) }
					: { failed: bufferedBig.error },
		};
		rows.push({
			figure: `P2 peak RSS increase, 1 GB WAV, filesystem mode (${round(streamed.seconds as number, 1)} s)`,
			measured: round(streamed.peakIncreaseMiB as number, 1),
			unit: 'MiB',
			goal: 64,
		});
		rows.push({
			figure: 'P2 same, 256 MiB WAV, filesystem mode',
			measured: round(streamedSmall.peakIncreaseMiB as number, 1),
			unit: 'MiB',
		});
		rows.push({
			figure: 'P2 same, 256 MiB WAV, in-memory (default) binary mode',
			measured: round(buffered.peakIncreaseMiB as number, 1),
			unit: 'MiB',
			note:
				bufferedBig.ok === true
					? `1 GB in memory: +${round(bufferedBig.peakIncreaseMiB as number, 0)} MiB`
					: `1 GB in memory fails before upload: ${String(bufferedBig.error).slice(0, 60)}`,
		});
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

// ------------------------------------------------------------------ P3 under jitter

async function benchJitter(emulator: EmulatorHandle) {
	log(
		`P3 jitter ±50 %: ${BATCH} URL jobs of T = ${JITTER_T_SECONDS} s, C = ${PLAN_CONCURRENCY}, defaults … (${load()})`,
	);
	const run = await transcribeBatch(emulator, PLAN_CONCURRENCY, {
		seconds: JITTER_T_SECONDS * 60,
		jitter: true,
	});
	const ideal = idealScheduleMs(emulator, PLAN_CONCURRENCY) / 1000;
	const jitter = {
		tSeconds: JITTER_T_SECONDS,
		medianLatencyShareOfT: round(run.medianLatencyShareOfT, 3),
		p95LatencyShareOfT: round(run.p95LatencyShareOfT, 3),
		medianPollsPerJob: run.medianPolls,
		p95PollsPerJob: run.p95Polls,
		requestsPerJob: round(run.requestsPerJob, 2),
		wallSeconds: round(run.wallSeconds, 1),
		exactKnowledgeIdealSeconds: round(ideal, 1),
		load: run.load,
	};
	log(`   ${JSON.stringify(jitter)}`);
	results.p3 = { ...(results.p3 as IDataObject), jitter };
	rows.push({
		figure: `P3 jitter: median detection latency / job's T (${run.load})`,
		measured: round(run.medianLatencyShareOfT * 100, 1),
		unit: '%',
		goal: 10,
	});
	rows.push({
		figure: `P3 jitter: p95 detection latency / job's T`,
		measured: round(run.p95LatencyShareOfT * 100, 1),
		unit: '%',
		goal: 20,
	});
	rows.push({
		figure: 'P3 jitter: median polls per job (URL jobs: duration unknown at create)',
		measured: run.medianPolls,
		unit: '',
		goal: 6,
		note: `${round(run.requestsPerJob, 2)} requests per job in all`,
	});
}

// ------------------------------------------------------------------ P1, P3, P5 in a real n8n

async function benchRealN8n(emulator: EmulatorHandle) {
	const env = await startRealN8n(emulator);
	try {
		await warmUp(env, emulator, PLAN_CONCURRENCY);
		await realBatches(env, emulator);
		await executionDataShare(env, emulator);
	} finally {
		await env.stop();
	}
}

async function realBatches(env: RealN8n, emulator: EmulatorHandle) {
	const spec = {
		count: BATCH,
		audioSeconds: REAL_T_SECONDS * 60,
		maxConcurrentJobs: PLAN_CONCURRENCY,
	};
	const ideal = Math.ceil(BATCH / PLAN_CONCURRENCY) * REAL_T_SECONDS;
	log(
		`P1 real n8n: ${BATCH} URL jobs, T = ${REAL_T_SECONDS} s, C = ${PLAN_CONCURRENCY} … (${load()})`,
	);
	const steady = await runRealBatch(env, emulator, spec);
	const steadyPolls = pollingFigures(emulator);
	const memory = memoryFigures(steady, emulator, PLAN_CONCURRENCY);
	log(`P1 real n8n: the same with jitter ±50 % … (${load()})`);
	const jittered = await runRealBatch(env, emulator, { ...spec, emulator: { jitter: JITTER } });
	const jitterIdeal = idealScheduleMs(emulator, PLAN_CONCURRENCY) / 1000;
	const jitterPolls = pollingFigures(emulator);
	log(
		`P1 real n8n: the same at Max Concurrent Jobs 1 (≈ ${BATCH * REAL_T_SECONDS} s) … (${load()})`,
	);
	const serial = await runRealBatch(env, emulator, { ...spec, maxConcurrentJobs: 1 });
	const jobs40 = {
		nodeSeconds: round(steady.nodeSeconds, 2),
		idealSeconds: ideal,
		ratio: round(steady.nodeSeconds / ideal, 3),
		medianPollsPerJob: steadyPolls.medianPolls,
		requestsPerJob: round(steadyPolls.requestsPerJob, 2),
		medianDetectionLatencyMs: round(steadyPolls.medianLatencyMs, 0),
		serialNodeSeconds: round(serial.nodeSeconds, 1),
		serialRatio: round(serial.nodeSeconds / (BATCH * REAL_T_SECONDS), 3),
		speedUp: round(serial.nodeSeconds / steady.nodeSeconds, 1),
		load: steady.load,
		serialLoad: serial.load,
	};
	const jitter40 = {
		nodeSeconds: round(jittered.nodeSeconds, 2),
		exactKnowledgeIdealSeconds: round(jitterIdeal, 2),
		ratio: round(jittered.nodeSeconds / jitterIdeal, 3),
		medianPollsPerJob: jitterPolls.medianPolls,
		medianLatencyShareOfT: round(jitterPolls.medianLatencyShareOfT, 3),
		p95LatencyShareOfT: round(jitterPolls.p95LatencyShareOfT, 3),
		load: jittered.load,
	};
	log(`   ${JSON.stringify({ jobs40, jitter40, memory })}`);
	results.p1Real = { jobs40, jitter40 };
	results.p5 = {
		at40: { ...memory, executionDataBytesPerJob: round(steady.executionDataBytes / BATCH, 0) },
	};
	rows.push({
		figure: `P1 real n8n: node time / ideal (${BATCH} jobs, T = ${REAL_T_SECONDS} s, ideal ${ideal} s, node ${round(steady.nodeSeconds)} s; ${steady.load})`,
		measured: jobs40.ratio,
		unit: '×',
		goal: 1.1,
	});
	rows.push({
		figure: `P1 real n8n, jitter ±50 %: node time / exact-knowledge ideal (${round(jitterIdeal, 1)} s, node ${round(jittered.nodeSeconds)} s; ${jittered.load})`,
		measured: jitter40.ratio,
		unit: '×',
		goal: 1.15,
	});
	rows.push({
		figure: `P1 real n8n at Max Concurrent Jobs 1 (ideal ${BATCH * REAL_T_SECONDS} s, node ${round(serial.nodeSeconds, 1)} s; ${serial.load})`,
		measured: jobs40.serialRatio,
		unit: '×',
		note: `speed-up ${jobs40.speedUp}×; 1,000 serial would be ≈ ${(1000 * REAL_T_SECONDS) / 60} min, not run`,
	});
	rows.push({
		figure: `P5 real n8n, ${BATCH} jobs: n8n RSS growth per job (peak − before, ÷ jobs; 1,000 in bench:scale)`,
		measured: memory.rssKiBPerFinishedJob,
		unit: 'KiB',
		note: `n8n CPU ${memory.n8nCpuMsPerJob} ms per job, baseline ${memory.baselineMiB} MiB`,
	});
}

/** Bytes n8n stores per execution item for a 1-hour recording, Simplify on vs off. */
async function executionDataShare(env: RealN8n, emulator: EmulatorHandle) {
	const count = 3;
	const spec = (simplify: boolean) => ({
		count,
		audioSeconds: 3600,
		maxConcurrentJobs: count,
		simplify,
		// The emulator runs 50× faster here (a 1-hour job in 1.2 s); one poll at 2 s sees it done.
		options: { minPollIntervalSeconds: 2 },
		emulator: { speedFactor: 0.02 },
	});
	log(`P5 execution data: ${count} × 1-hour recordings, Simplify on and off … (${load()})`);
	const simplified = await runRealBatch(env, emulator, spec(true));
	const raw = await runRealBatch(env, emulator, spec(false));
	const share = simplified.executionDataBytes / raw.executionDataBytes;
	results.p5 = {
		...(results.p5 as IDataObject),
		executionDataBytesPerJob1hSimplified: round(simplified.executionDataBytes / count, 0),
		executionDataBytesPerJob1hRaw: round(raw.executionDataBytes / count, 0),
		executionDataShareSimplifiedVsRaw: round(share, 3),
	};
	rows.push({
		figure: `P5 execution data per 1-hour job: Simplify on / off (${round(simplified.executionDataBytes / count / 1024, 0)} KiB vs ${round(raw.executionDataBytes / count / 1024, 0)} KiB)`,
		measured: round(share * 100, 1),
		unit: '%',
		goal: 25,
	});
}

// ------------------------------------------------------------------ P6: upload throughput

async function curlUploadSeconds(path: string, emulator: EmulatorHandle): Promise<number> {
	const output = await new Promise<string>((resolve, reject) =>
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		execFile(
			'curl',
			[
				'-sS',
				'-o',
				'/dev/null',
				'-w',
				'%{http_code} %{time_total}',
				'-H',
				`x-gladia-key: ${emulator.apiKey}`,
				'-F',
				`audio=@${path};type=audio/wav`,
				`${emulator.url}/v2/upload`,
			],
			(error, stdout) => (error ? reject(error) : resolve(stdout)),
		),
	);
	const [status, seconds] = output.trim().split(' ');
	if (status !== '200') throw new Error(`curl upload answered ${status}`);
	return Number(seconds);
}

/** CPU seconds this process spends in `work`: during curl's upload, only the emulator's receive side. */
async function cpuSecondsOf<T>(work: () => Promise<T>): Promise<{ result: T; cpuSeconds: number }> {
	const before = process.cpuUsage();
	const result = await work();
	const used = process.cpuUsage(before);
	return { result, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** Node and curl back to back, on a fresh emulator (its close() deletes the two uploaded copies). */
async function throughputRound(path: string) {
	const emulator = await startEmulator();
	try {
		const loadBefore = load();
		const streamed = await uploadInChild('filesystem', path, emulator);
		if (streamed.ok !== true) throw new Error(`P6 node upload: ${JSON.stringify(streamed)}`);
		const curl = await cpuSecondsOf(async () => await curlUploadSeconds(path, emulator));
		const nodeSeconds = streamed.seconds as number;
		return {
			nodeSeconds,
			curlSeconds: curl.result,
			share: curl.result / nodeSeconds,
			peakIncreaseMiB: streamed.peakIncreaseMiB as number,
			nodeCpuSeconds: streamed.cpuSeconds as number,
			nodeFullGcs: streamed.fullGcs as number,
			nodeGcSeconds: streamed.gcSeconds as number,
			emulatorCpuSeconds: curl.cpuSeconds,
			load: loadBefore,
		};
	} finally {
		await emulator.close();
	}
}

/** P6: the median of P6_ROUNDS rounds; the load is shared, so each round compares like with like. */
async function benchThroughput(path: string) {
	const rounds: Array<Awaited<ReturnType<typeof throughputRound>>> = [];
	for (let n = 1; n <= P6_ROUNDS; n++) {
		log(`P6 round ${n}/${P6_ROUNDS}: the same 1 GB file with the node, then curl … (${load()})`);
		rounds.push(await throughputRound(path));
		log(`   ${JSON.stringify(rounds[rounds.length - 1])}`);
	}
	const mbPerSecond = (seconds: number) => UPLOAD_BYTES / 1e6 / seconds;
	const mid = (pick: (r: (typeof rounds)[number]) => number) => median(rounds.map(pick));
	const p6 = {
		rounds: rounds.length,
		nodeMBps: round(mbPerSecond(mid((r) => r.nodeSeconds)), 1),
		curlMBps: round(mbPerSecond(mid((r) => r.curlSeconds)), 1),
		throughputShareOfCurl: round(
			mid((r) => r.share),
			3,
		),
		sharesOfCurl: rounds.map((r) => round(r.share, 3)),
		peakRssIncreaseMiB: round(Math.max(...rounds.map((r) => r.peakIncreaseMiB)), 1),
		// Where the time goes: the node's CPU (and its garbage collection), the emulator's CPU.
		nodeCpuSeconds: round(mid((r) => r.nodeCpuSeconds)),
		nodeFullGcs: mid((r) => r.nodeFullGcs),
		nodeGcPauseSeconds: round(mid((r) => r.nodeGcSeconds)),
		emulatorCpuSeconds: round(mid((r) => r.emulatorCpuSeconds)),
		load: rounds.map((r) => r.load).join(', '),
	};
	log(`   ${JSON.stringify(p6)}`);
	results.p6 = p6;
	rows.push({
		figure: `P6 upload throughput, node / curl, median of ${p6.rounds} (${p6.nodeMBps} vs ${p6.curlMBps} MB/s; ${p6.load})`,
		measured: round(p6.throughputShareOfCurl * 100, 0),
		unit: '%',
		goal: 80,
		atLeast: true,
	});
	rows.push({
		figure: `P6 peak RSS increase during those uploads (largest of ${p6.rounds})`,
		measured: p6.peakRssIncreaseMiB,
		unit: 'MiB',
		goal: 64,
	});
	rows.push({
		figure: `P6 node's CPU per upload (${p6.nodeFullGcs} full garbage collections, ${p6.nodeGcPauseSeconds} s of pauses; the emulator's receive side of curl's upload: ${p6.emulatorCpuSeconds} s)`,
		measured: p6.nodeCpuSeconds,
		unit: 's',
	});
}

// ------------------------------------------------------------------ P4: shaping

function benchSimplify() {
	const params = {
		diarization: true,
		subtitles: true,
		subtitles_config: { formats: ['srt', 'vtt'] },
		summarization: true,
		summarization_config: { type: 'general' },
		named_entity_recognition: true,
		sentiment_analysis: true,
	};
	const seconds = 8000; // the emulator speaks 2.5 words per second, capped at 20 000 words
	const result = buildResult({
		seed: 'bench-long-meeting',
		duration: seconds,
		channels: 1,
		params,
		transcriptionTime: 133,
	});
	const job = {
		id: '8b3f4c2e-0000-4000-8000-00000000b4e1',
		request_id: 'G-8b3f4c2e',
		version: 2,
		status: 'done',
		created_at: new Date().toISOString(),
		completed_at: new Date().toISOString(),
		kind: 'pre-recorded',
		file: {
			id: 'f',
			filename: 'long-meeting.mp3',
			source: null,
			audio_duration: seconds,
			number_of_channels: 1,
		},
		request_params: params,
		result,
	} as unknown as PreRecordedJob;
	const words = (job.result?.transcription?.utterances ?? []).reduce(
		(sum, utterance) => sum + utterance.words.length,
		0,
	);
	simplifyJob(job); // warm-up
	const timings: number[] = [];
	for (let run = 0; run < 15; run++) {
		const started = performance.now();
		simplifyJob(job);
		timings.push(performance.now() - started);
	}
	results.p4 = {
		audioSeconds: seconds,
		words,
		medianMs: round(median(timings), 1),
		maxMs: round(Math.max(...timings), 1),
	};
	rows.push({
		figure: `P4 simplify a ${round(seconds / 3600, 1)} h result, ${words} words (median of 15)`,
		measured: round(median(timings), 1),
		unit: 'ms',
		goal: 100,
	});
}

// ------------------------------------------------------------------ report

function machine() {
	return {
		nproc: cpus().length,
		cpu: cpus()[0]?.model ?? 'unknown',
		ramGiB: round(totalmem() / 1024 ** 3, 1),
		node: process.version,
		date: new Date().toISOString(),
	};
}

function printTable() {
	const header = ['Figure', 'Measured', 'Goal', 'Ratio', 'OK'];
	const lines = rows.map((row) => {
		const ratio =
			row.goal === undefined
				? ''
				: row.goal === 0
					? row.measured === 0
						? '0'
						: '∞'
					: `${round(row.measured / row.goal)}`;
		const met = row.atLeast ? row.measured >= row.goal! : row.measured <= row.goal!;
		const ok = row.goal === undefined ? '' : met ? 'yes' : 'NO';
		return [
			row.figure + (row.note ? ` — ${row.note}` : ''),
			`${row.measured} ${row.unit}`.trim(),
			row.goal === undefined ? '' : `${row.atLeast ? '≥' : '≤'} ${row.goal} ${row.unit}`.trim(),
			ratio,
			ok,
		];
	});
	const widths = header.map((_, column) =>
		Math.max(...[header, ...lines].map((line) => line[column].length)),
	);
	const format = (line: string[]) =>
		`| ${line.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
	log('');
	log(format(header));
	log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
	for (const line of lines) log(format(line));
}

async function onlyThroughput() {
	const dir = mkdtempSync(join(tmpdir(), 'gladia-bench-wav-'));
	try {
		const big = join(dir, 'all-hands-1GB.wav');
		log('P6 writing a 1 GB WAV …');
		await writeBenchWav(big, UPLOAD_BYTES);
		await benchThroughput(big);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	printTable();
}

async function main() {
	if (ONLY_P6) return await onlyThroughput();
	const started = performance.now();
	const info = machine();
	log(`Machine: ${info.nproc} × ${info.cpu}, ${info.ramGiB} GiB RAM, Node ${info.node}`);
	const emulator = await startEmulator({
		speedFactor: 1,
		concurrency: PLAN_CONCURRENCY,
		queueLimit: 300,
	});
	try {
		await benchBatch(emulator);
		await benchJitter(emulator);
		await benchCallback(emulator);
		await benchUploadMemory(emulator);
		benchSimplify();
		await benchRealN8n(emulator);
	} finally {
		await emulator.close();
	}
	printTable();
	const totalSeconds = round((performance.now() - started) / 1000, 0);
	log(`\nBench took ${totalSeconds} s. Written to bench/results.json.`);
	saveResults({ machine: info, benchSeconds: totalSeconds, ...results, table: rows });
}

void main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
