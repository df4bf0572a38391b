import { sleep, Workflow, type IDataObject, type INodeTypes } from 'n8n-workflow';

import {
	awaitSaveTurn,
	claimInProcess,
	confirmInProcess,
	DEFAULT_REPLAY_LIMITS,
	findDelivered,
	jobEventKey,
	mergeIntoRecord,
	messageKey,
	journalDelivered,
	releaseInProcess,
	recordIsBehind,
	restoreRecord,
	SAVE_SPACING_MS,
	type ReplayLimits,
} from '../../../../nodes/Gladia/trigger/replay';

const NOW = 1_800_000_000;

/** Writes `keys` as delivered at `now` into the record (no journal involved). */
function rememberDelivered(
	store: IDataObject,
	keys: string[],
	now: number,
	limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
): boolean {
	return mergeIntoRecord(store, new Map(keys.map((key) => [key, now])), now, limits);
}

/** What the trigger does with a delivery it accepts, when its request is the one that saves. */
function recordDelivered(
	scope: string,
	store: IDataObject,
	keys: string[],
	now: number,
	limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
): boolean {
	journalDelivered(scope, keys, now, limits);
	return restoreRecord(scope, store, now, limits);
}

let scopes = 0;
/** A trigger node no other test uses, so its process journal starts empty. */
const freshScope = () => `wf-${++scopes}\nGladia Trigger`;

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

describe('saving the record in n8n', () => {
	const nodeRef = { name: 'Gladia Trigger' } as Parameters<Workflow['getStaticData']>[1];
	const workflowOver = (staticData: IDataObject) =>
		new Workflow({
			id: 'wf',
			nodes: [],
			connections: {},
			active: true,
			nodeTypes: {} as INodeTypes,
			staticData,
		});

	it('is marked changed only until n8n builds the execution over the same static data', () => {
		// What n8n 2.x does for a webhook that starts an execution: the webhook's Workflow and
		// the execution's (WorkflowRunner.run) share the static data object loaded for the request.
		const loaded: IDataObject = { 'node:Gladia Trigger': { deliveries: [[NOW, 'msg:old']] } };
		const webhookWorkflow = workflowOver(loaded);
		const store = webhookWorkflow.getStaticData('node', nodeRef);
		recordDelivered(freshScope(), store, ['msg:new'], NOW + 5);
		// Saved if n8n looks now: when the node answers the request itself.
		expect(webhookWorkflow.staticData.__dataChanged).toBe(true);
		workflowOver(loaded);
		// Not saved if n8n looks after starting the execution: when n8n answers.
		expect(webhookWorkflow.staticData.__dataChanged).toBe(false);
		expect(JSON.parse(JSON.stringify(webhookWorkflow.staticData))).toEqual({
			'node:Gladia Trigger': {
				deliveries: [
					[NOW, 'msg:old'],
					[NOW + 5, 'msg:new'],
				],
			},
		});
	});

	it('leaves the record untouched (nothing to save) when it already holds everything', () => {
		const store: IDataObject = {};
		expect(rememberDelivered(store, ['a', 'b'], NOW)).toBe(true);
		const saved = store.deliveries;
		expect(rememberDelivered(store, ['a'], NOW)).toBe(false);
		expect(rememberDelivered(store, ['b'], NOW - 1)).toBe(false);
		expect(store.deliveries).toBe(saved);
	});

	it('puts back what a concurrent save of the same workflow overwrote', () => {
		const scope = freshScope();
		const database = JSON.stringify({ deliveries: [[NOW, 'msg:earlier']] });
		// Two requests load the same record, each records its delivery, and each saves.
		const first = JSON.parse(database) as IDataObject;
		const second = JSON.parse(database) as IDataObject;
		recordDelivered(scope, second, ['msg:second'], NOW + 1);
		recordDelivered(scope, first, ['msg:first'], NOW + 2);
		// The second's save lands last: the first delivery is missing from the database.
		const saved = JSON.parse(JSON.stringify(second)) as IDataObject;
		expect(findDelivered(saved, ['msg:first'], NOW + 3)).toBeUndefined();
		// The next request of this process saves it back with its own record...
		const next = JSON.parse(JSON.stringify(saved)) as IDataObject;
		recordDelivered(scope, next, ['msg:third'], NOW + 3);
		expect((next.deliveries as unknown[]).map(String)).toEqual([
			`${NOW},msg:earlier`,
			`${NOW + 1},msg:second`,
			`${NOW + 2},msg:first`,
			`${NOW + 3},msg:third`,
		]);
		// ...and so does a replay, which starts nothing, but only when something was missing.
		const replay = JSON.parse(JSON.stringify(saved)) as IDataObject;
		expect(recordIsBehind(scope, replay, NOW + 4)).toBe(true);
		expect(replay).toEqual(saved);
		expect(restoreRecord(scope, replay, NOW + 4)).toBe(true);
		expect(recordIsBehind(scope, replay, NOW + 4)).toBe(false);
		expect(findDelivered(replay, ['msg:first', 'msg:third'], NOW + 4)).toBe('msg:first');
		expect(restoreRecord(scope, replay, NOW + 4)).toBe(false);
		// Another trigger node's journal is its own.
		expect(restoreRecord(freshScope(), JSON.parse(database) as IDataObject, NOW + 4)).toBe(false);
	});

	it('keeps the journal within the record limits', () => {
		const scope = freshScope();
		const limits = { maxEntries: 3, maxAgeSeconds: 60 };
		for (let i = 0; i < 5; i++) recordDelivered(scope, {}, [`k${i}`], NOW + i, limits);
		const empty: IDataObject = {};
		restoreRecord(scope, empty, NOW + 5, limits);
		expect(empty.deliveries).toEqual([
			[NOW + 2, 'k2'],
			[NOW + 3, 'k3'],
			[NOW + 4, 'k4'],
		]);
		const later: IDataObject = {};
		expect(restoreRecord(scope, later, NOW + 64, limits)).toBe(true);
		expect(later.deliveries).toEqual([[NOW + 4, 'k4']]);
		expect(restoreRecord(scope, {}, NOW + 65, limits)).toBe(false);
	});

	it('records a burst of 200 deliveries on a full record quickly, each request from the database', () => {
		const scope = freshScope();
		const full: IDataObject = {};
		for (let i = 0; i < 500; i++) {
			rememberDelivered(
				full,
				[messageKey(`old_${i}`), jobEventKey(`old-${i}`, 'e')],
				NOW - 1000 + i,
			);
		}
		let database = JSON.stringify(full);
		const started = performance.now();
		for (let i = 0; i < 200; i++) {
			const store = JSON.parse(database) as IDataObject;
			const keys = [messageKey(`msg_${i}`), jobEventKey(`job-${i}`, 'e')];
			expect(findDelivered(store, keys, NOW + i)).toBeUndefined();
			recordDelivered(scope, store, keys, NOW + i);
			database = JSON.stringify(store);
		}
		const msPerDelivery = (performance.now() - started) / 200;
		const saved = JSON.parse(database) as IDataObject;
		expect(saved.deliveries).toHaveLength(DEFAULT_REPLAY_LIMITS.maxEntries);
		expect(findDelivered(saved, [messageKey('msg_0')], NOW + 200)).toBe('msg:msg_0');
		expect(findDelivered(saved, [jobEventKey('job-199', 'e')], NOW + 200)).toBeDefined();
		expect(database.length).toBeLessThan(64 * 1024);
		// About 1 ms on a quiet machine; the bound leaves room for a loaded one.
		expect(msPerDelivery).toBeLessThan(25);
	});
});

describe('one save at a time', () => {
	/**
	 * One request as n8n handles it: load the record from the database, record the delivery,
	 * and, for the request that writes it, save it (the database finishing after commitMs).
	 */
	async function deliver(
		database: { saved: string; saves: number },
		scope: string,
		key: string,
		options: { arriveAfterMs: number; commitMs: number; spacingMs: number },
	): Promise<boolean> {
		await sleep(options.arriveAfterMs);
		const store = JSON.parse(database.saved) as IDataObject;
		journalDelivered(scope, [key], NOW);
		const writes = await awaitSaveTurn(scope, options.spacingMs);
		if (!writes || !restoreRecord(scope, store, NOW)) return writes;
		const body = JSON.stringify(store);
		database.saves++;
		await sleep(options.commitMs);
		database.saved = body;
		return writes;
	}

	/** Five deliveries 5 ms apart whose saves finish in reverse order (the first one last). */
	async function burst(spacingMs: number) {
		const database = { saved: '{}', saves: 0 };
		const scope = freshScope();
		const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
		const writers = await Promise.all(
			keys.map(
				async (key, i) =>
					await deliver(database, scope, key, {
						arriveAfterMs: i * 5,
						commitMs: 60 - i * 15,
						spacingMs,
					}),
			),
		);
		const saved = JSON.parse(database.saved) as IDataObject;
		return {
			writers,
			saves: database.saves,
			missing: keys.filter((key) => findDelivered(saved, [key], NOW) === undefined),
		};
	}

	it('loses deliveries when every request saves and the database finishes them out of order', async () => {
		// The failure the spacing prevents, reproduced: without it, the first save lands last.
		const { saves, missing } = await burst(0);
		expect(saves).toBe(5);
		expect(missing.length).toBeGreaterThan(0);
	});

	it('keeps every delivery of a burst: one save now, one for all the others after the spacing', async () => {
		const { writers, saves, missing } = await burst(SAVE_SPACING_MS);
		expect(missing).toEqual([]);
		expect(saves).toBe(2);
		// The second waits and writes for the three after it, which answer at once.
		expect(writers).toEqual([true, true, false, false, false]);
	});

	it('lets a request in a quiet moment save at once, and spaces the saves of a busy one', async () => {
		const scope = freshScope();
		const spacingMs = 200;
		const startedAt = Date.now();
		expect(await awaitSaveTurn(scope, spacingMs)).toBe(true);
		expect(Date.now() - startedAt).toBeLessThan(spacingMs / 2);
		const writeTimes: number[] = [startedAt];
		const waves = [0, 20, 300, 320].map(async (arriveAfterMs) => {
			await sleep(arriveAfterMs);
			const writes = await awaitSaveTurn(scope, spacingMs);
			if (writes) writeTimes.push(Date.now());
			return writes;
		});
		// 0 and 20 ms share the save at 200 ms; 300 and 320 ms share the one at 400 ms.
		expect(await Promise.all(waves)).toEqual([true, false, true, false]);
		expect(writeTimes).toHaveLength(3);
		for (let i = 1; i < writeTimes.length; i++) {
			expect(writeTimes[i] - writeTimes[i - 1]).toBeGreaterThanOrEqual(spacingMs - 5);
		}
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
