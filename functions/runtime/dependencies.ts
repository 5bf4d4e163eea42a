// Building the use-cases' dependencies from configuration, once per container (or per local server): the
// embedded store or DynamoDB, the local key or KMS, and the account token's hash from the environment, the
// data folder or Secrets Manager. Each Lambda function builds through a kit naming the AWS adapters it may
// use, so its bundle carries no client it never calls (esbuild drops what no kit it uses reaches); the keys
// function opens no store at all. core/deps.ts assembles what is opened here into Deps.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { callAws } from '../adapters/aws-errors.ts';
import { DynamoDbStore } from '../adapters/dynamodb-store.ts';
import { EmbeddedStore } from '../adapters/embedded-store.ts';
import { KmsSecretBox } from '../adapters/kms-secret-box.ts';
import { KmsSigner } from '../adapters/kms-signer.ts';
import { LocalSecretBox } from '../adapters/local-secret-box.ts';
import { LocalSigner } from '../adapters/local-signer.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { hashSecret, newAccountToken } from '../core/credentials.ts';
import { assembleDeps, type BaseDeps, baseDeps, type Deps, type DepsParts } from '../core/deps.ts';
import type { Signer, StorePorts } from '../core/ports.ts';
import { NO_SECRET_BOX, type SecretBox } from '../core/secret-box.ts';
import { type AwsClientSettings, dynamoDbClient, kmsClient, secretsManagerClient } from './aws-clients.ts';
import { type RuntimeConfig, readConfig } from './config.ts';

export const ACCOUNT_FILE = 'account.json';

/**
 * An account token hash no credential matches: a function started without any account-token source (verify
 * in AWS, say) still serves everything else, and the account simply cannot authenticate there.
 */
export const NO_ACCOUNT = '';

/** A store's four ports, and a way to finish its writes (the embedded store's snapshot; DynamoDB has none). */
export type FlushableStore = StorePorts & { flush(): Promise<void> };

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

/** Reads the account token (the SecretString itself) from a secret; only the functions that need it carry one. */
type SecretReader = (config: RuntimeConfig, secretId: string) => Promise<string>;

/** Opens the DynamoDB store; only the functions with a state port carry one. */
type DynamoDbOpener = (
  config: RuntimeConfig,
  table: string,
  endpoint: string | undefined,
  clock: Clock,
) => FlushableStore;

/** The AWS adapters a build may use beyond KMS, which every function needs for the public keys. */
interface AdapterKit {
  readSecret?: SecretReader;
  openDynamoDb: DynamoDbOpener;
}

/** The SecretString of the account-token secret is the account token itself, used as it is. */
const accountTokenFromSecret: SecretReader = async (config, secretId) => {
  const client = secretsManagerClient(awsSettings(config, config.secretsManagerEndpoint));
  const answer = await callAws('The account token secret (Secrets Manager)', () =>
    client.send(new GetSecretValueCommand({ SecretId: secretId })),
  );
  if (answer.SecretString === undefined || answer.SecretString === '') {
    throw new Error(`The secret TESSERA_ACCOUNT_TOKEN_SECRET_ARN names holds no SecretString.`);
  }
  return answer.SecretString;
};

const openDynamoDbStore: DynamoDbOpener = (config, table, endpoint, clock) =>
  new DynamoDbStore({ client: dynamoDbClient(awsSettings(config, endpoint)), tableName: table, clock });

/** Every adapter: the local server, the tests, and the functions that authenticate the account. */
const FULL_KIT: AdapterKit = { readSecret: accountTokenFromSecret, openDynamoDb: openDynamoDbStore };
/** verify, refresh, authorizer: tokens only, never the account token. */
const TOKEN_KIT: AdapterKit = { openDynamoDb: openDynamoDbStore };

/**
 * The account token's hash: from the configuration (the token, its hash, or its secret, read once), else
 * in local mode the data folder's, else a new token is generated and only its hash kept; with the AWS
 * store and no source, NO_ACCOUNT.
 */
async function resolveAccountTokenHash(
  config: RuntimeConfig,
  readSecret: SecretReader | undefined,
): Promise<{ hash: string; newAccountToken: string | undefined }> {
  if (config.accountTokenHash !== undefined)
    return { hash: config.accountTokenHash, newAccountToken: undefined };
  if (config.accountToken !== undefined)
    return { hash: hashSecret(config.accountToken), newAccountToken: undefined };
  // A function built without a secret reader never authenticates the account: it has no use for the hash.
  if (config.accountTokenSecretArn !== undefined && readSecret !== undefined) {
    const token = await readSecret(config, config.accountTokenSecretArn);
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

async function openStore(config: RuntimeConfig, clock: Clock, kit: AdapterKit): Promise<FlushableStore> {
  if (config.store.kind === 'embedded') return EmbeddedStore.open({ dataDir: config.dataDir, clock });
  return kit.openDynamoDb(config, config.store.table, config.store.endpoint, clock);
}

async function openSigner(config: RuntimeConfig): Promise<Signer> {
  if (config.signer.kind === 'local') return LocalSigner.fromDataDir(config.dataDir);
  const client = kmsClient(awsSettings(config, config.signer.endpoint));
  const signer = new KmsSigner({ client, keyIds: config.signer.keyIds });
  await signer.publicKeys(); // once per container: a wrong key fails the start, and verify never waits on KMS
  return signer;
}

/**
 * Where provider secrets are sealed: the data folder's key (local mode), the stack's symmetric KMS key (on
 * the signer's KMS endpoint), or NO_SECRET_BOX where neither is configured (a function that never seals or
 * opens one, such as verify in AWS).
 */
async function openSecretBox(config: RuntimeConfig): Promise<SecretBox> {
  const box = config.secretBox;
  if (box.kind === 'local') return LocalSecretBox.fromDataDir(config.dataDir);
  if (box.kind === 'none') return NO_SECRET_BOX;
  return new KmsSecretBox({ client: kmsClient(awsSettings(config, box.endpoint)), keyId: box.keyId });
}

/** What every function's dependencies are made of besides a store: the signer, the clock, the settings. */
async function buildParts(
  config: RuntimeConfig,
  clock: Clock,
  readSecret: SecretReader | undefined,
): Promise<{ parts: DepsParts; newAccountToken: string | undefined }> {
  const [account, signer] = await Promise.all([
    resolveAccountTokenHash(config, readSecret),
    openSigner(config),
  ]);
  const parts: DepsParts = {
    signer,
    clock,
    config: {
      issuer: config.issuer,
      clockSkewSeconds: config.clockSkewSeconds,
      maxTtlSeconds: config.maxTtlSeconds,
      refreshGraceSeconds: config.refreshGraceSeconds,
      ecosystemCacheSeconds: config.ecosystemCacheSeconds,
      authorizerAudience: config.authorizerAudience,
      accountTokenHash: account.hash,
    },
    corsAllowOrigins: config.corsAllowOrigins,
  };
  return { parts, newAccountToken: account.newAccountToken };
}

async function build(config: RuntimeConfig, clock: Clock, kit: AdapterKit): Promise<LocalDependencies> {
  const [{ parts, newAccountToken }, store, secretBox] = await Promise.all([
    buildParts(config, clock, kit.readSecret),
    openStore(config, clock, kit),
    openSecretBox(config),
  ]);
  return { deps: assembleDeps({ ...parts, store, secretBox }), store, newAccountToken };
}

/**
 * Builds the dependencies the configuration names, with every adapter available.
 *
 * @example
 * const { deps } = await buildRuntimeDependencies(readConfig(process.env));
 */
export async function buildRuntimeDependencies(
  config: RuntimeConfig,
  clock: Clock = systemClock,
): Promise<LocalDependencies> {
  return build(config, clock, FULL_KIT);
}

/** The name the local server and the test helpers know it by; it builds whatever the configuration names. */
export const buildLocalDependencies = buildRuntimeDependencies;

/** What the issue and admin functions build at their first request when no dependencies were injected. */
export async function buildDependencies(): Promise<Deps> {
  return (await build(readConfig(process.env), systemClock, FULL_KIT)).deps;
}

/**
 * What verify, refresh and the authorizer use: the token state, the cached ecosystem states and the usage
 * recorder, besides the base.
 */
export type TokenFunctionDeps = BaseDeps & Pick<Deps, 'tokens' | 'ecosystemState' | 'usage'>;

/**
 * What verify, refresh and the authorizer build: no Secrets Manager client in their bundles (they never
 * authenticate the account, whose hash stays NO_ACCOUNT there).
 *
 * @example
 * import { buildTokenDependencies as buildDependencies } from '../runtime/dependencies.ts';
 */
export async function buildTokenDependencies(): Promise<TokenFunctionDeps> {
  return (await build(readConfig(process.env), systemClock, TOKEN_KIT)).deps;
}

/** What the exchange function uses: what verify uses, the providers, and the box that opens their secrets. */
export type ExchangeFunctionDeps = TokenFunctionDeps & Pick<Deps, 'providers' | 'secretBox'>;

/**
 * What the exchange function builds: the token kit (no Secrets Manager client: it never authenticates the
 * account), with the secret box its TESSERA_SECRETS_KEY_ID names.
 *
 * @example
 * import { buildExchangeDependencies as buildDependencies } from '../runtime/dependencies.ts';
 */
export async function buildExchangeDependencies(): Promise<ExchangeFunctionDeps> {
  return (await build(readConfig(process.env), systemClock, TOKEN_KIT)).deps;
}

/**
 * What the keys function builds: the signer and its key ring, no state port, so no DynamoDB or Secrets
 * Manager client in its bundle and no store opened in either mode (it serves the public keys only).
 *
 * @example
 * import { buildKeysDependencies as buildDependencies } from '../runtime/dependencies.ts';
 */
export async function buildKeysDependencies(): Promise<BaseDeps> {
  return baseDeps((await buildParts(readConfig(process.env), systemClock, undefined)).parts);
}
