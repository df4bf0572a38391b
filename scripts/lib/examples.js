'use strict';
/**
 * The importable example workflows in examples/, and how the demo and the e2e suite
 * load them into a running n8n.
 *
 *   loadExamples()                                → [{ file, json }] in file-name order
 *   localizeExample(json, { n8nUrl, filesDir })   → a copy whose http://localhost:5678 URLs
 *        point at n8n's actual URL and whose /home/node/.n8n-files folder is filesDir
 *        (the files are written for a default self-hosted n8n; nothing else is changed)
 *   importExamples(client, { credentialId, n8nUrl, filesDir, activate?, replace? })
 *        → [{ file, name, id, active }]: imports each example whose name is not there yet
 *        (replace: true re-imports it), and activates those with a trigger other than the
 *        Manual Trigger when activate is true (the default).
 */
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');
const DEFAULT_N8N_URL = 'http://localhost:5678';
const DEFAULT_FILES_DIR = '/home/node/.n8n-files';

function loadExamples(dir = EXAMPLES_DIR) {
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, json: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

function localizeExample(json, { n8nUrl, filesDir }) {
	const base = n8nUrl.replace(/\/$/, '');
	const rewrite = (value) => {
		if (typeof value === 'string') {
			let text = value.split(DEFAULT_N8N_URL).join(base);
			if (filesDir) text = text.split(DEFAULT_FILES_DIR).join(filesDir);
			return text;
		}
		if (Array.isArray(value)) return value.map(rewrite);
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rewrite(inner)]));
		}
		return value;
	};
	return { ...json, nodes: json.nodes.map((node) => ({ ...node, parameters: rewrite(node.parameters) })) };
}

function hasLiveTrigger(json) {
	return json.nodes.some(
		(node) => !node.disabled && /trigger$/i.test(node.type) && node.type !== 'n8n-nodes-base.manualTrigger',
	) || json.nodes.some((node) => !node.disabled && node.type === 'n8n-nodes-base.webhook');
}

async function importExamples(client, { credentialId, n8nUrl, filesDir, activate = true, replace = false }) {
	const existing = await client.workflows();
	const imported = [];
	for (const { file, json } of loadExamples()) {
		const already = existing.find((workflow) => workflow.name === json.name && !workflow.isArchived);
		if (already && !replace) {
			imported.push({ file, name: json.name, id: already.id, active: already.active, reused: true });
			continue;
		}
		const local = localizeExample(json, { n8nUrl, filesDir });
		const { id } = await client.importWorkflow(local, { credentialIds: { gladiaApi: credentialId } });
		const live = activate && hasLiveTrigger(json);
		if (live) await client.activateWorkflow(id);
		imported.push({ file, name: json.name, id, active: live, reused: false });
	}
	return imported;
}

module.exports = { EXAMPLES_DIR, loadExamples, localizeExample, importExamples, hasLiveTrigger };
