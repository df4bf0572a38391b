// `npm run test:browser`: headless Chromium drives the real n8n editor (n8n 2.41.1, installed into
// ~/.cache/n8n-nodes-gladia on first use) with this package loaded from dist/ (run `npm run build`
// first). Not part of `npm test`: files end in .browser.ts. Screenshots go to test/browser/screenshots/.
/** @type {import('jest').Config} */
module.exports = {
	rootDir: '../..',
	roots: ['<rootDir>/test/browser'],
	testMatch: ['**/*.browser.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }],
	},
	testEnvironment: 'node',
	maxWorkers: 1,
	testTimeout: 2 * 60 * 1000,
	verbose: true,
};
