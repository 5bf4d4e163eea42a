// How a request names an expiry model, and when a token stops being valid. The models themselves (their
// durations, deadlines and timeline) are records in expiry-models.ts; this module applies them.
import { TesseraError } from './errors.ts';
import {
  DEFAULT_EXPIRY_TYPE,
  type Deadlines,
  EXPIRY_MODELS,
  EXPIRY_TYPES,
  type ExpiryType,
  isExpiryType,
} from './expiry-models.ts';
import type { TokenRecord } from './ports.ts';

export const DEFAULT_TTL_SECONDS = 3600;

/** The expiry a caller asked for, validated. */
export interface ExpiryRequest {
  expiryType: ExpiryType;
  /** null for Infinite. */
  ttl: number | null;
  /** SlidingTtl only; null when uncapped. */
  maxTtl: number | null;
}

/** Raw request values: strings from a query string, numbers from a direct invocation, or absent. */
export interface RawExpiry {
  expiryType?: unknown;
  ttl?: unknown;
  maxTtl?: unknown;
}

function wholeSeconds(name: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && /^[0-9]{1,12}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new TesseraError(
      'TOKEN_DURATION_INVALID',
      `${name} must be a whole number of seconds from ${min} to ${max}.`,
    );
  }
  return n;
}

/**
 * Validates an expiry request against the configured maximum ttl.
 *
 * @example
 * parseExpiry({ expiryType: 'SlidingTtl', ttl: '900', maxTtl: '86400' }, 31_536_000);
 * // { expiryType: 'SlidingTtl', ttl: 900, maxTtl: 86400 }
 */
export function parseExpiry(raw: RawExpiry, maxTtlSeconds: number): ExpiryRequest {
  // A direct event may send JSON null for a field it leaves to the default: null means absent, for all three.
  const given = (value: unknown) => (value === null ? undefined : value);
  const expiryType = given(raw.expiryType) ?? DEFAULT_EXPIRY_TYPE;
  const rawTtl = given(raw.ttl);
  const rawMaxTtl = given(raw.maxTtl);
  if (!isExpiryType(expiryType)) {
    throw new TesseraError(
      'TOKEN_EXPIRATION_TYPE_INVALID',
      `expiryType must be one of ${EXPIRY_TYPES.join(', ')}.`,
    );
  }
  const type: ExpiryType = expiryType;
  const model = EXPIRY_MODELS[type];
  if (rawMaxTtl !== undefined && !model.takesMaxTtl) {
    const capped = EXPIRY_TYPES.filter((name) => EXPIRY_MODELS[name].takesMaxTtl).join(', ');
    throw new TesseraError('TOKEN_DURATION_INVALID', `maxTtl applies to ${capped} tokens only.`);
  }
  if (!model.takesTtl) return { expiryType: type, ttl: null, maxTtl: null };
  // The default never outlives a configured maximum below it: no token lives longer than the operator allows.
  const ttl =
    rawTtl === undefined
      ? Math.min(DEFAULT_TTL_SECONDS, maxTtlSeconds)
      : wholeSeconds('ttl', rawTtl, 1, maxTtlSeconds);
  const maxTtl = rawMaxTtl === undefined ? null : wholeSeconds('maxTtl', rawMaxTtl, ttl, maxTtlSeconds);
  return { expiryType: type, ttl, maxTtl };
}

/** The deadlines of a token at the moment its record describes, as its expiry model sets them. */
export function deadlinesOf(token: TokenRecord): Deadlines {
  return EXPIRY_MODELS[token.expiryType].deadlines(token);
}

/** Throws TOKEN_EXPIRED, saying which deadline passed, unless the token is valid at `now` (epoch seconds). */
export function assertNotExpired(token: TokenRecord, now: number): void {
  const { expiresAt, absoluteExpiresAt } = deadlinesOf(token);
  if (expiresAt === null || now < expiresAt) return;
  const model = EXPIRY_MODELS[token.expiryType];
  // A model that records no use has one deadline, the one it signed in (FixedTtl).
  if (!model.recordsUse) {
    throw new TesseraError('TOKEN_EXPIRED', `The token passed its ${model.expName} (ttl ${token.ttl} s).`);
  }
  if (absoluteExpiresAt !== null && now >= absoluteExpiresAt) {
    throw new TesseraError(
      'TOKEN_EXPIRED',
      'The token passed its absolute deadline (maxTtl); sign in again.',
    );
  }
  throw new TesseraError(
    'TOKEN_EXPIRED',
    `The token was idle longer than its sliding ttl of ${token.ttl} s.`,
  );
}

/**
 * How long a SlidingTtl use may go unrecorded: min(60 s, ttl / 10). Skipping the write makes a token
 * expire at most this much early, never late, and spares the store a write on every verify.
 */
export function touchWindowSeconds(ttl: number): number {
  return Math.min(60, Math.floor(ttl / 10));
}

/** True when a use at `now` should be written to the store. */
export function shouldTouch(token: TokenRecord, now: number): boolean {
  if (!EXPIRY_MODELS[token.expiryType].recordsUse || token.lastUsedAt === null) return false;
  return now - token.lastUsedAt >= Math.max(1, touchWindowSeconds(token.ttl ?? 0));
}

/** When the store may forget a token's record: once it can no longer verify anyway (null: never). */
export function purgeAtOf(token: TokenRecord): number | null {
  return deadlinesOf(token).expiresAt;
}
