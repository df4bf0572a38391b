// `npm run test:e2e`: a real n8n (installed into ~/.cache/n8n-nodes-gladia on first use) runs
// this package against the Gladia emulator. Not part of `npm test`: files end in .e2e.ts.
// E2E_N8N_VERSIONS=2.41.1,1.123.81 (default: both) picks the n8n versions.
/** @type {import('jest').Config} */
module.exports = {
	rootDir: '../..',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }],
	},
	testEnvironment: 'node',
	// One n8n per version, shared by the scenarios of that version, in this process.
	maxWorkers: 1,
	testTimeout: 3 * 60 * 1000,
	verbose: true,
};
