// Reading a user token without a key or a call, as mobile SDKs do before sending it: is it shaped like a
// Tessera token, and has its fixed or absolute deadline passed? The rules are the service's own reader
// (core/token-reader.ts) with the signature step left out. Nothing here proves the token authentic.
import type { ExpiryType } from '../core/expiry-models.ts';
import type { JsonObject } from '../core/strict-json.ts';
import {
  assertAudience,
  assertBeforeExp,
  CLAIM_ECOSYSTEM,
  CLAIM_EXPIRY_TYPE,
  CLAIM_TTL,
} from '../core/token-claims.ts';
import { readUnverifiedToken } from '../core/token-reader.ts';
import { asClientRefusal } from './client-error.ts';

/** What a token says about itself, before anyone checked its signature. */
export interface InspectedToken {
  /** The key id of the header: which JWKS key should verify it. */
  kid: string;
  issuer: string;
  userId: string;
  tokenId: string;
  ecosystemId: string;
  expiryType: ExpiryType;
  /** Seconds; null for Infinite. */
  ttl: number | null;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds of the fixed (FixedTtl) or absolute (SlidingTtl with maxTtl) deadline; null otherwise. */
  expiresAt: number | null;
  /** The extra claims given at issue, without Tessera's own. */
  claims: JsonObject;
  /** The audiences given at issue (its `aud`), or null. */
  audience: string[] | null;
  /** The three parts as sent, for a verifier that goes on to check the signature. */
  parts: { header: string; payload: string; signature: string };
}

export interface PrecheckOptions {
  /** Milliseconds since the epoch; defaults to Date.now. */
  now?: () => number;
  /** Seconds a deadline may lie in the past before this device calls it expired (its clock may run fast). */
  clockToleranceSeconds?: number;
  /** An audience the token must carry (`TOKEN_AUDIENCE_INVALID` otherwise); none is checked without it. */
  audience?: string | undefined;
}

/**
 * Decodes a token's header and claims with the service's own structure rules, without checking the
 * signature. Throws `TOKEN_STRUCTURE_INVALID` for anything the service would refuse as malformed.
 *
 * @example
 * const { userId, expiryType, expiresAt } = inspectToken(token);
 */
export function inspectToken(token: unknown): InspectedToken {
  const { kid, claims, extraClaims } = asClientRefusal(() => readUnverifiedToken(token));
  const [header = '', payload = '', signature = ''] = String(token).split('.');
  return {
    kid,
    issuer: claims.iss,
    userId: claims.sub,
    tokenId: claims.jti,
    ecosystemId: claims[CLAIM_ECOSYSTEM],
    expiryType: claims[CLAIM_EXPIRY_TYPE],
    ttl: claims[CLAIM_TTL] ?? null,
    issuedAt: claims.iat,
    expiresAt: claims.exp ?? null,
    claims: extraClaims,
    audience: claims.aud ?? null,
    parts: { header, payload, signature },
  };
}

/**
 * The check to run before sending a token anywhere: `TOKEN_STRUCTURE_INVALID` for a malformed token,
 * `TOKEN_EXPIRED` once its fixed or absolute deadline (`exp`) has passed, and with `options.audience`
 * `TOKEN_AUDIENCE_INVALID` for a token whose `aud` lacks it, with no key and no call. A token that passes
 * may still be refused by the service (signature, revocation, sliding idle time).
 *
 * @example
 * precheckToken(token); // throws TesseraClientError('TOKEN_EXPIRED') for a FixedTtl token past its deadline
 */
export function precheckToken(token: unknown, options: PrecheckOptions = {}): InspectedToken {
  const inspected = inspectToken(token);
  assertBeforeDeadline(inspected, options);
  const { audience } = inspected;
  asClientRefusal(() => assertAudience(audience === null ? {} : { aud: audience }, options.audience));
  return inspected;
}

/**
 * Throws `TOKEN_EXPIRED` when the token's `exp` is reached, as the service counts it (now >= exp).
 *
 * @example
 * assertBeforeDeadline(inspectToken(token), { now: () => Date.now() });
 */
export function assertBeforeDeadline(token: InspectedToken, options: PrecheckOptions = {}): void {
  if (token.expiresAt === null) return;
  const now = Math.floor((options.now ?? Date.now)() / 1000) - (options.clockToleranceSeconds ?? 0);
  const claims = { exp: token.expiresAt, [CLAIM_EXPIRY_TYPE]: token.expiryType };
  asClientRefusal(() => assertBeforeExp(claims, now));
}
