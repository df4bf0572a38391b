// The resources and operations the router knows, as types.
type NodeMap = {
	audio: 'upload';
	transcription: 'create' | 'delete' | 'downloadAudio' | 'get' | 'getMany' | 'transcribe';
};

export type GladiaResource = keyof NodeMap;

export type GladiaOperation<R extends GladiaResource = GladiaResource> = NodeMap[R];
