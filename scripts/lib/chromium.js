'use strict';
/**
 * Headless Debian Chromium for the scripts and the browser test.
 *
 *   CHROMIUM_PATH                          /usr/bin/chromium (or $CHROMIUM_PATH)
 *   launchChromium({ viewport? })          → Promise<{ browser, context }> (playwright-core)
 */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Without the background-networking flags Chromium phones home, and a closed network refuses it.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

async function launchChromium({ viewport = { width: 1600, height: 900 } } = {}) {
	const { chromium } = require('playwright-core');
	const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
	const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
	return { browser, context };
}

module.exports = { CHROMIUM_PATH, CHROMIUM_ARGS, launchChromium };
