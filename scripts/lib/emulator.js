'use strict';
/**
 * The Gladia emulator (test/emulator) as a child process, for scripts that run in plain Node
 * (`npm start`, the screenshot). Tests import test/emulator directly instead.
 *
 *   spawnEmulator({ port, apiKey, logFile, args? }) → Promise<{ url, logFile, stop() }>
 *       resolves once its control API answers; stop() ends it (it is also killed on exit).
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const axios = require('axios');
const { waitUntil } = require('./wait');

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

async function spawnEmulator({ port, apiKey, logFile, args = [] }) {
	const tsNode = require.resolve('ts-node/dist/bin.js', { paths: [PACKAGE_ROOT] });
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const out = fs.openSync(logFile, 'w');
	const child = spawn(
		process.execPath,
		[tsNode, '--transpile-only', '-P', 'tsconfig.test.json', 'test/emulator/cli.ts', '--port', String(port), '--key', apiKey, ...args],
		{ cwd: PACKAGE_ROOT, stdio: ['ignore', out, out], detached: true },
	);
	fs.closeSync(out);
	let exited;
	child.on('exit', (code) => (exited = code));
	const stop = (signal = 'SIGTERM') => {
		try {
			process.kill(-child.pid, signal);
		} catch {
			// already gone
		}
	};
	process.on('exit', () => stop('SIGKILL'));
	const url = `http://127.0.0.1:${port}`;
	try {
		await waitUntil(async () => (await axios.get(`${url}/__emulator/jobs`, { timeout: 2000 })).status === 200, {
			timeoutMs: 60000,
			what: `Starting the Gladia emulator on port ${port} (log ${logFile})`,
			failFast: () => exited !== undefined && `it exited (${exited}):\n${fs.readFileSync(logFile, 'utf8')}`,
		});
	} catch (error) {
		stop('SIGKILL');
		throw error;
	}
	return { url, logFile, stop: () => stop() };
}

module.exports = { spawnEmulator };
