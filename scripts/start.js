'use strict';
/**
 * `npm start`: the offline demo. Builds the package, starts the Gladia emulator, installs a
 * real n8n into the cache on first run, starts it with this package as a community node,
 * signs in the owner, creates the Gladia credential, imports examples/ and prints the
 * editor URL and login. Ctrl-C stops everything. With GLADIA_API_KEY set, the credential
 * points at api.gladia.io and no emulator runs.
 *
 *   npm start                       n8n 2.41.1 (on Node 24, installed from npm when needed)
 *   npm start -- --n8n 1.123.81     another n8n version (1.x runs on the machine's Node 20)
 *   npm start -- --fresh            forget the demo's n8n data (account, workflows, executions)
 *   npm start -- --port 5678        n8n's port (default 5678, or any free port if it is taken)
 *   npm start -- --no-build         skip `npm run build`
 */
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startN8n, ensureN8n, cacheRoot, freePort, DEFAULT_N8N_VERSION, PACKAGE_ROOT, N8nClient, DEMO_OWNER } = require('./lib/n8n');
const { importExamples } = require('./lib/examples');
const { spawnEmulator } = require('./lib/emulator');

const CREDENTIAL_NAME = 'Gladia account';
const MEETING_EXAMPLE = '01-meeting-transcript-summary.json';
const EMULATOR_KEY = 'demo-key';

function parseArgs(argv) {
	const args = { version: DEFAULT_N8N_VERSION, fresh: false, build: true, port: 5678, emulatorPort: 8787 };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const next = () => {
			if (argv[i + 1] === undefined) throw new Error(`${flag} needs a value`);
			return argv[++i];
		};
		if (flag === '--n8n') args.version = next();
		else if (flag === '--fresh') args.fresh = true;
		else if (flag === '--no-build') args.build = false;
		else if (flag === '--port') args.port = Number(next());
		else if (flag === '--emulator-port') args.emulatorPort = Number(next());
		else throw new Error(`Unknown option ${flag}. Options: --n8n VERSION, --fresh, --port N, --emulator-port N, --no-build`);
	}
	return args;
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

async function choosePort(preferred) {
	return (await portIsFree(preferred)) ? preferred : await freePort();
}

const say = (message) => process.stdout.write(`${message}\n`);
const elapsed = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function build() {
	const result = spawnSync('npm', ['run', 'build'], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('`npm run build` failed (see above); n8n loads the package from dist/.');
}

async function startEmulator(port) {
	const emulator = await spawnEmulator({ port, apiKey: EMULATOR_KEY, logFile: path.join(cacheRoot(), 'demo', 'emulator.log') });
	stoppers.push(emulator.stop);
	return emulator;
}

const stoppers = [];
let stopping = false;
async function stopEverything(code) {
	if (stopping) return;
	stopping = true;
	say('Stopping n8n and the emulator ...');
	for (const stop of stoppers.reverse()) await Promise.resolve(stop()).catch(() => {});
	process.exit(code);
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const realKey = process.env.GLADIA_API_KEY;
	process.on('SIGINT', () => void stopEverything(0));
	process.on('SIGTERM', () => void stopEverything(0));

	if (args.build) {
		say('Building the package (npm run build) ...');
		build();
	}

	let baseUrl = 'https://api.gladia.io';
	let apiKey = realKey;
	if (!realKey) {
		const emulator = await startEmulator(await choosePort(args.emulatorPort));
		baseUrl = emulator.url;
		apiKey = EMULATOR_KEY;
		say(`Gladia emulator: ${emulator.url} (log ${emulator.logFile})`);
	} else {
		say('GLADIA_API_KEY is set: the credential talks to api.gladia.io (no emulator).');
	}

	const install = await ensureN8n(args.version, { log: say });
	// One duration only, the total at the end (the installer reports its own progress).
	if (install.installed) say(`n8n@${args.version} is installed; later starts reuse it.`);
	else say(`n8n@${args.version}: using the installed copy in ${install.dir}`);

	const userFolder = path.join(cacheRoot(), 'demo', `n8n-${args.version}`);
	if (args.fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	const port = await choosePort(args.port);
	say(`Starting n8n@${args.version} on port ${port} ...`);
	const n8n = await startN8n({ version: args.version, install, userFolder, port, logFile: path.join(userFolder, 'n8n.log') });
	stoppers.push(() => n8n.stop());
	const editorUrl = `http://localhost:${port}`;

	const client = new N8nClient(n8n.url, { version: args.version, n8nDir: install.dir });
	await client.signIn(DEMO_OWNER);
	const credentialData = { apiKey, baseUrl, webhookSigningSecret: '' };
	const existing = (await client.credentials()).find((c) => c.name === CREDENTIAL_NAME && c.type === 'gladiaApi');
	let credentialId;
	if (existing) {
		credentialId = existing.id;
		await client.updateCredential(credentialId, CREDENTIAL_NAME, 'gladiaApi', credentialData);
	} else {
		credentialId = await client.createCredential(CREDENTIAL_NAME, 'gladiaApi', credentialData);
	}
	const filesDir = path.join(userFolder, 'files');
	const examples = await importExamples(client, { credentialId, n8nUrl: n8n.url, filesDir });
	// Kept examples still carry the URLs of the port they were imported with.
	const stateFile = path.join(userFolder, 'demo-state.json');
	const previous = fs.existsSync(stateFile) ? JSON.parse(fs.readFileSync(stateFile, 'utf8')) : {};
	const importedPort = examples.some((e) => !e.reused) ? port : previous.examplesPort;
	if (importedPort) fs.writeFileSync(stateFile, JSON.stringify({ examplesPort: importedPort }));

	// n8n's sign-in page goes to its `redirect` path afterwards: the workflow list, not the start page.
	const signInUrl = `${editorUrl}/signin?redirect=${encodeURIComponent('/home/workflows')}`;
	const meeting = examples.find((e) => e.file === MEETING_EXAMPLE);
	say('');
	say(`n8n is ready (${elapsed(started)} in all).`);
	say(`  Editor:    ${signInUrl}`);
	say(`  Login:     ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
	say(`  Gladia:    credential "${CREDENTIAL_NAME}" → ${baseUrl}`);
	say(`  Files:     subtitles written by the examples go to ${filesDir}`);
	say(`  Logs:      ${n8n.logFile}`);
	say('  Examples:');
	for (const example of examples) {
		say(`    - ${example.name}${example.active ? ' (active)' : ''}${example.reused ? ' (kept from the last start)' : ''}`);
	}
	if (importedPort && importedPort !== port) {
		say(`  Note: the kept examples call n8n on port ${importedPort}; use --port ${importedPort}, or --fresh to re-import them.`);
	}
	say('Open a workflow and click "Execute workflow". Press Ctrl-C to stop.');
	if (meeting) say(`Start here: ${editorUrl}/workflow/${meeting.id}  (${meeting.name})`);
	n8n.child.on('exit', (code) => {
		if (!stopping) {
			say(`n8n exited unexpectedly (${code}); last lines of its log:\n${n8n.logTail(30)}`);
			void stopEverything(1);
		}
	});
}

main().catch(async (error) => {
	process.stderr.write(`\nnpm start failed: ${error.message}\n`);
	await stopEverything(1);
});
