// Transcription → Delete in n8n's engine against the emulator.
import { audioUrl, FAST_WAIT, runGladia, useEmulator } from '../../../../helpers/gladia';

const emulator = useEmulator();

async function createJob(url: string): Promise<string> {
	const created = await runGladia(emulator.get(), {
		resource: 'transcription',
		operation: 'create',
		audioSource: 'url',
		audioUrl: url,
	});
	return created.items[0].json.id as string;
}

const remove = (transcriptionId: string) => ({
	resource: 'transcription',
	operation: 'delete',
	transcriptionId,
});

describe('Delete', () => {
	it('deletes a finished job: 202 → {deleted: true, id}, then Get answers 404', async () => {
		const id = await createJob(audioUrl('done-soon'));
		await runGladia(emulator.get(), {
			resource: 'transcription',
			operation: 'get',
			transcriptionId: id,
			waitUntilDone: true,
			options: FAST_WAIT,
		});
		const result = await runGladia(emulator.get(), remove(id));
		expect(result.items).toEqual([{ json: { deleted: true, id }, pairedItem: { item: 0 } }]);
		expect(emulator.get().log.at(-1)).toMatchObject({ method: 'DELETE', status: 202 });

		const gone = await runGladia(emulator.get(), {
			resource: 'transcription',
			operation: 'get',
			transcriptionId: id,
		});
		expect(gone.error?.message).toBe('Gladia: Not found (HTTP 404) [item 0]');
	});

	it('explains that a queued or processing job cannot be deleted (403)', async () => {
		const id = await createJob(audioUrl('very-long', 6000));
		const result = await runGladia(emulator.get(), remove(id));
		const error = result.error as unknown as {
			message: string;
			description: string;
			httpCode: string;
		};
		expect(error.message).toBe(
			`Gladia cannot delete transcription ${id} while it is queued or processing [item 0]`,
		);
		expect(error.description).toContain('Wait until it is done');
		expect(error.httpCode).toBe('403');
	});
});
