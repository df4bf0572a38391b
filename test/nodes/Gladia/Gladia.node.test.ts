// The node's description as n8n reads it: operations, tool use, defaults, parameter names.
import {
	NodeHelpers,
	Workflow,
	type INode,
	type INodeParameters,
	type INodeProperties,
} from 'n8n-workflow';

import { Gladia } from '../../../nodes/Gladia/Gladia.node';

const description = new Gladia().description;

const OPERATIONS: Record<string, string[]> = {
	audio: ['upload'],
	transcription: ['transcribe', 'create', 'delete', 'downloadAudio', 'get', 'getMany'],
};

function visibleParameters(
	resource: string,
	operation: string,
	set: INodeParameters = {},
): INodeParameters {
	const node = { parameters: { resource, operation, ...set } } as unknown as INode;
	return (
		NodeHelpers.getNodeParameters(
			description.properties,
			{ resource, operation, ...set },
			true,
			false,
			node,
			description,
		) ?? {}
	);
}

describe('Gladia node description', () => {
	it('is an action node usable as an AI tool, with the Gladia credential', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials).toEqual([{ name: 'gladiaApi', required: true }]);
		expect(description.name).toBe('gladia');
	});

	it('lists every operation of every resource', () => {
		for (const [resource, operations] of Object.entries(OPERATIONS)) {
			const operation = description.properties.find(
				(property) =>
					property.name === 'operation' &&
					property.displayOptions?.show?.resource?.includes(resource),
			);
			expect(
				(operation?.options as Array<{ value: string }>).map((option) => option.value),
			).toEqual(operations);
		}
	});

	it.each(Object.entries(OPERATIONS).flatMap(([resource, ops]) => ops.map((op) => [resource, op])))(
		'%s → %s resolves a default for every parameter it shows',
		(resource, operation) => {
			const parameters = visibleParameters(resource, operation);
			expect(parameters).toMatchObject({ resource, operation });
			const missing = Object.entries(parameters).filter(
				([, value]) => value === undefined || value === null,
			);
			expect(missing).toEqual([]);
		},
	);

	it('keeps the parameter names workflows depend on', () => {
		expect(Object.keys(visibleParameters('transcription', 'transcribe'))).toEqual(
			expect.arrayContaining([
				'audioSource',
				'audioUrl',
				'waitMode',
				'model',
				'language',
				'diarization',
				'translation',
				'summarization',
				'piiRedaction',
				'subtitles',
				'customVocabulary',
				'customSpelling',
				'audioIntelligence',
				'audioToLlm',
				'callback',
				'customMetadata',
				'additionalBody',
				'simplify',
				'outputItems',
				'options',
			]),
		);
		expect(visibleParameters('transcription', 'transcribe')).toMatchObject({
			audioSource: 'url',
			waitMode: 'poll',
			model: 'solaria-1',
			simplify: true,
			outputItems: 'job',
		});
		expect(visibleParameters('transcription', 'get')).toMatchObject({
			simplify: true,
			waitUntilDone: false,
		});
		expect(visibleParameters('audio', 'upload')).toMatchObject({
			audioSource: 'binary',
			binaryPropertyName: 'data',
		});
	});

	it('shows Subtitles as Binary on Transcribe only with Generate Subtitles on; always on Get', () => {
		expect(visibleParameters('transcription', 'transcribe')).not.toHaveProperty(
			'subtitlesAsBinary',
		);
		expect(visibleParameters('transcription', 'transcribe', { subtitles: true })).toHaveProperty(
			'subtitlesAsBinary',
			false,
		);
		expect(visibleParameters('transcription', 'get')).toHaveProperty('subtitlesAsBinary', false);
	});

	it('callback wait mode: a notice about the public webhook URL; no poll-only options', () => {
		const transcribe = description.properties.filter((property) =>
			property.displayOptions?.show?.operation?.includes('transcribe'),
		);
		const notice = transcribe.find((property) => property.type === 'notice');
		expect(notice?.displayOptions?.show?.waitMode).toEqual(['callback']);
		expect(notice?.displayName).toMatch(/N8N_WEBHOOK_URL.*localhost/s);
		expect(visibleParameters('transcription', 'transcribe')).not.toHaveProperty('callbackNotice');
		// As the editor decides what to show inside Options ("/waitMode" is the top-level parameter).
		const options = transcribe.find((property) => property.name === 'options');
		const shownOptions = (waitMode: string) => {
			const values = { resource: 'transcription', operation: 'transcribe', waitMode, options: {} };
			const node = { parameters: values, typeVersion: 1 } as unknown as INode;
			return (options?.options as INodeProperties[])
				.filter((option) =>
					NodeHelpers.displayParameterPath(values, option, 'options', node, description),
				)
				.map((option) => option.name);
		};
		expect(shownOptions('poll')).toEqual([
			'maxConcurrentJobs',
			'maxWaitSeconds',
			'minPollIntervalSeconds',
			'maxPollIntervalSeconds',
			'reuseEarlierJob',
			'reuseKey',
		]);
		// Callback mode never polls; Max Concurrent Jobs still bounds its creates.
		expect(shownOptions('callback')).toEqual([
			'maxConcurrentJobs',
			'maxWaitSeconds',
			'reuseEarlierJob',
			'reuseKey',
		]);
		const waitMode = transcribe.find((property) => property.name === 'waitMode');
		const callback = (waitMode?.options as Array<{ value: string; description: string }>).find(
			(option) => option.value === 'callback',
		);
		// The editor shows an option's description in one line: its first sentence must stand alone.
		expect(callback?.description.split('. ')[0].length).toBeLessThanOrEqual(40);
	});

	it.each([
		['transcription', 'transcribe', 'Transcribe'],
		['transcription', 'create', 'Create Transcription'],
		['transcription', 'get', 'Get Transcription'],
		['transcription', 'getMany', 'Get Many Transcriptions'],
		['transcription', 'delete', 'Delete Transcription'],
		['transcription', 'downloadAudio', 'Download Audio'],
		['audio', 'upload', 'Upload Audio'],
	])(
		'subtitle for %s → %s reads "%s" (n8n’s expression engine)',
		(resource, operation, expected) => {
			const node: INode = {
				id: 'n1',
				name: 'Gladia',
				type: 'n8n-nodes-gladia.gladia',
				typeVersion: 1,
				position: [0, 0],
				parameters: { resource, operation },
			};
			const workflow = new Workflow({
				nodes: [node],
				connections: {},
				active: false,
				nodeTypes: {
					getByName: () => new Gladia(),
					getByNameAndVersion: () => new Gladia(),
					getKnownTypes: () => ({}),
				},
			});
			// How the editor resolves a node's subtitle (getNodeSubtitle in n8n's editor).
			const subtitle = workflow.expression.getSimpleParameterValue(
				node,
				description.subtitle,
				'internal',
				{},
			);
			expect(subtitle).toBe(expected);
		},
	);
});
