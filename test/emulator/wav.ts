/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// Valid PCM WAV files for tests and benchmarks: a quiet 440 Hz tone, 16-bit.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface WavOptions {
	sampleRate?: number;
	channels?: number;
}

const BITS_PER_SAMPLE = 16;
const BYTES_PER_SAMPLE = BITS_PER_SAMPLE / 8;

export function wavHeader(dataBytes: number, sampleRate: number, channels: number): Buffer {
	const header = Buffer.alloc(44);
	const blockAlign = channels * BYTES_PER_SAMPLE;
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(Math.min(36 + dataBytes, 0xffffffff), 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16); // fmt chunk size
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(channels, 22);
	header.writeUInt32LE(sampleRate, 24);
	header.writeUInt32LE(sampleRate * blockAlign, 28); // byte rate
	header.writeUInt16LE(blockAlign, 32);
	header.writeUInt16LE(BITS_PER_SAMPLE, 34);
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(Math.min(dataBytes, 0xffffffff), 40);
	return header;
}

/**
 * PCM samples for frames [firstFrame, firstFrame + frames). A 440 Hz tone repeats exactly every
 * second, so one precomputed second is copied around: fast enough for gigabyte files.
 */
function pcmChunk(
	firstFrame: number,
	frames: number,
	sampleRate: number,
	channels: number,
): Buffer {
	const second = oneSecond(sampleRate, channels);
	const frameBytes = channels * BYTES_PER_SAMPLE;
	const chunk = Buffer.alloc(frames * frameBytes);
	let written = 0;
	let frame = firstFrame % sampleRate;
	while (written < chunk.length) {
		const copied = second.copy(chunk, written, frame * frameBytes);
		written += copied;
		frame = 0;
	}
	return chunk;
}

const secondsCache = new Map<string, Buffer>();
function oneSecond(sampleRate: number, channels: number): Buffer {
	const key = `${sampleRate}/${channels}`;
	let buffer = secondsCache.get(key);
	if (!buffer) {
		buffer = Buffer.alloc(sampleRate * channels * BYTES_PER_SAMPLE);
		for (let frame = 0; frame < sampleRate; frame++) {
			const value = Math.round(Math.sin((2 * Math.PI * 440 * frame) / sampleRate) * 3000);
			for (let channel = 0; channel < channels; channel++) {
				buffer.writeInt16LE(value, (frame * channels + channel) * BYTES_PER_SAMPLE);
			}
		}
		secondsCache.set(key, buffer);
	}
	return buffer;
}

function frameCount(seconds: number, sampleRate: number): number {
	if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`Invalid WAV duration: ${seconds}`);
	return Math.round(seconds * sampleRate);
}

/** A complete WAV file in memory (use writeWavFile for large files). */
export function makeWav(seconds: number, options: WavOptions = {}): Buffer {
	const sampleRate = options.sampleRate ?? 8000;
	const channels = options.channels ?? 1;
	const frames = frameCount(seconds, sampleRate);
	const data = pcmChunk(0, frames, sampleRate, channels);
	return Buffer.concat([wavHeader(data.length, sampleRate, channels), data]);
}

/** The bytes of a WAV file, chunk by chunk (for streaming to disk or over HTTP). */
export function* wavChunks(seconds: number, options: WavOptions = {}): Generator<Buffer> {
	const sampleRate = options.sampleRate ?? 8000;
	const channels = options.channels ?? 1;
	const frames = frameCount(seconds, sampleRate);
	yield wavHeader(frames * channels * BYTES_PER_SAMPLE, sampleRate, channels);
	const framesPerChunk = 65536;
	for (let frame = 0; frame < frames; frame += framesPerChunk) {
		yield pcmChunk(frame, Math.min(framesPerChunk, frames - frame), sampleRate, channels);
	}
}

/** Size in bytes of the WAV file makeWav/writeWavFile produce. */
export function wavSize(seconds: number, options: WavOptions = {}): number {
	const sampleRate = options.sampleRate ?? 8000;
	const channels = options.channels ?? 1;
	return 44 + frameCount(seconds, sampleRate) * channels * BYTES_PER_SAMPLE;
}

/** Streams a WAV file to disk chunk by chunk, never holding it whole in memory. Returns its size in bytes. */
export async function writeWavFile(
	path: string,
	seconds: number,
	options: WavOptions = {},
): Promise<number> {
	const out = createWriteStream(path);
	const closed = once(out, 'close');
	let bytes = 0;
	try {
		for (const chunk of wavChunks(seconds, options)) {
			bytes += chunk.length;
			if (!out.write(chunk)) await once(out, 'drain');
		}
	} finally {
		out.end();
	}
	await closed;
	return bytes;
}
