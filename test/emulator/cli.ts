/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// npm run emulator -- --port 8787 [--storage-port N] [--host H] [--speed F] [--concurrency N]
//   [--queue-limit N] [--retry-after S] [--key K ...] [--webhook-url U ... --webhook-secret S]
//   [--webhook-headers svix|webhook] [--jitter F:SEED] [--list-items full|trimmed] [--no-fetch-audio-urls]
import { startEmulator } from './server';
import type { EmulatorOptions } from './types';

const USAGE = `Gladia emulator
  --port N             API port (default 8787; 0 = any free port)
  --storage-port N     storage origin port for /file redirects (default: any free port)
  --host H             bind address (default 127.0.0.1)
  --speed F            processing seconds per minute of audio (default 1)
  --concurrency N      jobs processed at once (default 25)
  --queue-limit N      jobs allowed to wait beyond concurrency before 429 (default 300)
  --retry-after S      send Retry-After: S with concurrency 429s
  --key K              a valid x-gladia-key (repeatable; default test-key)
  --webhook-url U      dashboard webhook endpoint (repeatable)
  --webhook-secret S   its Svix signing secret (whsec_...)
  --webhook-headers P  svix (default) or webhook header names
  --jitter F:SEED      each job takes T x a seeded factor in [1-F, 1+F] (e.g. 0.5:42)
  --list-items M       full (default) or trimmed list items, like real ones
  --no-fetch-audio-urls  never fetch loopback audio_url values
`;

export function parseArgs(argv: string[]): EmulatorOptions {
	const options: EmulatorOptions = { port: 8787 };
	const keys: string[] = [];
	const webhookUrls: string[] = [];
	let webhookSecret: string | undefined;
	let headerPrefix: 'svix' | 'webhook' | undefined;
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = () => {
			const next = argv[++i];
			if (next === undefined) throw new Error(`${flag} needs a value`);
			return next;
		};
		const number = () => {
			const raw = value();
			const parsed = Number(raw);
			if (!Number.isFinite(parsed) || parsed < 0)
				throw new Error(`${flag} needs a non-negative number, got "${raw}"`);
			return parsed;
		};
		switch (flag) {
			case '--port':
				options.port = number();
				break;
			case '--storage-port':
				options.storagePort = number();
				break;
			case '--host':
				options.host = value();
				break;
			case '--speed':
				options.speedFactor = number();
				break;
			case '--concurrency':
				options.concurrency = number();
				break;
			case '--queue-limit':
				options.queueLimit = number();
				break;
			case '--retry-after':
				options.retryAfterSeconds = number();
				break;
			case '--key':
				keys.push(value());
				break;
			case '--webhook-url':
				webhookUrls.push(value());
				break;
			case '--webhook-secret':
				webhookSecret = value();
				break;
			case '--webhook-headers': {
				const prefix = value();
				if (prefix !== 'svix' && prefix !== 'webhook')
					throw new Error('--webhook-headers is svix or webhook');
				headerPrefix = prefix;
				break;
			}
			case '--jitter': {
				const [factor, seed] = value().split(':').map(Number);
				options.jitter = { factor, seed };
				break;
			}
			case '--list-items':
				options.listItems = value() as EmulatorOptions['listItems'];
				break;
			case '--no-fetch-audio-urls':
				options.fetchAudioUrls = false;
				break;
			case '--help':
			case '-h':
				throw new Error('help');
			default:
				throw new Error(`Unknown option ${flag}`);
		}
	}
	if (keys.length) options.apiKeys = keys;
	if (webhookUrls.length || webhookSecret) {
		if (!webhookUrls.length || !webhookSecret)
			throw new Error('--webhook-url and --webhook-secret go together');
		options.webhook = { urls: webhookUrls, secret: webhookSecret, headerPrefix };
	}
	return options;
}

async function main() {
	let options: EmulatorOptions;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		const help = (error as Error).message === 'help';
		process.stderr.write(`${help ? '' : `${(error as Error).message}\n\n`}${USAGE}`);
		process.exit(help ? 0 : 2);
	}
	const emulator = await startEmulator(options);
	const keys = options.apiKeys ?? ['test-key'];
	process.stdout.write(
		[
			`Gladia emulator listening`,
			`  API:      ${emulator.url}`,
			`  storage:  ${emulator.storageUrl}`,
			`  keys:     ${keys.join(', ')}`,
			`  control:  ${emulator.url}/__emulator/{log,jobs,callbacks,webhooks,config} (GET), {reset,faults,config,script} (POST)`,
			'',
		].join('\n'),
	);
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`${signal}: stopping\n`);
		void emulator.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
	main().catch((error: Error) => {
		process.stderr.write(`${error.stack ?? error.message}\n`);
		process.exit(1);
	});
}
