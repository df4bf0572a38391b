// Every bad number, text and URL parameter fails its item with a message that names the item and
// the field and says what to do; nothing is replaced by a default and nothing is sent to Gladia.
import type { INodeParameters } from 'n8n-workflow';

import { apiCalls, audioUrl, runGladia, useEmulator } from '../../../helpers/gladia';

const emulator = useEmulator();

const transcribe = (extra: INodeParameters = {}, options: INodeParameters = {}) => ({
	resource: 'transcription',
	operation: 'transcribe',
	audioSource: 'url',
	audioUrl: audioUrl('fine'),
	options,
	...extra,
});
const getMany = (extra: INodeParameters) => ({
	resource: 'transcription',
	operation: 'getMany',
	...extra,
});
const get = (transcriptionId: unknown) => ({
	resource: 'transcription',
	operation: 'get',
	transcriptionId: `={{ ${JSON.stringify(transcriptionId)} }}`,
});

interface Case {
	name: string;
	parameters: INodeParameters;
	message: string;
	description: RegExp;
	baseUrl?: string;
}

const ID = '45463597-20b7-4af7-b3b3-f5fb778203ab';

const CASES: Case[] = [
	{
		name: 'Get Many Limit 0',
		parameters: getMany({ limit: 0 }),
		message: 'Limit: 0 is not a whole number at least 1 [item 0]',
		description: /^Enter a whole number at least 1\./,
	},
	{
		name: 'Get Many Limit -5',
		parameters: getMany({ limit: -5 }),
		message: 'Limit: -5 is not a whole number at least 1 [item 0]',
		description: /^Enter a whole number at least 1\./,
	},
	{
		name: 'Get Many Limit not a number',
		parameters: getMany({ limit: '={{ "ten" }}' }),
		message: 'Limit: ten is not a whole number at least 1 [item 0]',
		description: /^Enter a whole number at least 1\./,
	},
	{
		name: 'Get Many Limit 2.5',
		parameters: getMany({ limit: 2.5 }),
		message: 'Limit: 2.5 is not a whole number at least 1 [item 0]',
		description: /^Enter a whole number at least 1\./,
	},
	{
		name: 'Before earlier than After',
		parameters: getMany({
			limit: 5,
			filters: { afterDate: '2026-05-31T00:00:00Z', beforeDate: '2026-05-01T00:00:00Z' },
		}),
		message:
			'Filters → Before: 2026-05-01T00:00:00.000Z is not later than After (2026-05-31T00:00:00.000Z), so no transcription can match [item 0]',
		description: /^Set Before to a moment after After, or r/,
	},
	{
		name: 'Max Wait 0',
		parameters: transcribe({}, { maxWaitSeconds: 0 }),
		message: 'Options → Max Wait (Seconds): 0 is not above 0 [item 0]',
		description: /^Enter a number of seconds above 0 \(defau/,
	},
	{
		name: 'Max Wait -1',
		parameters: transcribe({}, { maxWaitSeconds: -1 }),
		message: 'Options → Max Wait (Seconds): -1 is not above 0 [item 0]',
		description: /^Enter a number of seconds above 0 \(defau/,
	},
	{
		name: 'Max Concurrent Jobs 0',
		parameters: transcribe({}, { maxConcurrentJobs: 0 }),
		message: 'Options → Max Concurrent Jobs: 0 is not a whole number at least 1 [item 0]',
		description: /^Enter a whole number at least 1\./,
	},
	{
		name: 'Max Concurrent Jobs not a number',
		parameters: transcribe({}, { maxConcurrentJobs: '={{ "many" }}' }),
		message: 'Options → Max Concurrent Jobs: many is not a whole number at least 1 [item 0]',
		description: /^Enter a whole number at least 1\./,
	},
	{
		name: 'Transcription ID an object',
		parameters: get({ id: ID }),
		message:
			'Transcription ID: is an object ("{"id":"45463597-20b7-4af7-b3b3-f5fb778203ab"}"), not a transcription ID [item 0]',
		description: /^Give one ID as text, as Create or Transc/,
	},
	{
		name: 'Transcription ID a list',
		parameters: get([ID]),
		message:
			'Transcription ID: is a list ("["45463597-20b7-4af7-b3b3-f5fb778203ab"]"), not a transcription ID [item 0]',
		description: /^Give one ID as text, as Create or Transc/,
	},
	{
		name: 'Transcription ID a URL with two ids',
		parameters: get(
			`https://api.gladia.io/v2/pre-recorded/${ID}?next=00000000-0000-4000-8000-000000000000`,
		),
		message:
			'Transcription ID: "https://api.gladia.io/v2/pre-recorded/45463597-20b7-4af7-b3b3-f5fb778203ab?next=00000000-0000-4000-8" holds 2 different IDs [item 0]',
		description: /^Give one ID as text, as Create or Transc/,
	},
	{
		name: 'Transcription ID a path',
		parameters: get('../v2/upload'),
		message: 'Transcription ID: "../v2/upload" is not a transcription ID [item 0]',
		description: /^Give one ID as text, as Create or Transc/,
	},
	{
		name: 'Transcription ID two ids in text',
		parameters: get(`${ID}, 00000000-0000-4000-8000-000000000000`),
		message:
			'Transcription ID: "45463597-20b7-4af7-b3b3-f5fb778203ab, 00000000-0000-4000-8000-000000000000" holds 2 different IDs [item 0]',
		description: /^Give one ID as text, as Create or Transc/,
	},
	{
		name: 'Audio URL with CR/LF',
		parameters: transcribe({ audioUrl: '={{ "https://example.com/a.mp3\\r\\nX-Injected: 1" }}' }),
		message:
			'Audio URL: "https://example.com/a.mp3\\r\\nX-Injected: 1" contains a line break (one URL per item; remove the break) [item 0]',
		description: /^Use a public http\(s\) link to an audio or/,
	},
	{
		name: 'Audio URL with a space',
		parameters: transcribe({ audioUrl: 'https://example.com/my file.mp3' }),
		message:
			'Audio URL: "https://example.com/my file.mp3" contains a space or a control character (write a space as %20) [item 0]',
		description: /^Use a public http\(s\) link to an audio or/,
	},
	{
		name: 'Callback URL with LF',
		parameters: transcribe({
			callback: true,
			callbackUrl: '={{ "https://example.com/hook\\nmore" }}',
		}),
		message:
			'Callback URL: "https://example.com/hook\\nmore" contains a line break (one URL per item; remove the break) [item 0]',
		description: /^Enter a full http\(s\) URL, e\.g\. https:\/\/e/,
	},
	{
		name: 'Base URL without scheme',
		parameters: transcribe(),
		baseUrl: 'api.gladia.io',
		message: 'Gladia credential → Base URL: "api.gladia.io" has no http:// or https:// [item 0]',
		description: /^Open the Gladia credential and set Base /,
	},
	{
		name: 'Base URL with a space',
		parameters: transcribe(),
		baseUrl: 'https://api. gladia.io',
		message:
			'Gladia credential → Base URL: "https://api. gladia.io" contains a space or a line break [item 0]',
		description: /^Open the Gladia credential and set Base /,
	},
];

describe('bad parameters fail the item with a clear message, nothing sent', () => {
	it.each(CASES)('$name', async ({ parameters, message, description, baseUrl }) => {
		const run = await runGladia(
			emulator.get(),
			parameters,
			baseUrl ? { credentials: { apiKey: emulator.get().apiKey, baseUrl } } : {},
		);
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe(message);
		expect((run.error as { description?: string }).description).toMatch(description);
		expect(apiCalls(emulator.get())).toEqual([]);
	});
});
