// A minimal node for exercising one helper inside n8n's real engine: its execute() hands the
// real IExecuteFunctions (credentials, httpRequestWithAuthentication, cancel signal) to `run`.
import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

export function probeNode(
	run: (this: IExecuteFunctions, items: INodeExecutionData[]) => Promise<IDataObject[]>,
): INodeType {
	return {
		description: {
			displayName: 'Helper Probe',
			name: 'helperProbe',
			group: ['transform'],
			version: 1,
			description: 'Runs one helper in the engine',
			defaults: { name: 'Helper Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'gladiaApi', required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const results = await run.call(this, this.getInputData());
			return [results.map((json, index) => ({ json, pairedItem: { item: index } }))];
		},
	};
}

/** The Gladia node as pure helpers see it: only named in their errors. */
export const GLADIA_NODE: INode = {
	id: 'n',
	name: 'Gladia',
	type: 'n8n-nodes-gladia.gladia',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
