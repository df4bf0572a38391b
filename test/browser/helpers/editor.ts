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
	await untilSettled(gladia.first());
	return gladia.first();
}

/**
 * Waits until `item` stops moving: the panel filters as you type, so the results of the previous
 * query can still be on screen, and a click on a moving item could hit its neighbour.
 */
async function untilSettled(item: Locator): Promise<void> {
	let last = '';
	for (const deadline = Date.now() + UI_TIMEOUT_MS; Date.now() < deadline; ) {
		const box = JSON.stringify(await item.boundingBox());
		if (box === last) return;
		last = box;
		await item.page().waitForTimeout(200);
	}
	throw new Error('A nodes-panel result kept moving');
}

/**
 * In the node's "Node details" list of the nodes panel, picks the trigger or action called
 * `label` from `section` ("Triggers" or "Actions"), opening the section when n8n shows it folded.
 */
export async function pickNodeAction(
	page: Page,
	section: 'Triggers' | 'Actions',
	label: string,
): Promise<void> {
	const item = nodeCreator(page).getByText(label, { exact: true });
	const header = nodeCreator(page).locator('[data-test-id="node-creator-category-item"]', {
		hasText: new RegExp(`^\\s*${section} \\(\\d+\\)`),
	});
	await header.waitFor();
	if (!(await item.isVisible())) await header.click();
	await item.click();
}

export const canvasNode = (page: Page, name: string) =>
	page.locator('[data-test-id="canvas-node"]', { hasText: name });

export async function closeNodeDetails(page: Page): Promise<void> {
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden' });
}
