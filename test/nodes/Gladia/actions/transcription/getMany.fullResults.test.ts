/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Transcription → Get Many with Simplify, against list items trimmed like Gladia's real ones
// (only result.metadata and a few request params): Fetch Full Results reads each finished job.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from 'n8n-workflow';

import { NO_TRANSCRIPTION_WARNING } from '../../../../../nodes/Gladia/helpers/output';
import type { EmulatorOptions } from '../../../../emulator';
import {
	apiCalls,
	audioUrl,
	FAST_EMULATOR,
	FAST_WAIT,
	getFirst50 as getMany,
	runGladia,
	transcribeEachUrl,
	useEmulator,
} from '../../../../helpers/gladia';

// These tests need the emulator's trimmed list items (EmulatorOptions.listItems); with an
// emulator that always lists whole jobs there is nothing to fetch, so they are skipped.
const emulatorTrimsLists = readFileSync(
	join(__dirname, '../../../../emulator/server.ts'),
	'utf8',
).includes('trimListItem');
const describeTrimmed = emulatorTrimsLists ? describe : describe.skip;

const emulator = useEmulator({ ...FAST_EMULATOR, listItems: 'trimmed' } as EmulatorOptions);

/** Finished jobs, one per name, each saying its own name. */
async function transcribed(names: string[]): Promise<string[]> {
	for (const name of names)
		emulator.get().script(name, { utterances: [{ text: `I am ${name}.` }] });
	const result = await runGladia(
		emulator.get(),
		transcribeEachUrl({ options: { ...FAST_WAIT, maxConcurrentJobs: 25 } }),
		{ items: names.map((name) => ({ json: { url: audioUrl(name, 1) } })) },
	);
	expect(result.error).toBeUndefined();
	return result.items.map((item) => item.json.id as string);
}

const jobReads = () =>
	apiCalls(emulator.get()).filter(
		(call) => call.method === 'GET' && /^\/v2\/pre-recorded\/[^/]+$/.test(call.path),
	);

describeTrimmed('Get Many → Simplify → Fetch Full Results', () => {
	it('lists only metadata: the raw output is Gladia’s trimmed item', async () => {
		const [id] = await transcribed(['alice']);
		const result = await runGladia(emulator.get(), getMany({ simplify: false }));
		expect(result.items.map((item) => item.json.id)).toEqual([id]);
		expect(result.items[0].json.result).toEqual({ metadata: expect.any(Object) });
	});

	it('is on by default: each finished job is read by ID, at most 5 at a time', async () => {
		const names = ['ann', 'bob', 'cem', 'dan', 'eve', 'fay', 'gus'];
		const ids = await transcribed(names);
		const readsBefore = jobReads().length;
		emulator.get().injectFault({ route: 'get', kind: 'slow', delayMs: 300, count: 20 });
		const result = await runGladia(emulator.get(), getMany());
		expect(result.error).toBeUndefined();
		const byId = new Map(result.items.map((item) => [item.json.id, item.json]));
		for (const [index, id] of ids.entries()) {
			expect(byId.get(id)).toMatchObject({
				transcript: `I am ${names[index]}.`,
				warnings: [],
				billing_time: 1,
			});
		}
		const reads = jobReads().slice(readsBefore);
		expect(reads.map((call) => call.path.split('/').pop()).sort()).toEqual([...ids].sort());
		// Each read takes at least 300 ms, so no more than 5 can start within 250 ms.
		const starts = reads.map((call) => Date.parse(call.at)).sort((a, b) => a - b);
		const burst = Math.max(
			...starts.map((t) => starts.filter((s) => s >= t && s < t + 250).length),
		);
		expect(burst).toBeLessThanOrEqual(5);
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
	});

	it('turned off: no reads, and each item says why it has no transcript', async () => {
		await transcribed(['hal']);
		const readsBefore = jobReads().length;
		const result = await runGladia(emulator.get(), getMany({ fetchFullResults: false }));
		expect(jobReads()).toHaveLength(readsBefore);
		expect(result.items[0].json).toMatchObject({
			transcript: '',
			billing_time: 1,
			warnings: [NO_TRANSCRIPTION_WARNING],
		});
	});

	it('a job deleted between the list and its read keeps its list item, with the reason', async () => {
		const [kept, deleted] = await transcribed(['ivy', 'jon']);
		const readsBefore = jobReads().length;
		// Reads are held 2 s: time to delete one job after the list answered.
		emulator.get().injectFault({ route: 'get', kind: 'slow', delayMs: 2000, count: 2 });
		const run = runGladia(emulator.get(), getMany());
		while (jobReads().length === readsBefore) await sleep(5);
		const { url, apiKey } = emulator.get();
		const answer = await fetch(`${url}/v2/pre-recorded/${deleted}`, {
			method: 'DELETE',
			headers: { 'x-gladia-key': apiKey },
		});
		expect(answer.ok).toBe(true);
		const result = await run;
		expect(result.error).toBeUndefined();
		const byId = new Map(result.items.map((item) => [item.json.id, item.json]));
		expect(byId.get(kept)).toMatchObject({ transcript: 'I am ivy.', warnings: [] });
		expect(byId.get(deleted)).toMatchObject({ transcript: '', billing_time: 1 });
		const [reason, why] = byId.get(deleted)?.warnings as string[];
		expect(reason).toMatch(new RegExp(`^Could not read the full result of ${deleted}: .+`));
		expect(why).toBe(NO_TRANSCRIPTION_WARNING);
	});
});
