// Transcribe with Wait Mode "Callback", end to end over real HTTP: the node runs in n8n's engine
// and parks the execution; the emulator, as Gladia, POSTs its callback to the resume URL, where
// a stand-in for n8n's waiting-webhook endpoint hands it to the node's webhook() through
// n8n-core's real WebhookContext (test/helpers/waiting-webhook.ts).
import axios from 'axios';
import type { IDataObject, INode, INodeParameters, IWebhookResponseData } from 'n8n-workflow';

import { Gladia } from '../../../../../nodes/Gladia/Gladia.node';
import { BATCH_FIELDS, BATCH_PARAMS } from '../../../../../nodes/Gladia/helpers/callback';
import { IDEMPOTENCY_FIELD } from '../../../../../nodes/Gladia/transport/jobs';
import { audioUrl, FAST_WAIT, runGladia, useEmulator } from '../../../../helpers/gladia';
import {
	startWaitingWebhookServer,
	type ParkedExecution,
	type WaitingWebhookServer,
} from '../../../../helpers/waiting-webhook';

// Gladia's speed (T = audio / 60): 12 s of audio takes 200 ms, long enough to park first.
const emulator = useEmulator({ speedFactor: 1 });
let n8n: WaitingWebhookServer;

beforeAll(async () => {
	n8n = await startWaitingWebhookServer(() => new Gladia());
});

afterAll(async () => {
	await n8n.close();
});

const transcribe = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'transcription',
	operation: 'transcribe',
	waitMode: 'callback',
	audioSource: 'url',
	audioUrl: audioUrl('weekly-sync', 12),
	diarization: true,
	options: { ...FAST_WAIT, maxWaitSeconds: 600 },
	...extra,
});

/** Runs the node until it parks, and registers the execution as waiting at the resume URL. */
async function park(
	parameters: INodeParameters,
	onError?: INode['onError'],
): Promise<ParkedExecution> {
	const run = await runGladia(emulator.get(), parameters, { onError });
	const credentials = { apiKey: emulator.get().apiKey, baseUrl: emulator.get().url };
	return n8n.park(run, { parameters, credentials, onError });
}

async function resumed(entry: ParkedExecution): Promise<IWebhookResponseData> {
	return await entry.resumed();
}

/** Every read of Gladia's jobs (one job, or the list). */
const jobReads = () =>
	emulator
		.get()
		.log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v2/pre-recorded'));

describe('Transcribe, Wait Mode "Callback"', () => {
	it('parks the execution with the resume URL as Gladia’s callback, then resumes with the result and 0 polls', async () => {
		emulator.get().script('weekly-sync', {
			utterances: [
				{ text: 'Let us start the weekly sync.', speaker: 0 },
				{ text: 'The release is on track.', speaker: 1 },
			],
		});
		const before = Date.now();
		const entry = await park(transcribe());
		expect(entry.run.status).toBe('waiting');
		expect(entry.run.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 600_000);
		expect(entry.run.waitTill!.getTime()).toBeLessThan(Date.now() + 600_000 + 1000);

		const [job] = emulator.get().jobs();
		const metadata = job.request.custom_metadata as IDataObject;
		expect(metadata[IDEMPOTENCY_FIELD]).toEqual(expect.any(String));
		expect(metadata[BATCH_FIELDS.item]).toBe(0);
		const callbackUrl = new URL((job.request.callback_config as IDataObject).url as string);
		expect(job.request.callback).toBe(true);
		expect((job.request.callback_config as IDataObject).method).toBe('POST');
		expect(
			`${callbackUrl.origin}${callbackUrl.pathname}?signature=${callbackUrl.searchParams.get('signature')}`,
		).toBe(entry.run.resumeUrl);
		expect(callbackUrl.searchParams.get(BATCH_PARAMS.batch)).toBe(metadata[BATCH_FIELDS.batch]);
		expect(callbackUrl.searchParams.get(BATCH_PARAMS.size)).toBe('1');

		const result = await resumed(entry);
		const [output] = result.workflowData![0];
		expect(output.pairedItem).toEqual({ item: 0 });
		expect(output.json).toMatchObject({
			id: job.id,
			status: 'done',
			file_name: 'weekly-sync.mp3',
			speaker_transcript:
				'Speaker 1: Let us start the weekly sync.\nSpeaker 2: The release is on track.',
		});

		// No status checks while Gladia worked: the only read is the batch's list, after the callback.
		const gets = jobReads();
		expect(gets.map((entry) => entry.path)).toEqual(['/v2/pre-recorded']);
		expect(Date.parse(gets[0].at)).toBeGreaterThanOrEqual(
			Date.parse(emulator.get().jobs()[0].completedAt!),
		);
		expect(emulator.get().callbacks).toHaveLength(1);
	});

	it('outputs exactly what Poll mode outputs for the same audio', async () => {
		emulator
			.get()
			.script('weekly-sync', { utterances: [{ text: 'Same words either way.', speaker: 0 }] });
		const entry = await park(transcribe());
		const viaCallback = (await resumed(entry)).workflowData![0][0].json;
		const viaPoll = (await runGladia(emulator.get(), transcribe({ waitMode: 'poll' }))).items[0]
			.json;
		const comparable = (json: IDataObject) => {
			const { id, created_at, completed_at, custom_metadata, ...rest } = json;
			return {
				...rest,
				has: [id, created_at, completed_at, custom_metadata].map((value) => value !== null),
			};
		};
		expect(comparable(viaCallback)).toEqual(comparable(viaPoll));
		expect(Object.keys(viaCallback)).toEqual(Object.keys(viaPoll));
	});

	it('refuses a callback for another job and keeps waiting for its own', async () => {
		const entry = await park(transcribe({ audioUrl: audioUrl('weekly-sync', 24) }));
		const foreign = {
			id: '8b3f4c2e-0000-4000-8000-000000000001',
			event: 'transcription.success',
			payload: {},
			custom_metadata: { [BATCH_FIELDS.batch]: 'someone-else' },
		};
		const callbackUrl = (emulator.get().jobs()[0].request.callback_config as IDataObject)
			.url as string;
		const refused = await axios.post(callbackUrl, foreign, { validateStatus: () => true });
		expect(refused.status).toBe(403);
		expect(refused.data).toEqual({
			message: `Job ${foreign.id} is not a job this execution waits for`,
		});
		expect(entry.resumedWith).toBeUndefined();

		const withoutKey = await axios.post(entry.run.resumeUrl, foreign, {
			validateStatus: () => true,
		});
		expect(withoutKey.status).toBe(400);
		expect(entry.resumedWith).toBeUndefined();

		const result = await resumed(entry);
		expect(result.workflowData![0][0].json.id).toBe(emulator.get().jobs()[0].id);
	});

	it('refuses a forged body that claims the right key for a job Gladia does not know', async () => {
		const entry = await park(transcribe({ audioUrl: audioUrl('weekly-sync', 24) }));
		const job = emulator.get().jobs()[0];
		const callbackUrl = (job.request.callback_config as IDataObject).url as string;
		const forged = {
			id: '8b3f4c2e-0000-4000-8000-000000000002',
			event: 'transcription.success',
			payload: { transcription: { full_transcript: 'injected' } },
			custom_metadata: job.request.custom_metadata,
		};
		const refused = await axios.post(callbackUrl, forged, { validateStatus: () => true });
		expect(refused.status).toBe(403);
		expect(entry.resumedWith).toBeUndefined();
		const result = await resumed(entry);
		expect(result.workflowData![0][0].json.transcript).not.toBe('injected');
	});

	it('uses the callback’s own result when Gladia cannot be read back right now', async () => {
		const entry = await park(transcribe({ audioUrl: audioUrl('weekly-sync', 24) }));
		const job = emulator.get().jobs()[0];
		// Every list of the batch fails (3 attempts): a batch of one falls back to the callback payload.
		emulator.get().injectFault({ route: 'list', kind: 'reset', count: 3 });
		const result = await resumed(entry);
		expect(result.workflowData![0][0].json).toMatchObject({
			id: job.id,
			status: 'done',
			file_name: null,
		});
		expect(String(result.workflowData![0][0].json.transcript).length).toBeGreaterThan(0);
		expect(jobReads().filter((entry) => entry.fault === 'reset')).toHaveLength(3);
	});

	it('fails the node when Gladia reports the job failed; continueOnFail gives an error item', async () => {
		emulator.get().script('unreadable', { errorCode: 422 });
		const failing = await park(transcribe({ audioUrl: audioUrl('unreadable', 12) }));
		await resumed(failing);
		expect(failing.error?.message).toMatch(
			/^Gladia could not transcribe job [0-9a-f-]{36}: error code 422/,
		);
		const answer = n8n.answers.find((entry) => entry.executionId === failing.run.executionId);
		expect(answer?.status).toBe(500);

		const continuing = await park(
			transcribe({ audioUrl: audioUrl('unreadable', 12) }),
			'continueRegularOutput',
		);
		const [item] = (await resumed(continuing)).workflowData![0];
		expect(item.json.error).toMatch(/error code 422/);
		expect(item.pairedItem).toEqual({ item: 0 });

		const routed = await park(
			transcribe({ audioUrl: audioUrl('unreadable', 12) }),
			'continueErrorOutput',
		);
		const outputs = (await resumed(routed)).workflowData!;
		expect(outputs[0]).toEqual([]);
		expect(outputs[1][0].json.error).toMatch(/error code 422/);
	});

	it('refuses to wait for Gladia’s cloud when n8n’s resume URL is not public', async () => {
		const run = await runGladia(emulator.get(), transcribe(), {
			credentials: { apiKey: 'not-used', baseUrl: 'https://api.gladia.io' },
		});
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(
			/Gladia cannot call back http:\/\/127\.0\.0\.1:\d+: it is not reachable from the internet/,
		);
		expect((run.error as { description?: string }).description).toMatch(/N8N_WEBHOOK_URL/);
	});

	it('with continueOnFail, a failed create is an error item and the execution does not wait', async () => {
		const run = await runGladia(
			emulator.get(),
			transcribe({ audioUrl: 'ftp://example.com/a.mp3' }),
			{ continueOnFail: true },
		);
		expect(run.status).toBe('success');
		expect(run.items[0].json.error).toBeDefined();
		expect(run.waitTill).toBeUndefined();
	});
});
