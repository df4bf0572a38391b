/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectAudio, durationForUrl, durationOverride } from './audio';
import { makeWav, writeWavFile, wavSize } from './index';

describe('makeWav / writeWavFile', () => {
	it('makes a valid 16-bit PCM WAV with the requested rate and channels', () => {
		const wav = makeWav(2.5, { sampleRate: 16000, channels: 2 });
		expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
		expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
		expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
		expect(wav.readUInt16LE(20)).toBe(1); // PCM
		expect(wav.readUInt16LE(22)).toBe(2);
		expect(wav.readUInt32LE(24)).toBe(16000);
		expect(wav.readUInt32LE(28)).toBe(16000 * 2 * 2);
		expect(wav.readUInt16LE(34)).toBe(16);
		expect(wav.readUInt32LE(40)).toBe(2.5 * 16000 * 2 * 2);
		expect(wav.length).toBe(wavSize(2.5, { sampleRate: 16000, channels: 2 }));
		expect(wav.subarray(44).some((byte) => byte !== 0)).toBe(true); // a tone, not silence
		expect(() => makeWav(-1)).toThrow('Invalid WAV duration');
	});

	it('streams the same bytes to disk', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'wav-test-'));
		try {
			const path = join(dir, 'a.wav');
			const bytes = await writeWavFile(path, 20.3, { sampleRate: 8000 });
			expect(statSync(path).size).toBe(bytes);
			expect(readFileSync(path).equals(makeWav(20.3))).toBe(true);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('inspectAudio', () => {
	it('reads duration and channels from a WAV header', () => {
		const wav = makeWav(7.25, { channels: 2, sampleRate: 22050 });
		expect(inspectAudio(wav.subarray(0, 1024), wav.length, 'x.wav')).toEqual({
			extension: 'wav',
			duration: 7.25,
			channels: 2,
		});
	});

	it('trusts the real size when a streaming writer left the data size at 0 or 0xFFFFFFFF', () => {
		for (const placeholder of [0, 0xffffffff]) {
			const wav = makeWav(3);
			wav.writeUInt32LE(placeholder, 40);
			expect(inspectAudio(wav, wav.length, 'x.wav')?.duration).toBe(3);
		}
	});

	it('recognises other containers and derives a duration from the size (128 kbit/s)', () => {
		const cases: Array<[Buffer, string, string]> = [
			[Buffer.from('ID3\x04\0\0\0\0\0\0'), 'a.mp3', 'mp3'],
			[Buffer.from([0xff, 0xfb, 0x90, 0x64]), 'a.mp3', 'mp3'],
			[Buffer.from('OggS\0\x02'), 'a.opus', 'opus'],
			[Buffer.from('fLaC\0\0\0\x22'), 'a.flac', 'flac'],
			[Buffer.from('\0\0\0\x20ftypM4A \0\0\0\0'), 'a.m4a', 'm4a'],
			[Buffer.from('\0\0\0\x20ftypisom\0\0\0\0'), 'a.mp4', 'mp4'],
			[Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x01]), 'a.mkv', 'mkv'],
			[Buffer.from([0xff, 0xf1, 0x50, 0x80]), 'a.aac', 'aac'],
		];
		for (const [head, name, extension] of cases) {
			expect(inspectAudio(head, 160_000, name)).toEqual({ extension, duration: 10, channels: 1 });
		}
	});

	it('rejects bytes that are not audio', () => {
		expect(inspectAudio(Buffer.from('%PDF-1.7'), 8, 'a.wav')).toBeUndefined();
		expect(inspectAudio(Buffer.from('hello world'), 11, 'a.mp3')).toBeUndefined();
		expect(inspectAudio(Buffer.alloc(0), 0, 'a.wav')).toBeUndefined();
	});

	it('derives URL durations deterministically, with emulator_duration overriding', () => {
		const url = 'https://cdn.example.com/a.mp3';
		expect(durationForUrl(url)).toBe(durationForUrl(url));
		expect(durationForUrl(url)).toBeGreaterThanOrEqual(30);
		expect(durationForUrl(url)).toBeLessThanOrEqual(600);
		expect(durationOverride(`${url}?emulator_duration=12.5`)).toBe(12.5);
		expect(durationOverride(`${url}?emulator_duration=abc`)).toBeUndefined();
		expect(durationOverride('not a url')).toBeUndefined();
	});
});
