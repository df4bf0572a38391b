/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// npm run bench: the Gladia node in n8n's real engine (WorkflowExecute) against the emulator,
// measured on four figures (P1–P4). Prints a table and writes bench/results.json.
//   P1 batch wall time vs the ideal ceil(N / C) · T, and at Max Concurrent Jobs = 1
//   P2 peak RSS increase while uploading a 1 GB WAV (filesystem binary mode) vs in-memory
//   P3 polls per job and detection latency (Poll mode, default settings); Callback mode polls
//   P4 time to simplify a long result
// The emulator runs at Gladia's speed (T = audio_duration / 60), so the node's defaults apply.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const MiB = 1024 * 1024;
const T_SECONDS = 2;
const BATCH = 40;
const PLAN_CONCURRENCY = 25;
const CALLBACK_EXECUTIONS = 5;
const UPLOAD_BYTES = 999_000_000; // 1 GB, just under Gladia's 1000 MB (10^9 bytes) limit
const IN_MEMORY_UPLOAD_BYTES = 256 * MiB;

interface Row {
	figure: string;
	measured: number;
	unit: string;
	goal?: number;
	note?: string;
}

const rows: Row[] = [];
const results: IDataObject = {};

function log(text: string) {
	process.stdout.write(`${text}\n`);
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

// ------------------------------------------------------------------ P1 + P3: a batch, polled

function batchItems(count: number): INodeExecutionData[] {
	const seconds = T_SECONDS * 60;
	return Array.from({ length: count }, (_, index) => ({
		json: { url: `https://media.example.com/recording-${index}.mp3?emulator_duration=${seconds}` },
	}));
}

async function transcribeBatch(emulator: EmulatorHandle, maxConcurrentJobs: number) {
	emulator.reset();
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
		items: batchItems(BATCH),
		credentials: { apiKey: emulator.apiKey, baseUrl: emulator.url },
	});
	const wallSeconds = (performance.now() - started) / 1000;
	const done = run.items.filter((item) => item.json.status === 'done').length;
	if (run.status !== 'success' || done !== BATCH) {
		throw new Error(
			`batch at ${maxConcurrentJobs}: ${run.status}, ${done}/${BATCH} done ${run.error?.message ?? ''}`,
		);
	}
	return { wallSeconds, ...pollingFigures(emulator) };
}

/** Per job: GETs of it, and how long after it finished the first GET that saw it came in. */
function pollingFigures(emulator: EmulatorHandle) {
	const polls: number[] = [];
	const latenciesMs: number[] = [];
	for (const job of emulator.jobs()) {
		const gets = emulator.log.filter(
			(entry) => entry.method === 'GET' && entry.path === `/v2/pre-recorded/${job.id}`,
		);
		const completedAt = Date.parse(job.completedAt!);
		const seen = gets.find((entry) => Date.parse(entry.at) >= completedAt);
		polls.push(gets.length);
		if (seen) latenciesMs.push(Date.parse(seen.at) - completedAt);
	}
	return {
		medianPolls: median(polls),
		maxPolls: Math.max(...polls),
		medianLatencyMs: median(latenciesMs),
	};
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
		figure: 'P3 median polls per job (Poll mode, defaults)',
		measured: parallel.medianPolls,
		unit: '',
		goal: 4,
	});
	rows.push({
		figure: `P3 median detection latency after done (ms; 10 % of T = ${T_SECONDS * 100})`,
		measured: round(parallel.medianLatencyMs, 0),
		unit: 'ms',
		goal: T_SECONDS * 100,
	});
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

async function benchUploadMemory(emulator: EmulatorHandle) {
	const dir = mkdtempSync(join(tmpdir(), 'gladia-bench-wav-'));
	try {
		// 48 kHz stereo 16-bit: 192 000 bytes per second of audio.
		const big = join(dir, 'all-hands-1GB.wav');
		const small = join(dir, 'all-hands-256MiB.wav');
		log('P2 writing a 1 GB WAV …');
		const bigBytes = await writeWavFile(big, (UPLOAD_BYTES - 44) / 192_000, {
			sampleRate: 48_000,
			channels: 2,
		});
		const smallBytes = await writeWavFile(small, (IN_MEMORY_UPLOAD_BYTES - 44) / 192_000, {
			sampleRate: 48_000,
			channels: 2,
		});
		log('P2 uploading it from the filesystem binary store (child process) …');
		const streamed = await uploadInChild('filesystem', big, emulator);
		log(`   ${JSON.stringify(streamed)}`);
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
		const ok = row.goal === undefined ? '' : row.measured <= row.goal ? 'yes' : 'NO';
		return [
			row.figure + (row.note ? ` — ${row.note}` : ''),
			`${row.measured} ${row.unit}`.trim(),
			row.goal === undefined ? '' : `≤ ${row.goal} ${row.unit}`.trim(),
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

async function main() {
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
		await benchCallback(emulator);
		await benchUploadMemory(emulator);
		benchSimplify();
	} finally {
		await emulator.close();
	}
	printTable();
	const totalSeconds = round((performance.now() - started) / 1000, 0);
	log(`\nBench took ${totalSeconds} s. Written to bench/results.json.`);
	writeFileSync(
		join(__dirname, 'results.json'),
		`${JSON.stringify({ machine: info, benchSeconds: totalSeconds, ...results, table: rows }, null, 2)}\n`,
	);
}

void main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
