// Transcription → Get Many in n8n's engine against the emulator: filters and pagination.
import {
	apiCalls,
	audioUrl,
	FAST_EMULATOR,
	getFirst50,
	runGladia,
	useEmulator,
} from '../../../../helpers/gladia';

// Real list items carry only result.metadata and a few request params; the node must cope.
const emulator = useEmulator({ ...FAST_EMULATOR, listItems: 'trimmed' });

async function createJobs(
	count: number,
	metadata?: { key: string; value: string },
): Promise<string[]> {
	const result = await runGladia(
		emulator.get(),
		{
			resource: 'transcription',
			operation: 'create',
			audioSource: 'url',
			audioUrl: '={{ $json.url }}',
			...(metadata ? { customMetadata: { entries: [metadata] } } : {}),
			options: { maxConcurrentJobs: 25 },
		},
		{
			items: Array.from({ length: count }, (_, index) => ({
				json: { url: audioUrl(`job-${index}`, 1) },
			})),
		},
	);
	expect(result.error).toBeUndefined();
	return result.items.map((item) => item.json.id as string);
}

const getMany = (extra: Record<string, unknown> = {}) => getFirst50({ simplify: false, ...extra });

const listCalls = () =>
	apiCalls(emulator.get()).filter(
		(call) => call.method === 'GET' && call.path === '/v2/pre-recorded',
	);

describe('Get Many', () => {
	it('returns up to Limit jobs in one request', async () => {
		await createJobs(5);
		const result = await runGladia(emulator.get(), getMany({ limit: 2 }));
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json).toMatchObject({ id: expect.any(String), kind: 'pre-recorded' });
		expect(listCalls().map((call) => call.query)).toEqual([{ offset: '0', limit: '2' }]);
	});

	it('pages through everything with Return All, by offset on the credential’s host', async () => {
		const ids = await createJobs(205);
		const result = await runGladia(emulator.get(), getMany({ returnAll: true }));
		expect(result.items).toHaveLength(205);
		expect(new Set(result.items.map((item) => item.json.id))).toEqual(new Set(ids));
		expect(listCalls().map((call) => call.query.offset)).toEqual(['0', '100', '200']);
		expect(
			result.items.every(
				(item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0,
			),
		).toBe(true);
	});

	it('filters by status, custom metadata and dates', async () => {
		await createJobs(2, { key: 'team', value: 'sales' });
		await createJobs(3, { key: 'team', value: 'support' });
		const result = await runGladia(
			emulator.get(),
			getMany({
				filters: {
					status: ['done', 'queued', 'processing'],
					customMetadata: { entries: [{ key: 'team', value: 'sales' }] },
					afterDate: '2020-01-01T00:00:00',
					beforeDate: '2999-01-01T00:00:00',
				},
				simplify: true,
			}),
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(
			result.items.every(
				(item) => (item.json.custom_metadata as { team: string }).team === 'sales',
			),
		).toBe(true);
		expect(result.items[0].json).toHaveProperty('speaker_transcript');
		const [call] = listCalls();
		expect(call.query).toMatchObject({
			status: ['done', 'queued', 'processing'],
			custom_metadata: JSON.stringify({ team: 'sales' }),
			after_date: new Date('2020-01-01T00:00:00').toISOString(),
		});
	});

	it('takes a metadata key an expression gives as a number, as Create stores it', async () => {
		await createJobs(1, { key: '={{ 2026 }}', value: 'budget' });
		await createJobs(1, { key: 'other', value: 'x' });
		const result = await runGladia(
			emulator.get(),
			getMany({
				filters: { customMetadata: { entries: [{ key: '={{ 2026 }}', value: 'budget' }] } },
			}),
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.custom_metadata).toMatchObject({ '2026': 'budget' });
	});

	it('filters on the day the user picked, whatever the time zones', async () => {
		await createJobs(1);
		const today = new Date().toISOString().slice(0, 10);
		const result = await runGladia(
			emulator.get(),
			getMany({ filters: { date: `${today}T00:00:00` } }),
		);
		expect(result.error).toBeUndefined();
		expect(listCalls()[0].query.date).toBe(today);
		expect(result.items).toHaveLength(1);

		// Midnight in Paris is the evening before in UTC: still the 31st that was picked.
		emulator.get().reset();
		await runGladia(emulator.get(), getMany({ filters: { date: '2026-05-31T00:00:00+02:00' } }));
		expect(listCalls()[0].query.date).toBe('2026-05-31');
	});

	it('rejects a day that does not exist instead of rolling it over', async () => {
		const result = await runGladia(emulator.get(), getMany({ filters: { date: '2026-02-31' } }));
		expect(result.error?.message).toBe('Filters → Date: "2026-02-31" is not a date [item 0]');
		expect(listCalls()).toHaveLength(0);
	});

	it('rejects a filter that is not a date', async () => {
		const result = await runGladia(
			emulator.get(),
			getMany({ filters: { beforeDate: 'next tuesday' } }),
		);
		expect(result.error?.message).toBe('Filters → Before: "next tuesday" is not a date [item 0]');
		expect(listCalls()).toHaveLength(0);
	});
});
