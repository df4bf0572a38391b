import type { INodeProperties } from 'n8n-workflow';

import * as upload from './upload.operation';

export { upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['audio'] } },
		options: [
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload an audio or video file to Gladia and get its audio_url',
				action: 'Upload an audio file',
			},
		],
		default: 'upload',
	},
	...upload.description,
];
