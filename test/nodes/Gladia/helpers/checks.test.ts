// checkedJobId: the one job id in a Transcription ID value (pure; also used by the resource locator).
import { checkedJobId } from '../../../../nodes/Gladia/helpers/checks';
import { GLADIA_NODE as node } from './probe';

const ID = '45463597-20b7-4af7-b3b3-f5fb778203ab';
const OTHER = '00000000-0000-4000-8000-000000000000';

describe('checkedJobId', () => {
	it.each([
		[ID, ID],
		[`  ${ID.toUpperCase()}\n`, ID],
		['job_42-a', 'job_42-a'],
		[`https://api.gladia.io/v2/pre-recorded/${ID}`, ID],
		[`https://api.gladia.io/v2/transcription/${ID}?x=1`, ID],
	])('accepts %j as %s', (value, id) => {
		expect(checkedJobId(value, 0, node)).toBe(id);
	});

	it.each([
		[
			{ id: ID },
			`Transcription ID: is an object ("{"id":"${ID}"}"), not a transcription ID [item 3]`,
		],
		[[ID], `Transcription ID: is a list ("["${ID}"]"), not a transcription ID [item 3]`],
		[42, 'Transcription ID: is a number ("42"), not a transcription ID [item 3]'],
		[null, 'Transcription ID: is empty [item 3]'],
		['', 'Transcription ID: is empty [item 3]'],
		[`${ID},${OTHER}`, `Transcription ID: "${ID},${OTHER}" holds 2 different IDs [item 3]`],
		['a/b', 'Transcription ID: "a/b" is not a transcription ID [item 3]'],
		['../v2/upload', 'Transcription ID: "../v2/upload" is not a transcription ID [item 3]'],
		[
			'https://api.gladia.io/v2/upload',
			'Transcription ID: "https://api.gladia.io/v2/upload" holds no transcription ID [item 3]',
		],
	])('refuses %j', (value, message) => {
		expect(() => checkedJobId(value, 3, node)).toThrow(message);
	});
});
