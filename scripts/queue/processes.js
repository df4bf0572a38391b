'use strict';
/**
 * Child processes that are always cleaned up, whatever happens to the run.
 *
 *   spawnTracked(name, cmd, args, { env, cwd, uid, gid, logFile, stopSignal }) → TrackedProcess
 *     { name, pid, logFile, exited: Promise<{code, signal}>, isAlive(), stop(signal?), kill(signal) }
 *   freePort() → Promise<number>          a free TCP port on 127.0.0.1
 *   waitFor(name, predicate, { timeoutMs, intervalMs, proc }) → resolves when predicate() is truthy
 *   stopAll() → Promise<void>             stops every tracked process (newest first)
 *   trackDir(dir) / removeDir(dir)       temp folders deleted on exit whatever happens / now
 *   readPeakRss(pid) / readRss(pid) / resetPeakRss(pid)   /proc VmHWM / VmRSS in bytes
 *
 * Each child runs in its own process group (detached) so stop() reaches its whole tree.
 * Every group is also written to a registry file; a later run kills the groups a crashed
 * run left behind (only those whose recorded command line still matches, i.e. ours).
 * On exit / SIGINT / SIGTERM / uncaught errors the remaining groups get SIGKILL.
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { freePort } = require('../lib/n8n');

const REGISTRY_DIR = path.join(os.tmpdir(), 'n8n-nodes-gladia-queue');
const REGISTRY_FILE = path.join(REGISTRY_DIR, `run-${process.pid}.json`);
const tracked = new Set();
const scratchDirs = new Set();

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function cmdlineOf(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
	} catch {
		return undefined;
	}
}

function isPidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function writeRegistry() {
	fs.mkdirSync(REGISTRY_DIR, { recursive: true });
	const entries = [...tracked].map((p) => ({ name: p.name, pid: p.pid, cmdline: p.cmdline }));
	if (entries.length === 0) fs.rmSync(REGISTRY_FILE, { force: true });
	else fs.writeFileSync(REGISTRY_FILE, JSON.stringify({ runner: process.pid, entries }));
}

/** Kills process groups left by earlier runs whose runner died without cleaning up. */
function reapOrphans(log = () => {}) {
	if (!fs.existsSync(REGISTRY_DIR)) return;
	for (const file of fs.readdirSync(REGISTRY_DIR)) {
		const full = path.join(REGISTRY_DIR, file);
		let record;
		try {
			record = JSON.parse(fs.readFileSync(full, 'utf8'));
		} catch {
			fs.rmSync(full, { force: true });
			continue;
		}
		if (record.runner === process.pid || isPidAlive(record.runner)) continue;
		for (const entry of record.entries) {
			if (cmdlineOf(entry.pid) !== entry.cmdline) continue;
			log(`killing ${entry.name} (pid ${entry.pid}) left by an earlier run`);
			try {
				process.kill(-entry.pid, 'SIGKILL');
			} catch {
				/* already gone */
			}
		}
		fs.rmSync(full, { force: true });
	}
}

function spawnTracked(
	name,
	cmd,
	args,
	{ env, cwd, uid, gid, logFile, stopSignal = 'SIGTERM' } = {},
) {
	const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
	const child = spawn(cmd, args, {
		cwd,
		uid,
		gid,
		env: env ?? process.env,
		detached: true,
		stdio: ['ignore', out, out],
	});
	if (typeof out === 'number') fs.closeSync(out);
	if (!child.pid) throw new Error(`could not start ${name}: ${cmd}`);
	let exitInfo;
	const exited = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exitInfo = { code, signal };
			resolve(exitInfo);
		});
	});
	const handle = {
		name,
		pid: child.pid,
		logFile,
		cmdline: undefined,
		exited,
		isAlive: () => exitInfo === undefined,
		/** Signals the whole process group. */
		kill(signal) {
			try {
				process.kill(-child.pid, signal);
			} catch {
				/* already gone */
			}
		},
		/** Graceful stop, SIGKILL after `graceMs`; resolves once the process has exited. */
		async stop(signal = stopSignal, graceMs = 15_000) {
			if (exitInfo === undefined) {
				handle.kill(signal);
				const timer = setTimeout(() => handle.kill('SIGKILL'), graceMs);
				await exited;
				clearTimeout(timer);
			}
			handle.kill('SIGKILL'); // leftovers of the group (e.g. n8n's task runner)
			tracked.delete(handle);
			writeRegistry();
		},
		/** The last lines of the log file, for error messages. */
		tail(lines = 40) {
			if (!logFile || !fs.existsSync(logFile)) return '';
			return fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
		},
	};
	handle.cmdline = cmdlineOf(child.pid) ?? [cmd, ...args].join(' ');
	tracked.add(handle);
	writeRegistry();
	return handle;
}

async function waitFor(name, predicate, { timeoutMs = 60_000, intervalMs = 250, proc } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await predicate()) return;
		if (proc && !proc.isAlive()) {
			throw new Error(`${name} exited before it was ready:\n${proc.tail ? proc.tail() : ''}`);
		}
		if (Date.now() > deadline) {
			throw new Error(
				`${name} not ready after ${timeoutMs} ms${proc?.tail ? `:\n${proc.tail()}` : ''}`,
			);
		}
		await delay(intervalMs);
	}
}

async function stopAll() {
	for (const handle of [...tracked].reverse()) await handle.stop();
}

/** Registers a temp folder to delete when the process exits (after its processes are killed). */
function trackDir(dir) {
	scratchDirs.add(dir);
	return dir;
}

/** Deletes a tracked temp folder now. */
function removeDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	scratchDirs.delete(dir);
}

function killAllNow() {
	for (const handle of tracked) handle.kill('SIGKILL');
	tracked.clear();
	for (const dir of scratchDirs) {
		try {
			fs.rmSync(dir, { recursive: true, force: true });
		} catch {
			/* best effort on exit */
		}
	}
	scratchDirs.clear();
	try {
		fs.rmSync(REGISTRY_FILE, { force: true });
	} catch {
		/* best effort on exit */
	}
}

process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.once(signal, () => {
		killAllNow();
		process.exit(128 + (os.constants.signals[signal] ?? 0));
	});
}

/** Descendants of `pid` (children, grandchildren...) from /proc. */
function descendants(pid) {
	const children = new Map();
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid).push(Number(entry));
		} catch {
			/* process vanished */
		}
	}
	const out = [];
	const queue = [pid];
	while (queue.length) {
		const next = queue.shift();
		for (const child of children.get(next) ?? []) {
			out.push(child);
			queue.push(child);
		}
	}
	return out;
}

function statusField(pid, field) {
	try {
		const match = fs
			.readFileSync(`/proc/${pid}/status`, 'utf8')
			.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

/** Peak resident memory (VmHWM) of a process, in bytes. */
function readPeakRss(pid) {
	return statusField(pid, 'VmHWM');
}

/** Current resident memory (VmRSS) of a process, in bytes. */
function readRss(pid) {
	return statusField(pid, 'VmRSS');
}

/** Resets VmHWM to the current RSS (Linux `clear_refs` 5), so the next peak is this phase's. */
function resetPeakRss(pid) {
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

module.exports = {
	trackDir,
	removeDir,
	freePort,
	spawnTracked,
	waitFor,
	stopAll,
	reapOrphans,
	descendants,
	readPeakRss,
	readRss,
	resetPeakRss,
	delay,
};
