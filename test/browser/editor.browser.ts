/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// What a new user does after `npm start`, in the real n8n 2.41.1 editor (headless Chromium):
// sign in, find the Gladia nodes in the nodes panel, add them, set an option, run the meeting
// example and read its transcript. One n8n and one page for the whole file; each test is one
// step and starts from where the previous one left the page, so a step is added by adding a test.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { PACKAGE_ROOT } from '../../scripts/lib/n8n';
import { startE2eEnv, type E2eEnv } from '../e2e/helpers/env';
import {
	UI_TIMEOUT_MS,
	canvasNode,
	closeNodeDetails,
	launchBrowser,
	pickNodeAction,
	screenshot,
	searchNodesPanel,
	signIn,
} from './helpers/editor';

const VERSION = '2.41.1';
const MEETING = '01-meeting-transcript-summary.json';
const CALLBACK_CRM = '02-callback-trigger-crm.json';
const README_IMAGE = path.join(PACKAGE_ROOT, 'docs', 'images', 'gladia-workflow-in-n8n.png');

/** The part of a DOM element the note check reads (the test compiles without the DOM types). */
type Sized = { offsetHeight: number };

let env: E2eEnv;
let browser: Browser;
let page: Page;

beforeAll(
	async () => {
		env = await startE2eEnv(VERSION);
		({ browser, page } = await launchBrowser());
	},
	5 * 60 * 1000,
);

afterAll(async () => {
	await browser?.close();
	await env?.stop();
});

afterEach(async () => {
	// The page as the step left it, passed or failed.
	const name = expect.getState().currentTestName ?? 'step';
	await screenshot(page, name.replace(/[^\w]+/g, '-').toLowerCase()).catch(() => {});
});

test('signs in through the sign-in link and lands on the meeting example', async () => {
	const meeting = env.examples[MEETING];
	await signIn(page, env.n8n.url, `/workflow/${meeting.id}`);
	await canvasNode(page, 'Transcribe Meeting').waitFor();
	expect(new URL(page.url()).pathname).toBe(`/workflow/${meeting.id}`);
});

test('first step: the nodes panel finds Gladia by name, "transcribe" and "speech to text", and adds the trigger', async () => {
	await page.goto(`${env.n8n.url}/workflow/new`);
	await page.locator('[data-test-id="canvas-add-button"]').click();
	await searchNodesPanel(page, 'Gladia');
	await searchNodesPanel(page, 'speech to text');
	const gladia = await searchNodesPanel(page, 'transcribe');
	await screenshot(page, 'first-step-search-transcribe');
	await gladia.click();
	await pickNodeAction(page, 'Triggers', 'On transcription success');
	await page.locator('[data-test-id="ndv"]').waitFor();
	await closeNodeDetails(page);
	await canvasNode(page, 'Gladia Trigger').waitFor();
});

test('"What happens next?": the nodes panel finds Gladia by name and "transcribe", and adds Transcribe', async () => {
	// The trigger is the only node: its output's "+" opens "What happens next?".
	await page.locator('[data-test-id="canvas-handle-plus"]').click();
	await searchNodesPanel(page, 'Gladia');
	const gladia = await searchNodesPanel(page, 'transcribe');
	await screenshot(page, 'next-step-search-transcribe');
	await gladia.click();
	await pickNodeAction(page, 'Actions', 'Transcribe audio');
	await page.locator('[data-test-id="ndv"] [data-test-id="parameter-input-operation"]').waitFor();
});

test('Transcribe: switching Summarization on shows its Summary Type', async () => {
	const ndv = page.locator('[data-test-id="ndv"]');
	const summaryType = ndv.locator('[data-test-id="parameter-input-summaryType"]');
	expect(await summaryType.count()).toBe(0);
	const toggle = ndv.locator('[data-test-id="parameter-input-summarization"] .el-switch');
	await toggle.click();
	await summaryType.waitFor();
	expect(await toggle.locator('input').getAttribute('aria-checked')).toBe('true');
	await screenshot(page, 'transcribe-summarization-on');
	await closeNodeDetails(page);
	await canvasNode(page, 'Transcribe').waitFor();
});

test('the meeting example runs from the editor, and its output shows the transcript', async () => {
	await page.goto(`${env.n8n.url}/workflow/${env.examples[MEETING].id}`);
	await canvasNode(page, 'Meeting Notes').waitFor();
	await page.locator('[data-test-id="execute-workflow-button"]').click();
	const done = page.locator('.el-notification', { hasText: 'Workflow executed successfully' });
	await done.waitFor({ timeout: 60000 });
	// The README picture: the canvas after the run, without the toast or a hovered button.
	await done.locator('.el-notification__closeBtn').click();
	await done.waitFor({ state: 'hidden' });
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.mouse.move(800, 120);
	await page
		.locator('[data-test-id="execute-workflow-button"]', { hasText: 'Execute workflow' })
		.waitFor();
	await screenshot(page, 'meeting-example-ran', README_IMAGE);

	await canvasNode(page, 'Meeting Notes').dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv
		.getByText(/^Speaker \d+: .*weekly project review/)
		.first()
		.waitFor({ timeout: UI_TIMEOUT_MS });
	const text = await ndv.innerText();
	expect(text).toContain('Sarah Johnson');
	expect(text).toMatch(/Acme Corp: blocked on a signed data processing agreement/);
});

test('Get: the Transcription ID list offers the meeting just transcribed, and picking it fills the field', async () => {
	const meetingJob = env.emulator.jobs().find((job) => job.status === 'done');
	expect(meetingJob).toBeDefined();
	const { id } = await env.client.importWorkflow({
		name: 'Pick a transcription',
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'get',
				name: 'Get Transcription',
				type: 'n8n-nodes-gladia.gladia',
				typeVersion: 1,
				position: [260, 0],
				parameters: {
					resource: 'transcription',
					operation: 'get',
					transcriptionId: { __rl: true, mode: 'list', value: '' },
				},
				credentials: { gladiaApi: { id: env.credentialId, name: 'Gladia (emulator)' } },
			},
		],
		connections: { Start: { main: [[{ node: 'Get Transcription', type: 'main', index: 0 }]] } },
	});
	await page.goto(`${env.n8n.url}/workflow/${id}`);
	await canvasNode(page, 'Get Transcription').dblclick();
	const field = page.locator(
		'[data-test-id="ndv"] [data-test-id="resource-locator-transcriptionId"]',
	);
	const listed = page.waitForResponse((response) =>
		response.url().includes('/rest/dynamic-node-parameters/resource-locator-results'),
	);
	await field.locator('[data-test-id="rlc-input"]').click();
	expect((await listed).status()).toBe(200);
	// Each entry reads "<file name> · <status> · <date>"; the meeting was transcribed above.
	const entry = page.locator('[data-test-id="rlc-item"]', { hasText: /·\s*done\s*·/ }).first();
	await entry.waitFor({ timeout: UI_TIMEOUT_MS });
	const entryName = (await entry.innerText()).trim();
	await screenshot(page, 'get-transcription-id-list');
	await entry.click();
	await page.locator('[data-test-id="resource-locator-dropdown"]').waitFor({ state: 'hidden' });
	// The field's last input is the value (the first is the mode selector, "From list").
	expect(await field.locator('input').last().inputValue()).toBe(entryName);
	await closeNodeDetails(page);
});

test('every example opens on a canvas whose note fits its text', async () => {
	for (const [file, example] of Object.entries(env.examples)) {
		await page.goto(`${env.n8n.url}/workflow/${example.id}`);
		const note = page.locator('[data-test-id="sticky"]').first();
		await note.locator('h2').waitFor();
		// Sizes in canvas pixels (offsetHeight ignores the canvas zoom).
		const [noteHeight, textHeight] = await note.evaluate((el: unknown) => {
			const sticky = el as Sized & { querySelector(selector: string): { parentElement: Sized } };
			return [sticky.offsetHeight, sticky.querySelector('h2').parentElement.offsetHeight];
		});
		expect({
			file,
			fits: textHeight <= noteHeight - 8,
			slack: noteHeight - textHeight < 60,
		}).toEqual({
			file,
			fits: true,
			slack: true,
		});
		if (file === CALLBACK_CRM) {
			// n8n's main button runs the trigger it ranks first: the example's form, not a webhook.
			const button = page.locator('[data-test-id="execute-workflow-button"]');
			expect(await button.innerText()).toMatch(/from\s+Submit Call Recording/);
		}
		await screenshot(page, `example-${file.replace(/\.json$/, '')}`);
	}
});
