// Types for scripts/lib/examples.js.
import type { N8nClient, WorkflowJson } from './n8n';

export const EXAMPLES_DIR: string;
export function loadExamples(dir?: string): Array<{ file: string; json: WorkflowJson }>;
export function localizeExample(json: WorkflowJson, options: { n8nUrl: string; filesDir?: string }): WorkflowJson;
export function hasLiveTrigger(json: WorkflowJson): boolean;
export function importExamples(
	client: N8nClient,
	options: { credentialId: string; n8nUrl: string; filesDir?: string; activate?: boolean; replace?: boolean },
): Promise<Array<{ file: string; name: string; id: string; active: boolean; reused: boolean }>>;
