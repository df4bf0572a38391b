/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// P2 child process: uploads one WAV file with the Gladia node (Audio → Upload) in n8n's engine
// and reports the peak RSS increase during the upload. Run alone in its own process (started by
// bench/run.ts with --expose-gc) so nothing else moves the RSS.
// argv: <binary mode: filesystem|default> <wav path> <emulator url> <api key>
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';

import { Gladia } from '../nodes/Gladia/Gladia.node';
import { makeBinaryItem, runNode, setBinaryMode, type BinaryMode } from '../test/helpers/engine';

const MiB = 1024 * 1024;

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
