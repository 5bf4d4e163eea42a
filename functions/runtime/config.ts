// Settings read once from the environment at cold start; a bad, missing or contradictory value stops the
// start with a message naming the variable. This and dependencies.ts are the only readers of process.env.
import { hashSecret } from '../core/credentials.ts';
import { DEFAULT_CONFIG } from '../core/deps.ts';
import { isAudience, MAX_AUDIENCE_LENGTH } from '../core/token-claims.ts';
import { CORS_DEFAULT_ALLOW_ORIGINS } from '../http/cors.ts';
import { DEFAULT_DATA_DIR } from './data-folder.ts';

/** Where token state lives: the embedded file store (local mode) or one DynamoDB table. */
export type StoreConfig =
  | { kind: 'embedded' }
  | { kind: 'dynamodb'; table: string; endpoint: string | undefined };

/**
 * Where provider secrets are sealed: a key file in the data folder (local mode), a symmetric KMS key
 * (TESSERA_SECRETS_KEY_ID), or nowhere (the DynamoDB store without that key: sealing and opening refuse).
 */
export type SecretBoxConfig =
  | { kind: 'local' }
  | { kind: 'kms'; keyId: string; endpoint: string | undefined }
  | { kind: 'none' };

/** Who signs: a key file in the data folder (local mode) or KMS keys, the first one signing. */
export type SignerConfig =
  | { kind: 'local' }
  | { kind: 'kms'; keyIds: string[]; endpoint: string | undefined };

export interface RuntimeConfig {
  issuer: string;
  clockSkewSeconds: number;
  maxTtlSeconds: number;
  refreshGraceSeconds: number;
  /** TESSERA_ECOSYSTEM_CACHE_SECONDS: how stale a container's ecosystem state may be (0: read every time). */
  ecosystemCacheSeconds: number;
  /** TESSERA_AUTHORIZER_AUDIENCE: the audience the authorizer requires of every token; none when unset. */
  authorizerAudience: string | undefined;
  /** Local mode's data folder: the store file, the signing key and the account token's hash. */
  dataDir: string;
  /** The account token itself (local mode), when given. */
  accountToken: string | undefined;
  /** Or its SHA-256, hex. */
  accountTokenHash: string | undefined;
  /** Or the Secrets Manager secret whose SecretString is the account token (AWS), read once at cold start. */
  accountTokenSecretArn: string | undefined;
  secretsManagerEndpoint: string | undefined;
  store: StoreConfig;
  signer: SignerConfig;
  secretBox: SecretBoxConfig;
  /** AWS_REGION; defaults to us-east-1 when every AWS client talks to a local stand-in. */
  awsRegion: string | undefined;
  /**
   * True when a local stand-in (DynamoDB Local, a KMS double) is configured and no AWS credentials are
   * in the environment: the clients then sign with fixed dummy credentials, which stand-ins accept.
   */
  dummyCredentials: boolean;
  port: number;
  /** TESSERA_CORS_ALLOW_ORIGINS: `*`, a comma list of origins, or `none`. */
  corsAllowOrigins: readonly string[];
  /** TESSERA_EVENT_BUS_NAME: the EventBridge bus the events function puts events on (AWS). */
  eventBusName: string | undefined;
  /**
   * TESSERA_EVENTS_WEBHOOK and TESSERA_EVENTS_WEBHOOK_SECRET (local mode): where each event is POSTed, and
   * the key of its X-Tessera-Signature HMAC (functions/local/events-webhook.ts).
   */
  eventsWebhook: { url: string; secret: string } | undefined;
}

type Env = Record<string, string | undefined>;

function wholeNumber(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}; it is "${raw}".`);
  }
  return value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[]): T {
  const raw = optional(env, name) ?? values[0];
  if (!values.includes(raw as T)) {
    throw new Error(`${name} must be ${values.map((v) => `"${v}"`).join(' or ')}; it is "${raw}".`);
  }
  return raw as T;
}

function endpoint(env: Env, name: string): string | undefined {
  const raw = optional(env, name);
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`${name} must be an http(s) URL such as http://127.0.0.1:8000; it is "${raw}".`);
  }
  return raw;
}

/** Settings that only make sense with another one: refuse them rather than silently ignore them. */
function refuseUnless(env: Env, condition: boolean, names: string[], why: string): void {
  if (condition) return;
  const set = names.find((name) => optional(env, name) !== undefined);
  if (set !== undefined) throw new Error(`${set} is set, but ${why}.`);
}

function readStore(env: Env): StoreConfig {
  const kind = oneOf(env, 'TESSERA_STORE', ['embedded', 'dynamodb'] as const);
  refuseUnless(
    env,
    kind === 'dynamodb',
    ['TESSERA_TABLE', 'DYNAMODB_ENDPOINT'],
    'TESSERA_STORE is "embedded"; set TESSERA_STORE=dynamodb to use a DynamoDB table',
  );
  if (kind === 'embedded') return { kind };
  const table = optional(env, 'TESSERA_TABLE');
  if (table === undefined)
    throw new Error('TESSERA_TABLE is required when TESSERA_STORE=dynamodb: the table name.');
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
    throw new Error(
      `TESSERA_TABLE must be a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -); it is "${table}".`,
    );
  }
  return { kind, table, endpoint: endpoint(env, 'DYNAMODB_ENDPOINT') };
}

function readSigner(env: Env): SignerConfig {
  const kind = oneOf(env, 'TESSERA_SIGNER', ['local', 'kms'] as const);
  refuseUnless(
    env,
    kind === 'kms',
    ['TESSERA_KMS_KEY_IDS', 'KMS_ENDPOINT'],
    'TESSERA_SIGNER is "local"; set TESSERA_SIGNER=kms to sign with KMS',
  );
  if (kind === 'local') return { kind };
  const raw = optional(env, 'TESSERA_KMS_KEY_IDS');
  if (raw === undefined) {
    throw new Error(
      'TESSERA_KMS_KEY_IDS is required when TESSERA_SIGNER=kms: a comma list of key ids, ARNs or aliases, the signing key first.',
    );
  }
  const keyIds = raw.split(',').map((id) => id.trim());
  if (keyIds.some((id) => id === '')) throw new Error(`TESSERA_KMS_KEY_IDS has an empty entry: "${raw}".`);
  return { kind, keyIds, endpoint: endpoint(env, 'KMS_ENDPOINT') };
}

function readSecretBox(env: Env, store: StoreConfig, signer: SignerConfig): SecretBoxConfig {
  const keyId = optional(env, 'TESSERA_SECRETS_KEY_ID');
  if (keyId !== undefined) {
    return { kind: 'kms', keyId, endpoint: signer.kind === 'kms' ? signer.endpoint : undefined };
  }
  return store.kind === 'embedded' ? { kind: 'local' } : { kind: 'none' };
}

function readAudience(env: Env): string | undefined {
  const raw = optional(env, 'TESSERA_AUTHORIZER_AUDIENCE');
  if (raw === undefined || isAudience(raw)) return raw;
  throw new Error(
    `TESSERA_AUTHORIZER_AUDIENCE must be one audience: 1 to ${MAX_AUDIENCE_LENGTH} characters of well-formed text.`,
  );
}

function readCorsOrigins(env: Env): readonly string[] {
  const raw = optional(env, 'TESSERA_CORS_ALLOW_ORIGINS');
  if (raw === undefined) return CORS_DEFAULT_ALLOW_ORIGINS;
  if (raw.trim() === 'none') return [];
  const origins = raw.split(',').map((origin) => origin.trim());
  for (const origin of origins) {
    // An origin is scheme://host[:port] exactly: no path, no trailing slash (browsers compare it verbatim).
    const valid = origin === '*' || (/^https?:\/\/[^/\s]+$/.test(origin) && URL.canParse(origin));
    if (!valid) {
      throw new Error(
        `TESSERA_CORS_ALLOW_ORIGINS must be "*", "none" or a comma list of origins such as https://app.example.com; "${origin}" is none of these.`,
      );
    }
  }
  return origins;
}

/** The shortest webhook key accepted: an HMAC key should not be guessable. */
const MIN_WEBHOOK_SECRET_LENGTH = 16;

function readEventsWebhook(env: Env, store: StoreConfig): RuntimeConfig['eventsWebhook'] {
  const url = optional(env, 'TESSERA_EVENTS_WEBHOOK');
  refuseUnless(env, url !== undefined, ['TESSERA_EVENTS_WEBHOOK_SECRET'], 'TESSERA_EVENTS_WEBHOOK is not');
  if (url === undefined) return undefined;
  if (store.kind !== 'embedded') {
    throw new Error(
      'TESSERA_EVENTS_WEBHOOK is set, but TESSERA_STORE is "dynamodb": the webhook carries local mode\'s events (the embedded store); with DynamoDB, events go to the EventBridge bus.',
    );
  }
  if (!/^https?:\/\/[^/\s]/.test(url) || !URL.canParse(url)) {
    throw new Error(
      `TESSERA_EVENTS_WEBHOOK must be an http(s) URL such as http://127.0.0.1:9000/events; it is "${url}".`,
    );
  }
  const secret = optional(env, 'TESSERA_EVENTS_WEBHOOK_SECRET');
  if (secret === undefined || secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
    throw new Error(
      `TESSERA_EVENTS_WEBHOOK_SECRET is required when TESSERA_EVENTS_WEBHOOK is set: the key of the X-Tessera-Signature HMAC, at least ${MIN_WEBHOOK_SECRET_LENGTH} characters.`,
    );
  }
  return { url, secret };
}

function readAccount(env: Env) {
  const accountToken = optional(env, 'TESSERA_ACCOUNT_TOKEN');
  const accountTokenHash = optional(env, 'TESSERA_ACCOUNT_TOKEN_HASH');
  const accountTokenSecretArn = optional(env, 'TESSERA_ACCOUNT_TOKEN_SECRET_ARN');
  if (accountTokenHash !== undefined && !/^[0-9a-f]{64}$/.test(accountTokenHash)) {
    throw new Error('TESSERA_ACCOUNT_TOKEN_HASH must be a SHA-256 digest in lowercase hex.');
  }
  if (
    accountToken !== undefined &&
    accountTokenHash !== undefined &&
    hashSecret(accountToken) !== accountTokenHash
  ) {
    throw new Error(
      'TESSERA_ACCOUNT_TOKEN and TESSERA_ACCOUNT_TOKEN_HASH are both set and disagree; set one.',
    );
  }
  if (accountTokenSecretArn !== undefined && (accountToken ?? accountTokenHash) !== undefined) {
    throw new Error(
      'TESSERA_ACCOUNT_TOKEN_SECRET_ARN is set together with TESSERA_ACCOUNT_TOKEN or TESSERA_ACCOUNT_TOKEN_HASH; set one source.',
    );
  }
  refuseUnless(
    env,
    accountTokenSecretArn !== undefined,
    ['SECRETS_MANAGER_ENDPOINT'],
    'TESSERA_ACCOUNT_TOKEN_SECRET_ARN is not',
  );
  return {
    accountToken,
    accountTokenHash,
    accountTokenSecretArn,
    secretsManagerEndpoint: endpoint(env, 'SECRETS_MANAGER_ENDPOINT'),
  };
}

/**
 * @example
 * const config = readConfig(process.env); // throws "TESSERA_TABLE is required when TESSERA_STORE=dynamodb…"
 */
export function readConfig(env: Env): RuntimeConfig {
  const store = readStore(env);
  const signer = readSigner(env);
  const account = readAccount(env);
  const endpoints = [
    store.kind === 'dynamodb' ? store.endpoint : undefined,
    signer.kind === 'kms' ? signer.endpoint : undefined,
    account.secretsManagerEndpoint,
  ].filter((e) => e !== undefined);
  const awsCredentialsGiven =
    optional(env, 'AWS_ACCESS_KEY_ID') !== undefined || optional(env, 'AWS_PROFILE') !== undefined;
  const dummyCredentials = endpoints.length > 0 && !awsCredentialsGiven;
  return {
    issuer: optional(env, 'TESSERA_ISSUER') ?? DEFAULT_CONFIG.issuer,
    clockSkewSeconds: wholeNumber(env, 'TESSERA_CLOCK_SKEW_SECONDS', DEFAULT_CONFIG.clockSkewSeconds, 0),
    maxTtlSeconds: wholeNumber(env, 'TESSERA_MAX_TTL_SECONDS', DEFAULT_CONFIG.maxTtlSeconds, 1),
    refreshGraceSeconds: wholeNumber(
      env,
      'TESSERA_REFRESH_GRACE_SECONDS',
      DEFAULT_CONFIG.refreshGraceSeconds,
      0,
    ),
    ecosystemCacheSeconds: wholeNumber(
      env,
      'TESSERA_ECOSYSTEM_CACHE_SECONDS',
      DEFAULT_CONFIG.ecosystemCacheSeconds,
      0,
    ),
    authorizerAudience: readAudience(env),
    dataDir: optional(env, 'TESSERA_DATA_DIR') ?? DEFAULT_DATA_DIR,
    ...account,
    store,
    signer,
    secretBox: readSecretBox(env, store, signer),
    awsRegion: optional(env, 'AWS_REGION') ?? (dummyCredentials ? 'us-east-1' : undefined),
    dummyCredentials,
    port: wholeNumber(env, 'PORT', 3000, 0),
    corsAllowOrigins: readCorsOrigins(env),
    eventBusName: optional(env, 'TESSERA_EVENT_BUS_NAME'),
    eventsWebhook: readEventsWebhook(env, store),
  };
}
