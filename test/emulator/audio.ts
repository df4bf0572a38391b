// What the emulator "hears" in a file: container format, duration and channels.
// WAV durations come from the header; other recognised containers get a deterministic
// duration from their size (assumed 128 kbit/s), unrecognised bytes are rejected.
import { createHash } from 'node:crypto';

export interface AudioInfo {
	extension: string;
	duration: number;
	channels: number;
}

/** Bytes of the file start the sniffers look at. */
export const SNIFF_BYTES = 64 * 1024;

const FALLBACK_BYTES_PER_SECOND = 16000; // 128 kbit/s

interface WavFormat {
	channels: number;
	byteRate: number;
	dataOffset: number;
	dataBytes: number;
}

function parseWav(head: Buffer): WavFormat | undefined {
	if (
		head.length < 12 ||
		head.toString('ascii', 0, 4) !== 'RIFF' ||
		head.toString('ascii', 8, 12) !== 'WAVE'
	) {
		return undefined;
	}
	let offset = 12;
	let channels = 0;
	let byteRate = 0;
	while (offset + 8 <= head.length) {
		const id = head.toString('ascii', offset, offset + 4);
		const size = head.readUInt32LE(offset + 4);
		if (id === 'fmt ' && offset + 24 <= head.length) {
			channels = head.readUInt16LE(offset + 10);
			byteRate = head.readUInt32LE(offset + 16);
		}
		if (id === 'data') {
			return channels > 0 && byteRate > 0
				? { channels, byteRate, dataOffset: offset + 8, dataBytes: size }
				: undefined;
		}
		offset += 8 + size + (size % 2);
	}
	return undefined;
}

/** Magic numbers of the containers Gladia lists as supported (API.md §7). */
function sniffExtension(head: Buffer, filename: string): string | undefined {
	const ascii = (start: number, end: number) => head.toString('latin1', start, end);
	if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
	if (ascii(0, 4) === 'RIFF' && ascii(8, 11) === 'AVI') return 'avi';
	if (ascii(0, 3) === 'ID3') return 'mp3';
	if (ascii(0, 4) === 'OggS') return /\.opus$/i.test(filename) ? 'opus' : 'ogg';
	if (ascii(0, 4) === 'fLaC') return 'flac';
	if (ascii(4, 8) === 'ftyp') {
		const brand = ascii(8, 12);
		if (brand.startsWith('3g2')) return '3g2';
		if (brand.startsWith('3g')) return '3gp';
		if (brand.startsWith('M4A')) return 'm4a';
		if (brand.startsWith('qt')) return 'mov';
		return 'mp4';
	}
	if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3)
		return /\.webm$/i.test(filename) ? 'webm' : 'mkv';
	if (ascii(0, 3) === 'FLV') return 'flv';
	if (head.length >= 4 && head.readUInt32BE(0) === 0x3026b275)
		return /\.wma$/i.test(filename) ? 'wma' : 'wmv';
	if (head.length >= 2 && head[0] === 0x0b && head[1] === 0x77) return 'ac3';
	if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xf6) === 0xf0) return 'aac'; // ADTS
	if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) return 'mp3'; // MPEG frame sync
	return undefined;
}

/**
 * Reads the format from the first bytes and the total size. Returns undefined when the bytes
 * are not an audio/video container the emulator recognises.
 */
export function inspectAudio(
	head: Buffer,
	totalBytes: number,
	filename: string,
): AudioInfo | undefined {
	const extension = sniffExtension(head, filename);
	if (!extension) return undefined;
	if (extension === 'wav') {
		const wav = parseWav(head);
		if (!wav) return undefined;
		// The header's data size is the duration, as decoders report it (a header claiming 10 hours
		// is a 10-hour file, even if the bytes stop early). Streamed writers put 0 or 0xFFFFFFFF
		// there: the real file size stands in then.
		const dataBytes =
			wav.dataBytes === 0 || wav.dataBytes === 0xffffffff
				? Math.max(0, totalBytes - wav.dataOffset)
				: wav.dataBytes;
		return { extension, duration: round(dataBytes / wav.byteRate), channels: wav.channels };
	}
	return {
		extension,
		duration: round(Math.max(1, totalBytes / FALLBACK_BYTES_PER_SECOND)),
		channels: 1,
	};
}

/** Deterministic duration for an external URL: 30–600 s from a hash of the URL. */
export function durationForUrl(url: string): number {
	const hash = createHash('sha256').update(url).digest();
	return 30 + (hash.readUInt32BE(0) % 571);
}

/** `emulator_duration=<seconds>` on a URL overrides every other duration source. */
export function durationOverride(url: string): number | undefined {
	try {
		const value = new URL(url).searchParams.get('emulator_duration');
		if (value === null) return undefined;
		const seconds = Number(value);
		return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
	} catch {
		return undefined;
	}
}

export function round(value: number, decimals = 3): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}
