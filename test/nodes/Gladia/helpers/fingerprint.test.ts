// The Reuse Earlier Job fingerprint: what changes it and what does not.
import {
	canonicalJson,
	resultDecidingOptions,
	reuseFingerprint,
	type AudioIdentity,
} from '../../../../nodes/Gladia/helpers/fingerprint';

const URL_AUDIO: AudioIdentity = { kind: 'url', url: 'https://media.example.com/a.mp3' };
const body = { audio_url: 'https://api.gladia.io/file/1', diarization: true, language: 'en' };

describe('reuseFingerprint', () => {
	it('is v1: + 64 hex characters, the same for the same options in any key order', () => {
		const fingerprint = reuseFingerprint(body, URL_AUDIO);
		expect(fingerprint).toMatch(/^v1:[0-9a-f]{64}$/);
		const reordered = { language: 'en', diarization: true, audio_url: body.audio_url };
		expect(reuseFingerprint(reordered, URL_AUDIO)).toBe(fingerprint);
	});

	it('ignores per-run fields: audio_url, callbacks, custom_metadata', () => {
		const perRun = {
			...body,
			audio_url: 'https://api.gladia.io/file/2',
			callback: true,
			callback_config: { url: 'https://n8n.example.com/webhook-waiting/7?n8n_gladia_key=k' },
			callback_url: 'https://old.example.com',
			custom_metadata: { n8n_idempotency_key: 'random', executionId: '7' },
		};
		expect(reuseFingerprint(perRun, URL_AUDIO)).toBe(reuseFingerprint(body, URL_AUDIO));
		expect(resultDecidingOptions(perRun)).toEqual({ diarization: true, language: 'en' });
	});

	it('changes with any result-deciding option, nested ones included', () => {
		const base = { ...body, translation_config: { target_languages: ['fr'] } };
		const changed = { ...body, translation_config: { target_languages: ['de'] } };
		expect(reuseFingerprint(changed, URL_AUDIO)).not.toBe(reuseFingerprint(base, URL_AUDIO));
		expect(reuseFingerprint({ ...body, diarization: false }, URL_AUDIO)).not.toBe(
			reuseFingerprint(body, URL_AUDIO),
		);
	});

	it('changes with the audio identity, and the kinds never collide', () => {
		const prints = [
			URL_AUDIO,
			{ kind: 'url', url: 'https://media.example.com/b.mp3' },
			{ kind: 'content', sha256: 'ab'.repeat(32) },
			{ kind: 'key', key: 'ab'.repeat(32) },
			{ kind: 'key', key: 'rec-1' },
		].map((audio) => reuseFingerprint(body, audio as AudioIdentity));
		expect(new Set(prints).size).toBe(prints.length);
	});
});

describe('canonicalJson', () => {
	it('sorts keys at every level, keeps array order, drops undefined fields', () => {
		expect(canonicalJson({ b: [2, { d: 1, c: null }], a: 'x', u: undefined })).toBe(
			'{"a":"x","b":[2,{"c":null,"d":1}]}',
		);
	});
});
