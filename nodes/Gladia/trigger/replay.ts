// Replay protection for the trigger: remembers what was already delivered, in the workflow's
// static data (the only state n8n persists between webhook calls, in every process of a
// queue-mode setup). Bounded in size and age so the workflow row stays small.
import { sleep, type IDataObject } from 'n8n-workflow';

export interface ReplayLimits {
	maxEntries: number;
	maxAgeSeconds: number;
}

// Svix's standard retry schedule spans about 28 hours (Gladia documents none of its own); two
// days covers it with margin. Each delivery stores at most two keys, so 1,000 keys ≈ the last
// 500 deliveries (≈ 65 KB of JSON).
export const DEFAULT_REPLAY_LIMITS: ReplayLimits = {
	maxEntries: 1000,
	maxAgeSeconds: 2 * 24 * 3600,
};

const STORE_KEY = 'deliveries';

/** Key of a Svix message (stable across Svix's retries of the same message). */
export function messageKey(messageId: string): string {
	return `msg:${messageId}`;
}

/** Key of a job's event: a per-job callback and a dashboard webhook for it count once. */
export function jobEventKey(jobId: string, event: string): string {
	return `job:${jobId}:${event}`;
}

type Entry = [deliveredAt: number, key: string];

/** Remembered entries, oldest first, without expired or malformed ones. */
function liveEntries(store: IDataObject, nowSeconds: number, limits: ReplayLimits): Entry[] {
	const saved: unknown = store[STORE_KEY];
	if (!Array.isArray(saved)) return [];
	return saved.filter(
		(entry: unknown): entry is Entry =>
			Array.isArray(entry) &&
			typeof entry[0] === 'number' &&
			typeof entry[1] === 'string' &&
			nowSeconds - entry[0] <= limits.maxAgeSeconds,
	);
}

/** The first of `keys` already delivered within the limits, if any. */
export function findDelivered(
	store: IDataObject,
	keys: string[],
	nowSeconds: number,
	limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
): string | undefined {
	const seen = new Set(liveEntries(store, nowSeconds, limits).map(([, key]) => key));
	return keys.find((key) => seen.has(key));
}

/**
 * Writes `delivered` (key → when) into the store's record, the newer time winning, then drops
 * expired entries and the oldest beyond the cap. Returns false, and leaves the store untouched
 * (so n8n has nothing to save), when the record already held all of them.
 */
export function mergeIntoRecord(
	store: IDataObject,
	delivered: ReadonlyMap<string, number>,
	nowSeconds: number,
	limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
): boolean {
	const merged = new Map<string, number>();
	for (const [at, key] of liveEntries(store, nowSeconds, limits)) {
		merged.set(key, Math.max(at, merged.get(key) ?? at));
	}
	let changed = false;
	for (const [key, at] of delivered) {
		if (nowSeconds - at > limits.maxAgeSeconds || (merged.get(key) ?? -Infinity) >= at) continue;
		merged.set(key, at);
		changed = true;
	}
	if (!changed) return false;
	const entries: Entry[] = [...merged].map(([key, at]) => [at, key]);
	entries.sort((a, b) => a[0] - b[0]);
	// A list, not an object keyed by delivery: V8 builds objects with many distinct keys slowly.
	// A new value for the top-level key: n8n saves static data only when one of its properties
	// is set (see recordDelivered for when n8n does so).
	store[STORE_KEY] = entries.slice(-limits.maxEntries);
	return true;
}

// n8n loads static data from the database for each request and writes all of it back after, so
// two requests handled at the same time (a burst of deliveries, or two webhook processes) each
// save their own copy and the last one to reach the database wins: the other's record is lost.
// Within one process, two things prevent that:
// - a journal per trigger node of what the process recorded (within the same limits), written
//   back with every save, so each save holds all earlier ones;
// - one save at a time: saves are spaced (SAVE_SPACING_MS). A delivery arriving sooner after the
//   last save waits for the next one, which carries every delivery recorded meanwhile; the others
//   arriving while it waits answer at once (they change nothing, so n8n saves nothing for them).
//   The database may finish two saves issued together in either order (seen with n8n's SQLite:
//   a save of 49 deliveries landing after one of 50), but not two issued this far apart. Only one
//   request waits: n8n 2.x gives every request in progress its own expression isolate.
// Two webhook processes can still overwrite each other's record; each one's journal puts its own
// records back with its next save.
interface Journal {
	/** Key → when delivered (seconds); insertion order is time order. */
	entries: Map<string, number>;
	/** When a save of this trigger node's record was last left to n8n (ms). */
	lastSaveAt: number;
	/** Whether a request is waiting to write the next save. */
	writerWaiting: boolean;
}
const journals = new Map<string, Journal>();
// Trigger nodes (workflow + node) a process keeps a journal for; the least recent goes first.
const MAX_JOURNALS = 100;
// A save of the workflow row took 15–35 ms in n8n's SQLite on 2 cores: a sevenfold margin. A
// delivery waits at most this long for its save, well inside a sender's 15 s.
export const SAVE_SPACING_MS = 250;

function journalOf(scope: string): Journal {
	const journal = journals.get(scope) ?? {
		entries: new Map(),
		lastSaveAt: 0,
		writerWaiting: false,
	};
	journals.delete(scope);
	journals.set(scope, journal);
	for (const scopeKey of journals.keys()) {
		if (journals.size <= MAX_JOURNALS) break;
		journals.delete(scopeKey);
	}
	return journal;
}

/** This process's journal for a trigger node, without expired and surplus entries. */
function liveJournal(scope: string, nowSeconds: number, limits: ReplayLimits): Map<string, number> {
	const { entries } = journalOf(scope);
	// Insertion order is time order: expired and surplus entries are in front.
	for (const [key, at] of entries) {
		if (entries.size <= limits.maxEntries && nowSeconds - at <= limits.maxAgeSeconds) break;
		entries.delete(key);
	}
	return entries;
}

/** Notes `keys` as delivered now in this process's journal (see restoreRecord for the record). */
export function journalDelivered(
	scope: string,
	keys: string[],
	nowSeconds: number,
	limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
): void {
	const entries = liveJournal(scope, nowSeconds, limits);
	for (const key of keys) {
		entries.delete(key);
		entries.set(key, nowSeconds);
	}
}

/** Whether the record lacks something this process's journal holds (a save overwrote it). */
export function recordIsBehind(
	scope: string,
	store: IDataObject,
	nowSeconds: number,
	limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
): boolean {
	const copy: IDataObject = { [STORE_KEY]: store[STORE_KEY] };
	return mergeIntoRecord(copy, liveJournal(scope, nowSeconds, limits), nowSeconds, limits);
}

/**
 * Writes into the store's record everything this process's journal holds that it lacks. Returns
 * false (nothing for n8n to save) when it held all of it.
 *
 * n8n saves static data only when it is marked changed, and only at the answer: the webhook must
 * answer the request itself (noWebhookResponse) after this. When webhook() starts an execution and
 * lets n8n answer, n8n 2.x first builds the execution's Workflow over the same static data object,
 * which clears that mark, so nothing is saved.
 */
export function restoreRecord(
	scope: string,
	store: IDataObject,
	nowSeconds: number,
	limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
): boolean {
	return mergeIntoRecord(store, liveJournal(scope, nowSeconds, limits), nowSeconds, limits);
}

/**
 * Whether this request writes the record (restoreRecord, then answer) for n8n to save; it may
 * first wait for the spacing. False: another request is waiting to write the next save, which
 * will carry this request's deliveries (journal them before asking).
 */
export async function awaitSaveTurn(
	scope: string,
	spacingMs: number = SAVE_SPACING_MS,
): Promise<boolean> {
	const journal = journalOf(scope);
	if (journal.writerWaiting) return false;
	const waitMs = journal.lastSaveAt + spacingMs - Date.now();
	if (waitMs > 0) {
		journal.writerWaiting = true;
		try {
			await sleep(waitMs);
		} finally {
			journal.writerWaiting = false;
		}
	}
	journal.lastSaveAt = Date.now();
	return true;
}

// Static data is loaded for each request and saved after the answer, so two copies arriving
// together (Gladia sends a job's callback and its dashboard webhook at the same moment; a sender
// retries a request that is still being checked) would both pass findDelivered. Within one n8n
// process, a claim taken before any await closes that gap. The claims last as long as the
// static-data record, so a process also recognises what it delivered even while a concurrent
// save has the record overwritten (see the journals above).
const CLAIM_TTL_MS = DEFAULT_REPLAY_LIMITS.maxAgeSeconds * 1000;
const MAX_CLAIMS = 10_000;
const claims = new Map<string, number>();

/** A claim still being checked: copies wait for its outcome (true: it started the workflow). */
interface InFlight {
	outcome: Promise<boolean>;
	settle: (delivered: boolean) => void;
}
const inFlight = new Map<string, InFlight>();

export type Claim =
	| { status: 'claimed' }
	| { status: 'delivered' }
	/** Another request holds a key and has not finished: await `outcome`, then claim again. */
	| { status: 'inFlight'; outcome: Promise<boolean> };

/** Claims `keys` for this process, unless another request delivered or is delivering one. */
export function claimInProcess(scope: string, keys: string[], nowMs: number): Claim {
	// Same TTL for all, so insertion order is expiry order: drop expired ones from the front.
	for (const [key, expiresAt] of claims) {
		if (expiresAt > nowMs || inFlight.has(key)) break;
		claims.delete(key);
	}
	const scoped = keys.map((key) => `${scope}\n${key}`);
	const held = scoped.find((key) => (claims.get(key) ?? 0) > nowMs);
	if (held !== undefined) {
		const pending = inFlight.get(held);
		return pending ? { status: 'inFlight', outcome: pending.outcome } : { status: 'delivered' };
	}
	let settle: (delivered: boolean) => void = () => undefined;
	const outcome = new Promise<boolean>((resolve) => (settle = resolve));
	for (const key of scoped) {
		claims.delete(key);
		claims.set(key, nowMs + CLAIM_TTL_MS);
		inFlight.get(key)?.settle(false);
		inFlight.set(key, { outcome, settle });
	}
	for (const key of claims.keys()) {
		if (claims.size <= MAX_CLAIMS) break;
		if (!inFlight.has(key)) claims.delete(key);
	}
	return { status: 'claimed' };
}

/** Keeps a claim for good (the delivery started the workflow); waiting copies are answered. */
export function confirmInProcess(scope: string, keys: string[]): void {
	settleInFlight(scope, keys, true);
}

/** Gives up a claim (the delivery was refused, so the sender's retry must get through). */
export function releaseInProcess(scope: string, keys: string[]): void {
	for (const key of keys) claims.delete(`${scope}\n${key}`);
	settleInFlight(scope, keys, false);
}

function settleInFlight(scope: string, keys: string[], delivered: boolean): void {
	for (const key of keys) {
		const scoped = `${scope}\n${key}`;
		inFlight.get(scoped)?.settle(delivered);
		inFlight.delete(scoped);
	}
}
