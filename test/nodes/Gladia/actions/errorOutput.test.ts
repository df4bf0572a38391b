// On Error → "Continue (using error output)" and "Continue (regular output)" for every
// operation, in n8n's real engine: a failed item leaves on output 1 (or stays on output 0 with
// readable fields), paired with its input item; the good items are untouched.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { makeBinaryItem, type RunNodeResult } from '../../../helpers/engine';
import { audioUrl, FAST_WAIT, runGladia, useEmulator } from '../../../helpers/gladia';
import { makeWav } from '../../../emulator';

const emulator = useEmulator();
const MISSING = '00000000-0000-4000-8000-000000000000';

async function finishedJob(name: string): Promise<string> {
	const run = await runGladia(emulator.get(), {
		resource: 'transcription',
		operation: 'transcribe',
		audioSource: 'url',
		audioUrl: audioUrl(name),
		options: FAST_WAIT,
	});
	return run.items[0].json.id as string;
}

interface Case {
	name: string;
	parameters: INodeParameters;
	/** Three input items; the one at index 1 fails. */
	items: () => Promise<INodeExecutionData[]>;
	failure: RegExp;
}

const byId = async () => [
	{ json: { id: await finishedJob('first') } },
	{ json: { id: MISSING } },
	{ json: { id: await finishedJob('third') } },
];

const CASES: Case[] = [
	{
		name: 'Upload',
		parameters: {
			resource: 'audio',
			operation: 'upload',
			audioSource: 'binary',
			binaryPropertyName: 'data',
		},
		items: async () => [
			await makeBinaryItem({ data: makeWav(1), fileName: 'a.wav' }),
			{ json: {} },
			await makeBinaryItem({ data: makeWav(1), fileName: 'c.wav' }),
		],
		failure: /Input Binary Field.*\[item 1\]/,
	},
	{
		name: 'Create',
		parameters: {
			resource: 'transcription',
			operation: 'create',
			audioSource: 'url',
			audioUrl: '={{ $json.url }}',
		},
		items: async () =>
			[audioUrl('a'), 'ftp://example.com/b.mp3', audioUrl('c')].map((url) => ({ json: { url } })),
		failure: /Audio URL.*\[item 1\]/,
	},
	{
		name: 'Transcribe (poll), a job that fails at Gladia',
		parameters: {
			resource: 'transcription',
			operation: 'transcribe',
			audioSource: 'url',
			audioUrl: '={{ $json.url }}',
			options: { ...FAST_WAIT, maxConcurrentJobs: 3 },
		},
		items: async () => {
			emulator.get().script('broken', { errorCode: 415 });
			return [audioUrl('a'), audioUrl('broken'), audioUrl('c')].map((url) => ({ json: { url } }));
		},
		failure: /^Gladia could not transcribe job [0-9a-f-]{36}: error code 415 \[item 1\]$/,
	},
	{
		name: 'Get',
		parameters: { resource: 'transcription', operation: 'get', transcriptionId: '={{ $json.id }}' },
		items: byId,
		failure: /^Gladia: Not found \(HTTP 404\) \[item 1\]$/,
	},
	{
		name: 'Get Many',
		parameters: {
			resource: 'transcription',
			operation: 'getMany',
			limit: 1,
			filters: { afterDate: '={{ $json.after }}' },
		},
		items: async () => {
			await finishedJob('listed');
			return [
				{ json: { after: '2000-01-01' } },
				{ json: { after: 'soon' } },
				{ json: { after: '2000-01-01' } },
			];
		},
		failure: /^Filters → After: "soon" is not a date \[item 1\]$/,
	},
	{
		name: 'Delete',
		parameters: {
			resource: 'transcription',
			operation: 'delete',
			transcriptionId: '={{ $json.id }}',
		},
		items: byId,
		failure: /^Gladia: Not found \(HTTP 404\) \[item 1\]$/,
	},
	{
		name: 'Download Audio',
		parameters: {
			resource: 'transcription',
			operation: 'downloadAudio',
			transcriptionId: '={{ $json.id }}',
		},
		items: byId,
		failure: /\(HTTP 404\) \[item 1\]$/,
	},
];

const pairs = (items: INodeExecutionData[]) => items.map((item) => item.pairedItem);

function expectRoutedToErrorOutput(run: RunNodeResult, failure: RegExp) {
	expect(run.status).toBe('success');
	expect(run.outputs).toHaveLength(2);
	const [success, errors] = run.outputs;
	expect(pairs(success)).toEqual([{ item: 0 }, { item: 2 }]);
	for (const item of success) expect(item.json.error).toBeUndefined();
	expect(pairs(errors)).toEqual([{ item: 1 }]);
	expect(errors[0].json.error).toMatch(failure);
	// n8n keeps the whole error for the error branch: message, description, item.
	expect(errors[0].error?.message).toMatch(failure);
	expect(errors[0].error?.description).toEqual(expect.any(String));
}

describe.each(CASES)('$name with On Error → Continue', ({ parameters, items, failure }) => {
	it('(using error output): the failed item leaves on output 1, the good ones on output 0', async () => {
		const run = await runGladia(emulator.get(), parameters, {
			items: await items(),
			onError: 'continueErrorOutput',
		});
		expectRoutedToErrorOutput(run, failure);
		// The saved execution (what n8n stores and shows) never carries the API key.
		expect(JSON.stringify(run.run.data)).not.toContain(emulator.get().apiKey);
	});

	it('(regular output): the failed item stays in place on output 0 with readable fields', async () => {
		const run = await runGladia(emulator.get(), parameters, {
			items: await items(),
			onError: 'continueRegularOutput',
		});
		expect(run.status).toBe('success');
		expect(run.outputs).toHaveLength(1);
		expect(pairs(run.items)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const failed = run.items[1];
		expect(failed.json.error).toMatch(failure);
		expect(typeof failed.json.description).toBe('string');
		expect(failed.error).toBeUndefined();
		expect(run.items[0].json.error).toBeUndefined();
		expect(run.items[2].json.error).toBeUndefined();
	});
});
