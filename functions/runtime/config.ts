// Settings read once from the environment at cold start; a bad value stops the start with a clear message.
import { DEFAULT_CONFIG } from '../core/deps.ts';

export interface RuntimeConfig {
  issuer: string;
  clockSkewSeconds: number;
  maxTtlSeconds: number;
  refreshGraceSeconds: number;
  /** Local mode's data folder: the store file, the signing key and the account token's hash. */
  dataDir: string;
  /** The account token itself (local mode), when given. */
  accountToken: string | undefined;
  /** Or its SHA-256, hex (deployed functions are given only the hash). */
  accountTokenHash: string | undefined;
  port: number;
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

/**
 * @example
 * const config = readConfig(process.env); // throws "TESSERA_MAX_TTL_SECONDS must be a whole number…"
 */
export function readConfig(env: Env): RuntimeConfig {
  const accountTokenHash = optional(env, 'TESSERA_ACCOUNT_TOKEN_HASH');
  if (accountTokenHash !== undefined && !/^[0-9a-f]{64}$/.test(accountTokenHash)) {
    throw new Error('TESSERA_ACCOUNT_TOKEN_HASH must be a SHA-256 digest in lowercase hex.');
  }
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
    dataDir: optional(env, 'TESSERA_DATA_DIR') ?? '.tessera',
    accountToken: optional(env, 'TESSERA_ACCOUNT_TOKEN'),
    accountTokenHash,
    port: wholeNumber(env, 'PORT', 3000, 0),
  };
}
