// Redirects never take the API key (or a request body) away from the Base URL's origin, in
// n8n's engine against the emulator and a second loopback origin that records everything it
// receives. n8n's own redirect follower would pass x-gladia-key on to any host.
import type { INodeParameters } from 'n8n-workflow';

import type { RedirectStatus } from '../../../emulator';
import { makeWav } from '../../../emulator';
import {
	makeBinaryItem,
	readBinary,
	setBinaryMode,
	testCredentials,
} from '../../../helpers/engine';
import {
	apiCalls,
	audioUrl,
	runGladia,
	UPLOAD_BINARY,
	useEmulator,
	type RunGladiaOptions,
} from '../../../helpers/gladia';
import { useRecordingOrigin } from '../../../helpers/recorder';

const emulator = useEmulator();
const elsewhere = useRecordingOrigin();

afterEach(async () => {
	await setBinaryMode('default');
});

const STATUSES: RedirectStatus[] = [301, 302, 303, 307, 308];

/** The next call on this route is answered with a redirect to the recording origin. */
function redirectNext(
	route: 'upload' | 'create' | 'list' | 'get' | 'delete' | 'file',
	status: RedirectStatus,
	extra: { every?: number } = {},
): void {
	emulator.get().injectFault({
		route,
		kind: 'redirect',
		status,
		// The key in the Location too: a hostile server knows it, and it must not reach the error.
		location: `${elsewhere.get().url}/steal?key=${emulator.get().apiKey}`,
		...extra,
	});
}

function refusal(method: string, path: string, status: number, item = 0): string {
	return `Gladia answered ${method} ${path} with a redirect (HTTP ${status}) to ${elsewhere.get().url}: refused, the API key is only sent to ${emulator.get().url} [item ${item}]`;
}

/** The recording origin saw nothing, and the error does not hold the key anywhere. */
function expectConfined(error: unknown): void {
	expect(elsewhere.get().requests).toEqual([]);
	expect(JSON.stringify(error)).not.toContain(emulator.get().apiKey);
}

async function run(parameters: INodeParameters, options: RunGladiaOptions = {}) {
	return await runGladia(emulator.get(), parameters, options);
}

async function createJob(): Promise<string> {
	const created = await run({
		resource: 'transcription',
		operation: 'create',
		audioSource: 'url',
		audioUrl: audioUrl('call'),
	});
	expect(created.error).toBeUndefined();
	return created.items[0].json.id as string;
}

const get = (transcriptionId: string) => ({
	resource: 'transcription',
	operation: 'get',
	transcriptionId,
});

describe('a redirect to another origin is refused, with nothing sent there', () => {
	it.each(STATUSES)('Get (GET), HTTP %i', async (status) => {
		const id = await createJob();
		redirectNext('get', status);
		const result = await run(get(id));
		expect(result.error?.message).toBe(refusal('GET', `/v2/pre-recorded/${id}`, status));
		expect((result.error as unknown as { description: string }).description).toBe(
			`Nothing was sent to the redirect's target. Gladia's API does not redirect its calls: check the Base URL of the Gladia credential (${emulator.get().url}); it must be Gladia's API (https://api.gladia.io) or a proxy that forwards requests instead of redirecting them.`,
		);
		expectConfined(result.error);
		// Not retried: one call, the redirected one.
		expect(apiCalls(emulator.get()).filter((call) => call.method === 'GET')).toHaveLength(1);
	});

	it.each(STATUSES)(
		'Create (POST, custom metadata in the body), HTTP %i: no job, no body elsewhere',
		async (status) => {
			redirectNext('create', status);
			const result = await run({
				resource: 'transcription',
				operation: 'create',
				audioSource: 'url',
				audioUrl: audioUrl('board'),
				metadata: { customMetadata: { entries: [{ key: 'customerId', value: 'c-42' }] } },
			});
			expect(result.error?.message).toBe(refusal('POST', '/v2/pre-recorded', status));
			expectConfined(result.error);
			expect(emulator.get().jobs()).toHaveLength(0);
		},
	);

	it.each([302, 307] as const)(
		'Delete (DELETE), HTTP %i: the job stays, the other items are kept',
		async (status) => {
			const ids = [await createJob(), await createJob()];
			redirectNext('delete', status, { every: 2 }); // the second item's call
			const result = await run(
				{ resource: 'transcription', operation: 'delete', transcriptionId: '={{ $json.id }}' },
				{ items: ids.map((id) => ({ json: { id } })), continueOnFail: true },
			);
			expect(result.items.map((item) => item.json)).toEqual([
				{ deleted: true, id: ids[0] },
				{
					error: refusal('DELETE', `/v2/pre-recorded/${ids[1]}`, status, 1),
					description: expect.stringContaining('check the Base URL'),
					httpCode: String(status),
				},
			]);
			expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expectConfined(result.items);
			expect(
				emulator
					.get()
					.jobs()
					.map((job) => job.id),
			).toEqual([ids[1]]);
		},
	);

	it.each([302, 307, 308] as const)(
		'Audio → Upload (multipart POST of a stored binary), HTTP %i',
		async (status) => {
			await setBinaryMode('filesystem');
			const item = await makeBinaryItem({ data: makeWav(2), fileName: 'a.wav' });
			redirectNext('upload', status);
			const result = await run(UPLOAD_BINARY, { items: [item] });
			expect(result.error?.message).toBe(refusal('POST', '/v2/upload', status));
			expectConfined(result.error);
			// An upload is retried on transient failures only; a redirect is none.
			expect(apiCalls(emulator.get())).toHaveLength(1);
		},
	);

	it.each(STATUSES)('the credential test, HTTP %i', async (status) => {
		redirectNext('list', status);
		const { apiKey, url } = emulator.get();
		await expect(testCredentials({ apiKey, baseUrl: url })).resolves.toEqual({
			status: 'Error',
			message: `The Base URL answered with a redirect (HTTP ${status}): refused, the API key is only sent to the Base URL. Set it to Gladia's API (https://api.gladia.io) or to a proxy that forwards requests instead of redirecting them.`,
		});
		expect(elsewhere.get().requests).toEqual([]);
		expect(apiCalls(emulator.get())).toMatchObject([{ fault: 'redirect', status, hadKey: true }]);
	});
});

describe('a redirect within the Base URL’s origin', () => {
	it('is followed for a GET, with the key, and the job comes from Gladia', async () => {
		const id = await createJob();
		emulator.get().injectFault({
			route: 'get',
			kind: 'redirect',
			status: 301,
			location: `/v2/transcription/${id}`,
		});
		const result = await run(get(id));
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id });
		expect(
			apiCalls(emulator.get())
				.filter((call) => call.method === 'GET')
				.map((call) => [call.path, call.status, call.hadKey]),
		).toEqual([
			[`/v2/pre-recorded/${id}`, 301, true],
			[`/v2/transcription/${id}`, 200, true],
		]);
	});

	it('is refused after 3 hops (a redirect loop)', async () => {
		const id = await createJob();
		const path = `/v2/pre-recorded/${id}`;
		emulator.get().injectFault({ route: 'get', kind: 'redirect', count: 10, location: path });
		const result = await run(get(id));
		expect(result.error?.message).toBe(
			`Gladia answered GET ${path} with a redirect (HTTP 302) to ${emulator.get().url}: refused after too many redirects [item 0]`,
		);
		expect(apiCalls(emulator.get()).filter((call) => call.method === 'GET')).toHaveLength(4);
	});

	it.each([307, 308] as const)(
		'is refused for a POST (HTTP %i): the body is not sent again',
		async (status) => {
			emulator.get().injectFault({
				route: 'create',
				kind: 'redirect',
				status,
				location: '/v2/pre-recorded',
			});
			const result = await run({
				resource: 'transcription',
				operation: 'create',
				audioSource: 'url',
				audioUrl: audioUrl('call'),
			});
			expect(result.error?.message).toBe(
				`Gladia answered POST /v2/pre-recorded with a redirect (HTTP ${status}) to ${emulator.get().url}: refused, a request body is never sent a second time [item 0]`,
			);
			expect(apiCalls(emulator.get())).toHaveLength(1);
			expect(emulator.get().jobs()).toHaveLength(0);
		},
	);

	it('without a Location is an error that says so', async () => {
		const id = await createJob();
		emulator.get().injectFault({ route: 'get', kind: 'redirect', location: '' });
		const result = await run(get(id));
		expect(result.error?.message).toBe(
			`Gladia answered GET /v2/pre-recorded/${id} with a redirect (HTTP 302) that names no valid location [item 0]`,
		);
	});
});

// The storage redirect itself (Gladia → signed storage, no key there) is covered in upload.test.ts.
describe('Download Audio', () => {
	const download = (transcriptionId: string) => ({
		resource: 'transcription',
		operation: 'downloadAudio',
		transcriptionId,
		binaryPropertyName: 'data',
	});

	it('never gives the key to a storage host, nor to where that host redirects', async () => {
		const wav = makeWav(1);
		emulator.get().injectFault({
			route: 'file',
			kind: 'redirect',
			location: `${elsewhere.get().url}/signed/file.wav`,
		});
		elsewhere.get().respond((request, res) => {
			if (request.url === '/final.wav') {
				res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': wav.length });
				res.end(wav);
				return;
			}
			res.writeHead(302, { location: '/final.wav' });
			res.end();
		});
		const result = await run(download('00000000-0000-4000-8000-000000000001'));
		expect(result.error).toBeUndefined();
		expect((await readBinary(result.items[0].binary!.data)).equals(wav)).toBe(true);
		expect(elsewhere.get().requests.map((request) => request.url)).toEqual([
			'/signed/file.wav',
			'/final.wav',
		]);
		for (const request of elsewhere.get().requests) {
			expect(Object.keys(request.headers).filter((name) => name.startsWith('x-gladia'))).toEqual(
				[],
			);
		}
	});
});
