// `npm run test:queue`: n8n in queue mode (Postgres, Redis, main, webhook processor, 2 workers)
// with this package installed on every instance. Not part of `npm test` (it starts real n8n
// processes and takes minutes); see scripts/queue/ for the topology.
/** @type {import('jest').Config} */
module.exports = {
	rootDir: '../..',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }],
	},
	testEnvironment: 'node',
	// The scenarios share one topology and run in order, in this process.
	maxWorkers: 1,
	testTimeout: 10 * 60 * 1000,
	verbose: true,
};
