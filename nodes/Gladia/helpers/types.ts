// Gladia pre-recorded API shapes (from Gladia's OpenAPI, see ARCHITECTURE.md).
// Only what the node reads is typed strictly; the rest stays open for fields Gladia adds.
import type { IDataObject } from 'n8n-workflow';

export type JobStatus = 'queued' | 'processing' | 'done' | 'error';

export interface AudioUploadResponse {
	audio_url: string;
	audio_metadata: {
		id: string;
		filename: string;
		source?: string;
		extension: string;
		size: number;
		audio_duration: number;
		number_of_channels: number;
	};
}

export interface InitTranscriptionResponse {
	id: string;
	result_url: string;
}

export type InitTranscriptionRequest = IDataObject & { audio_url: string };

export interface Word {
	word: string;
	start: number;
	end: number;
	confidence: number;
}

export interface Utterance {
	start: number;
	end: number;
	confidence: number;
	channel: number;
	speaker?: number;
	words: Word[];
	text: string;
	language: string;
}

export interface AddonError {
	status_code: number;
	exception: string;
	message: string;
}

/** Every add-on block follows this envelope. */
export interface AddonBlock<R = unknown> {
	success: boolean;
	is_empty: boolean;
	exec_time: number;
	error: AddonError | null;
	results: R;
}

export interface Subtitle {
	format: 'srt' | 'vtt';
	subtitles: string;
}

export interface Transcription {
	full_transcript: string;
	languages: string[];
	utterances: Utterance[];
	sentences?: Array<AddonBlock<unknown>>;
	subtitles?: Subtitle[];
}

export interface TranslationResult {
	error: AddonError | null;
	full_transcript: string;
	languages: string[];
	utterances: Utterance[];
	sentences?: unknown[];
	subtitles?: Subtitle[];
}

export interface TranscriptionResult {
	metadata: {
		audio_duration: number;
		number_of_distinct_channels: number;
		billing_time: number;
		transcription_time: number;
	};
	transcription?: Transcription;
	translation?: AddonBlock<TranslationResult[] | null>;
	summarization?: AddonBlock<string | null>;
	named_entity_recognition?: AddonBlock<
		Array<{ entity_type: string; text: string; start: number; end: number }> | null
	>;
	sentiment_analysis?: AddonBlock<unknown>;
	audio_to_llm?: AddonBlock<Array<AddonBlock<{ prompt: string | null; response: string | null }>> | null>;
	sentences?: AddonBlock<unknown>;
	chapterization?: AddonBlock<unknown>;
	[block: string]: unknown;
}

export interface FileInfo {
	id: string;
	filename: string | null;
	source: string | null;
	audio_duration: number | null;
	number_of_channels: number | null;
}

export interface PreRecordedJob {
	id: string;
	request_id: string;
	version: number;
	status: JobStatus;
	/** null only in a job built from a callback (helpers/callback.ts), which has no dates. */
	created_at: string | null;
	completed_at?: string | null;
	custom_metadata?: IDataObject | null;
	error_code?: number | null;
	post_session_metadata?: IDataObject;
	kind: 'pre-recorded';
	file?: FileInfo | null;
	request_params?: IDataObject | null;
	result?: TranscriptionResult | null;
}

export interface ListResponse {
	first: string;
	current: string;
	next: string | null;
	items: PreRecordedJob[];
}

/** Gladia's HTTP error body (all error statuses share it). */
export interface GladiaErrorBody {
	timestamp?: string;
	path?: string;
	request_id?: string;
	statusCode?: number;
	message?: string;
	validation_errors?: string[];
}
