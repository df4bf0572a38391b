'use strict';
/** waitUntil(check, { timeoutMs, what, failFast? }): polls check() every 250 ms until it returns
 * a truthy value; failFast() returning a message aborts at once. Errors say what timed out. */
async function waitUntil(check, { timeoutMs, what, failFast }) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	while (Date.now() < deadline) {
		const early = failFast && failFast();
		if (early) throw new Error(`${what}: ${early}`);
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${what}: timed out after ${timeoutMs / 1000} s${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

module.exports = { waitUntil };
