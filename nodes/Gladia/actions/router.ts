// resource/operation → operation module. Resource and operation cannot differ per item (they
// take no expressions), so they are read from item 0.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as audio from './audio/Audio.resource';
import type { GladiaOperation, GladiaResource } from './node.type';
import * as transcription from './transcription/Transcription.resource';

type OperationModule = {
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
};

/** Every resource's operations; the types make a missing or unknown operation a compile error. */
const resources: { [R in GladiaResource]: Record<GladiaOperation<R>, OperationModule> } = {
	audio: { upload: audio.upload },
	transcription: {
		create: transcription.create,
		delete: transcription.delete,
		downloadAudio: transcription.downloadAudio,
		get: transcription.get,
		getMany: transcription.getMany,
		transcribe: transcription.transcribe,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as GladiaResource;
	const operation = this.getNodeParameter('operation', 0) as GladiaOperation;
	// Checked at run time too: a workflow saved by another version may name anything.
	const operations = resources[resource] as Record<string, OperationModule> | undefined;
	const module = operations?.[operation];
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}
	return [await module.execute.call(this, items)];
}
