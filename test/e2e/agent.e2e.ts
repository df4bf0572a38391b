/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// n8n's own AI Agent uses the Gladia node as a tool, in a real n8n: the agent's OpenAI Chat
// Model talks to a loopback stand-in that first asks for the tool, then answers. The test
// reads what the model was sent back: a bounded answer for a 1-hour recording, not the job.
import axios from 'axios';

import type { WorkflowJson } from '../../scripts/lib/n8n';
import { simplifyJob } from '../../nodes/Gladia/helpers/output';
import { TOOL_TRANSCRIPT_BUDGET } from '../../nodes/Gladia/helpers/toolAnswer';
import type { PreRecordedJob } from '../../nodes/Gladia/helpers/types';
import { E2E_API_KEY, e2eVersions, gladiaCredential, MANUAL_START, useE2eEnv, type E2eEnv } from './helpers/env';
import { startOpenAiStandIn, type ChatMessage, type OpenAiStandIn } from './helpers/openai';

const AUDIO_URL = 'https://example.com/calls/all-hands.wav?emulator_duration=3600';
const TOOL_NODE = 'Transcribe Audio';
// n8n names a tool after its node (nodeNameToToolName: spaces become underscores).
const TOOL_NAME = 'Transcribe_Audio';
const FINAL_ANSWER = 'The all-hands call is transcribed; the summary is above.';

function agentWorkflow(env: E2eEnv, openAiCredentialId: string): WorkflowJson {
	return {
		name: 'e2e: AI Agent with the Gladia tool',
		nodes: [
			MANUAL_START,
			{
				id: 'e2e-ag-2',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3,
				position: [220, 0],
				parameters: {
					promptType: 'define',
					text: `Transcribe ${AUDIO_URL} and tell me what the call was about.`,
					options: {},
				},
			},
			{
				id: 'e2e-ag-3',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.2,
				position: [120, 220],
				parameters: { model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, options: {} },
				credentials: { openAiApi: { id: openAiCredentialId, name: 'OpenAI (stand-in)' } },
			},
			{
				id: 'e2e-ag-4',
				name: TOOL_NODE,
				type: 'n8n-nodes-gladia.gladiaTool',
				typeVersion: 1,
				position: [340, 220],
				parameters: {
					resource: 'transcription',
					operation: 'transcribe',
					audioSource: 'url',
					audioUrl: "={{ $fromAI('audio_url', 'Public http(s) link to the audio or video file to transcribe', 'string') }}",
					diarization: true,
					summarization: true,
					options: {},
				},
				credentials: gladiaCredential(env),
			},
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			[TOOL_NODE]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
	};
}

function textOf(message: ChatMessage): string {
	const { content } = message;
	if (typeof content === 'string') return content;
	return (content ?? []).map((part) => part.text ?? '').join('');
}

describe.each(e2eVersions())('n8n %s: the Gladia node as an AI Agent tool', (version) => {
	const env = useE2eEnv(version);
	let model: OpenAiStandIn;
	let openAiCredentialId: string;

	beforeAll(async () => {
		model = await startOpenAiStandIn();
		openAiCredentialId = await env.client.createCredential('OpenAI (stand-in)', 'openAiApi', {
			apiKey: 'sk-stand-in',
			url: model.baseUrl,
		});
	});

	afterAll(async () => {
		await model?.close();
	});

	test('the model calls Transcribe on a 1-hour recording and gets a bounded answer back, not the job', async () => {
		model.script([
			{ toolCall: { pickTool: (tools) => tools.find((t) => t.function.name === TOOL_NAME)?.function.name ?? 'missing', arguments: { audio_url: AUDIO_URL } } },
			{ text: FINAL_ANSWER },
		]);
		const jobsBefore = new Set(env.emulator.jobs().map((j) => j.id));
		const { id } = await env.client.importWorkflow(agentWorkflow(env, openAiCredentialId));
		// A 1-hour recording: the node's first look after the audio_duration / 60 estimate (60 s).
		const execution = await env.client.waitForExecution(await env.client.runWorkflow(id), { timeoutMs: 150000 });
		expect(execution.error?.message).toBeUndefined();
		expect(execution.status).toBe('success');

		// The model was offered the Gladia tool, its one argument described by $fromAI.
		const [first, second, ...more] = model.chats();
		expect(more).toHaveLength(0);
		const tool = first.body.tools?.find((t) => t.function.name === TOOL_NAME);
		expect(tool?.function.description).toBe('Transcribe audio in Gladia');
		expect(tool?.function.parameters).toMatchObject({
			properties: { audio_url: { type: 'string', description: 'Public http(s) link to the audio or video file to transcribe' } },
			required: ['audio_url'],
		});

		// The tool call reached the node: one job at Gladia for that URL, with the node's options.
		const jobs = env.emulator.jobs().filter((j) => !jobsBefore.has(j.id));
		expect(jobs.map((j) => j.audioUrl)).toEqual([AUDIO_URL]);
		expect(jobs[0].request).toMatchObject({ diarization: true, summarization: true });
		expect(execution.runData[TOOL_NODE]).toBeDefined();

		// What went back to the model: the tool message of the second request.
		const toolMessage = second.body.messages?.find((m) => m.role === 'tool');
		expect(toolMessage?.tool_call_id).toBe('call_standin_0');
		const sent = textOf(toolMessage!);
		const [answer, ...others] = JSON.parse(sent) as Array<Record<string, unknown>>;
		expect(others).toHaveLength(0);
		expect(answer).toMatchObject({ id: jobs[0].id, status: 'done', audio_duration_seconds: 3600 });
		expect(answer.speakers).toBeGreaterThanOrEqual(2);
		expect(String(answer.summary).length).toBeGreaterThan(20);
		const transcript = String(answer.transcript);
		expect(transcript).toMatch(/^Speaker \d+: /);
		expect(transcript).toMatch(
			new RegExp(`\\[… [\\d,]+ more characters; call Get with Transcription ID ${jobs[0].id} and Simplify off for the full transcript\\]$`),
		);
		expect(transcript.length).toBeLessThan(TOOL_TRANSCRIPT_BUDGET + 200);
		expect(Number(answer.transcript_characters)).toBeGreaterThan(10 * TOOL_TRANSCRIPT_BUDGET);
		expect(Object.keys(answer)).not.toEqual(expect.arrayContaining(['utterances']));
		expect(sent).not.toContain('"words"');

		// Its size, next to the job it stands for (read from Gladia, and as Simplify would give it).
		const raw = (
			await axios.get<PreRecordedJob>(`${env.emulator.url}/v2/pre-recorded/${jobs[0].id}`, {
				headers: { 'x-gladia-key': E2E_API_KEY },
				responseType: 'json',
			})
		).data;
		const rawText = JSON.stringify(raw);
		const simplified = JSON.stringify(simplifyJob(raw));
		const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
		expect(bytes(sent)).toBeLessThan(8 * 1024);
		expect(bytes(rawText)).toBeGreaterThan(50 * bytes(sent));
		process.stdout.write(
			`[n8n ${version}] tool answer for a 1-hour recording: ${bytes(sent)} bytes, ${sent.length} characters ` +
				`(raw job ${bytes(rawText)} bytes, simplified job ${bytes(simplified)} bytes; transcript ${String(answer.transcript_characters)} characters)\n`,
		);

		// The model's final text is the agent's output.
		const [output] = env.client.nodeOutput(execution, 'AI Agent');
		expect(output.json.output).toBe(FINAL_ANSWER);
	}, 200000);

	test('a bad audio_url from the model: the field is named, no job is created', async () => {
		model.script([
			{ toolCall: { pickTool: () => TOOL_NAME, arguments: { audio_url: 'the recording from yesterday' } } },
			{ text: 'I need a link to the recording.' },
		]);
		const jobsBefore = env.emulator.jobs().length;
		const { id } = await env.client.importWorkflow(agentWorkflow(env, openAiCredentialId));
		const execution = await env.client.waitForExecution(await env.client.runWorkflow(id), { timeoutMs: 60000 });
		const message = 'Audio URL: "the recording from yesterday" is not an http(s) URL [item 0]';
		expect(env.emulator.jobs()).toHaveLength(jobsBefore);
		if (version.startsWith('1.')) {
			// n8n 1.x stops the workflow on a tool's error (unless the tool node's On Error says Continue).
			expect(execution.status).toBe('error');
			expect(execution.error?.message).toBe(message);
			expect(model.chats()).toHaveLength(1);
			return;
		}
		// n8n 2.x hands a tool's error to the model (an AI tool's On Error defaults to Continue).
		expect(execution.status).toBe('success');
		const toolMessage = model.chats()[1]?.body.messages?.find((m) => m.role === 'tool');
		expect(JSON.parse(textOf(toolMessage!))).toEqual([{ error: message }]);
	}, 120000);
});
