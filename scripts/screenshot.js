'use strict';
/**
 * Screenshot of a Gladia workflow in the real n8n editor, for the README:
 *   node scripts/screenshot.js [--example 01-meeting-transcript-summary.json] [--out docs/images/editor.png]
 *                              [--n8n VERSION] [--no-run]
 * Builds the package, starts the emulator and n8n (fresh user folder), imports the examples,
 * opens the workflow in headless Debian Chromium (installed with apt-get when missing),
 * clicks "Execute workflow" (unless --no-run) so the canvas shows the run, and saves a PNG.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { startN8n, stopAll, freePort, N8nClient, DEFAULT_N8N_VERSION, PACKAGE_ROOT } = require('./lib/n8n');
const { importExamples } = require('./lib/examples');
const { spawnEmulator } = require('./lib/emulator');
const { CHROMIUM_PATH: CHROMIUM, launchChromium } = require('./lib/chromium');

const BROWSER_ID = 'n8n-nodes-gladia-e2e'; // the client's browser-id, so its session cookie is valid
const say = (message) => process.stdout.write(`${message}\n`);

function parseArgs(argv) {
	const args = {
		example: '01-meeting-transcript-summary.json',
		out: path.join(PACKAGE_ROOT, 'docs', 'images', 'gladia-workflow-in-n8n.png'),
		version: DEFAULT_N8N_VERSION,
		run: true,
		build: true,
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--example') args.example = argv[++i];
		else if (flag === '--out') args.out = path.resolve(argv[++i]);
		else if (flag === '--n8n') args.version = argv[++i];
		else if (flag === '--no-run') args.run = false;
		else if (flag === '--no-build') args.build = false;
		else throw new Error(`Unknown option ${flag}`);
	}
	return args;
}

function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		throw new Error('Chromium is missing: run `sudo apt-get update && sudo apt-get install -y chromium`.');
	}
	say('Installing Debian chromium (apt-get) ...');
	for (const args of [['update'], ['install', '-y', 'chromium']]) {
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
	}
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	ensureChromium();
	if (args.build) {
		const build = spawnSync('npm', ['run', 'build'], { cwd: PACKAGE_ROOT, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('npm run build failed');
	}
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gladia-screenshot-'));
	const emulator = await spawnEmulator({
		port: await freePort(),
		apiKey: 'screenshot-key',
		logFile: path.join(work, 'emulator.log'),
		args: ['--speed', '0.1'],
	});
	let browser;
	try {
		const n8n = await startN8n({ version: args.version, userFolder: work });
		const client = new N8nClient(n8n.url, { version: args.version, n8nDir: n8n.install.dir });
		await client.signIn();
		const credentialId = await client.createCredential('Gladia account', 'gladiaApi', {
			apiKey: 'screenshot-key',
			baseUrl: emulator.url,
			webhookSigningSecret: '',
		});
		const examples = await importExamples(client, { credentialId, n8nUrl: n8n.url, filesDir: path.join(work, 'files') });
		const example = examples.find((e) => e.file === args.example);
		if (!example) throw new Error(`No example ${args.example} (have ${examples.map((e) => e.file).join(', ')})`);

		let context;
		({ browser, context } = await launchChromium());
		await context.addInitScript((id) => window.localStorage.setItem('n8n-browserId', id), BROWSER_ID);
		const split = client.cookie.indexOf('=');
		await context.addCookies([
			{ name: client.cookie.slice(0, split), value: client.cookie.slice(split + 1), url: n8n.url },
		]);
		const page = await context.newPage();
		await page.goto(`${n8n.url}/workflow/${example.id}`, { waitUntil: 'networkidle' });
		await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60000 });
		if (args.run) {
			await page.click('[data-test-id="execute-workflow-button"]');
			const executions = async () => (await client.executions(example.id)).filter((e) => e.status === 'success');
			const deadline = Date.now() + 60000;
			while (!(await executions()).length && Date.now() < deadline) await page.waitForTimeout(500);
			if (!(await executions()).length) throw new Error('The example did not run successfully in the editor');
			await page.waitForTimeout(1500); // let the canvas draw the run's item counts
		}
		await page.keyboard.press('1').catch(() => {}); // n8n's shortcut: zoom to fit
		await page.waitForTimeout(800);
		fs.mkdirSync(path.dirname(args.out), { recursive: true });
		await page.screenshot({ path: args.out });
		say(`Saved ${path.relative(PACKAGE_ROOT, args.out)} (n8n@${args.version}, workflow "${example.name}")`);
	} finally {
		if (browser) await browser.close();
		await stopAll();
		emulator.stop();
	}
}

main().catch(async (error) => {
	process.stderr.write(`screenshot failed: ${error.message}\n`);
	await stopAll();
	process.exit(1);
});
