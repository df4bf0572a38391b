'use strict';
/**
 * n8n in queue mode, as teams run it when they outgrow one instance:
 * PostgreSQL + Redis, one main, one webhook processor and N workers, this package on every one.
 *
 *   const { startQueueTopology } = require('./topology');
 *   const topo = await startQueueTopology({ workers: 2, log: console.log });
 *   topo.main / topo.webhook / topo.workers[i]   N8nProcess from ../lib/n8n (url, port, child, logFile, stop())
 *   topo.webhookUrl        public base for production webhooks and resume URLs (the webhook processor)
 *   topo.redis, topo.postgres                    handles from ./services (postgres.sql(statement))
 *   topo.startWorker()     one more worker with the same settings (e.g. after a SIGKILL)
 *   topo.restartWebhook()  stops the webhook processor and starts a fresh one on the same URL
 *   topo.startWebhook()    another webhook processor on a port of its own (as behind a load
 *                          balancer: it shares only the database and Redis with the first)
 *   topo.timings           seconds each part took to become ready
 *   topo.install, topo.version   the cached n8n install used (install.dir holds its node_modules)
 *   await topo.stop()      stops everything, whatever state it is in (also on process exit);
 *                          each n8n log is kept in topo.logsDir (default <tmp>/n8n-nodes-gladia-queue-logs)
 *
 * Settings that matter in queue mode (n8n 2.41):
 *   EXECUTIONS_MODE=queue, DB_TYPE=postgresdb, QUEUE_BULL_REDIS_*, one N8N_ENCRYPTION_KEY for all;
 *   N8N_DEFAULT_BINARY_DATA_MODE=database (n8n's queue-mode default; 'filesystem' only works
 *   when every instance shares the disk); N8N_WEBHOOK_URL = the webhook processor on every
 *   process (workers build $execution.resumeUrl from it); the main does not serve production
 *   webhooks (N8N_DISABLE_PRODUCTION_MAIN_PROCESS), so they can only reach the webhook processor.
 *   Each process has its own user folder (as on separate machines) with the package installed.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
	startN8n,
	ensureN8n,
	freePort,
	preparePackage,
	DEFAULT_N8N_VERSION,
	PACKAGE_ROOT,
} = require('../lib/n8n');
const { ensureDebianPackages, startRedis, startPostgres } = require('./services');
const { reapOrphans, trackDir, removeDir } = require('./processes');

async function startQueueTopology(options = {}) {
	const {
		version = DEFAULT_N8N_VERSION,
		workers: workerCount = 2,
		workerConcurrency = 10,
		binaryDataMode = 'database',
		env: extraEnv = {},
		// Each process's log is copied here when the topology stops (its user folder is deleted).
		logsDir = path.join(os.tmpdir(), 'n8n-nodes-gladia-queue-logs'),
		withPackage = true, // false: boot n8n without this package (infrastructure smoke check only)
		packageRoot = PACKAGE_ROOT, // a folder with package.json + dist/ (default: this repository)
		log = () => {},
	} = options;
	const timings = {};
	const t0 = Date.now();
	const stoppers = [];
	const topo = { timings, workers: [], logsDir };
	fs.rmSync(logsDir, { recursive: true, force: true });
	fs.mkdirSync(logsDir, { recursive: true });
	topo.stop = async () => {
		for (const stop of stoppers.reverse()) {
			try {
				await stop();
			} catch (error) {
				log(`while stopping: ${error.message}`);
			}
		}
		stoppers.length = 0;
	};

	try {
		reapOrphans(log);
		ensureDebianPackages(log);
		const install = await ensureN8n(version, { log });
		topo.install = install;
		topo.version = version;
		timings.install = (Date.now() - t0) / 1000;

		const [redis, postgres] = await Promise.all([startRedis({ log }), startPostgres({ log })]);
		stoppers.push(
			() => redis.stop(),
			() => postgres.stop(),
		);
		topo.redis = redis;
		topo.postgres = postgres;
		timings.services = (Date.now() - t0) / 1000 - timings.install;

		const webhookPort = await freePort();
		topo.webhookUrl = `http://127.0.0.1:${webhookPort}`;
		const shared = {
			// As in n8n's Docker image. Under jest NODE_ENV is `test`, with which n8n exits at start.
			NODE_ENV: 'production',
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			// n8n's default pool is 2 connections per process: a webhook flood then waits for a
			// connection until it times out ("timeout exceeded when trying to connect", after 20 s
			// by default), and that fails executions already accepted. On a busy machine a burst
			// still fills 10, so: 20 connections, and a minute of patience for one.
			DB_POSTGRESDB_POOL_SIZE: '20',
			DB_POSTGRESDB_CONNECTION_TIMEOUT: '60000',
			// n8n pings the database every 2 s through the same pool (5 s timeout); after 3 failed
			// pings it tears the pool down and answers every request 503 "Database is not ready!"
			// until it has reconnected. A burst on a loaded machine exhausts the pool, the pings
			// time out, and the teardown turns slowness into lost requests and failed executions.
			// Only a database that stays unreachable for a minute counts as down here.
			DB_PING_TIMEOUT_MS: '20000',
			DB_PING_MAX_FAILURES_BEFORE_RECOVERY: '3',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
			N8N_DEFAULT_BINARY_DATA_MODE: binaryDataMode,
			N8N_WEBHOOK_URL: `${topo.webhookUrl}/`,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...extraEnv,
		};
		let started = 0;
		const start = async (command, env = {}, port) => {
			const sequence = ++started;
			// Its own user folder, as on a separate machine, with the package installed in it.
			const userFolder = trackDir(
				fs.mkdtempSync(path.join(os.tmpdir(), `n8n-gladia-queue-${command}-`)),
			);
			stoppers.push(() => removeDir(userFolder));
			if (withPackage) preparePackage(userFolder, { packageRoot, install });
			const proc = await startN8n({
				version,
				install,
				command,
				port,
				log,
				userFolder,
				preparePackage: false,
				env: { ...shared, ...env },
			});
			stoppers.push(async () => {
				await proc.stop();
				fs.copyFileSync(
					proc.logFile,
					path.join(logsDir, `${sequence}-${command}-${proc.port}.log`),
				);
			});
			return proc;
		};

		// The main runs the database migrations: start it alone first.
		const tMain = Date.now();
		topo.main = await start('start', { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' });
		timings.main = (Date.now() - tMain) / 1000;

		let workerIndex = 0;
		topo.startWorker = async () => {
			const port = await freePort();
			const index = ++workerIndex;
			const worker = await start(
				'worker',
				{
					// The worker's own server (health checks) must not clash with the other processes.
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(port),
					N8N_CONCURRENCY_PRODUCTION_LIMIT: String(workerConcurrency),
				},
				port,
			);
			worker.workerIndex = index;
			topo.workers.push(worker);
			return worker;
		};
		const tRest = Date.now();
		const [webhook] = await Promise.all([
			start('webhook', {}, webhookPort),
			...Array.from({ length: workerCount }, () => topo.startWorker()),
		]);
		topo.webhook = webhook;
		// A restart on the same port (same public URL): what a deploy, a crash or a second
		// webhook processor behind a load balancer looks like to anything kept in memory.
		topo.restartWebhook = async () => {
			const old = topo.webhook;
			await old.stop();
			topo.webhook = await start('webhook', {}, webhookPort);
			return topo.webhook;
		};
		topo.startWebhook = async () => await start('webhook', {}, await freePort());
		timings.webhookAndWorkers = (Date.now() - tRest) / 1000;
		timings.total = (Date.now() - t0) / 1000;
		topo.env = shared;
		return topo;
	} catch (error) {
		await topo.stop();
		throw error;
	}
}

module.exports = { startQueueTopology };
