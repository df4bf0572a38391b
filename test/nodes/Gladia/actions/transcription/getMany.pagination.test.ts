// Get Many → Return All against list servers that never stop paging: it must end quickly with
// an error naming the item, never loop, and never pass a partial list off as complete.
import { runNode } from '../../../../helpers/engine';
import { startLoopback, type Loopback } from '../../../../helpers/loopback';
import { Gladia } from '../../../../../nodes/Gladia/Gladia.node';
import { MAX_LIST_PAGES } from '../../../../../nodes/Gladia/actions/transcription/getMany.operation';

type Page = (
	offset: number,
	request: number,
) => { items: Array<{ id: string }>; next: string | null; current: string };

/** A loopback list endpoint answering every GET /v2/pre-recorded with `page(offset, n)`. */
async function listServer(page: Page): Promise<Loopback> {
	return await startLoopback((request, response, index) => {
		const offset = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('offset') ?? 0);
		response.setHeader('content-type', 'application/json');
		response.end(JSON.stringify(page(offset, index)));
	});
}

const jobs = (from: number, count: number) =>
	Array.from({ length: count }, (_, index) => ({ id: `job-${from + index}`, status: 'done' }));

async function returnAll(url: string) {
	return await runNode({
		nodeType: new Gladia(),
		parameters: {
			resource: 'transcription',
			operation: 'getMany',
			returnAll: true,
			simplify: false,
		},
		credentials: { apiKey: 'test-key', baseUrl: url },
	});
}

const CASES: Array<{ name: string; page: Page; message: RegExp; maxRequests: number }> = [
	{
		name: 'ignores the offset (the same first page every time, always a next link)',
		page: (offset) => ({
			items: jobs(0, 100),
			next: `https://api.gladia.io/v2/pre-recorded?offset=${offset + 100}`,
			current: `?offset=${offset}`,
		}),
		message:
			/^Get Many stopped: page 2 \(offset 100\) brought only transcriptions already listed; the list is incomplete, so nothing was returned \[item 0\]$/,
		maxRequests: 2,
	},
	{
		name: 'links every page to itself as the next one',
		page: (offset) => ({ items: jobs(offset, 100), next: 'same', current: 'same' }),
		message: /^Get Many stopped: page 1 links to itself as the next page; .* \[item 0\]$/,
		maxRequests: 1,
	},
	{
		name: 'never ends (new jobs on every page, forever)',
		page: (offset) => ({
			items: jobs(offset, 1),
			next: `?offset=${offset + 1}`,
			current: `?offset=${offset}`,
		}),
		message: new RegExp(
			`^Get Many stopped: more than ${MAX_LIST_PAGES} pages \\(${MAX_LIST_PAGES} transcriptions\\); .* \\[item 0\\]$`,
		),
		maxRequests: MAX_LIST_PAGES,
	},
];

describe('Get Many → Return All against a list that never ends', () => {
	it.each(CASES)(
		'stops with an error when the server $name',
		async ({ page, message, maxRequests }) => {
			const server = await listServer(page);
			try {
				const run = await returnAll(server.url);
				expect(run.status).toBe('error');
				expect(run.items).toEqual([]);
				expect(run.error?.message).toMatch(message);
				expect((run.error as { description?: string }).description).toMatch(
					/Turn off Return All and set a Limit/,
				);
				// Work, not time: the number of requests is bounded (16,800 in 90 s before this check).
				expect(server.requests()).toBe(maxRequests);
			} finally {
				await server.close();
			}
		},
	);

	it('still returns a list that ends normally, every job once', async () => {
		const server = await listServer((offset) => ({
			items: jobs(offset, offset < 200 ? 100 : 50),
			next: offset < 200 ? `?offset=${offset + 100}` : null,
			current: `?offset=${offset}`,
		}));
		try {
			const run = await returnAll(server.url);
			expect(run.status).toBe('success');
			expect(run.items.map((item) => item.json.id)).toEqual(jobs(0, 250).map((job) => job.id));
			expect(server.requests()).toBe(3);
		} finally {
			await server.close();
		}
	});
});
