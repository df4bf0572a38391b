/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
// Outgoing HTTP: per-job callbacks (API.md §6.1) and Svix-signed dashboard webhooks (§6.2),
// retried with exponential backoff and recorded for assertions.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'svix';
import type { Delivery, DeliveryAttempt, DeliveryRetry, WebhookConfig } from './types';

/** A short reason for a failed attempt: `TimeoutError`, `ECONNRESET`, … */
function errorName(error: unknown): string {
	const cause = (error as { cause?: { code?: string } }).cause;
	return cause?.code ?? (error as Error).name ?? 'Error';
}

export class Deliverer {
	private readonly inFlight = new Set<Promise<void>>();
	private abort = new AbortController();

	constructor(
		private readonly callbacks: Delivery[],
		private readonly webhooks: Delivery[],
		private readonly retry: () => Required<DeliveryRetry>,
	) {}

	callback(url: string, method: string, event: string, jobId: string, body: unknown) {
		this.track(this.callbacks, { kind: 'callback', url, method, event, jobId, body, headers: {} });
	}

	webhook(config: WebhookConfig, event: string, jobId: string) {
		const body = { event, payload: { id: jobId } };
		for (const url of config.urls) {
			this.track(
				this.webhooks,
				{ kind: 'webhook', url, method: 'POST', event, jobId, body, headers: {} },
				config,
			);
		}
	}

	/** Resolves when every delivery started so far has finished (success or last retry). */
	async settled(): Promise<void> {
		while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
	}

	/** Abandons in-flight deliveries (reset/close). */
	cancelAll() {
		this.abort.abort();
		this.abort = new AbortController();
	}

	private track(
		list: Delivery[],
		partial: Pick<Delivery, 'kind' | 'url' | 'method' | 'event' | 'jobId' | 'body' | 'headers'>,
		webhook?: WebhookConfig,
	) {
		const rawBody = JSON.stringify(partial.body);
		const delivery: Delivery = {
			...partial,
			rawBody,
			status: 0,
			attempts: 0,
			ok: false,
			at: new Date().toISOString(),
			tries: [],
		};
		list.push(delivery);
		const promise = this.send(delivery, webhook, this.abort.signal).finally(() =>
			this.inFlight.delete(promise),
		);
		this.inFlight.add(promise);
	}

	private async send(
		delivery: Delivery,
		webhook: WebhookConfig | undefined,
		cancelled: AbortSignal,
	) {
		const { attempts, backoffMs, timeoutMs } = this.retry();
		// Svix keeps the message id stable across retries; the timestamp and signature are per attempt.
		const messageId = `msg_${randomUUID().replace(/-/g, '')}`;
		for (let attempt = 1; attempt <= attempts && !cancelled.aborted; attempt++) {
			const headers: Record<string, string> = {
				'content-type': 'application/json',
				'user-agent': 'Gladia-Emulator/1.0',
			};
			if (webhook) {
				const prefix = webhook.headerPrefix ?? 'svix';
				const now = new Date();
				headers[`${prefix}-id`] = messageId;
				headers[`${prefix}-timestamp`] = String(Math.floor(now.getTime() / 1000));
				headers[`${prefix}-signature`] = new Webhook(webhook.secret).sign(
					messageId,
					now,
					delivery.rawBody,
				);
			}
			delivery.headers = headers;
			delivery.attempts = attempt;
			const started = Date.now();
			const tried: DeliveryAttempt = { at: new Date(started).toISOString(), ms: 0, status: 0 };
			delivery.tries.push(tried);
			// The whole attempt (answer and body) is bounded by our own timer: a body that never
			// ends counts as a timeout, as it does for Svix. (A bare AbortSignal.timeout inside
			// AbortSignal.any was seen never to fire, leaving one delivery pending for good.)
			const attemptAbort = new AbortController();
			const timer = setTimeout(() => attemptAbort.abort(new Error('TimeoutError')), timeoutMs);
			const timedOut = new Promise<'timeout'>((resolve) =>
				attemptAbort.signal.addEventListener('abort', () => resolve('timeout'), { once: true }),
			);
			try {
				const response = await fetch(delivery.url, {
					method: delivery.method,
					headers,
					body: delivery.rawBody,
					redirect: 'manual',
					signal: AbortSignal.any([cancelled, attemptAbort.signal]),
				});
				delivery.status = response.status;
				tried.status = response.status;
				const body = await Promise.race([
					response.arrayBuffer().catch(() => undefined),
					timedOut,
				]);
				tried.ms = Date.now() - started;
				if (body === 'timeout') {
					tried.error = 'BodyTimeout';
				} else if (response.ok) {
					delivery.ok = true;
					return;
				}
			} catch (error) {
				delivery.status = 0;
				tried.ms = Date.now() - started;
				tried.error = errorName(error);
			} finally {
				clearTimeout(timer);
			}
			if (attempt < attempts) {
				await sleep(backoffMs * 2 ** (attempt - 1), undefined, { signal: cancelled }).catch(
					() => undefined,
				);
			}
		}
	}
}
