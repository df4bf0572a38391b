'use strict';
/**
 * Redis and PostgreSQL for the queue-mode suite, from Debian packages, on loopback.
 *
 *   const { ensureDebianPackages, startRedis, startPostgres } = require('./services');
 *   ensureDebianPackages();                       // apt-get installs redis-server + postgresql if missing
 *   const redis = await startRedis();             // { host, port, pid, stop() }
 *   const pg = await startPostgres();             // { host, port, user, password, database, pid, stop() }
 *   ...
 *   await pg.stop(); await redis.stop();          // also done by process-exit hooks in ./processes
 *
 * Both run in fresh temp dirs on free ports, never touching a system instance. When this
 * process is root they run as their Debian users (`redis`, `postgres`: PostgreSQL refuses
 * to run as root); otherwise as the current user. Data is thrown away on stop.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { freePort, spawnTracked, waitFor, trackDir, removeDir } = require('./processes');

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

function findPostgresBin() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

function haveRedis() {
	try {
		execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Installs redis-server and postgresql with apt-get when they are missing (fresh CI machines). */
function ensureDebianPackages(log = () => {}) {
	if (haveRedis() && findPostgresBin()) return;
	if (!IS_ROOT) {
		throw new Error(
			'redis-server and postgresql are needed for the queue-mode suite: run `sudo apt-get install -y redis-server postgresql` (Debian packages), then retry.',
		);
	}
	log('installing redis-server and postgresql from Debian packages (apt-get)...');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server', 'postgresql'], {
		stdio: 'inherit',
		env,
	});
	if (!haveRedis() || !findPostgresBin()) {
		throw new Error('apt-get finished but redis-server or postgres is still missing');
	}
}

/** spawn/execFile options that run a command as `user` when we are root, as ourselves otherwise. */
function asUser(user) {
	if (!IS_ROOT) return {};
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${user}:`));
	if (!line) throw new Error(`system user ${user} not found (is the Debian package installed?)`);
	const [, , uid, gid, , home] = line.split(':');
	return { uid: Number(uid), gid: Number(gid), env: { ...process.env, HOME: home, USER: user } };
}

function tempDirFor(user, prefix) {
	const dir = trackDir(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
	if (IS_ROOT) execFileSync('chown', [`${user}:${user}`, dir]);
	return dir;
}

async function startRedis({ log = () => {} } = {}) {
	const port = await freePort();
	const dir = tempDirFor('redis', 'gladia-queue-redis-');
	const proc = spawnTracked(
		'redis',
		'redis-server',
		[
			'--bind',
			'127.0.0.1',
			'--port',
			String(port),
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
		],
		{ ...asUser('redis'), logFile: path.join(dir, 'redis.log') },
	);
	await waitFor(
		'redis',
		() => {
			try {
				return (
					execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'ping'], {
						encoding: 'utf8',
						stdio: ['ignore', 'pipe', 'ignore'],
					}).trim() === 'PONG'
				);
			} catch {
				return false;
			}
		},
		{ timeoutMs: 20_000, proc },
	);
	log(`redis on 127.0.0.1:${port}`);
	return {
		host: '127.0.0.1',
		port,
		pid: proc.pid,
		async stop() {
			await proc.stop('SIGTERM');
			removeDir(dir);
		},
	};
}

async function startPostgres({ log = () => {} } = {}) {
	const bin = findPostgresBin();
	if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql');
	const port = await freePort();
	const root = tempDirFor('postgres', 'gladia-queue-pg-');
	const data = path.join(root, 'data');
	const user = 'n8n';
	const database = 'n8n';
	const password = 'n8n';
	// Trust on loopback only: a throw-away cluster for one test run.
	const postgresUser = asUser('postgres');
	execFileSync(
		path.join(bin, 'initdb'),
		['-D', data, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-sync'],
		{ ...postgresUser, cwd: root, stdio: 'ignore' },
	);
	const proc = spawnTracked(
		'postgres',
		path.join(bin, 'postgres'),
		[
			'-D',
			data,
			'-p',
			String(port),
			'-k',
			root,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		],
		{
			...postgresUser,
			cwd: root,
			logFile: path.join(root, 'postgres.log'),
			// SIGINT = PostgreSQL's "fast" shutdown (SIGTERM would wait for n8n's pooled clients).
			stopSignal: 'SIGINT',
		},
	);
	const isReady = () => {
		try {
			execFileSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
				stdio: 'ignore',
			});
			return true;
		} catch {
			return false;
		}
	};
	await waitFor('postgres', isReady, { timeoutMs: 30_000, proc });
	execFileSync(
		path.join(bin, 'createdb'),
		['-h', '127.0.0.1', '-p', String(port), '-U', user, database],
		{ stdio: 'ignore' },
	);
	log(`postgres on 127.0.0.1:${port} (db ${database}, user ${user})`);
	return {
		host: '127.0.0.1',
		port,
		user,
		password,
		database,
		pid: proc.pid,
		/** Runs one SQL statement and returns psql's unaligned output. */
		sql(statement) {
			return execFileSync(
				path.join(bin, 'psql'),
				['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-At', '-c', statement],
				{ encoding: 'utf8' },
			).trim();
		},
		async stop() {
			await proc.stop();
			removeDir(root);
		},
	};
}

module.exports = { ensureDebianPackages, startRedis, startPostgres, findPostgresBin };
