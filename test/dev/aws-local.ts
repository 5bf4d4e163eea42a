// `npm run dev:aws-local`: Tessera on its AWS adapters without an AWS account. Starts DynamoDB Local and
// creates the table, starts the KMS double (a real P-256 key behind the KMS protocol), and serves the API
// through the local server with TESSERA_STORE=dynamodb and TESSERA_SIGNER=kms. Honours PORT; when
// DYNAMODB_ENDPOINT or KMS_ENDPOINT (with TESSERA_KMS_KEY_IDS) are set it uses those instead of starting
// its own, and creates the table (TESSERA_TABLE, default "tessera") if it is missing.
import { newAccountToken } from '../../functions/core/credentials.ts';
import { startLocalServer } from '../../functions/local/server.ts';
import { readConfig } from '../../functions/runtime/config.ts';
import { buildRuntimeDependencies } from '../../functions/runtime/dependencies.ts';
import {
  createTable,
  LOCAL_AWS,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '../helpers/dynamodb-local.ts';
import { startKmsDouble } from '../helpers/kms-double.ts';

const env = process.env;
const given = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

async function main(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  const lines: string[] = [];

  let dynamodbEndpoint = given('DYNAMODB_ENDPOINT');
  if (dynamodbEndpoint === undefined) {
    const local = await startDynamoDbLocal();
    stops.push(local.stop);
    dynamodbEndpoint = local.endpoint;
    lines.push(`DynamoDB Local (in memory) on ${dynamodbEndpoint}`);
  } else lines.push(`DynamoDB at ${dynamodbEndpoint}`);
  const table = given('TESSERA_TABLE') ?? 'tessera';
  const client = localDynamoDbClient(dynamodbEndpoint);
  await createTable(client, table);
  client.destroy();

  let kmsEndpoint = given('KMS_ENDPOINT');
  let keyIds = given('TESSERA_KMS_KEY_IDS');
  // Provider secrets: the double's symmetric key, or TESSERA_SECRETS_KEY_ID on your own KMS (none: refused).
  let secretsKeyId = given('TESSERA_SECRETS_KEY_ID');
  if (kmsEndpoint === undefined) {
    const kms = await startKmsDouble();
    stops.push(kms.close);
    kmsEndpoint = kms.endpoint;
    keyIds = kms.keyIds.join(',');
    secretsKeyId = kms.symmetricKeyIds[0];
    lines.push(`KMS double on ${kmsEndpoint} (key ${keyIds}, held in memory: a restart makes a new key)`);
  } else if (keyIds === undefined) {
    throw new Error('TESSERA_KMS_KEY_IDS is required when KMS_ENDPOINT is set: the keys to sign with there.');
  } else lines.push(`KMS at ${kmsEndpoint}`);

  const accountToken = given('TESSERA_ACCOUNT_TOKEN') ?? newAccountToken();
  const config = readConfig({
    AWS_REGION: LOCAL_AWS.region,
    ...env,
    TESSERA_STORE: 'dynamodb',
    TESSERA_TABLE: table,
    DYNAMODB_ENDPOINT: dynamodbEndpoint,
    TESSERA_SIGNER: 'kms',
    TESSERA_KMS_KEY_IDS: keyIds,
    KMS_ENDPOINT: kmsEndpoint,
    ...(secretsKeyId === undefined ? {} : { TESSERA_SECRETS_KEY_ID: secretsKeyId }),
    TESSERA_ACCOUNT_TOKEN: accountToken,
  });
  const { deps } = await buildRuntimeDependencies(config);
  const server = await startLocalServer({ deps, port: config.port });

  lines.unshift(`Tessera on its AWS adapters is listening on ${server.url} (table ${table})`);
  if (given('TESSERA_ACCOUNT_TOKEN') === undefined) {
    lines.push('', 'A new account token was generated for this run. In the shell you use curl from, run:');
    lines.push(`  export TESSERA_ACCOUNT_TOKEN=${accountToken}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping...\n`);
    await server.close();
    for (const s of stops.reverse()) await s();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `dev:aws-local could not start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
