// Replay protection for the trigger: remembers what was already delivered, in the workflow's
// static data (the only state n8n persists between webhook calls, in every process of a
// queue-mode setup). Bounded in size and age so the workflow row stays small.
import type { IDataObject } from 'n8n-workflow';

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

/** Records `keys` as delivered now, dropping expired entries and then the oldest beyond the cap. */
export function rememberDelivered(
	store: IDataObject,
	keys: string[],
	nowSeconds: number,
	limits: ReplayLimits = DEFAULT_REPLAY_LIMITS,
): void {
	const entries = liveEntries(store, nowSeconds, limits).filter(([, key]) => !keys.includes(key));
	for (const key of keys) entries.push([nowSeconds, key]);
	// A list, not an object keyed by delivery: V8 builds objects with many distinct keys slowly.
	// Assign a new value: n8n saves static data only when one of its properties is set.
	store[STORE_KEY] = entries.slice(-limits.maxEntries);
}

// Static data is loaded for each request and saved after the answer, so two copies arriving
// together (Gladia sends a job's callback and its dashboard webhook at the same moment; a sender
// retries a request that is still being checked) would both pass findDelivered. Within one n8n
// process, a claim taken before any await closes that gap. The claims also last as long as the
// static-data record: n8n 2.41 does not persist a webhook's static-data change when the webhook
// starts an execution (building the execution's Workflow over the same static data resets its
// "changed" flag before n8n saves it), so in n8n these claims are what catches a redelivery
// hours later. Each process of a queue-mode setup has its own claims, and a restart forgets them.
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
