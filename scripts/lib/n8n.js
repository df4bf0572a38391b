'use strict';
/**
 * A real n8n for the demo (`npm start`), the end-to-end suite (`npm run test:e2e`)
 * and any script that needs one (queue mode: main + webhook + worker processes).
 *
 * Install (cached under ~/.cache/n8n-nodes-gladia, see ./install.js):
 *   ensureN8n(version, {log})                 → { dir, n8nBin, nodeBin, nodeDir, installed }
 *   DEFAULT_N8N_VERSION, LEGACY_N8N_VERSION   the two n8n versions the end-to-end tests run on
 *   e2eVersions()                             E2E_N8N_VERSIONS (comma-separated) or both
 *
 * Processes:
 *   preparePackage(userFolder, {packageRoot})
 *       copies this package's package.json + dist/ to <userFolder>/.n8n/nodes/node_modules/n8n-nodes-gladia
 *       (how n8n's Community Nodes installs it), with n8n-workflow resolved to n8n's own copy.
 *       Run `npm run build` first: throws when dist/ is missing.
 *   startN8n({ version?, userFolder?, port?, command?='start', env?, log?, logFile?, install? })
 *       → Promise<N8nProcess> once /healthz/readiness answers (or, for `worker`, once it reports ready).
 *       command: 'start' (main), 'webhook' or 'worker' (queue mode: pass env EXECUTIONS_MODE=queue,
 *       QUEUE_BULL_REDIS_PORT, ... and the same N8N_ENCRYPTION_KEY + userFolder/DB to every process).
 *       N8nProcess { url, port, userFolder, logFile, child, version, stop(): Promise<void>, logTail(n) }
 *   stopAll()                                  stops every process this module started (also runs on exit)
 *   freePort()                                 → a free TCP port on 127.0.0.1
 *
 * REST (n8n's internal /rest API, the one its editor uses; axios, cookie auth):
 *   new N8nClient(baseUrl, {majorVersion})
 *     .setupOwner(owner?) / .login(owner?)      owner = DEMO_OWNER by default
 *     .nodeTypeNames()                          → every loaded node type name
 *     .createCredential(name, type, data)       → id
 *     .importWorkflow(json, {credentialIds})    → { id, versionId }  (credentialIds: {gladiaApi: id})
 *     .activateWorkflow(id) / .deactivateWorkflow(id)
 *     .runWorkflow(id)                          → executionId (a manual run from its first trigger)
 *     .executions(workflowId?)                  → summaries, newest first
 *     .execution(id)                            → { id, status, finished, data, runData, error }
 *     .waitForExecution(id, {statuses, timeoutMs}) → execution once its status is one of statuses
 *     .nodeOutput(execution, nodeName)          → the items the node emitted (first run, output 0)
 *
 * Every function throws an Error whose message says what failed and includes the end of n8n's log.
 */
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const axios = require('axios');
const { ensureN8n, nodeMajorFor, cacheRoot, cleanEnv, e2eVersions, DEFAULT_N8N_VERSION, LEGACY_N8N_VERSION } = require('./install');
const { N8nClient, DEMO_OWNER } = require('./client');
const { waitUntil } = require('./wait');

const PACKAGE_NAME = 'n8n-nodes-gladia';
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

const running = new Set();

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function preparePackage(userFolder, { packageRoot = PACKAGE_ROOT } = {}) {
	const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		if (!fs.existsSync(path.join(packageRoot, file))) {
			throw new Error(`${file} is missing: run \`npm run build\` first (n8n loads the package from dist/).`);
		}
	}
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	const target = path.join(modules, PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(packageRoot, 'package.json'), path.join(target, 'package.json'));
	fs.cpSync(path.join(packageRoot, 'dist'), path.join(target, 'dist'), { recursive: true });
	// No node_modules: n8n puts its own folders on NODE_PATH, so the peer dependency
	// n8n-workflow resolves to n8n's copy, as after a Community Nodes install.
	// n8n lists the folder's packages from its package.json, as after `npm install` there.
	fs.writeFileSync(
		path.join(userFolder, '.n8n', 'nodes', 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: pkg.version } }, null, 2),
	);
	return target;
}

function tail(file, lines = 40) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}


async function startN8n(options = {}) {
	const version = options.version || DEFAULT_N8N_VERSION;
	const log = options.log || (() => {});
	const install = options.install || (await ensureN8n(version, { log }));
	const command = options.command || 'start';
	const userFolder = options.userFolder || fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-gladia-'));
	const port = options.port || (await freePort());
	const url = `http://127.0.0.1:${port}`;
	if (options.preparePackage !== false) preparePackage(userFolder);
	const logFile = options.logFile || path.join(userFolder, `n8n-${command}-${port}.log`);
	const env = {
		...cleanEnv(), // not the npm_* variables of `npm run`
		// As in n8n's Docker image; under jest NODE_ENV is `test`, which makes n8n exit at start.
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_WEBHOOK_URL: `${url}/`,
		N8N_EDITOR_BASE_URL: `${url}/`,
		N8N_ENCRYPTION_KEY: 'n8n-nodes-gladia-local-only',
		N8N_LOG_LEVEL: 'info',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		// 2.x publishes activated workflows through an outbox polled every 15 s by default.
		N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '250',
		// Where example (c) may write subtitle files (n8n 2.x restricts disk access to this folder).
		N8N_RESTRICT_FILE_ACCESS_TO: path.join(userFolder, 'files'),
		...(nodeMajorFor(version) < 22
			? // isolated-vm (n8n's default 'vm' expression engine) ships no build for Node 20.
				{ N8N_EXPRESSION_ENGINE: 'legacy' }
			: {}),
		...options.env,
	};
	fs.mkdirSync(env.N8N_RESTRICT_FILE_ACCESS_TO, { recursive: true });

	const out = fs.openSync(logFile, 'a');
	const started = Date.now();
	const child = spawn(install.nodeBin, [install.n8nBin, command], {
		cwd: userFolder,
		env,
		stdio: ['ignore', out, out],
		detached: true, // its own process group, so stop() also ends n8n's task runners
	});
	fs.closeSync(out);
	let exited;
	child.on('exit', (code, signal) => (exited = `n8n ${command} exited (${code ?? signal})`));
	// n8n runs in its own process group, so a Ctrl-C or a kill of this process does not reach it
	// (and jest runs test code where process.on('exit') never fires). A watchdog outside both
	// ends n8n's group once this process is gone, however it went.
	const watchdog = spawn(
		'sh',
		[
			'-c',
			`while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
				`kill -TERM -${child.pid} 2>/dev/null; sleep 20; kill -KILL -${child.pid} 2>/dev/null`,
		],
		{ detached: true, stdio: 'ignore' },
	);
	watchdog.unref();

	const proc = {
		url,
		port,
		userFolder,
		logFile,
		child,
		version,
		command,
		install,
		watchdog,
		logTail: (n) => tail(logFile, n),
		stop: () => stopProcess(proc),
	};
	running.add(proc);
	try {
		const what = `Starting n8n@${version} (${command}) on port ${port}; log ${logFile}`;
		const failFast = () => exited && `${exited}\n--- n8n log ---\n${tail(logFile)}`;
		if (command === 'worker') {
			await waitUntil(() => /Worker started|n8n worker is now ready/i.test(tail(logFile, 200)), {
				timeoutMs: options.timeoutMs || 180000,
				what,
				failFast,
			});
		} else {
			await waitUntil(
				async () => {
					const get = async (p) =>
						(await axios.get(`${url}${p}`, { validateStatus: () => true, timeout: 2000 })).status;
					const ready = await get('/healthz/readiness');
					if (ready !== 200 && !(ready === 404 && (await get('/healthz')) === 200)) return false;
					// 1.x answers /healthz before its REST routes are mounted.
					return command !== 'start' || (await get('/rest/settings')) === 200;
				},
				{ timeoutMs: options.timeoutMs || 180000, what, failFast },
			);
		}
	} catch (error) {
		await proc.stop();
		throw error;
	}
	proc.startSeconds = (Date.now() - started) / 1000;
	return proc;
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

async function stopProcess(proc) {
	if (!running.has(proc)) return;
	running.delete(proc);
	const { child } = proc;
	proc.watchdog.kill('SIGKILL');
	if (child.exitCode !== null || child.signalCode !== null) {
		killGroup(child, 'SIGKILL'); // stray task runners
		return;
	}
	const exited = new Promise((resolve) => child.once('exit', resolve));
	killGroup(child, 'SIGTERM');
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 15000);
	await exited;
	clearTimeout(timer);
	killGroup(child, 'SIGKILL');
}

async function stopAll() {
	await Promise.all([...running].map((proc) => proc.stop()));
}

// On a normal exit, kill what is still running (the watchdogs cover every other way to die).
process.on('exit', () => {
	for (const proc of running) killGroup(proc.child, 'SIGKILL');
});

module.exports = {
	DEFAULT_N8N_VERSION,
	LEGACY_N8N_VERSION,
	DEMO_OWNER,
	PACKAGE_NAME,
	PACKAGE_ROOT,
	e2eVersions,
	cacheRoot,
	ensureN8n,
	nodeMajorFor,
	freePort,
	preparePackage,
	startN8n,
	stopAll,
	waitUntil,
	N8nClient,
};
