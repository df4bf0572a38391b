/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// P2 child process: uploads one WAV file with the Gladia node (Audio → Upload) in n8n's engine
// and reports the peak RSS increase during the upload, with the CPU time and garbage collection
// it cost (P6 explains its throughput with them). Run alone in its own process (started by
// bench/run.ts with --expose-gc) so nothing else moves the RSS.
// argv: <binary mode: filesystem|default> <wav path> <emulator url> <api key>
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

import { Gladia } from '../nodes/Gladia/Gladia.node';
import { makeBinaryItem, runNode, setBinaryMode, type BinaryMode } from '../test/helpers/engine';

const MiB = 1024 * 1024;

/** Garbage collections while it runs: full (mark-compact) ones, and the time all of them took. */
function watchGc() {
	const figures = { fullCount: 0, totalMs: 0 };
	const tally = (entries: PerformanceEntry[]) => {
		for (const entry of entries) {
			figures.totalMs += entry.duration;
			const kind = (entry.detail as { kind?: number } | undefined)?.kind;
			if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) figures.fullCount++;
		}
	};
	const observer = new PerformanceObserver((list) => tally(list.getEntries()));
	observer.observe({ entryTypes: ['gc'] });
	return {
		figures,
		stop: () => {
			tally(observer.takeRecords());
			observer.disconnect();
		},
	};
}

async function main() {
	const [mode, wavPath, url, apiKey] = process.argv.slice(2) as [
		BinaryMode,
		string,
		string,
		string,
	];
	await setBinaryMode(mode);
	const stored = await makeBinaryItem({
		data: createReadStream(wavPath),
		fileName: basename(wavPath),
		mimeType: 'audio/wav',
	}).then(
		(item) => ({ item }),
		(error: Error) => ({ error }),
	);
	if ('error' in stored) {
		process.stdout.write(
			`${JSON.stringify({ mode, ok: false, stage: 'store', error: stored.error.message })}\n`,
		);
		return;
	}

	global.gc?.();
	await new Promise((resolve) => setTimeout(resolve, 200));
	const baseline = process.memoryUsage.rss();
	let peak = baseline;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 5);
	const started = performance.now();
	const cpuBefore = process.cpuUsage();
	const gc = watchGc();
	const run = await runNode({
		nodeType: new Gladia(),
		parameters: {
			resource: 'audio',
			operation: 'upload',
			audioSource: 'binary',
			binaryPropertyName: 'data',
		},
		items: [stored.item],
		credentials: { apiKey, baseUrl: url },
	});
	const seconds = (performance.now() - started) / 1000;
	const cpu = process.cpuUsage(cpuBefore);
	gc.stop();
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage.rss());
	const size = run.items[0]?.json?.audio_metadata as { size?: number } | undefined;
	process.stdout.write(
		`${JSON.stringify({
			mode,
			ok: run.status === 'success',
			error: run.error?.message,
			uploadedBytes: size?.size ?? null,
			baselineMiB: baseline / MiB,
			peakIncreaseMiB: (peak - baseline) / MiB,
			seconds,
			cpuSeconds: (cpu.user + cpu.system) / 1e6,
			fullGcs: gc.figures.fullCount,
			gcSeconds: gc.figures.totalMs / 1000,
		})}\n`,
	);
}

void main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stdout.write(`${JSON.stringify({ ok: false, stage: 'run', error: error.message })}\n`);
		process.exit(1);
	},
);
