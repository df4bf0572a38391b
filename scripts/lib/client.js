'use strict';
/**
 * A small client for n8n's internal REST API (/rest, the one its editor uses),
 * for n8n 1.x and 2.x. Documented in ./n8n.js. Requests carry the session cookie
 * and a fixed browser-id header (n8n binds the cookie to it).
 */
const path = require('node:path');
const axios = require('axios');

const DEMO_OWNER = {
	email: 'demo@example.com',
	password: 'Gladia-demo-1',
	firstName: 'Demo',
	lastName: 'User',
};

/** n8n stores execution data with `flatted`; read it with n8n's own copy. */
function parseFlatted(text, n8nDir) {
	const candidates = [];
	if (n8nDir) candidates.push(path.join(n8nDir, 'node_modules', 'flatted'));
	candidates.push('flatted');
	for (const candidate of candidates) {
		try {
			return require(candidate).parse(text);
		} catch (error) {
			if (error.code !== 'MODULE_NOT_FOUND') throw error;
		}
	}
	throw new Error('Cannot read execution data: the flatted module was not found next to n8n.');
}

class N8nClient {
	/** @param baseUrl e.g. http://127.0.0.1:5678  @param options { version, n8nDir } */
	constructor(baseUrl, { version = '2', n8nDir } = {}) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.major = Number(String(version).split('.')[0]);
		this.n8nDir = n8nDir;
		this.cookie = '';
		this.http = axios.create({ baseURL: this.baseUrl, timeout: 30000, validateStatus: () => true });
	}

	async request(method, url, data, { expect = [200] } = {}) {
		const res = await this.http.request({
			method,
			url,
			data,
			headers: { 'browser-id': 'n8n-nodes-gladia-e2e', ...(this.cookie ? { cookie: this.cookie } : {}) },
		});
		const setCookie = res.headers['set-cookie'];
		const auth = setCookie && setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
		if (!expect.includes(res.status)) {
			const body = typeof res.data === 'string' ? res.data : JSON.stringify(res.data);
			throw new Error(`n8n ${method} ${url} answered ${res.status}: ${body.slice(0, 600)}`);
		}
		return res.data && res.data.data !== undefined ? res.data.data : res.data;
	}

	async setupOwner(owner = DEMO_OWNER) {
		await this.request('POST', '/rest/owner/setup', owner);
		return owner;
	}

	async login(owner = DEMO_OWNER) {
		// 1.x before ~1.80 named the field `email`; later versions `emailOrLdapLoginId`.
		await this.request('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			email: owner.email,
			password: owner.password,
		});
	}

	/** Sets up the owner on a fresh n8n, or logs in when it already has one. */
	async signIn(owner = DEMO_OWNER) {
		const settings = await this.request('GET', '/rest/settings');
		const needsSetup = settings.userManagement && settings.userManagement.showSetupOnFirstLoad;
		if (needsSetup) await this.setupOwner(owner);
		else await this.login(owner);
		return owner;
	}

	async nodeTypeNames() {
		const types = await this.request('GET', '/types/nodes.json');
		return [...new Set(types.map((type) => type.name))];
	}

	async credentials() {
		return await this.request('GET', '/rest/credentials');
	}

	async createCredential(name, type, data) {
		const credential = await this.request('POST', '/rest/credentials', { name, type, data });
		return credential.id;
	}

	async updateCredential(id, name, type, data) {
		await this.request('PATCH', `/rest/credentials/${id}`, { name, type, data });
	}

	async workflows() {
		return await this.request('GET', '/rest/workflows');
	}

	/**
	 * Imports a workflow JSON (as exported by the editor). Node credentials are
	 * re-pointed to the ids in credentialIds ({ gladiaApi: '<id>' }).
	 */
	async importWorkflow(json, { credentialIds = {}, name } = {}) {
		const nodes = json.nodes.map((node) => {
			if (!node.credentials) return node;
			const credentials = {};
			for (const [type, ref] of Object.entries(node.credentials)) {
				credentials[type] = credentialIds[type] ? { id: credentialIds[type], name: ref.name } : ref;
			}
			return { ...node, credentials };
		});
		const workflow = await this.request('POST', '/rest/workflows', {
			name: name || json.name,
			nodes,
			connections: json.connections,
			settings: json.settings || { executionOrder: 'v1' },
			pinData: json.pinData || {},
			active: false,
		});
		return { id: workflow.id, versionId: workflow.versionId };
	}

	async workflow(id) {
		return await this.request('GET', `/rest/workflows/${id}`);
	}

	/** Activates (2.x: publishes) a workflow and resolves once its triggers are live. */
	async activateWorkflow(id, { timeoutMs = 30000 } = {}) {
		const workflow = await this.workflow(id);
		if (this.major < 2) {
			await this.request('PATCH', `/rest/workflows/${id}`, { active: true, versionId: workflow.versionId });
			return;
		}
		await this.request('POST', `/rest/workflows/${id}/activate`, { versionId: workflow.versionId });
		// 2.x registers triggers asynchronously (publication outbox): wait for the outcome.
		const deadline = Date.now() + timeoutMs;
		let state;
		while (Date.now() < deadline) {
			state = await this.request('GET', `/rest/workflows/${id}/publication-status`, undefined, {
				expect: [200, 404],
			});
			if (!state || state.code === 404) return; // publication service off: activation was synchronous
			if (state.status === 'published' && state.liveVersionId === workflow.versionId) return;
			if (state.status === 'failed' || state.status === 'partial') {
				const errors = state.triggers.filter((t) => t.errorMessage).map((t) => t.errorMessage);
				throw new Error(`Publishing workflow ${workflow.name} failed: ${errors.join('; ')}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		throw new Error(`Workflow ${workflow.name} was not published within ${timeoutMs} ms (${JSON.stringify(state)})`);
	}

	async deactivateWorkflow(id) {
		const workflow = await this.workflow(id);
		if (this.major >= 2) {
			await this.request('POST', `/rest/workflows/${id}/deactivate`, {});
		} else {
			await this.request('PATCH', `/rest/workflows/${id}`, { active: false, versionId: workflow.versionId });
		}
	}

	/** Runs a workflow as the editor's "Execute workflow" button does, from its manual trigger. */
	async runWorkflow(id, { trigger } = {}) {
		const workflow = await this.workflow(id);
		const start =
			trigger ||
			(workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger') || {}).name;
		if (!start) throw new Error(`Workflow ${workflow.name} has no Manual Trigger to run it from.`);
		const result = await this.request('POST', `/rest/workflows/${id}/run`, {
			workflowData: workflow, // read by 1.x; 2.x runs the saved version
			triggerToStartFrom: { name: start },
		});
		if (!result || !result.executionId) {
			throw new Error(`n8n did not start workflow ${workflow.name}: ${JSON.stringify(result)}`);
		}
		return String(result.executionId);
	}

	/** Execution summaries, newest first. */
	async executions(workflowId) {
		const query = new URLSearchParams({ limit: '100' });
		if (workflowId) query.set('filter', JSON.stringify({ workflowId }));
		const page = await this.request('GET', `/rest/executions?${query.toString()}`);
		return page.results || page;
	}

	async execution(id) {
		const raw = await this.request('GET', `/rest/executions/${id}`);
		const data = typeof raw.data === 'string' ? parseFlatted(raw.data, this.n8nDir) : raw.data;
		const resultData = (data && data.resultData) || {};
		return {
			id: String(raw.id),
			status: raw.status,
			finished: raw.finished,
			mode: raw.mode,
			workflowId: raw.workflowId,
			data,
			runData: resultData.runData || {},
			error: resultData.error,
			lastNodeExecuted: resultData.lastNodeExecuted,
		};
	}

	async waitForExecution(id, { statuses = ['success', 'error', 'crashed', 'canceled'], timeoutMs = 60000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		// n8n saves an execution's status and its data in two writes (1.x: two tables), so a
		// final status is trusted once two reads 250 ms apart show the same, non-empty run data.
		const shape = (e) =>
			JSON.stringify([e.status, e.lastNodeExecuted, Object.entries(e.runData).map(([n, runs]) => [n, runs.length])]);
		let last;
		let previous;
		while (Date.now() < deadline) {
			last = await this.execution(id).catch((error) => ({ status: `unreadable: ${error.message}`, runData: {} }));
			const hasData = last.error || Object.keys(last.runData).length > 0;
			if (statuses.includes(last.status) && hasData && previous === shape(last)) return last;
			previous = shape(last);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`Execution ${id} did not reach ${statuses.join('/')} within ${timeoutMs} ms (last status: ${last && last.status})`);
	}

	/** The items a node emitted in its first run on output 0 (or the given output), json + binary. */
	nodeOutput(execution, nodeName, { output = 0, run = 0 } = {}) {
		const runs = execution.runData[nodeName];
		if (!runs || !runs[run]) {
			throw new Error(
				`Node "${nodeName}" did not run in execution ${execution.id} (status ${execution.status}; ran: ${Object.keys(execution.runData).join(', ')})` +
					(execution.error ? `; error: ${execution.error.message}` : ''),
			);
		}
		const { data, error } = runs[run];
		if (error) throw new Error(`Node "${nodeName}" failed in execution ${execution.id}: ${error.message}`);
		return (data && data.main && data.main[output]) || [];
	}
}

module.exports = { N8nClient, DEMO_OWNER, parseFlatted };
