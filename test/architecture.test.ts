/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// The dependency arrows of nodes/Gladia (ARCHITECTURE.md): node files → actions | trigger →
// transport → helpers. Pure helpers never make requests, and transport never reaches back
// into the operations or the trigger. Reads every import of every source file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const ROOT = resolve(__dirname, '../nodes/Gladia');

/** Which top-level folders of nodes/Gladia a folder may not import from. */
const FORBIDDEN: Record<string, string[]> = {
	helpers: ['transport', 'actions', 'trigger'],
	transport: ['actions', 'trigger'],
	trigger: ['actions'],
	actions: ['trigger'],
};

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** The relative module paths a file imports or re-exports. */
function importsOf(source: string): string[] {
	const pattern = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/g;
	return [...source.matchAll(pattern)].map((match) => match[1]);
}

/** The top-level folder of nodes/Gladia a path lies in ('' for the node files themselves). */
function areaOf(path: string): string {
	const parts = relative(ROOT, path).split(sep);
	return parts.length > 1 ? parts[0] : '';
}

/** Every import that breaks an arrow, as "file → module". */
function violations(files: Array<{ path: string; source: string }>): string[] {
	return files.flatMap(({ path, source }) => {
		const forbidden = FORBIDDEN[areaOf(path)] ?? [];
		return importsOf(source)
			.filter((module) => forbidden.includes(areaOf(resolve(dirname(path), module))))
			.map((module) => `${relative(ROOT, path)} → ${module}`);
	});
}

describe('architecture of nodes/Gladia', () => {
	const files = sourceFiles(ROOT).map((path) => ({ path, source: readFileSync(path, 'utf8') }));

	it('reads the source tree (every area has files)', () => {
		for (const area of Object.keys(FORBIDDEN)) {
			expect(files.some(({ path }) => areaOf(path) === area)).toBe(true);
		}
	});

	it('keeps the arrows: helpers import no transport/actions/trigger, transport no actions/trigger', () => {
		expect(violations(files)).toEqual([]);
	});

	it('sees a forbidden import when there is one (the check itself can fail)', () => {
		const bad = [
			{
				path: join(ROOT, 'helpers/output.ts'),
				source: "import { getJob } from '../transport/jobs';",
			},
			{
				path: join(ROOT, 'helpers/body/index.ts'),
				source: "export { router } from '../../actions/router';",
			},
			{
				path: join(ROOT, 'transport/poller.ts'),
				source: "import type { X } from '../trigger/webhook';",
			},
			{
				path: join(ROOT, 'actions/common.ts'),
				source: "import { getJob } from '../transport/jobs';",
			},
		];
		expect(violations(bad)).toEqual([
			'helpers/output.ts → ../transport/jobs',
			'helpers/body/index.ts → ../../actions/router',
			'transport/poller.ts → ../trigger/webhook',
		]);
	});
});
