'use strict';
/**
 * The checks n8n runs before it verifies a community node, run offline on this checkout.
 *
 *   node scripts/scan.js              lint the source and the packed tarball; check what the tarball holds
 *   node scripts/scan.js --self-test  prove that each check fails on a broken copy of the package
 *
 * n8n's scanner (@n8n/scan-community-package) lints two things: the source that the npm
 * provenance of a published version points at (package.json, nodes/, credentials/) and the
 * published tarball (its .js files and package.json). Fetching those needs the registry and
 * GitHub, so this script builds both from the working tree and lints them with the scanner's own
 * ESLint set-up (`buildScanConfig`, same options as its `analyzePackage`), failing on warnings
 * as well as errors. `npm run build` must have run first.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const PACKAGE_ROOT = path.resolve(__dirname, '..');
const SCANNER = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs', {
	paths: [PACKAGE_ROOT],
});
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];
// The scanner makes a temp folder when it loads and leaves it behind unless told to clean up.
require(require.resolve('tmp', { paths: [path.dirname(SCANNER)] })).setGracefulCleanup();

// What the tarball may hold: the compiled nodes and credential (JS, codex JSON, icons,
// dist/package.json for the version sent in the User-Agent), and the three top-level files.
// Source maps and .d.ts are left out on purpose: n8n loads only the .js files named in
// package.json, the maps point at .ts files that are not shipped, and nothing imports the types.
const ALLOWED_FILES = [/^dist\/.+\.(js|json|svg)$/, /^(README|LICENSE)\.md$/, /^package\.json$/];
const FORBIDDEN_FILES =
	/(^|\/)(test|tests|__tests__|__mocks__)\/|\.(test|spec)\.js$|\.tsbuildinfo$/;
// About twice today's unpacked size: a bundled asset or a leaked build cache stands out.
const MAX_UNPACKED_BYTES = 512 * 1024;

/** Lints files of dir as n8n's scanner does; returns the formatted findings or '' when clean. */
async function lint(dir, patterns) {
	const { buildScanConfig } = await import(SCANNER);
	const { ESLint } = require(require.resolve('eslint', { paths: [path.dirname(SCANNER)] }));
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const results = await eslint.lintFiles(patterns);
	if (results.length === 0) return `no file matched ${patterns.join(', ')} in ${dir}`;
	if (!results.some((r) => r.errorCount + r.warningCount > 0)) return '';
	return (await eslint.loadFormatter('stylish')).format(results);
}

/** `npm pack` of dir into a temp folder, extracted; returns the file list, sizes and the folder. */
function pack(dir) {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gladia-pack-'));
	const json = execFileSync(
		'npm',
		['pack', '--json', '--pack-destination', out, '--loglevel=error'],
		{
			cwd: dir,
			encoding: 'utf8',
		},
	);
	const [info] = JSON.parse(json);
	const extracted = path.join(out, 'package');
	execFileSync('tar', ['-xzf', path.join(out, info.filename), '-C', out]);
	return {
		files: info.files.map((f) => f.path),
		size: info.size,
		unpackedSize: info.unpackedSize,
		out,
		extracted,
	};
}

/** Problems with the packed file list: unexpected files, missing entry points, size. */
function checkPackedFiles({ files, unpackedSize }, packageJson) {
	const problems = [];
	for (const file of files) {
		if (FORBIDDEN_FILES.test(file) || !ALLOWED_FILES.some((re) => re.test(file))) {
			problems.push(
				`ships ${file}: only dist/ JS, JSON and SVG, README.md, LICENSE.md and package.json belong in the package`,
			);
		}
	}
	const entries = [...(packageJson.n8n?.nodes ?? []), ...(packageJson.n8n?.credentials ?? [])];
	for (const entry of entries) {
		if (!files.includes(entry))
			problems.push(`package.json names ${entry}, which is not in the package: run npm run build`);
	}
	if (unpackedSize > MAX_UNPACKED_BYTES) {
		problems.push(
			`unpacked size ${unpackedSize} B is over the ${MAX_UNPACKED_BYTES} B limit: see which file grew`,
		);
	}
	return problems;
}

/** Runs every check on the package in dir; returns a list of failures (empty when all pass). */
async function scan(dir, { log = () => {} } = {}) {
	const { SOURCE_FILE_PATTERNS } = await import(SCANNER);
	const failures = [];
	const source = await lint(dir, SOURCE_FILE_PATTERNS);
	if (source) failures.push(`source (${SOURCE_FILE_PATTERNS.join(', ')}):\n${source}`);
	log(`source lint: ${source ? 'FINDINGS' : 'clean'}`);

	const packed = pack(dir);
	try {
		const tarball = await lint(packed.extracted, TARBALL_PATTERNS);
		if (tarball) failures.push(`packed tarball (${TARBALL_PATTERNS.join(', ')}):\n${tarball}`);
		log(`tarball lint: ${tarball ? 'FINDINGS' : 'clean'}`);
		const packageJson = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
		const problems = checkPackedFiles(packed, packageJson);
		if (problems.length) failures.push(`packed file list:\n  ${problems.join('\n  ')}`);
		log(
			`tarball: ${packed.files.length} files, ${packed.size} B packed, ${packed.unpackedSize} B unpacked`,
		);
	} finally {
		fs.rmSync(packed.out, { recursive: true, force: true });
	}
	return failures;
}

/** A throw-away copy of what `npm pack` and the source lint read. */
function copyPackage() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gladia-scan-copy-'));
	for (const entry of [
		'package.json',
		'.npmrc',
		'README.md',
		'LICENSE.md',
		'nodes',
		'credentials',
		'icons',
		'dist',
	]) {
		fs.cpSync(path.join(PACKAGE_ROOT, entry), path.join(dir, entry), { recursive: true });
	}
	return dir;
}

const append = (file, text) => (dir) => fs.appendFileSync(path.join(dir, file), text);
const editJson = (edit) => (dir) => {
	const file = path.join(dir, 'package.json');
	fs.writeFileSync(file, JSON.stringify(edit(JSON.parse(fs.readFileSync(file, 'utf8'))), null, 2));
};

// Each breakage, and the words its failure report must contain.
const BREAKAGES = [
	{
		name: 'setTimeout in a node source file',
		apply: append('nodes/Gladia/Gladia.node.ts', '\nsetTimeout(() => undefined, 1);\n'),
		expect: ['source', 'no-restricted-globals'],
	},
	{
		name: 'setTimeout in the compiled output only',
		apply: append('dist/nodes/Gladia/Gladia.node.js', '\nsetTimeout(() => undefined, 1);\n'),
		expect: ['packed tarball', 'no-restricted-globals'],
	},
	{
		name: 'a runtime dependency',
		apply: editJson((p) => ({ ...p, dependencies: { axios: '1.12.2' } })),
		expect: ['no-runtime-dependencies'],
	},
	{
		name: 'a test file and a build cache in dist/',
		apply: (dir) => {
			fs.writeFileSync(
				path.join(dir, 'dist/nodes/Gladia/Gladia.test.js'),
				'module.exports = {};\n',
			);
			fs.writeFileSync(path.join(dir, 'dist/tsconfig.tsbuildinfo'), '{}');
			editJson((p) => ({ ...p, files: ['dist'] }))(dir);
		},
		expect: ['ships dist/nodes/Gladia/Gladia.test.js', 'ships dist/tsconfig.tsbuildinfo'],
	},
];

async function selfTest(log) {
	const clean = copyPackage();
	const cleanFailures = await scan(clean);
	fs.rmSync(clean, { recursive: true, force: true });
	if (cleanFailures.length)
		return [`an unchanged copy does not pass:\n${cleanFailures.join('\n')}`];
	log('self-test: an unchanged copy passes');

	const wrong = [];
	for (const breakage of BREAKAGES) {
		const dir = copyPackage();
		breakage.apply(dir);
		const report = (await scan(dir)).join('\n');
		fs.rmSync(dir, { recursive: true, force: true });
		const missing = breakage.expect.filter((words) => !report.includes(words));
		if (missing.length)
			wrong.push(
				`${breakage.name}: the report lacks ${missing.join(', ')}:\n${report || '(no findings)'}`,
			);
		log(`self-test: ${breakage.name} → ${missing.length ? 'NOT caught' : 'caught'}`);
	}
	return wrong;
}

if (require.main === module) {
	const say = (message) => process.stdout.write(`${message}\n`);
	const selfTesting = process.argv.includes('--self-test');
	(selfTesting ? selfTest(say) : scan(PACKAGE_ROOT, { log: say }))
		.then((failures) => {
			if (failures.length === 0)
				return say(
					selfTesting ? 'self-test: every check fails when it should' : 'scan: no findings',
				);
			process.stderr.write(`${failures.join('\n\n')}\n`);
			process.exit(1);
		})
		.catch((error) => {
			process.stderr.write(`${error.stack || error.message}\n`);
			process.exit(1);
		});
}

module.exports = { scan, checkPackedFiles };
