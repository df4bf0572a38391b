/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// Transcription → Delete in n8n's engine against the emulator.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { runNode } from '../../../../helpers/engine';
import { audioUrl, FAST_WAIT, runGladia, useEmulator } from '../../../../helpers/gladia';
import { Gladia } from '../../../../../nodes/Gladia/Gladia.node';

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

/** A job that is done, so it can be deleted. */
async function finishedJob(): Promise<string> {
	const id = await createJob(audioUrl('done-soon'));
	await runGladia(emulator.get(), {
		resource: 'transcription',
		operation: 'get',
		transcriptionId: id,
		waitUntilDone: true,
		options: FAST_WAIT,
	});
	return id;
}

const remove = (transcriptionId: string) => ({
	resource: 'transcription',
	operation: 'delete',
	transcriptionId,
});

describe('Delete', () => {
	it('deletes a finished job: 202 → {deleted: true, id}, then Get answers 404', async () => {
		const id = await finishedJob();
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

	it('names an unknown transcription (404) and keeps the other items with On Error → Continue', async () => {
		const id = await finishedJob();
		const missing = '00000000-0000-4000-8000-000000000000';
		const result = await runGladia(emulator.get(), remove('={{ $json.id }}'), {
			items: [{ json: { id: missing } }, { json: { id } }],
			continueOnFail: true,
		});
		expect(result.items[0]).toMatchObject({
			json: { error: 'Gladia: Not found (HTTP 404) [item 0]', httpCode: '404' },
			pairedItem: { item: 0 },
		});
		expect(result.items[0].json.description).toContain(`DELETE /v2/pre-recorded/${missing}`);
		expect(result.items[1]).toEqual({ json: { deleted: true, id }, pairedItem: { item: 1 } });
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

	it('keeps Gladia’s own message for a 403 on a finished job (e.g. a plan restriction)', async () => {
		// Gladia's 403 also covers plan restrictions; the emulator has no such plan, so a stand-in.
		const id = '45463597-20b7-4af7-b3b3-f5fb778203ab';
		const gladia = createServer((req, res) => {
			res.writeHead(req.method === 'DELETE' ? 403 : 200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify(
					req.method === 'DELETE'
						? { statusCode: 403, message: 'Deletion is not available on your plan' }
						: { id, status: 'done' },
				),
			);
		});
		await new Promise<void>((resolve) => gladia.listen(0, '127.0.0.1', resolve));
		const { port } = gladia.address() as AddressInfo;
		const result = await runNode({
			nodeType: new Gladia(),
			parameters: remove(id),
			credentials: { apiKey: 'k-123456', baseUrl: `http://127.0.0.1:${port}` },
		});
		await new Promise((resolve) => gladia.close(resolve));
		expect(result.error?.message).toBe(
			'Gladia: Deletion is not available on your plan (HTTP 403) [item 0]',
		);
	});
});
