/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// The installer's cross-process lock: processes installing into the same folder take turns, a
// long install keeps its lock fresh, and a lock left by a dead process is taken over.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { withInstallLock } = require('../../scripts/lib/install.js') as {
	withInstallLock: <T>(
		dir: string,
		work: () => Promise<T>,
		options?: {
			log?: (message: string) => void;
			pollMs?: number;
			staleMs?: number;
			touchMs?: number;
		},
	) => Promise<T>;
};

const INSTALL_JS = path.resolve(__dirname, '../../scripts/lib/install.js');
const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

let root: string;
let dir: string;

beforeEach(() => {
	root = mkdtempSync(path.join(tmpdir(), 'install-lock-'));
	dir = path.join(root, 'n8n-0.0.0');
});

afterEach(() => {
	rmSync(root, { recursive: true, force: true });
});

/**
 * A separate Node process that takes the lock, writes "start <name>", works for workMs, writes
 * "end <name>" into the journal file, and exits.
 */
async function installer(
	name: string,
	journal: string,
	workMs: number,
	options: object,
): Promise<void> {
	const script = `
		const fs = require('node:fs');
		const { withInstallLock } = require(${JSON.stringify(INSTALL_JS)});
		withInstallLock(${JSON.stringify(dir)}, async () => {
			fs.appendFileSync(${JSON.stringify(journal)}, 'start ${name}\\n');
			await new Promise((resolve) => setTimeout(resolve, ${workMs}));
			fs.appendFileSync(${JSON.stringify(journal)}, 'end ${name}\\n');
		}, ${JSON.stringify(options)});`;
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- the lock is between processes
	const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
	await new Promise<void>((resolve, reject) =>
		child.on('exit', (code) =>
			code === 0 ? resolve() : reject(new Error(`${name} exited ${code}`)),
		),
	);
}

/** Each "start x" directly followed by its "end x": no two holders at once. */
function expectTurns(journal: string, names: string[]) {
	const lines = readFileSync(journal, 'utf8').trim().split('\n');
	expect(lines).toHaveLength(2 * names.length);
	for (let i = 0; i < lines.length; i += 2) {
		expect(lines[i]).toMatch(/^start /);
		expect(lines[i + 1]).toBe(lines[i].replace('start', 'end'));
	}
	expect(lines.filter((line) => line.startsWith('start')).sort()).toEqual(
		names.map((n) => `start ${n}`).sort(),
	);
}

describe('withInstallLock', () => {
	it('lets processes installing into the same folder take turns, and releases the lock', async () => {
		const journal = path.join(root, 'journal');
		const names = ['a', 'b', 'c'];
		await Promise.all(
			names.map(async (name) => await installer(name, journal, 300, { pollMs: 20 })),
		);
		expectTurns(journal, names);
		expect(existsSync(`${dir}.lock`)).toBe(false);
	});

	it('keeps a long install’s lock fresh, so a waiter does not take it for stale', async () => {
		const journal = path.join(root, 'journal');
		// The work lasts four times the stale age; the holder touches the lock every 50 ms.
		const options = { pollMs: 20, staleMs: 200, touchMs: 50 };
		await Promise.all(
			['long', 'next'].map(async (name) => await installer(name, journal, 800, options)),
		);
		expectTurns(journal, ['long', 'next']);
	});

	it('waits while another process holds the lock, then runs', async () => {
		mkdirSync(`${dir}.lock`, { recursive: true });
		const messages: string[] = [];
		let ran = false;
		const locked = withInstallLock(dir, async () => (ran = true), {
			pollMs: 20,
			log: (m) => messages.push(m),
		});
		await pause(300);
		expect(ran).toBe(false);
		expect(messages).toEqual([
			`waiting for another process installing into ${dir} (lock ${dir}.lock) ...`,
		]);
		rmSync(`${dir}.lock`, { recursive: true });
		await locked;
		expect(ran).toBe(true);
	});

	it('takes over a lock untouched for longer than the stale age (its process died)', async () => {
		mkdirSync(`${dir}.lock`, { recursive: true });
		const hourAgo = new Date(Date.now() - 60 * 60000);
		utimesSync(`${dir}.lock`, hourAgo, hourAgo);
		const messages: string[] = [];
		await expect(
			withInstallLock(dir, async () => 'done', { log: (m) => messages.push(m) }),
		).resolves.toBe('done');
		expect(messages).toEqual([
			`taking over ${dir}.lock: untouched for 60 min 0 s, its install died`,
		]);
		expect(existsSync(`${dir}.lock`)).toBe(false);
	});

	it('releases the lock when the install fails', async () => {
		await expect(
			withInstallLock(dir, async () => {
				throw new Error('npm install failed');
			}),
		).rejects.toThrow('npm install failed');
		expect(existsSync(`${dir}.lock`)).toBe(false);
		await expect(withInstallLock(dir, async () => 'again')).resolves.toBe('again');
	});
});
