// The node's description as n8n reads it: operations, tool use, defaults, parameter names.
import { NodeHelpers, type INode, type INodeParameters } from 'n8n-workflow';

import { Gladia } from '../../../nodes/Gladia/Gladia.node';

const description = new Gladia().description;

const OPERATIONS: Record<string, string[]> = {
	audio: ['upload'],
	transcription: ['create', 'delete', 'downloadAudio', 'get', 'getMany', 'transcribe'],
};

function visibleParameters(resource: string, operation: string): INodeParameters {
	const node = { parameters: { resource, operation } } as unknown as INode;
	return (
		NodeHelpers.getNodeParameters(
			description.properties,
			{ resource, operation },
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
				'subtitlesAsBinary',
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
});
