// Real Gladia bodies (test/fixtures/real) must pass the same response check every emulator
// response goes through: where reality is looser than the spec, the overlay in contract.ts was
// widened, and this test fails if someone narrows it again.
import { loadFixture, REAL_FIXTURES, type RealFixture } from '../fixtures/real';
import { validateComponent, validateResponse, type CheckResult } from './contract';

const json = 'application/json';

/** The add-on block schemas, by result key. */
const ADDON_SCHEMAS: Record<string, string> = {
	chapterization: 'ChapterizationDTO',
	sentences: 'SentencesDTO',
	sentiment_analysis: 'SentimentAnalysisDTO',
};

function check(fixture: RealFixture, body: unknown): CheckResult {
	switch (fixture.kind) {
		case 'job':
			return validateResponse(
				'GET',
				`/v2/pre-recorded/${(body as { id: string }).id}`,
				200,
				json,
				body,
			);
		case 'list':
			return validateResponse('GET', '/v2/transcription', 200, json, body);
		case 'result':
			return validateComponent('TranscriptionResultDTO', body);
		case 'addon-block':
			return validateComponent(ADDON_SCHEMAS[fixture.addon!], body);
	}
}

/**
 * Docs snippets are abbreviated by hand; the keys they leave out are listed here, so the
 * check still applies to everything they do show.
 */
const DOCS_OMISSIONS: Record<string, string[]> = {
	'addon-docs-sentences': ['Field "exec_time" is required', 'Field "error" is required'],
};

describe('real Gladia fixtures pass the response check', () => {
	it('lists at least five fixtures, each with a known kind and origin', () => {
		expect(REAL_FIXTURES.length).toBeGreaterThanOrEqual(5);
		expect(REAL_FIXTURES.filter((f) => f.origin === 'real-api').length).toBeGreaterThanOrEqual(3);
		for (const fixture of REAL_FIXTURES) expect(loadFixture(fixture)).toBeInstanceOf(Object);
	});

	it.each(REAL_FIXTURES.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
		const result = check(fixture, loadFixture(fixture));
		expect(result.errors).toEqual(DOCS_OMISSIONS[fixture.name] ?? []);
	});

	it('accepts the real failed add-on block, whose error has no `exception`', () => {
		const result = loadFixture('result-ta-translation-failed-addon') as Record<
			string,
			{ error: unknown }
		>;
		expect(validateComponent('AddonErrorDTO', result.punctuation_enhanced.error)).toEqual({
			valid: true,
			errors: [],
		});
		expect(validateComponent('AddonErrorDTO', { message: 'x' }).valid).toBe(false);
	});

	it('still rejects a broken copy of each fixture (the check is not a no-op)', () => {
		for (const fixture of REAL_FIXTURES) {
			const body = loadFixture(fixture) as Record<string, unknown>;
			if (fixture.kind === 'list') (body.items as unknown[]).push({ id: 'x' });
			else if (fixture.kind === 'addon-block') body.success = 'yes';
			else if (fixture.kind === 'result') delete body.metadata;
			else body.status = 'finished';
			expect(check(fixture, body).valid).toBe(false);
		}
	});
});
