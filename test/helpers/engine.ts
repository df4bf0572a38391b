/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Runs our nodes inside n8n's real execution engine (n8n-core WorkflowExecute), the way
// n8n does: parameter resolution, expressions, credentials applied by the credential
// type's own `authenticate`, httpRequestWithAuthentication, binary helpers,
// continueOnFail, pairedItem, putExecutionToWait.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

// Must be set before any n8n-core service is constructed (they read the environment
// on first Container.get): keep n8n's instance settings and binary files in a temp dir.
const scratchDir = mkdtempSync(join(tmpdir(), 'gladia-engine-'));
process.env.N8N_USER_FOLDER ??= scratchDir;
process.env.N8N_BINARY_DATA_STORAGE_PATH ??= join(scratchDir, 'binary');
process.env.N8N_BINARY_DATA_SIGNING_SECRET ??= 'engine-tests';
process.env.N8N_LOG_LEVEL ??= 'silent';

import {
	type BinaryDataConfig,
	BinaryDataService,
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	RoutingNode,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type IBinaryData,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { GladiaApi } from '../../credentials/GladiaApi.credentials';
import { CREDENTIAL_TYPE } from '../../nodes/Gladia/helpers/constants';

// n8n-core ships its own copy of @n8n/di: its services live in that container.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Container } = require(
	require.resolve('@n8n/di', { paths: [dirname(require.resolve('n8n-core'))] }),
) as typeof import('@n8n/di');

export { CREDENTIAL_TYPE };

/** The credential data a test passes; `baseUrl` defaults to the credential's own default. */
export interface TestCredentials {
	apiKey: string;
	baseUrl?: string;
	webhookSigningSecret?: string;
}

const credentialTypes: Record<string, ICredentialType> = { [CREDENTIAL_TYPE]: new GladiaApi() };

/** Applies the credential type's defaults, as n8n does when decrypting. */
function withCredentialDefaults(type: string, data: IDataObject): ICredentialDataDecryptedObject {
	const properties = credentialTypes[type].properties;
	return NodeHelpers.getNodeParameters(
		properties,
		data as INodeParameters,
		true,
		false,
		null,
		null,
	) as ICredentialDataDecryptedObject;
}

/**
 * A credentials helper that hands out test data but authenticates exactly as n8n's
 * CredentialsHelper does: the credential type's `authenticate` (generic block with
 * `={{$credentials.…}}` expressions resolved by the workflow's expression engine, or
 * a function).
 */
class TestCredentialsHelper extends ICredentialsHelper {
	/** Every credential request options object after authentication, for assertions. */
	readonly authenticatedRequests: IHttpRequestOptions[] = [];

	constructor(private readonly data: Record<string, IDataObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		const auth = type?.authenticate;
		if (typeof auth === 'function') {
			const authenticated = await auth(credentials, requestOptions);
			this.authenticatedRequests.push(authenticated);
			return authenticated;
		}
		if (auth?.type === 'generic') {
			const resolve = (value: unknown): unknown => {
				if (typeof value !== 'string' || !value.startsWith('=')) return value;
				if (!workflow || !node)
					throw new Error('authenticate needs the workflow to resolve expressions');
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved === undefined || resolved === null ? '' : String(resolved);
			};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, block] of Object.entries(auth.properties)) {
				target[outerKey] ??= {};
				for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
					target[outerKey][String(resolve(key))] = resolve(value);
				}
			}
		}
		this.authenticatedRequests.push(requestOptions);
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by the engine harness');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type "${type}"`);
		return withCredentialDefaults(type, data);
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}

class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(name: string) {
		return this.types[name];
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown node type "${name}"`);
		return NodeHelpers.getVersionedNodeType(type, version);
	}

	getKnownTypes() {
		return {};
	}
}

export const TEST_BASE_URLS = {
	instance: 'http://localhost:5678',
	webhook: 'http://localhost:5678/webhook',
	webhookTest: 'http://localhost:5678/webhook-test',
	webhookWaiting: 'http://localhost:5678/webhook-waiting',
};

let executionCounter = 0;

export function makeAdditionalData(
	credentialsHelper: ICredentialsHelper,
	hooks: ExecutionLifecycleHooks | undefined,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executionId,
		variables: {},
		restApiUrl: `${TEST_BASE_URLS.instance}/rest`,
		instanceBaseUrl: TEST_BASE_URLS.instance,
		formBaseUrl: `${TEST_BASE_URLS.instance}/form`,
		formTestBaseUrl: `${TEST_BASE_URLS.instance}/form-test`,
		formWaitingBaseUrl: `${TEST_BASE_URLS.instance}/form-waiting`,
		webhookBaseUrl: TEST_BASE_URLS.webhook,
		webhookTestBaseUrl: TEST_BASE_URLS.webhookTest,
		webhookWaitingBaseUrl: TEST_BASE_URLS.webhookWaiting,
		mcpBaseUrl: `${TEST_BASE_URLS.instance}/mcp`,
		mcpTestBaseUrl: `${TEST_BASE_URLS.instance}/mcp-test`,
		currentNodeExecutionIndex: 0,
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

function nodeTypeName(nodeType: INodeType | IVersionedNodeType): string {
	return nodeType.description.name;
}

function credentialsData(
	credentials: TestCredentials | null | undefined,
): Record<string, IDataObject> {
	if (!credentials) return {};
	return { [CREDENTIAL_TYPE]: { ...credentials } };
}

// ---------------------------------------------------------------- binary store

export type BinaryMode = 'default' | 'filesystem';

/**
 * Switches n8n's binary store between memory (`default`: binaries carry base64 data and
 * no id) and `filesystem` (binaries carry an id; getBinaryStream reads the file).
 */
export async function setBinaryMode(mode: BinaryMode): Promise<void> {
	const service = Container.get(BinaryDataService);
	// BinaryDataConfig is a @Config class built for the service, not a DI service itself.
	(service as unknown as { config: BinaryDataConfig }).config.mode = mode;
	await service.init();
}

/** Stores data in the current binary store and returns an input item holding it. */
export async function makeBinaryItem(options: {
	data: Buffer | Readable;
	fileName?: string;
	mimeType?: string;
	json?: IDataObject;
	property?: string;
}): Promise<INodeExecutionData> {
	const binary: IBinaryData = {
		data: '',
		mimeType: options.mimeType ?? 'application/octet-stream',
		fileName: options.fileName,
		fileExtension: options.fileName?.split('.').pop(),
	};
	const stored = await Container.get(BinaryDataService).store(
		{ type: 'execution', workflowId: 'engine-test', executionId: 'input' },
		options.data,
		binary,
	);
	return { json: options.json ?? {}, binary: { [options.property ?? 'data']: stored } };
}

/** Reads a binary produced by a node (either store mode) back into a Buffer. */
export async function readBinary(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

// ---------------------------------------------------------------- runNode

export interface RunNodeOptions {
	nodeType: INodeType | IVersionedNodeType;
	parameters: INodeParameters;
	/** Input items (default: one empty item). */
	items?: INodeExecutionData[];
	/** `null` runs the node without credentials. */
	credentials?: TestCredentials | null;
	/** Shorthand for onError: 'continueRegularOutput'. */
	continueOnFail?: boolean;
	onError?: INode['onError'];
	typeVersion?: number;
	nodeName?: string;
	mode?: WorkflowExecuteMode;
	/** Aborting it cancels the execution (like the Stop button). */
	signal?: AbortSignal;
	/** Extra node settings (retryOnFail, maxTries, …). */
	nodeSettings?: Partial<INode>;
}

export interface RunNodeResult {
	status: IRun['status'];
	/** Output 0 (main) of the node; empty when it failed or waits. */
	items: INodeExecutionData[];
	/** Every output of the node (output 1 = error output with continueErrorOutput). */
	outputs: INodeExecutionData[][];
	/** The error the run ended with, as the engine recorded it. */
	error: IRun['data']['resultData']['error'];
	run: IRun;
	/** Set when the node put the execution to wait. */
	waitTill: Date | undefined;
	executionId: string;
	node: INode;
	workflow: Workflow;
	/** The resume URL n8n would give `$execution.resumeUrl` in this execution. */
	resumeUrl: string;
	/** Every credential request options object after authenticate ran. */
	authenticatedRequests: IHttpRequestOptions[];
	/** The run data, needed to resume a waiting execution with `resumeNode`. */
	runExecutionData: IRunExecutionData;
}

export function buildRunContext(options: {
	nodeType: INodeType | IVersionedNodeType;
	parameters: INodeParameters;
	credentials?: TestCredentials | null;
	typeVersion?: number;
	nodeName?: string;
	onError?: INode['onError'];
	nodeSettings?: Partial<INode>;
}) {
	const type = nodeTypeName(options.nodeType);
	// A versioned node type's base description has defaultVersion; a plain one has version.
	const description = options.nodeType.description as {
		version?: number | number[];
		defaultVersion?: number;
	};
	const version = Array.isArray(description.version)
		? description.version[description.version.length - 1]
		: (description.version ?? description.defaultVersion);
	const node: INode = {
		id: 'node-under-test',
		name: options.nodeName ?? 'Gladia',
		type,
		typeVersion: options.typeVersion ?? version ?? 1,
		position: [0, 0],
		parameters: options.parameters,
		...(options.credentials !== null
			? { credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Gladia account' } } }
			: {}),
		...(options.onError ? { onError: options.onError } : {}),
		...options.nodeSettings,
	};
	const nodeTypes = new TestNodeTypes({ [type]: options.nodeType });
	const workflowData: IWorkflowBase = {
		id: 'engine-test',
		name: 'Engine test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: { executionOrder: 'v1' },
	} as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const credentialsHelper = new TestCredentialsHelper(credentialsData(options.credentials));
	return { node, workflow, workflowData, credentialsHelper };
}

export interface SearchListOptions {
	nodeType: INodeType;
	/** The node's current parameters, as the editor sends them. */
	parameters: INodeParameters;
	credentials: TestCredentials;
	methodName: string;
	/** The parameter being edited, e.g. "parameters.transcriptionId". */
	path: string;
	filter?: string;
	paginationToken?: string;
}

/**
 * Calls a resource locator's list search the way n8n's editor endpoint does
 * (POST /rest/dynamic-node-parameters/resource-locator-results): a LoadOptionsContext on a
 * one-node workflow, then `methods.listSearch[methodName].call(context, filter, token)`.
 */
export async function searchList(options: SearchListOptions): Promise<INodeListSearchResult> {
	const { node, workflow, credentialsHelper } = buildRunContext(options);
	const additionalData = makeAdditionalData(credentialsHelper, undefined, 'list-search');
	const context = new LoadOptionsContext(workflow, node, additionalData, options.path);
	const method = options.nodeType.methods?.listSearch?.[options.methodName];
	if (!method) throw new Error(`no listSearch method ${options.methodName}`);
	return await method.call(context, options.filter, options.paginationToken);
}

/** Executes one node in n8n's WorkflowExecute and returns what the engine recorded. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const onError = options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined);
	const { node, workflow, workflowData, credentialsHelper } = buildRunContext({
		...options,
		onError,
	});
	const executionId = `exec-${++executionCounter}-${Date.now()}`;

	const hooks = new ExecutionLifecycleHooks(options.mode ?? 'manual', executionId, workflowData);
	let finished!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));

	const additionalData = makeAdditionalData(credentialsHelper, hooks, executionId);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node, data: { main: [options.items ?? [{ json: {} }]] }, source: null },
			],
		},
	});

	let execution: ReturnType<WorkflowExecute['processRunExecutionData']>;
	try {
		execution = new WorkflowExecute(
			additionalData,
			options.mode ?? 'manual',
			runExecutionData,
		).processRunExecutionData(workflow);
	} catch (error) {
		// e.g. WorkflowHasIssuesError: a required parameter is empty; n8n refuses to start.
		return describeRun(
			{
				status: 'error',
				data: { resultData: { runData: {}, error: error as never } },
			} as unknown as IRun,
			{ node, workflow, executionId, credentialsHelper, runExecutionData },
		);
	}
	const stop = () => execution.cancel();
	if (options.signal?.aborted) stop();
	options.signal?.addEventListener('abort', stop, { once: true });
	const run = await done;
	options.signal?.removeEventListener('abort', stop);

	return describeRun(run, { node, workflow, executionId, credentialsHelper, runExecutionData });
}

function describeRun(
	run: IRun,
	context: {
		node: INode;
		workflow: Workflow;
		executionId: string;
		credentialsHelper: TestCredentialsHelper;
		runExecutionData: IRunExecutionData;
	},
): RunNodeResult {
	const taskData = run.data.resultData.runData[context.node.name];
	const outputs = (taskData?.[taskData.length - 1]?.data?.main ?? []).map((output) => output ?? []);
	return {
		status: run.status,
		items: outputs[0] ?? [],
		outputs,
		error: run.data.resultData.error,
		run,
		waitTill: run.waitTill ?? undefined,
		executionId: context.executionId,
		node: context.node,
		workflow: context.workflow,
		resumeUrl: `${TEST_BASE_URLS.webhookWaiting}/${context.executionId}?signature=${
			(run.data as unknown as { resumeToken?: string }).resumeToken ?? ''
		}`,
		authenticatedRequests: context.credentialsHelper.authenticatedRequests,
		runExecutionData: context.runExecutionData,
	};
}

// ---------------------------------------------------------------- webhooks

/** An incoming HTTP request as a node's webhook() sees it. */
export interface TestWebhookRequest {
	body?: unknown;
	/** Raw body; defaults to JSON.stringify(body). */
	rawBody?: Buffer | string;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	method?: 'POST' | 'PUT' | 'GET';
	params?: Record<string, string>;
}

/** What the node wrote to the HTTP response itself (when it returns noWebhookResponse). */
export interface TestWebhookResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
	ended: boolean;
}

function fakeExpressPair(request: TestWebhookRequest) {
	const rawBody =
		request.rawBody === undefined
			? Buffer.from(request.body === undefined ? '' : JSON.stringify(request.body))
			: Buffer.from(request.rawBody);
	const headers = Object.fromEntries(
		Object.entries({ 'content-type': 'application/json', ...request.headers }).map(([k, v]) => [
			k.toLowerCase(),
			v,
		]),
	);
	const req = {
		method: request.method ?? 'POST',
		body: request.body ?? {},
		rawBody,
		readRawBody: async () => {},
		headers,
		query: request.query ?? {},
		params: request.params ?? {},
		header: (name: string) => headers[name.toLowerCase()],
		get: (name: string) => headers[name.toLowerCase()],
	};
	const response: TestWebhookResponse = {
		statusCode: 200,
		headers: {},
		body: undefined,
		ended: false,
	};
	const res = {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return res;
		},
		header(name: string, value: string) {
			return res.setHeader(name, value);
		},
		json(body: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		end(body?: unknown) {
			if (body !== undefined) response.body = body;
			response.ended = true;
			return res;
		},
	};
	return { req, res, response };
}

export interface RunWebhookOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	request: TestWebhookRequest;
	credentials?: TestCredentials | null;
	/** The webhook description name (default: 'default'). */
	webhookName?: string;
	nodeName?: string;
	mode?: WorkflowExecuteMode;
	/** Run data of a waiting execution (from runNode) when resuming one. */
	runExecutionData?: IRunExecutionData;
	executionId?: string;
}

export interface RunWebhookResult {
	result: IWebhookResponseData;
	response: TestWebhookResponse;
	authenticatedRequests: IHttpRequestOptions[];
}

export interface WebhookContextOptions {
	workflow: Workflow;
	node: INode;
	additionalData: IWorkflowExecuteAdditionalData;
	/** The Express-like request and response the webhook() reads and may answer on. */
	request: unknown;
	response: unknown;
	description: IWebhookDescription;
	path: string;
	webhookId?: string;
	mode?: WorkflowExecuteMode;
	/** Run data of a waiting execution, when resuming one. */
	runExecutionData?: IRunExecutionData | null;
}

/** n8n-core's real WebhookContext, as n8n builds it for one request to one of a node's webhooks. */
export function webhookContextFor(options: WebhookContextOptions): WebhookContext {
	const { additionalData, description, node, workflow } = options;
	additionalData.httpRequest = options.request as IWorkflowExecuteAdditionalData['httpRequest'];
	additionalData.httpResponse = options.response as IWorkflowExecuteAdditionalData['httpResponse'];
	const webhookData: IWebhookData = {
		httpMethod: description.httpMethod as IWebhookData['httpMethod'],
		node: node.name,
		path: options.path,
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		...(options.webhookId ? { webhookId: options.webhookId } : {}),
	};
	return new WebhookContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'webhook',
		webhookData,
		[],
		options.runExecutionData ?? null,
	);
}

/**
 * Calls a node's webhook() with n8n-core's real WebhookContext (the object n8n builds
 * for an incoming webhook request), backed by a minimal Express-like request/response.
 */
export async function runWebhook(options: RunWebhookOptions): Promise<RunWebhookResult> {
	const { node, workflow, credentialsHelper } = buildRunContext(options);
	const executionId = options.executionId ?? `exec-${++executionCounter}-${Date.now()}`;
	const additionalData = makeAdditionalData(credentialsHelper, undefined, executionId);
	const { req, res, response } = fakeExpressPair(options.request);
	const method = (options.request.method ?? 'POST') as IWebhookDescription['httpMethod'];
	const context = webhookContextFor({
		workflow,
		node,
		additionalData,
		request: req,
		response: res,
		description: {
			name: (options.webhookName ?? 'default') as IWebhookDescription['name'],
			httpMethod: method,
			path: '',
		},
		path: 'test',
		mode: options.mode,
		runExecutionData: options.runExecutionData,
	});
	if (!options.nodeType.webhook) throw new Error(`${node.type} has no webhook() method`);
	const result = await options.nodeType.webhook.call(context);
	return { result, response, authenticatedRequests: credentialsHelper.authenticatedRequests };
}

// ---------------------------------------------------------------- credential test

/**
 * Runs a credential type's `test` request the way n8n's CredentialsTester does: a
 * temporary declarative node whose routing is the test request, executed by n8n-core's
 * RoutingNode with the credential applied, then the test's rules.
 */
export async function testCredentials(
	credentials: TestCredentials,
	type = CREDENTIAL_TYPE,
): Promise<INodeCredentialTestResult> {
	const credentialType = credentialTypes[type];
	const testRequest = credentialType.test;
	if (!testRequest)
		return { status: 'Error', message: 'No testing function found for this credential.' };

	const data = withCredentialDefaults(type, { ...credentials });
	const testNodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	} as INodeType;
	const { node, workflow, credentialsHelper } = buildRunContext({
		nodeType: testNodeType,
		parameters: {},
		credentials: null,
		nodeName: 'Temp-Node',
	});
	node.credentials = { [type]: { id: 'cred-1', name: 'Gladia account' } };
	const additionalData = makeAdditionalData(credentialsHelper, undefined, 'credential-test');
	const runExecutionData = createRunExecutionData({ resultData: { runData: {} } });
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, testNodeType, {
		id: 'cred-1',
		name: 'Gladia account',
		type,
		data,
	});
	try {
		await routingNode.runNode();
	} catch (error) {
		const response = (error as { cause?: { response?: { status: number; statusText?: string } } })
			.cause?.response;
		if (response) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === response.status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
		const code = (error as { cause?: { code?: string } }).cause?.code;
		return { status: 'Error', message: code ?? (error as Error).message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
