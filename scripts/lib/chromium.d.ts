// Types for scripts/lib/chromium.js.
import type { Browser, BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: string[];
export function launchChromium(options?: {
	viewport?: { width: number; height: number };
}): Promise<{ browser: Browser; context: BrowserContext }>;
