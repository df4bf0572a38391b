import { Workflow, type IDataObject, type INodeTypes } from 'n8n-workflow';

import {
	claimInProcess,
	confirmInProcess,
	DEFAULT_REPLAY_LIMITS,
	findDelivered,
	jobEventKey,
	messageKey,
	releaseInProcess,
	rememberDelivered,
} from '../../../../nodes/Gladia/trigger/replay';

const NOW = 1_800_000_000;

describe('replay store', () => {
	it('finds what was remembered, and nothing else', () => {
		const store: IDataObject = {};
		const keys = [messageKey('msg_1'), jobEventKey('job-1', 'transcription.success')];
		expect(findDelivered(store, keys, NOW)).toBeUndefined();
		rememberDelivered(store, keys, NOW);
		expect(findDelivered(store, [messageKey('msg_1')], NOW + 1)).toBe('msg:msg_1');
		expect(findDelivered(store, [messageKey('msg_2'), keys[1]], NOW + 1)).toBe(
			'job:job-1:transcription.success',
		);
		expect(
			findDelivered(store, [jobEventKey('job-1', 'transcription.error')], NOW),
		).toBeUndefined();
	});

	it('forgets entries older than the age limit', () => {
		const store: IDataObject = {};
		const limits = { maxEntries: 10, maxAgeSeconds: 60 };
		rememberDelivered(store, ['a'], NOW, limits);
		expect(findDelivered(store, ['a'], NOW + 60, limits)).toBe('a');
		expect(findDelivered(store, ['a'], NOW + 61, limits)).toBeUndefined();
		rememberDelivered(store, ['b'], NOW + 61, limits);
		expect(store.deliveries).toEqual([[NOW + 61, 'b']]);
	});

	it('keeps only the newest entries beyond the size limit', () => {
		const store: IDataObject = {};
		const limits = { maxEntries: 3, maxAgeSeconds: 3600 };
		for (let i = 0; i < 5; i++) rememberDelivered(store, [`k${i}`], NOW + i, limits);
		expect(store.deliveries).toEqual([
			[NOW + 2, 'k2'],
			[NOW + 3, 'k3'],
			[NOW + 4, 'k4'],
		]);
		// Re-delivering a key refreshes it instead of duplicating it.
		rememberDelivered(store, ['k2'], NOW + 10, limits);
		expect(store.deliveries).toEqual([
			[NOW + 3, 'k3'],
			[NOW + 4, 'k4'],
			[NOW + 10, 'k2'],
		]);
	});

	it('stays bounded under a flood of deliveries (default limits)', () => {
		const store: IDataObject = {};
		for (let i = 0; i < 3000; i++) {
			rememberDelivered(store, [messageKey(`msg_${i}`), jobEventKey(`job-${i}`, 'e')], NOW + i);
		}
		const kept = store.deliveries as Array<[number, string]>;
		expect(kept).toHaveLength(DEFAULT_REPLAY_LIMITS.maxEntries);
		expect(kept[kept.length - 1]).toEqual([NOW + 2999, 'job:job-2999:e']);
		expect(findDelivered(store, [messageKey('msg_2500')], NOW + 3000)).toBe('msg:msg_2500');
		expect(findDelivered(store, [messageKey('msg_2499')], NOW + 3000)).toBeUndefined();
		expect(JSON.stringify(store).length).toBeLessThan(64 * 1024);
	});

	it('survives corrupted or foreign static data', () => {
		const foreign = [
			null,
			'text',
			42,
			{ 'msg:a': NOW },
			['msg:a'],
			[['msg:a', NOW]],
			[[String(NOW), 'msg:a']],
		];
		for (const deliveries of foreign) {
			const store: IDataObject = { deliveries: deliveries as IDataObject['deliveries'], other: 1 };
			expect(findDelivered(store, ['msg:a'], NOW)).toBeUndefined();
			rememberDelivered(store, ['msg:a'], NOW);
			expect(store).toEqual({ deliveries: [[NOW, 'msg:a']], other: 1 });
		}
	});

	it('marks n8n workflow static data as changed, so n8n persists it', () => {
		const workflow = new Workflow({
			id: 'wf',
			nodes: [],
			connections: {},
			active: true,
			nodeTypes: {} as INodeTypes,
			staticData: { 'node:Gladia Trigger': { deliveries: [[NOW, 'msg:old']] } },
		});
		const store = workflow.getStaticData('node', {
			name: 'Gladia Trigger',
		} as Parameters<Workflow['getStaticData']>[1]);
		expect(findDelivered(store, ['msg:old'], NOW + 5)).toBe('msg:old');
		expect(workflow.staticData.__dataChanged).toBe(false);
		rememberDelivered(store, ['msg:new'], NOW + 5);
		expect(workflow.staticData.__dataChanged).toBe(true);
		// What n8n writes to the database and reads back on the next call.
		const reloaded = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		expect(reloaded['node:Gladia Trigger']).toEqual({
			deliveries: [
				[NOW, 'msg:old'],
				[NOW + 5, 'msg:new'],
			],
		});
	});
});

describe('in-process claims', () => {
	const T = 1_800_000_000_000;

	it('lets one request of a workflow node hold a key until it is released or expires', () => {
		const keys = ['msg:claim-1', 'job:claim-1:transcription.success'];
		expect(claimInProcess('wf-1\nTrigger', keys, T)).toEqual({ status: 'claimed' });
		// The same job event arriving from the other source while the first is being handled.
		expect(claimInProcess('wf-1\nTrigger', [keys[1]], T + 5)).toMatchObject({
			status: 'inFlight',
		});
		// Other workflows (or trigger nodes) are not affected.
		expect(claimInProcess('wf-2\nTrigger', keys, T + 5)).toEqual({ status: 'claimed' });
		// A refused delivery releases its claim, so the sender's retry gets through.
		releaseInProcess('wf-1\nTrigger', keys);
		expect(claimInProcess('wf-1\nTrigger', keys, T + 10)).toEqual({ status: 'claimed' });
		confirmInProcess('wf-1\nTrigger', keys);
		// Claims last as long as the static-data record (48 h), then expire.
		const ttl = DEFAULT_REPLAY_LIMITS.maxAgeSeconds * 1000;
		expect(claimInProcess('wf-1\nTrigger', keys, T + 10 + ttl - 1)).toEqual({
			status: 'delivered',
		});
		expect(claimInProcess('wf-1\nTrigger', keys, T + 10 + ttl)).toEqual({ status: 'claimed' });
		confirmInProcess('wf-1\nTrigger', keys);
	});

	it('tells a copy that arrives while the first is checked how the first ended', async () => {
		const keys = ['msg:claim-2', 'job:claim-2:transcription.success'];
		expect(claimInProcess('wf-1\nTrigger', keys, T)).toEqual({ status: 'claimed' });
		const copy = claimInProcess('wf-1\nTrigger', [keys[0]], T + 1);
		const other = claimInProcess('wf-1\nTrigger', [keys[1]], T + 2);
		if (copy.status !== 'inFlight' || other.status !== 'inFlight') throw new Error('not in flight');
		// The first was refused (Gladia did not answer): the copies learn it and may claim.
		releaseInProcess('wf-1\nTrigger', keys);
		await expect(copy.outcome).resolves.toBe(false);
		await expect(other.outcome).resolves.toBe(false);
		expect(claimInProcess('wf-1\nTrigger', keys, T + 3)).toEqual({ status: 'claimed' });
		const late = claimInProcess('wf-1\nTrigger', keys, T + 4);
		if (late.status !== 'inFlight') throw new Error('not in flight');
		// This time the workflow started: the copy is a replay.
		confirmInProcess('wf-1\nTrigger', keys);
		await expect(late.outcome).resolves.toBe(true);
		expect(claimInProcess('wf-1\nTrigger', keys, T + 5)).toEqual({ status: 'delivered' });
	});
});
