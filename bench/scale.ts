/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// npm run bench:scale: 1,000 URL jobs through the Gladia node in a real n8n (run `npm run build`
// first), T = 3 s, emulator concurrency 25, Max Concurrent Jobs 25: once with equal run times,
// once with seeded jitter (±50 %). Writes p1Real.jobs1000, p1Real.jitter1000 and the P5 cost
// per job into bench/results.json (other keys are kept). About 10 minutes.
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type EmulatorHandle } from '../test/emulator';
import {
	idealScheduleMs,
	load,
	log,
	memoryFigures,
	pollingFigures,
	round,
	runRealBatch,
	warmUp,
	saveResults,
	startRealN8n,
	type RealN8n,
} from './real-n8n';

const JOBS = Number(process.env.BENCH_JOBS ?? 1000); // BENCH_JOBS=50 for a quick try
const CONCURRENCY = 25;
const T_SECONDS = 3;
const JITTER = { factor: 0.5, seed: 42 };

async function batch(env: RealN8n, emulator: EmulatorHandle, jitter: boolean) {
	log(
		`${JOBS} URL jobs, T = ${T_SECONDS} s, C = ${CONCURRENCY}${jitter ? ', jitter ±50 %' : ''} … (${load()})`,
	);
	const run = await runRealBatch(env, emulator, {
		count: JOBS,
		audioSeconds: T_SECONDS * 60,
		maxConcurrentJobs: CONCURRENCY,
		emulator: jitter ? { jitter: JITTER } : undefined,
	});
	const idealSeconds = jitter
		? idealScheduleMs(emulator, CONCURRENCY) / 1000
		: Math.ceil(JOBS / CONCURRENCY) * T_SECONDS;
	const polling = pollingFigures(emulator);
	const figures: IDataObject = {
		jobs: JOBS,
		nodeSeconds: round(run.nodeSeconds, 1),
		idealSeconds: round(idealSeconds, 1),
		ratio: round(run.nodeSeconds / idealSeconds, 3),
		medianPollsPerJob: polling.medianPolls,
		p95PollsPerJob: polling.p95Polls,
		requestsPerJob: round(polling.requestsPerJob, 2),
		medianDetectionLatencyMs: round(polling.medianLatencyMs, 0),
		p95DetectionLatencyMs: round(polling.p95LatencyMs, 0),
		medianLatencyShareOfT: round(polling.medianLatencyShareOfT, 3),
		p95LatencyShareOfT: round(polling.p95LatencyShareOfT, 3),
		executionDataBytesPerJob: round(run.executionDataBytes / JOBS, 0),
		...memoryFigures(run, emulator, CONCURRENCY),
		load: run.load,
	};
	log(`   ${JSON.stringify(figures)}`);
	return figures;
}

async function main() {
	const started = Date.now();
	const emulator = await startEmulator({
		speedFactor: 1,
		concurrency: CONCURRENCY,
		queueLimit: 300,
	});
	const env = await startRealN8n(emulator).catch(async (error: Error) => {
		await emulator.close();
		throw error;
	});
	try {
		await warmUp(env, emulator, CONCURRENCY);
		const steady = await batch(env, emulator, false);
		const jittered = await batch(env, emulator, true);
		// A fresh n8n grows its V8 heap to a working size during its first big batch and keeps it
		// (several hundred MiB, whatever the jobs hold); the second batch shows the cost per job.
		const p5 = {
			jobs: JOBS,
			rssKiBPerInFlightJob: jittered.rssKiBPerInFlightJob,
			rssKiBPerFinishedJob: jittered.rssKiBPerFinishedJob,
			n8nCpuMsPerJob: jittered.n8nCpuMsPerJob,
			executionDataBytesPerJob3MinSimplified: steady.executionDataBytesPerJob,
			firstBatchPeakIncreaseMiB: steady.peakIncreaseMiB,
			secondBatchPeakIncreaseMiB: jittered.peakIncreaseMiB,
		};
		saveResults({
			scaleDate: new Date().toISOString(),
			scaleSeconds: round((Date.now() - started) / 1000, 0),
			p1Real: {
				jobs1000: steady,
				jitter1000: jittered,
				// 1,000 jobs one at a time would take 50 min; at 40 jobs the serial run is within a few % of N·T.
				serial1000: { extrapolatedIdealSeconds: JOBS * T_SECONDS, measured: false },
			},
			p5,
		});
		log('');
		log(
			`P1 real n8n, ${JOBS} jobs: node / ideal ${steady.ratio} (goal ≤ 1.10) ${Number(steady.ratio) <= 1.1 ? 'met' : 'MISSED'}`,
		);
		log(
			`P1 real n8n, ${JOBS} jobs, jitter: node / exact-knowledge ideal ${jittered.ratio} (goal ≤ 1.15) ${Number(jittered.ratio) <= 1.15 ? 'met' : 'MISSED'}`,
		);
		log(
			`P5 RSS per finished job ${p5.rssKiBPerFinishedJob} KiB (goal ≤ 50) ${Number(p5.rssKiBPerFinishedJob) <= 50 ? 'met' : 'MISSED'}; per in-flight job ${p5.rssKiBPerInFlightJob} KiB; n8n CPU ${p5.n8nCpuMsPerJob} ms per job`,
		);
		log(
			`bench:scale took ${round((Date.now() - started) / 1000, 0)} s. Written to bench/results.json.`,
		);
	} finally {
		await env.stop();
		await emulator.close();
	}
}

void main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
