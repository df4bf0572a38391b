/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// The package under n8n queue mode: PostgreSQL + Redis, one main, one webhook
// processor and two workers, the package installed on each, the Gladia emulator standing in
// for Gladia. Every scenario asserts counts from n8n's executions (REST API) and from the
// emulator's request log. Run with `npm run test:queue` (not part of `npm test`).
// Knobs: QUEUE_PACKAGE_ROOT (a folder with package.json + dist/ to install instead of this
// repository), QUEUE_BINARY_MIB (size of the uploaded file, default 64).
import {
	createReadStream,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { Webhook } from 'svix';

import {
	delay,
	N8nClient,
	startQueueTopology,
	waitFor,
	type QueueTopology,
} from '../../scripts/queue';
import { writeWavFile, type EmulatorHandle, type EmulatorJob } from '../emulator';
import {
	countBy,
	cpuProbe,
	spread,
	settledExecutions,
	executionsByWorker,
	inBatches,
	listExecutions,
	postJsonFull,
	loadExecutions,
	memoryProbe,
	postJson,
	productionUrl,
	report,
	signInWithCredential,
	startQueueEnv,
	waitForExecutions,
} from './helpers';
import { binaryWorkflow, triggerPath, triggerWorkflow, urlBatchWorkflow } from './workflows';

// Svix's delivery settings: 15 s to answer, 8 attempts. Its retry schedule (5 s, 5 min, 30 min,
// … over 28 hours) is compressed into minutes: retries after 5, 10, 20, 40, 80, 160, 320 s. A
// loaded machine answers slowly and the backlog drains through the retries, as with Svix.
const SVIX_LIKE = { attempts: 8, backoffMs: 5000, timeoutMs: 15_000 };
// Every attempt of every delivery may be used, plus the time to settle the executions.
const TRIGGER_TEST_TIMEOUT_MS = 25 * 60 * 1000;
const SIGNING_SECRET = `whsec_${Buffer.from('queue-mode-signing-secret-0123456789').toString('base64')}`;
// Short Bull locks so a killed worker's jobs are detected in seconds (n8n defaults: 60 s lock,
// renewed every 10 s, stalled check every 30 s). Not the queue recovery interval: shortened, it
// marks executions `crashed` that are saved but not yet enqueued (seen at 15 s).
const FAST_RECOVERY_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2500',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};

const log = (message: string) => report('setup', message);
const figures: Record<string, unknown> = {};

let topo: QueueTopology;
let emulator: EmulatorHandle;
let client: N8nClient;
let credentialId: string;
let triggerRun:
	| {
			workflowId: string;
			url: string;
			answered: Array<{ headers: Record<string, string>; rawBody: string }>;
			executions: number;
	  }
	| undefined;
const scratch = mkdtempSync(join(tmpdir(), 'gladia-queue-test-'));

async function importAndActivate(json: Parameters<N8nClient['importWorkflow']>[0]) {
	const { id } = await client.importWorkflow(json, { credentialIds: { gladiaApi: credentialId } });
	await client.activateWorkflow(id);
	return id;
}

function audioUrl(tag: string, seconds: number) {
	return `https://media.example.com/queue/${tag}.wav?emulator_duration=${seconds}`;
}

function creates() {
	return emulator.log.filter(
		(r) => r.method === 'POST' && /^\/v2\/(pre-recorded|transcription)\/?$/.test(r.path),
	);
}

function jobsMatching(tag: string): EmulatorJob[] {
	return emulator.jobs().filter((job) => job.audioUrl.includes(`/queue/${tag}`));
}

/** GET /v2/pre-recorded/<id> requests per job id (polls). */
function pollsPerJob(): Record<string, number> {
	const polls: Record<string, number> = {};
	for (const r of emulator.log) {
		const match =
			r.method === 'GET' && r.path.match(/^\/v2\/(?:pre-recorded|transcription)\/([0-9a-f-]{36})$/);
		if (match) polls[match[1]] = (polls[match[1]] ?? 0) + 1;
	}
	return polls;
}

/** The output items of the Gladia node in one execution (empty when it did not run). */
function gladiaItems(execution: Awaited<ReturnType<N8nClient['execution']>>) {
	const runs = execution.runData.Gladia;
	return runs?.[0]?.data?.main?.[0] ?? [];
}

function jobIdOf(item: { json: Record<string, unknown> }): string {
	return String(item.json.id ?? item.json.jobId ?? '');
}

beforeAll(
	async () => {
		({ emulator, topo, client, credentialId } = await startQueueEnv({
			// Per-job callbacks too get a real sender's patience (Gladia documents no retry policy).
			deliveryRetry: SVIX_LIKE,
			env: FAST_RECOVERY_ENV,
			webhookSigningSecret: SIGNING_SECRET,
		}));
		figures.startup = topo.timings;
		report('topology', {
			...topo.timings,
			webhookUrl: topo.webhookUrl,
			workers: topo.workers.length,
		});
	},
	15 * 60 * 1000,
);

afterAll(async () => {
	writeFileSync(
		join(tmpdir(), 'n8n-nodes-gladia-queue-results.json'),
		JSON.stringify(figures, null, 2),
	);
	report('all figures', figures);
	await topo?.stop();
	await emulator?.close();
	rmSync(scratch, { recursive: true, force: true });
}, 120_000);

test('every instance (main, webhook processor, workers) loaded the package', async () => {
	const types = await client.nodeTypeNames();
	expect(types).toEqual(
		expect.arrayContaining(['n8n-nodes-gladia.gladia', 'n8n-nodes-gladia.gladiaTrigger']),
	);
	// No process may report a problem with the package (file paths of the n8n cache aside).
	for (const proc of [topo.main, topo.webhook, ...topo.workers]) {
		const complaints = readFileSync(proc.logFile, 'utf8')
			.split('\n')
			.filter((line) =>
				/n8n-nodes-gladia/.test(line.replace(/\S*\.cache\/n8n-nodes-gladia\S*/g, '')),
			)
			.filter((line) => /error|fail|unrecognized|could not/i.test(line));
		expect(complaints).toEqual([]);
	}
});

test('100 URLs in Poll mode from webhook-started executions, spread over both workers: 100 results, 0 duplicate jobs', async () => {
	const workflowId = await importAndActivate(
		urlBatchWorkflow('Queue: poll batch', 'queue-poll', { waitMode: 'poll', maxConcurrentJobs: 5 }),
	);
	const requests = Array.from({ length: 20 }, (_, r) =>
		Array.from({ length: 5 }, (_, i) => ({
			url: audioUrl(`poll-${r * 5 + i}`, 20 + ((r * 5 + i) % 10)),
		})),
	);
	const started = Date.now();
	const statuses = await inBatches(requests, 20, async (items) =>
		postJson(productionUrl(topo, 'queue-poll'), { items }),
	);
	expect(statuses).toEqual(new Array(20).fill(200));

	const executions = await waitForExecutions(client, workflowId, 20, { timeoutMs: 180_000 });
	const wallSeconds = (Date.now() - started) / 1000;
	expect(countBy(executions, (e) => e.status)).toEqual({ success: 20 });

	const details = await loadExecutions(
		client,
		executions.map((e) => e.id),
	);
	const outputs = details.flatMap(gladiaItems);
	expect(outputs).toHaveLength(100);
	const jobsById = new Map(jobsMatching('poll-').map((job) => [job.id, job]));
	const urlsOut = outputs.map((item) => jobsById.get(jobIdOf(item))?.audioUrl);
	expect(new Set(urlsOut)).toEqual(new Set(requests.flat().map((i) => i.url)));

	// Exactly one Gladia job per URL: nothing created twice, whichever worker ran it.
	const jobs = jobsMatching('poll-');
	expect(jobs).toHaveLength(100);
	expect(new Set(jobs.map((j) => j.audioUrl)).size).toBe(100);

	const byWorker = executionsByWorker(topo.workers);
	const perWorker = countBy(executions, (e) => `worker${byWorker.get(e.id) ?? '?'}`);
	expect(Object.keys(perWorker).sort()).toEqual(['worker1', 'worker2']);

	const polls = pollsPerJob();
	const pollCounts = jobs.map((j) => polls[j.id] ?? 0).sort((a, b) => a - b);
	figures.poll = {
		executions: executions.length,
		results: outputs.length,
		gladiaJobs: jobs.length,
		duplicateJobs: jobs.length - new Set(jobs.map((j) => j.audioUrl)).size,
		perWorker,
		wallSeconds,
		medianPollsPerJob: pollCounts[Math.floor(pollCounts.length / 2)],
	};
	report('poll', figures.poll);
});

test('20 executions in Callback mode: parked, resumed by Gladia callbacks through the webhook processor, 0 polls', async () => {
	const workflowId = await importAndActivate(
		urlBatchWorkflow('Queue: callback', 'queue-callback', { waitMode: 'callback' }),
	);
	// 30 min of audio → 3 s of emulated processing: long enough to see every execution park.
	const urls = Array.from({ length: 20 }, (_, i) => audioUrl(`callback-${i}`, 1800));
	const started = Date.now();
	const statuses = await inBatches(urls, 20, async (url) =>
		postJson(productionUrl(topo, 'queue-callback'), { items: [{ url }] }),
	);
	expect(statuses).toEqual(new Array(20).fill(200));

	const parked = await waitForExecutions(client, workflowId, 20, {
		statuses: ['waiting', 'success'],
		timeoutMs: 120_000,
	});
	const waitingSeen = parked.filter((e) => e.status === 'waiting').length;
	const executions = await waitForExecutions(client, workflowId, 20, { timeoutMs: 180_000 });
	const wallSeconds = (Date.now() - started) / 1000;
	expect(countBy(executions, (e) => e.status)).toEqual({ success: 20 });

	const jobs = jobsMatching('callback-');
	expect(jobs).toHaveLength(20);
	const jobIds = new Set(jobs.map((j) => j.id));
	const callbacks = emulator.callbacks.filter((c) => jobIds.has(c.jobId));
	expect(callbacks).toHaveLength(20);
	for (const callback of callbacks) {
		// The resume URL n8n gave the node points at the webhook processor (N8N_WEBHOOK_URL).
		expect(callback.url.startsWith(`${topo.webhookUrl}/webhook-waiting/`)).toBe(true);
		// Accepted (2xx), or, when a slow answer made the sender retry, refused as already
		// resumed (409): either way n8n got the callback once.
		expect(callback.ok || callback.tries.some((t) => t.status === 409)).toBe(true);
	}
	// Polls = status checks before Gladia's callback arrived. After it, webhook() reads the job
	// once to check it is the awaited one and to get the full result (counted separately).
	const callbackAt = new Map(callbacks.map((c) => [c.jobId, Date.parse(c.at)]));
	let pollsOfTheseJobs = 0;
	let readBacks = 0;
	for (const r of emulator.log) {
		const match =
			r.method === 'GET' && r.path.match(/^\/v2\/(?:pre-recorded|transcription)\/([0-9a-f-]{36})$/);
		if (!match || !jobIds.has(match[1])) continue;
		if (Date.parse(r.at) < (callbackAt.get(match[1]) ?? Infinity)) pollsOfTheseJobs++;
		else readBacks++;
	}
	expect(pollsOfTheseJobs).toBe(0);

	const details = await loadExecutions(
		client,
		executions.map((e) => e.id),
	);
	const outputIds = details.flatMap(gladiaItems).map(jobIdOf);
	expect(new Set(outputIds)).toEqual(jobIds);

	figures.callback = {
		executions: executions.length,
		waitingSeenAtOnce: waitingSeen,
		completed: executions.length,
		callbacks: callbacks.length,
		callbackAttempts: callbacks.reduce((sum, c) => sum + c.attempts, 0),
		polls: pollsOfTheseJobs,
		readBacksAfterCallback: readBacks,
		wallSeconds,
	};
	report('callback', figures.callback);
});

/**
 * Re-sends a recorded dashboard webhook as Svix does: same svix-id and body, new timestamp and
 * signature, retried on the same schedule as the emulator's deliveries. The last status (0: no
 * answer in time).
 */
async function redeliver(
	url: string,
	delivery: { headers: Record<string, string>; rawBody: string },
): Promise<number> {
	const id = delivery.headers['svix-id'];
	let status = 0;
	for (let attempt = 1; attempt <= SVIX_LIKE.attempts; attempt++) {
		const now = new Date();
		const res = await axios
			.post(url, delivery.rawBody, {
				headers: {
					'content-type': 'application/json',
					'svix-id': id,
					'svix-timestamp': String(Math.floor(now.getTime() / 1000)),
					'svix-signature': new Webhook(SIGNING_SECRET).sign(id, now, delivery.rawBody),
				},
				validateStatus: () => true,
				timeout: SVIX_LIKE.timeoutMs,
			})
			.catch(() => ({ status: 0 }));
		status = res.status;
		if (status >= 200 && status < 300) break;
		if (attempt < SVIX_LIKE.attempts) await delay(SVIX_LIKE.backoffMs * 2 ** (attempt - 1));
	}
	return status;
}

test(
	'Gladia Trigger: 200 signed dashboard webhooks + 10 % redelivered → exactly 200 executions',
	async () => {
		const json = triggerWorkflow('Queue: trigger');
		const workflowId = await importAndActivate(json);
		const url = productionUrl(topo, triggerPath(json));
		// Gladia's dashboard webhooks (Svix): created + success for every job, signed, delivered
		// and retried as Svix does (SVIX_LIKE).
		emulator.configure({
			webhook: { urls: [url], secret: SIGNING_SECRET },
			deliveryRetry: SVIX_LIKE,
		});
		const cpu = cpuProbe({
			main: topo.main.child.pid as number,
			webhook: topo.webhook.child.pid as number,
			worker1: topo.workers[0].child.pid as number,
			worker2: topo.workers[1].child.pid as number,
			postgres: topo.postgres.pid,
			redis: topo.redis.pid,
			'test + emulator': process.pid,
		});
		const started = Date.now();
		const redeliveries: Array<Promise<number>> = [];
		const redelivered = new Set<string>();
		try {
			// 5 jobs a second, each processed in 1 s (10 min of audio): a Gladia account at its
			// paid concurrency (25) with 5-minute recordings finishes about that many.
			for (let i = 0; i < 200; i += 5) {
				const tick = Date.now();
				const statuses = await Promise.all(
					Array.from({ length: 5 }, async (_, k) => {
						const res = await axios.post(
							`${emulator.url}/v2/pre-recorded`,
							{ audio_url: audioUrl(`trigger-${i + k}`, 600) },
							{ headers: { 'x-gladia-key': emulator.apiKey }, validateStatus: () => true },
						);
						return res.status;
					}),
				);
				expect(statuses).toEqual(new Array(5).fill(201));
				// Every 10th success event answered so far is delivered a second time, 5 s after the
				// first (a lost acknowledgement, as Svix sees it).
				const answered = emulator.webhooks.filter(
					(d) => d.event === 'transcription.success' && d.ok,
				);
				for (let n = 0; n < answered.length && redelivered.size < 20; n += 10) {
					const delivery = answered[n];
					if (redelivered.has(delivery.jobId)) continue;
					redelivered.add(delivery.jobId);
					redeliveries.push(delay(5000).then(async () => await redeliver(url, delivery)));
				}
				await delay(Math.max(0, 1000 - (Date.now() - tick)));
			}
			await waitFor(
				'trigger jobs done',
				() => jobsMatching('trigger-').every((j) => j.status === 'done'),
				{
					timeoutMs: 120_000,
				},
			);
			await emulator.deliveriesSettled();
		} finally {
			emulator.configure({ webhook: null });
		}
		const jobIds = new Set(jobsMatching('trigger-').map((j) => j.id));
		const deliveries = emulator.webhooks.filter((d) => jobIds.has(d.jobId));
		const successDeliveries = deliveries.filter((d) => d.event === 'transcription.success');
		// The last answered success events have not been picked yet: top up to 10 % with them.
		for (const delivery of successDeliveries
			.filter((d) => d.ok && !redelivered.has(d.jobId))
			.reverse()) {
			if (redelivered.size >= 20) break;
			redelivered.add(delivery.jobId);
			redeliveries.push(redeliver(url, delivery));
		}
		const redeliveryStatuses = await Promise.all(redeliveries);
		writeFileSync(
			join(tmpdir(), 'n8n-nodes-gladia-queue-trigger-deliveries.json'),
			JSON.stringify(
				deliveries.map((d) => ({ jobId: d.jobId, event: d.event, ok: d.ok, tries: d.tries })),
			),
		);

		// n8n saves an execution after webhook() has answered; on a loaded machine that can be a
		// minute later. Wait for the expected count, then for quiet, so a late duplicate shows too.
		await waitFor('200 trigger executions', () => storedExecutions(workflowId).length >= 200, {
			timeoutMs: 180_000,
		}).catch(() => undefined);
		const listed = await settledExecutions(client, workflowId, { quietMs: 10_000 });
		const executions = storedExecutions(workflowId);
		const wallSeconds = (Date.now() - started) / 1000;
		const details = await loadExecutions(
			client,
			executions.map((e) => e.id),
		);
		const triggered = details.map(
			(d) => d.runData['Gladia Trigger']?.[0]?.data?.main?.[0]?.[0]?.json ?? {},
		);
		// An execution whose trigger output has no job id did not come from a delivery the trigger
		// accepted (n8n starts one, in error, when webhook() throws): counted apart, not as a duplicate.
		const perJob = countBy(
			triggered.filter((j) => j.id !== undefined),
			(j) => String(j.id),
		);
		const duplicates = Object.entries(perJob).filter(([, n]) => n > 1);
		const failedExecutions = details.filter((d) => d.status !== 'success');

		if (duplicates.length) {
			const dupIds = new Set(duplicates.map(([id]) => id));
			report(
				'trigger duplicates',
				details
					.map((d, i) => ({
						execution: d.id,
						startedAt: executions.find((e) => e.id === d.id)?.startedAt,
						jobId: String(triggered[i].id ?? ''),
						deliveryId: triggered[i].delivery_id,
					}))
					.filter((row) => dupIds.has(row.jobId)),
			);
		}
		triggerRun = {
			workflowId,
			url,
			answered: successDeliveries.filter((d) => d.ok),
			executions: executions.length,
		};

		const attempts = deliveries.flatMap((d) => d.tries);
		const verifyReads = emulator.log.filter(
			(r) =>
				r.method === 'GET' &&
				r.headers['x-gladia-version'] !== undefined &&
				jobIds.has(r.path.split('/').pop() ?? ''),
		);
		figures.trigger = {
			deliveries: deliveries.length,
			deliveryOutcomes: countBy(
				deliveries,
				(d) => `${d.ok ? 'ok' : 'failed'} after ${d.attempts} attempt(s)`,
			),
			attempts: attempts.length,
			attemptOutcomes: countBy(attempts, (a) => (a.status ? `HTTP ${a.status}` : (a.error ?? '?'))),
			answerMs: spread(attempts.filter((a) => a.status).map((a) => a.ms)),
			failedAttempts: attempts
				.filter((a) => a.status < 200 || a.status > 299)
				.map((a) => ({
					atSecond: Math.round((Date.parse(a.at) - started) / 1000),
					status: a.status || a.error,
					ms: a.ms,
				}))
				.slice(0, 40),
			verifyReads: verifyReads.length,
			verifyReadStatuses: countBy(verifyReads, (r) => String(r.status)),
			verifyReadMs: spread(verifyReads.map((r) => r.ms ?? 0)),
			redeliveries: redeliveryStatuses.length,
			redeliveryStatuses: countBy(redeliveryStatuses, String),
			executions: executions.length,
			executionsListedByRestApi: listed.length,
			statuses: countBy(executions, (e) => e.status),
			failedExecutionMessages: countBy(failedExecutions, (d) => String(d.error?.message)),
			duplicateExecutions: duplicates.length,
			cpu: cpu.read(),
			wallSeconds,
		};
		report('trigger', figures.trigger);
		expect(successDeliveries).toHaveLength(200);
		expect(
			successDeliveries.filter((d) => !d.ok).map((d) => `${d.jobId}: HTTP ${d.status}`),
		).toEqual([]);
		expect(redeliveryStatuses).toEqual(new Array(20).fill(200));
		expect(failedExecutions.map((d) => d.error?.message)).toEqual([]);
		expect(duplicates).toEqual([]);
		expect(executions).toHaveLength(200);
		expect(countBy(executions, (e) => e.status)).toEqual({ success: 200 });
		expect(new Set(Object.keys(perJob))).toEqual(jobIds);
	},
	TRIGGER_TEST_TIMEOUT_MS,
);

// Senders retry for hours (Svix for about 28): a late redelivery must start nothing, whichever
// webhook processor receives it, one restarted since (its memory is gone) or another one (it
// never had any). Only the replay record in the workflow's static data tells them.
test('Gladia Trigger: late redeliveries, to a restarted webhook processor and to another one, start no execution', async () => {
	expect(triggerRun).toBeDefined();
	const run = triggerRun as NonNullable<typeof triggerRun>;
	const staticData = topo.postgres.sql(
		`select "staticData" from workflow_entity where id = '${run.workflowId}'`,
	);
	const recorded: Array<[number, string]> =
		JSON.parse(staticData || '{}')['node:Gladia Trigger']?.deliveries ?? [];
	const recordedKeys = new Set(recorded.map(([, key]) => key));
	// Executions of the burst that landed after its count (none expected).
	const landedLate = storedExecutions(run.workflowId).length - run.executions;
	const other = await topo.startWebhook();
	await topo.restartWebhook();
	// The first and the last answered: the last were saved while others still were.
	const late = [...run.answered.slice(0, 10), ...run.answered.slice(-10)];
	const statuses = await inBatches(
		late,
		5,
		async (delivery, i) =>
			await redeliver(i % 2 ? run.url.replace(topo.webhookUrl, other.url) : run.url, delivery),
	);
	await settledExecutions(client, run.workflowId, { quietMs: 5000 });
	const after = storedExecutions(run.workflowId);
	figures.triggerLateRedeliveries = {
		replayRecordEntries: recorded.length,
		answeredDeliveriesMissingFromRecord: run.answered.filter(
			(d) => !recordedKeys.has(`msg:${d.headers['svix-id']}`),
		).length,
		burstExecutionsLandedAfterItsCount: landedLate,
		lateRedeliveries: late.length,
		statuses: countBy(statuses, String),
		extraExecutions: after.length - run.executions,
	};
	report('trigger, late redeliveries', figures.triggerLateRedeliveries);
	expect(statuses).toEqual(new Array(late.length).fill(200));
	expect(after.length - run.executions).toBe(0);
});

/**
 * A workflow's executions as the database holds them. Counted there, not through n8n's REST list:
 * in a run where the webhook processor enqueued and the workers finished 200 executions, the
 * list (n8n 2.41) returned 199.
 */
function storedExecutions(
	workflowId: string,
): Array<{ id: string; status: string; startedAt: string }> {
	const rows = topo.postgres.sql(
		`select id, status, "startedAt" from execution_entity where "workflowId" = '${workflowId}' and "deletedAt" is null order by id`,
	);
	return rows
		.split('\n')
		.filter(Boolean)
		.map((row) => {
			const [id, status, startedAt] = row.split('|');
			return { id, status, startedAt };
		});
}

/**
 * POSTs a 64 MiB WAV as the raw body of a production webhook; the webhook
 * processor stores it in n8n's binary data store, a worker uploads it to Gladia.
 * Returns the figures, with the peak memory (VmHWM) of every process during the run.
 */
async function binaryUpload(on: { topo: QueueTopology; client: N8nClient; credentialId: string }) {
	const { id: workflowId } = await on.client.importWorkflow(
		binaryWorkflow('Queue: binary', 'queue-binary'),
		{
			credentialIds: { gladiaApi: on.credentialId },
		},
	);
	await on.client.activateWorkflow(workflowId);
	// 48 kHz 16-bit stereo: 350 s of audio ≈ 64 MiB (the node's first poll comes after about
	// 1 s per minute of audio, as at Gladia). QUEUE_BINARY_MIB sets another size.
	const seconds = Math.round((Number(process.env.QUEUE_BINARY_MIB || 64) * 1024 * 1024) / 192_000);
	const file = join(scratch, 'meeting.wav');
	await writeWavFile(file, seconds, { sampleRate: 48_000, channels: 2 });
	const size = statSync(file).size;
	const uploadsBefore = emulator.log.filter(
		(r) => r.method === 'POST' && /^\/v2\/upload\/?$/.test(r.path),
	).length;

	const { topo: t } = on;
	const probe = memoryProbe({
		main: t.main,
		webhook: t.webhook,
		worker1: t.workers[0],
		worker2: t.workers[1],
	});
	const started = Date.now();
	const res = await axios.post(productionUrl(t, 'queue-binary'), createReadStream(file), {
		headers: {
			'content-type': 'audio/wav',
			'content-length': String(size),
			'content-disposition': 'attachment; filename="meeting.wav"',
		},
		maxBodyLength: Infinity,
		validateStatus: () => true,
	});
	const answeredSeconds = (Date.now() - started) / 1000;
	expect(res.status).toBe(200);
	const [execution] = await waitForExecutions(on.client, workflowId, 1, { timeoutMs: 300_000 });
	const wallSeconds = (Date.now() - started) / 1000;
	const memory = probe.read();
	expect(execution.status).toBe('success');

	// Gladia received the whole file once, and the node output that job.
	const uploads = emulator.log.filter(
		(r) => r.method === 'POST' && /^\/v2\/upload\/?$/.test(r.path),
	);
	expect(uploads).toHaveLength(uploadsBefore + 1);
	const detail = await on.client.execution(execution.id);
	const [output] = gladiaItems(detail);
	const job = emulator.jobs().find((j) => j.id === jobIdOf(output));
	expect(job?.audioDuration).toBeCloseTo(seconds, 0);
	expect(job?.audioUrl).toContain('/file/');

	return {
		fileMiB: Math.round((size / 1024 / 1024) * 10) / 10,
		binaryDataMode: t.env.N8N_DEFAULT_BINARY_DATA_MODE,
		ranOnWorker: executionsByWorker(t.workers).get(execution.id),
		memory,
		answeredSeconds,
		wallSeconds,
	};
}

test('binary upload in queue mode (database binary data mode), with the peak memory of each process', async () => {
	figures.binary = await binaryUpload({ topo, client, credentialId });
	report('binary', figures.binary);
});

test('one worker SIGKILLed mid-batch: every item ends as a result or a visible error, no job created twice', async () => {
	const workflowId = await importAndActivate(
		urlBatchWorkflow('Queue: worker killed', 'queue-kill', {
			waitMode: 'poll',
			maxConcurrentJobs: 2,
		}),
	);
	// 5 min of audio: the node first polls a job after about 5 s, so executions are still
	// running when the worker dies.
	const requests = Array.from({ length: 30 }, (_, r) =>
		Array.from({ length: 2 }, (_, i) => ({ url: audioUrl(`kill-${r * 2 + i}`, 300) })),
	);
	const victim = topo.workers[0];
	const answers = await inBatches(requests, 30, async (items) =>
		postJsonFull(productionUrl(topo, 'queue-kill'), { items }),
	);
	expect(answers.map((a) => a.status)).toEqual(new Array(30).fill(200));
	// The sender keeps the execution id n8n answered with: request → execution.
	const urlsByExecution = new Map(
		answers.map((a, r) => [String(a.data), requests[r].map((i) => i.url)]),
	);
	expect([...urlsByExecution.keys()].filter((id) => /^\d+$/.test(id))).toHaveLength(30);

	// Kill once the victim is running some of this batch and none of them has finished yet.
	const deadline = Date.now() + 60_000;
	let onVictim: string[] = [];
	while (Date.now() < deadline) {
		const ids = new Set((await listExecutions(client, workflowId)).map((e) => e.id));
		onVictim = [...executionsByWorker([victim])].filter(([id]) => ids.has(id)).map(([id]) => id);
		if (onVictim.length >= 3) break;
		await delay(200);
	}
	expect(onVictim.length).toBeGreaterThanOrEqual(3);
	const killedAt = Date.now();
	process.kill(-(victim.child.pid as number), 'SIGKILL');

	const executions = await waitForExecutions(client, workflowId, 30, {
		timeoutMs: 240_000,
		settleMs: 2000,
	});
	const detectSeconds = (Date.now() - killedAt) / 1000;
	const details = await loadExecutions(
		client,
		executions.map((e) => e.id),
	);

	const inputUrls = requests.flat().map((i) => i.url);
	const delivered = new Set<string>();
	const visibleErrors = new Set<string>();
	const jobsById = new Map(jobsMatching('kill-').map((job) => [job.id, job]));
	for (const execution of details) {
		const urls = urlsByExecution.get(execution.id) ?? [];
		if (execution.status === 'success') {
			for (const item of gladiaItems(execution)) {
				const url = jobsById.get(jobIdOf(item))?.audioUrl;
				if (url && item.json.error === undefined) delivered.add(url);
				else if (url) visibleErrors.add(url);
			}
		} else {
			// error / crashed: shown as failed in n8n's executions list, with the input kept.
			for (const url of urls) visibleErrors.add(url);
		}
	}
	const lost = inputUrls.filter((url) => !delivered.has(url) && !visibleErrors.has(url));
	const failed = details.filter((d) => d.status !== 'success');

	const jobs = jobsMatching('kill-');
	const createsPerUrl = countBy(jobs, (j) => j.audioUrl);
	// Jobs the failed executions had already created: still at Gladia (findable by their
	// idempotency key in custom_metadata), billed, but not delivered by n8n.
	const orphanJobs = jobs.filter((j) => visibleErrors.has(j.audioUrl)).length;
	const duplicated = Object.entries(createsPerUrl).filter(([, n]) => n > 1);
	figures.workerKilled = {
		executions: countBy(executions, (e) => e.status),
		killedWorkerHadStarted: onVictim.length,
		itemsDelivered: delivered.size,
		itemsVisibleErrors: visibleErrors.size,
		itemsLost: lost.length,
		gladiaJobs: jobs.length,
		orphanJobsOfFailedExecutions: orphanJobs,
		duplicateJobs: duplicated.length,
		failedExecutionMessage: failed[0]?.error?.message,
		secondsUntilAllFinal: detectSeconds,
	};
	report('worker killed', figures.workerKilled);
	expect(lost).toEqual([]);
	expect(delivered.size + visibleErrors.size).toBe(60);
	// The kill did hit running executions (otherwise this proved nothing).
	expect(visibleErrors.size).toBeGreaterThan(0);
	expect(duplicated).toEqual([]);
	expect(creates().filter((r) => r.status === 0)).toEqual([]);
});

test('for comparison: the same upload with filesystem binary data mode on a disk shared by every process', async () => {
	// Valid only when every instance mounts the same volume; shows what the package itself
	// costs when n8n does not hold the file in memory (database mode does, see above).
	await topo.stop();
	const shared = join(scratch, 'binary-data');
	const fsTopo = await startQueueTopology({
		workers: 2,
		binaryDataMode: 'filesystem',
		env: { N8N_BINARY_DATA_STORAGE_PATH: shared },
		logsDir: join(topo.logsDir, 'filesystem-mode'),
		log,
		packageRoot: process.env.QUEUE_PACKAGE_ROOT || undefined,
	});
	try {
		const on = await signInWithCredential(fsTopo, emulator);
		figures.binaryFilesystem = await binaryUpload({ topo: fsTopo, ...on });
		report('binary (filesystem mode)', figures.binaryFilesystem);
	} finally {
		await fsTopo.stop();
	}
});
