// Gladia Trigger over real HTTP (setup: GladiaTrigger.harness.ts). The trigger’s description and
// activation (webhookMethods).
import { HookContext } from 'n8n-core';

import { GladiaTrigger } from '../../../nodes/Gladia/GladiaTrigger.node';
import { buildRunContext, makeAdditionalData, type TestCredentials } from '../../helpers/engine';
import { ALL_EVENTS, credentials, SECRET, useTriggerHarness } from './GladiaTrigger.harness';

useTriggerHarness();

describe('GladiaTrigger description', () => {
	const { description } = new GladiaTrigger();

	it('follows the trigger conventions', () => {
		expect(description.name).toBe('gladiaTrigger');
		expect(description.displayName).toContain('Trigger');
		expect(description.inputs).toEqual([]);
		expect(description.group).toEqual(['trigger']);
		expect('usableAsTool' in description).toBe(false);
		expect(description.credentials).toEqual([{ name: 'gladiaApi', required: true }]);
	});

	it('listens on one URL for POST and PUT, answering on receipt', () => {
		expect(
			description.webhooks?.map((webhook) => [
				webhook.httpMethod,
				webhook.path,
				webhook.responseMode,
			]),
		).toEqual([
			['POST', 'webhook', 'onReceived'],
			['PUT', 'webhook', 'onReceived'],
		]);
	});

	it('tells the user where to paste the URL and that n8n must be reachable', () => {
		const panel = JSON.stringify(description.triggerPanel);
		expect(panel).toContain('app.gladia.io → Webhooks');
		expect(panel).toContain('Callback URL');
		expect(panel).toContain('reachable from the internet');
	});
});

describe('GladiaTrigger activation (webhookMethods)', () => {
	async function lifecycle(extra: Partial<TestCredentials>) {
		const { node, workflow, credentialsHelper } = buildRunContext({
			nodeType: new GladiaTrigger(),
			parameters: { events: ALL_EVENTS },
			credentials: credentials(extra),
			nodeName: 'Gladia Trigger',
		});
		const context = new HookContext(
			workflow,
			node,
			makeAdditionalData(credentialsHelper, undefined, 'activation'),
			'trigger',
			'activate',
		);
		const methods = new GladiaTrigger().webhookMethods.default;
		return {
			checkExists: async () => await methods.checkExists.call(context),
			create: async () => await methods.create.call(context),
			delete: async () => await methods.delete.call(context),
		};
	}

	it('registers nothing remotely (Gladia has no webhook API) and accepts a good or empty secret', async () => {
		for (const webhookSigningSecret of [SECRET, '']) {
			const hooks = await lifecycle({ webhookSigningSecret });
			expect(await hooks.checkExists()).toBe(false);
			expect(await hooks.create()).toBe(true);
			expect(await hooks.delete()).toBe(true);
		}
	});

	it('fails activation with a clear error when the signing secret is unusable', async () => {
		const hooks = await lifecycle({ webhookSigningSecret: 'whsec_this is not base64' });
		await expect(hooks.create()).rejects.toMatchObject({
			message: 'Webhook Signing Secret: not a valid Svix secret',
			description: expect.stringContaining('app.gladia.io → Webhooks'),
		});
	});
});
