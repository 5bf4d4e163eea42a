// Building the use-cases' dependencies from configuration, once per container (or per local server): the
// embedded store or DynamoDB, the local key or KMS, and the account token's hash from the environment, the
// data folder or Secrets Manager.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { callAws } from '../adapters/aws-errors.ts';
import { DynamoDbStore } from '../adapters/dynamodb-store.ts';
import { EmbeddedStore } from '../adapters/embedded-store.ts';
import { KmsSigner } from '../adapters/kms-signer.ts';
import { LocalSigner } from '../adapters/local-signer.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { hashSecret, newAccountToken } from '../core/credentials.ts';
import type { Deps } from '../core/deps.ts';
import type { Signer, Store } from '../core/ports.ts';
import { KeyRing } from '../core/token-codec.ts';
import { type AwsClientSettings, dynamoDbClient, kmsClient, secretsManagerClient } from './aws-clients.ts';
import { type RuntimeConfig, readConfig } from './config.ts';

export const ACCOUNT_FILE = 'account.json';

/**
 * An account token hash no credential matches: a function started without any account-token source (verify
 * in AWS, say) still serves everything else, and the account simply cannot authenticate there.
 */
export const NO_ACCOUNT = '';

/** A store that can be asked to finish its writes (the embedded store's snapshot; DynamoDB has none). */
export type FlushableStore = Store & { flush(): Promise<void> };

/** The dependencies plus what the local server needs to flush on shutdown. */
export interface LocalDependencies {
  deps: Deps;
  store: FlushableStore;
  /** Set only when this start generated the account token: print it once. */
  newAccountToken: string | undefined;
}

function awsSettings(config: RuntimeConfig, endpoint: string | undefined): AwsClientSettings {
  return {
    region: config.awsRegion,
    endpoint,
    credentials: config.dummyCredentials ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
  };
}

/** The SecretString of the account-token secret is the account token itself, used as it is. */
async function accountTokenFromSecret(config: RuntimeConfig, secretId: string): Promise<string> {
  const client = secretsManagerClient(awsSettings(config, config.secretsManagerEndpoint));
  const answer = await callAws('The account token secret (Secrets Manager)', () =>
    client.send(new GetSecretValueCommand({ SecretId: secretId })),
  );
  if (answer.SecretString === undefined || answer.SecretString === '') {
    throw new Error(`The secret TESSERA_ACCOUNT_TOKEN_SECRET_ARN names holds no SecretString.`);
  }
  return answer.SecretString;
}

/**
 * The account token's hash: from the configuration (the token, its hash, or its secret, read once), else
 * in local mode the data folder's, else a new token is generated and only its hash kept; with the AWS
 * store and no source, NO_ACCOUNT.
 */
async function resolveAccountTokenHash(
  config: RuntimeConfig,
): Promise<{ hash: string; newAccountToken: string | undefined }> {
  if (config.accountTokenHash !== undefined)
    return { hash: config.accountTokenHash, newAccountToken: undefined };
  if (config.accountToken !== undefined)
    return { hash: hashSecret(config.accountToken), newAccountToken: undefined };
  if (config.accountTokenSecretArn !== undefined) {
    const token = await accountTokenFromSecret(config, config.accountTokenSecretArn);
    return { hash: hashSecret(token), newAccountToken: undefined };
  }
  if (config.store.kind !== 'embedded') return { hash: NO_ACCOUNT, newAccountToken: undefined };
  const file = join(config.dataDir, ACCOUNT_FILE);
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { accountTokenHash?: unknown };
    if (typeof stored.accountTokenHash === 'string')
      return { hash: stored.accountTokenHash, newAccountToken: undefined };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = newAccountToken();
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify({ accountTokenHash: hashSecret(token) })}\n`, { mode: 0o600 });
  return { hash: hashSecret(token), newAccountToken: token };
}

async function openStore(config: RuntimeConfig, clock: Clock): Promise<FlushableStore> {
  if (config.store.kind === 'embedded') return EmbeddedStore.open({ dataDir: config.dataDir, clock });
  const client = dynamoDbClient(awsSettings(config, config.store.endpoint));
  return new DynamoDbStore({ client, tableName: config.store.table, clock });
}

async function openSigner(config: RuntimeConfig): Promise<Signer> {
  if (config.signer.kind === 'local') return LocalSigner.fromDataDir(config.dataDir);
  const client = kmsClient(awsSettings(config, config.signer.endpoint));
  const signer = new KmsSigner({ client, keyIds: config.signer.keyIds });
  await signer.publicKeys(); // once per container: a wrong key fails the start, and verify never waits on KMS
  return signer;
}

/**
 * Builds the dependencies the configuration names.
 *
 * @example
 * const { deps } = await buildRuntimeDependencies(readConfig(process.env));
 */
export async function buildRuntimeDependencies(
  config: RuntimeConfig,
  clock: Clock = systemClock,
): Promise<LocalDependencies> {
  const [account, store, signer] = await Promise.all([
    resolveAccountTokenHash(config),
    openStore(config, clock),
    openSigner(config),
  ]);
  const deps: Deps = {
    store,
    signer,
    keys: new KeyRing(signer),
    clock,
    config: {
      issuer: config.issuer,
      clockSkewSeconds: config.clockSkewSeconds,
      maxTtlSeconds: config.maxTtlSeconds,
      refreshGraceSeconds: config.refreshGraceSeconds,
      accountTokenHash: account.hash,
    },
  };
  return { deps, store, newAccountToken: account.newAccountToken };
}

/** The name the local server and the test helpers know it by; it builds whatever the configuration names. */
export const buildLocalDependencies = buildRuntimeDependencies;

/** What a handler module builds at its first request when no dependencies were injected. */
export async function buildDependencies(): Promise<Deps> {
  return (await buildRuntimeDependencies(readConfig(process.env))).deps;
}
