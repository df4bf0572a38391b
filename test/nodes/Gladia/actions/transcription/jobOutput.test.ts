// The node's tool variant (what n8n makes of a usableAsTool node for an AI Agent) in n8n's
// engine against the emulator: Transcribe and Get answer with a bounded tool answer.
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { Gladia } from '../../../../../nodes/Gladia/Gladia.node';
import { TOOL_TRANSCRIPT_BUDGET } from '../../../../../nodes/Gladia/helpers/toolAnswer';
import { runNode } from '../../../../helpers/engine';
import { audioUrl, FAST_WAIT, runGladia, useEmulator } from '../../../../helpers/gladia';

const emulator = useEmulator();

/** Like n8n's convertNodeToAiTool: the same node under the type name + "Tool". */
function toolVariant(): INodeType {
	const node = new Gladia();
	return Object.create(node, {
		description: { value: { ...node.description, name: `${node.description.name}Tool` } },
	}) as INodeType;
}

async function runTool(parameters: INodeParameters, toolArgs: IDataObject) {
	const result = await runNode({
		nodeType: toolVariant(),
		parameters,
		items: [{ json: toolArgs }],
		credentials: { apiKey: emulator.get().apiKey, baseUrl: emulator.get().url },
	});
	expect(result.error).toBeUndefined();
	return result;
}

/** 300 lines of about 70 characters: ~21,000 characters of transcript. */
const LONG_MEETING = {
	utterances: Array.from({ length: 300 }, (_, i) => ({
		text: `Point ${i}: we reviewed the roadmap and agreed on the next step.`,
		speaker: i % 3,
	})),
};

const transcribe = {
	resource: 'transcription',
	operation: 'transcribe',
	audioSource: 'url',
	audioUrl: '={{ $json.audio_url }}',
	diarization: true,
	summarization: true,
	options: FAST_WAIT,
};

describe('the Gladia tool', () => {
	it('Transcribe answers with one bounded item: transcript cut, speakers, summary, no utterances', async () => {
		emulator.get().script('standup', LONG_MEETING);
		const result = await runTool(transcribe, { audio_url: audioUrl('standup', 60) });
		expect(result.items).toHaveLength(1);
		const answer = result.items[0].json;
		const [job] = emulator.get().jobs();
		expect(answer).toMatchObject({ id: job.id, status: 'done', speakers: 3, languages: ['en'] });
		expect(typeof answer.summary).toBe('string');
		const transcript = String(answer.transcript);
		expect(transcript.startsWith('Speaker 1: Point 0: we reviewed the roadmap')).toBe(true);
		expect(transcript).toMatch(/next step\. \[… [\d,]+ more characters; call Get with Transcription ID .+\]$/);
		expect(transcript.indexOf(' [… ')).toBeLessThanOrEqual(TOOL_TRANSCRIPT_BUDGET);
		expect(answer.transcript_characters).toBeGreaterThan(20000);
		expect(answer).not.toHaveProperty('utterances');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('Transcribe as a tool ignores Output Items "One per Utterance": still one answer', async () => {
		emulator.get().script('standup', LONG_MEETING);
		const result = await runTool({ ...transcribe, outputItems: 'utterance' }, { audio_url: audioUrl('standup', 60) });
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toHaveProperty('transcript');
	});

	it('Get answers the same way, and with Simplify off gives Gladia’s job as configured', async () => {
		emulator.get().script('standup', LONG_MEETING);
		const done = await runGladia(emulator.get(), { ...transcribe, audioUrl: audioUrl('standup', 60) });
		const id = String(done.items[0].json.id);
		const get = { resource: 'transcription', operation: 'get', transcriptionId: '={{ $json.id }}', waitUntilDone: true, options: FAST_WAIT };

		const bounded = await runTool(get, { id });
		expect(bounded.items[0].json).toMatchObject({ id, status: 'done', speakers: 3 });
		expect(String(bounded.items[0].json.transcript)).toContain('more characters; call Get');

		const raw = await runTool({ ...get, simplify: false }, { id });
		expect(raw.items[0].json).toMatchObject({ id, status: 'done', kind: 'pre-recorded' });
		expect(raw.items[0].json).toHaveProperty('result.transcription.utterances');
	});

	it('the node itself (not a tool) still outputs the simplified job in full', async () => {
		emulator.get().script('standup', LONG_MEETING);
		const result = await runGladia(emulator.get(), { ...transcribe, audioUrl: audioUrl('standup', 60) });
		expect(result.items[0].json).toHaveProperty('utterances');
		expect(String(result.items[0].json.speaker_transcript)).not.toContain('more characters');
	});
});
