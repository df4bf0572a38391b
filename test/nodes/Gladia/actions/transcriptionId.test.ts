// Transcription ID as a resource locator, in n8n's real engine against the emulator: the
// "From List" search (as the editor's endpoint calls it), each mode on Get / Delete / Download
// Audio, plain strings saved by older workflows, and bad values.
import type { INodeParameters } from 'n8n-workflow';

import { Gladia } from '../../../../nodes/Gladia/Gladia.node';
import {
	MAX_FILTERED_PAGES,
	SEARCH_PAGE_SIZE,
} from '../../../../nodes/Gladia/actions/transcription/listSearch';
import { searchList } from '../../../helpers/engine';
import { FAST_WAIT, runGladia, useEmulator } from '../../../helpers/gladia';

const emulator = useEmulator();

/** Creates a job straight at the emulator (fast: no engine run); its id. */
async function createJob(audioUrl: string): Promise<string> {
	const emu = emulator.get();
	const response = await fetch(`${emu.url}/v2/pre-recorded`, {
		method: 'POST',
		headers: { 'x-gladia-key': emu.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ audio_url: audioUrl }),
	});
	expect(response.status).toBe(201);
	return ((await response.json()) as { id: string }).id;
}

/** `count` jobs, created 10 at a time; their ids in creation order. */
async function createJobs(count: number, name: (i: number) => string): Promise<string[]> {
	const ids: string[] = [];
	for (let start = 0; start < count; start += 10) {
		const batch = Array.from({ length: Math.min(10, count - start) }, (_, i) => start + i);
		ids.push(
			...(await Promise.all(
				batch.map(async (i) => await createJob(`https://media.example.com/${name(i)}`)),
			)),
		);
	}
	return ids;
}

async function search(filter?: string, paginationToken?: string) {
	const emu = emulator.get();
	return await searchList({
		nodeType: new Gladia(),
		parameters: { resource: 'transcription', operation: 'get' },
		credentials: { apiKey: emu.apiKey, baseUrl: emu.url },
		methodName: 'searchTranscriptions',
		path: 'parameters.transcriptionId',
		filter,
		paginationToken,
	});
}

const locator = (mode: string, value: unknown) => ({
	__rl: true as const,
	mode,
	value: value as string,
});

const get = (transcriptionId: unknown): INodeParameters => ({
	resource: 'transcription',
	operation: 'get',
	transcriptionId: transcriptionId as INodeParameters[string],
	waitUntilDone: true,
	options: FAST_WAIT,
});

const GLADIA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Transcription ID → From List (listSearch)', () => {
	it('lists recent jobs as "file name · status · date", the id as value', async () => {
		const id = await createJob(
			'https://media.example.com/calls/Weekly%20sync.mp3?emulator_duration=3',
		);
		const { results, paginationToken } = await search();
		expect(paginationToken).toBeUndefined();
		expect(results).toHaveLength(1);
		expect(results[0].value).toBe(id);
		expect(results[0].name).toMatch(
			/^Weekly sync\.mp3 · (queued|processing|done) · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/,
		);
		expect(results[0].url).toBeUndefined();
	});

	it('pages through Gladia’s list with the offset as token, without repeats', async () => {
		const ids = await createJobs(SEARCH_PAGE_SIZE + 7, (i) => `a${i}.mp3`);
		const first = await search();
		expect(first.results).toHaveLength(SEARCH_PAGE_SIZE);
		expect(first.paginationToken).toBe(String(SEARCH_PAGE_SIZE));
		const second = await search(undefined, first.paginationToken);
		expect(second.results).toHaveLength(7);
		expect(second.paginationToken).toBeUndefined();
		const values = [...first.results, ...second.results].map((r) => r.value);
		expect(new Set(values).size).toBe(ids.length);
		expect([...values].sort()).toEqual([...ids].sort());
		const offsets = emulator
			.get()
			.log.filter((r) => r.method === 'GET' && r.path === '/v2/pre-recorded')
			.map((r) => r.query.offset);
		expect(offsets).toEqual(['0', String(SEARCH_PAGE_SIZE)]);
	});

	it('filters on the file name (case-insensitive) across pages, and on part of the id', async () => {
		const [target] = await createJobs(1, () => 'Board-Meeting.wav');
		await createJobs(SEARCH_PAGE_SIZE + 5, (i) => `other${i}.mp3`);
		const byName = await search('board-meet');
		expect(byName.results.map((r) => r.value)).toEqual([target]);
		expect(byName.paginationToken).toBeUndefined();
		const byIdPart = await search(target.slice(0, 8));
		expect(byIdPart.results.map((r) => r.value)).toContain(target);
		expect(await search('no such file')).toEqual({ results: [] });
	});

	it('stops after a few pages with a filter and hands back where to go on', async () => {
		const pages = MAX_FILTERED_PAGES + 1;
		await createJobs(SEARCH_PAGE_SIZE * pages, (i) => `bulk${i}.mp3`);
		const first = await search('nothing matches');
		expect(first.results).toEqual([]);
		expect(first.paginationToken).toBe(String(SEARCH_PAGE_SIZE * MAX_FILTERED_PAGES));
		const rest = await search('nothing matches', first.paginationToken);
		expect(rest).toEqual({ results: [] });
	}, 60000);

	it('looks a pasted id or result_url up directly; an unknown id lists nothing', async () => {
		const id = await createJob('https://media.example.com/direct.mp3');
		const emu = emulator.get();
		const found = await search(`${emu.url}/v2/transcription/${id.toUpperCase()}`);
		expect(found.results.map((r) => r.value)).toEqual([id]);
		expect(found.results[0].name).toMatch(/^direct\.mp3 · /);
		expect(await search('00000000-0000-4000-8000-000000000000')).toEqual({ results: [] });
		const lists = emu.log.filter((r) => r.method === 'GET' && r.path === '/v2/pre-recorded');
		expect(lists).toHaveLength(0);
	});

	it('a refused key is an error, not an empty list', async () => {
		const emu = emulator.get();
		await expect(
			searchList({
				nodeType: new Gladia(),
				parameters: { resource: 'transcription', operation: 'get' },
				credentials: { apiKey: 'wrong-key', baseUrl: emu.url },
				methodName: 'searchTranscriptions',
				path: 'parameters.transcriptionId',
			}),
		).rejects.toThrow(/401|key|Authori[sz]ation/i);
	});
});

describe('Transcription ID modes on Get, Delete and Download Audio', () => {
	it.each([
		['From List', (id: string) => locator('list', id)],
		['By ID', (id: string) => locator('id', ` ${id.toUpperCase()} `)],
		[
			'By URL (result_url, /v2/transcription)',
			(id: string) => locator('url', `${emulator.get().url}/v2/transcription/${id}`),
		],
		[
			'By URL (/v2/pre-recorded)',
			(id: string) => locator('url', `https://api.gladia.io/v2/pre-recorded/${id}`),
		],
		[
			'By URL (a link into Gladia’s app)',
			(id: string) => locator('url', `https://app.gladia.io/transcriptions/${id}?tab=summary`),
		],
		['an older workflow’s plain id', (id: string) => id],
		[
			'an older workflow’s plain result_url',
			(id: string) => `https://api.gladia.io/v2/transcription/${id}`,
		],
		['an expression in a plain string', () => '={{ $json.job }}'],
		['an expression inside the locator', () => locator('id', '={{ $json.job }}')],
	])('Get: %s', async (_mode, value) => {
		const id = await createJob('https://media.example.com/modes.mp3?emulator_duration=2');
		const result = await runGladia(emulator.get(), get(value(id)), {
			items: [{ json: { job: id } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({ id, status: 'done' });
		expect(emulator.get().log.some((r) => r.path === `/v2/pre-recorded/${id}`)).toBe(true);
	});

	it('Delete with a locator in URL mode deletes that job', async () => {
		const id = await createJob('https://media.example.com/gone.mp3?emulator_duration=1');
		await runGladia(emulator.get(), get(id));
		const result = await runGladia(emulator.get(), {
			resource: 'transcription',
			operation: 'delete',
			transcriptionId: locator('url', `https://api.gladia.io/v2/pre-recorded/${id}`),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ deleted: true, id });
		expect(
			emulator
				.get()
				.jobs()
				.find((job) => job.id === id)?.deleted ?? true,
		).toBe(true);
	});

	it('Download Audio with a locator from the list downloads that job’s file', async () => {
		const id = await createJob('https://media.example.com/voice.mp3?emulator_duration=1');
		await runGladia(emulator.get(), get(id));
		const result = await runGladia(emulator.get(), {
			resource: 'transcription',
			operation: 'downloadAudio',
			transcriptionId: locator('list', id),
			binaryPropertyName: 'data',
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.id).toBe(id);
		expect(result.items[0].binary?.data).toBeDefined();
	});
});

describe('bad Transcription ID values: the item and the field are named, nothing is sent', () => {
	const GOOD = '45463597-20b7-4af7-b3b3-f5fb778203ab';
	const TWO = `${GOOD}, ${GOOD.replace('4546', '9999')}`;
	it.each([
		// Literal values are checked by n8n before the run (below); expressions are checked here,
		// by the same checkedJobId the other operations use.
		[
			locator('url', '={{ "https://example.com/recordings/" + $json.a }}'),
			'"https://example.com/recordings/x" is not a link to a Gladia transcription',
		],
		[locator('url', '={{ $json.a }}'), '"x" is not a link to a Gladia transcription'],
		[locator('id', '={{ "my " + $json.a }}'), '"my x" is not a transcription ID'],
		[locator('list', '={{ $json.missing }}'), 'is empty'],
		['={{ $json.missing }}', 'is empty'],
		[TWO, `"${TWO}" holds 2 different IDs`],
		['={{ [$json.a, $json.b] }}', 'is a list ("["x","y"]"), not a transcription ID'],
		[locator('id', '={{ { id: $json.a } }}'), 'is an object ("{"id":"x"}"), not a transcription ID'],
		[locator('id', '={{ 42 }}'), 'is a number ("42"), not a transcription ID'],
	])('%j', async (value, problem) => {
		const result = await runGladia(emulator.get(), get(value), {
			items: [{ json: { a: 'x', b: 'y' } }, { json: { a: 'x', b: 'y' } }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.error, item.pairedItem])).toEqual([
			[`Transcription ID: ${problem} [item 0]`, { item: 0 }],
			[`Transcription ID: ${problem} [item 1]`, { item: 1 }],
		]);
		expect(emulator.get().log.filter((r) => r.path.startsWith('/v2/pre-recorded'))).toHaveLength(0);
	});

	// n8n checks a literal value against the mode's validation before anything runs, so a
	// typo is caught in the editor and by the engine with the same message.
	it.each([
		[
			locator('url', 'https://example.com/recordings/latest'),
			'Transcription ID: not a link to a transcription. Paste its result_url',
		],
		[
			locator('id', 'my job'),
			'Transcription ID: not an ID. Use the id returned by Create or Transcribe',
		],
		[locator('list', ''), 'Parameter "Transcription ID" is required.'],
		['', 'Parameter "Transcription ID" is required.'],
	])('literal %j: n8n refuses to run the node, naming the field', async (value, message) => {
		const result = await runGladia(emulator.get(), get(value));
		expect(result.error?.message).toContain("The 'Gladia' node has issues:");
		expect(result.error?.message).toContain(message);
		expect(emulator.get().log).toHaveLength(0);
	});

	it('a bad URL from an expression: the error says what to paste instead', async () => {
		const result = await runGladia(
			emulator.get(),
			get(locator('url', '={{ "https://example.com/x" }}')),
		);
		expect(result.error?.message).toBe(
			'Transcription ID: "https://example.com/x" is not a link to a Gladia transcription [item 0]',
		);
		expect((result.error as { description?: string }).description).toMatch(/result_url.*By ID/);
	});

	it('ids from the list are well-formed Gladia ids', async () => {
		await createJob('https://media.example.com/one.mp3');
		const { results } = await search();
		expect(results[0].value).toMatch(GLADIA_ID);
	});
});
