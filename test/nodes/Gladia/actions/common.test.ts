// The per-item runners in n8n's real engine (a probe node hands them the real IExecuteFunctions):
// whatever an item throws reaches the user naming that item, and the other items are kept.
import { forEachItem, forEachItemConcurrently } from '../../../../nodes/Gladia/actions/common';
import { runNode } from '../../../helpers/engine';
import { probeNode } from '../helpers/probe';

/** A node whose item 1 fails with a plain Error, as n8n's helpers or the runtime may throw. */
const failingSecondItem = (runner: typeof forEachItem) =>
	probeNode(async function (items) {
		const output = await runner(this, items, async (itemIndex) => {
			if (itemIndex === 1) throw new TypeError('File not found');
			return [{ json: { ok: itemIndex }, pairedItem: { item: itemIndex } }];
		});
		return output.map((item) => item.json);
	});

const concurrently: typeof forEachItem = async (ctx, items, run) =>
	await forEachItemConcurrently(ctx, items, 2, run);

describe.each([
	['forEachItem', forEachItem],
	['forEachItemConcurrently', concurrently],
])('%s', (_name, runner) => {
	const items = [{ json: {} }, { json: {} }, { json: {} }];

	it('names the item in an error that is not one of ours', async () => {
		const run = await runNode({ nodeType: failingSecondItem(runner), parameters: {}, items });
		expect(run.error?.message).toBe('File not found [item 1]');
	});

	it('with On Error → Continue, makes it an error item and keeps the others', async () => {
		const run = await runNode({
			nodeType: failingSecondItem(runner),
			parameters: {},
			items,
			continueOnFail: true,
		});
		expect(run.items.map((item) => item.json)).toEqual([
			{ ok: 0 },
			{ error: 'File not found [item 1]' },
			{ ok: 2 },
		]);
	});
});
