// `npm start`: Tessera on 127.0.0.1 with an embedded store and a local key, no AWS account needed; or, when
// TESSERA_STORE / TESSERA_SIGNER say so, on DynamoDB and KMS (or their local stand-ins, see docs/aws.md).
import { type RuntimeConfig, readConfig } from '../runtime/config.ts';
import { buildLocalDependencies } from '../runtime/dependencies.ts';
import { localEventsFor } from './local-events.ts';
import { startLocalServer } from './server.ts';

/** One line saying where state lives and who signs. */
function describeAdapters(config: RuntimeConfig): string {
  const store =
    config.store.kind === 'embedded'
      ? `embedded store in ${config.dataDir}`
      : `DynamoDB table ${config.store.table}${config.store.endpoint === undefined ? '' : ` at ${config.store.endpoint}`}`;
  const signer =
    config.signer.kind === 'local'
      ? `local key in ${config.dataDir}`
      : `KMS key ${config.signer.keyIds[0]}${config.signer.endpoint === undefined ? '' : ` at ${config.signer.endpoint}`}`;
  return `${store}; signing with the ${signer}`;
}

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const { deps, store, newAccountToken } = await buildLocalDependencies(config);
  const events = localEventsFor(config, store); // none on DynamoDB: its stream feeds the events function
  const server = await startLocalServer({ deps, port: config.port });

  const lines = [`Tessera is listening on ${server.url} (${describeAdapters(config)})`];
  if (events !== undefined) {
    const webhook = config.eventsWebhook === undefined ? '' : `, and POSTed to ${config.eventsWebhook.url}`;
    lines.push(`Security events are appended to ${events.file}${webhook}.`);
  }
  if (newAccountToken !== undefined) {
    lines.push(
      '',
      'A new account token was generated. It is shown this once; only its hash is kept. In the shell you use curl from, run:',
      `  export TESSERA_ACCOUNT_TOKEN=${newAccountToken}`,
    );
  } else if (deps.config.accountTokenHash === '') {
    lines.push(
      '',
      'No account token is configured (TESSERA_ACCOUNT_TOKEN, TESSERA_ACCOUNT_TOKEN_HASH or TESSERA_ACCOUNT_TOKEN_SECRET_ARN): account routes will answer 401.',
    );
  } else if (
    config.store.kind === 'embedded' &&
    config.accountToken === undefined &&
    config.accountTokenHash === undefined
  ) {
    lines.push(
      '',
      `Using the account token made on first start (its hash is in ${config.dataDir}/account.json).`,
    );
  }
  lines.push(
    '',
    `The console (paste the account token): ${server.url}/console/`,
    '',
    'Create an ecosystem:',
    `  curl -s -X POST ${server.url}/v1/ecosystems -H "Authorization: Bearer $TESSERA_ACCOUNT_TOKEN"`,
    '',
  );
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: finishing requests in flight and saving data...\n`);
    await server.close(); // also writes the usage counts still held in memory
    await store.flush();
    await events?.close(); // the last events' lines; the webhook gets at most 2 s more
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Tessera could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
