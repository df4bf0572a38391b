/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error */
// Headless Chromium on n8n's editor: launch, sign in, the nodes panel, screenshots.
// Selectors are n8n's own data-test-id attributes (n8n 2.41).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

import { launchChromium } from '../../../scripts/lib/chromium';
import { DEMO_OWNER } from '../../../scripts/lib/n8n';

export const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
/** Long enough for a loaded machine, short enough that a missing element fails the step. */
export const UI_TIMEOUT_MS = 20000;

export async function launchBrowser(): Promise<{ browser: Browser; page: Page }> {
	const { browser, context } = await launchChromium();
	context.setDefaultTimeout(UI_TIMEOUT_MS);
	return { browser, page: await context.newPage() };
}

/** Signs in on n8n's sign-in page, which then opens `redirect` (the link `npm start` prints). */
export async function signIn(page: Page, n8nUrl: string, redirect: string): Promise<void> {
	await page.goto(`${n8nUrl}/signin?redirect=${encodeURIComponent(redirect)}`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(DEMO_OWNER.email);
	await page.locator('input[name="password"]').fill(DEMO_OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
}

export async function screenshot(
	page: Page,
	name: string,
	file = path.join(SCREENSHOTS, `${name}.png`),
) {
	mkdirSync(path.dirname(file), { recursive: true });
	await page.screenshot({ path: file });
}

const nodeCreator = (page: Page) => page.locator('[data-test-id="node-creator"]');

/**
 * Types `query` into the open nodes panel and returns the Gladia entry of the results; fails,
 * naming the panel and the query, when the panel does not list it.
 */
export async function searchNodesPanel(page: Page, query: string): Promise<Locator> {
	const input = page.locator('input[data-test-id="node-creator-search-bar"]');
	await input.fill(query);
	const gladia = nodeCreator(page).locator('[data-test-id="node-creator-item-name"]', {
		hasText: /^Gladia$/,
	});
	try {
		await gladia.first().waitFor({ state: 'visible' });
	} catch {
		const panel = (await nodeCreator(page).innerText()).replace(/\s+/g, ' ').slice(0, 300);
		throw new Error(
			`The nodes panel lists no Gladia node for "${query}". The panel shows: ${panel}`,
		);
	}
	return gladia.first();
}

/** In the node's "Node details" list of the nodes panel, picks the trigger or action called `label`. */
export async function pickNodeAction(page: Page, label: string): Promise<void> {
	await nodeCreator(page).getByText(label, { exact: true }).click();
}

export const canvasNode = (page: Page, name: string) =>
	page.locator('[data-test-id="canvas-node"]', { hasText: name });

export async function closeNodeDetails(page: Page): Promise<void> {
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
}
