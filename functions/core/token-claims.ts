// Tessera's claims in a token: their names and types, what each expiry model requires of them, and the time
// rules (iat and nbf within the clock skew, exp) that the service, the offline verifier and the client's
// pre-check apply alike. Part of the one token reader (token-reader.ts); no node: import.
import { TesseraError } from './errors.ts';
import { EXPIRY_MODELS, type ExpiryType, isExpiryType } from './expiry-models.ts';
import type { JsonObject } from './strict-json.ts';

/** Namespaced claims Tessera adds; user claims may not use the `tsr:` prefix. */
export const CLAIM_ECOSYSTEM = 'tsr:eco';
export const CLAIM_EXPIRY_TYPE = 'tsr:expiry';
export const CLAIM_TTL = 'tsr:ttl';

/** How many audiences a token may carry, and how long each may be (in code points, as API.md counts). */
export const MAX_AUDIENCES = 8;
export const MAX_AUDIENCE_LENGTH = 128;

/** The claims Tessera itself sets, always present in a token it issued. */
export interface TesseraClaims {
  iss: string;
  sub: string;
  jti: string;
  iat: number;
  exp?: number;
  /** The audiences given at issue; absent when none were. */
  aud?: string[];
  [CLAIM_ECOSYSTEM]: string;
  [CLAIM_EXPIRY_TYPE]: ExpiryType;
  [CLAIM_TTL]?: number;
}

/** A token as the reader answers it: its key id, Tessera's claims and the user's extra claims. */
export interface DecodedToken {
  kid: string;
  claims: TesseraClaims;
  /** The user's extra claims, without Tessera's own. */
  extraClaims: JsonObject;
}

/**
 * The refusal of anything that is not a well-formed Tessera token.
 *
 * @example
 * throw structureInvalid('the header is not a JSON object');
 */
export function structureInvalid(why: string): TesseraError {
  return new TesseraError('TOKEN_STRUCTURE_INVALID', `The token is not a well-formed Tessera token: ${why}.`);
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
export const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const TESSERA_CLAIMS = new Set([
  'iss',
  'sub',
  'jti',
  'iat',
  'exp',
  'aud',
  CLAIM_ECOSYSTEM,
  CLAIM_EXPIRY_TYPE,
  CLAIM_TTL,
]);

/** A lone surrogate: text a token payload cannot carry (the strict parser refuses it). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * True for one audience: a string of 1 to 128 code points of well-formed Unicode.
 *
 * @example
 * isAudience('chat-api'); // true
 */
export function isAudience(value: unknown): value is string {
  if (typeof value !== 'string' || value === '' || LONE_SURROGATE.test(value)) return false;
  let count = 0;
  for (const _ of value) if (++count > MAX_AUDIENCE_LENGTH) return false;
  return true;
}

/**
 * True for a token's audience list: 1 to 8 audiences ({@link isAudience}). Issue checks a requested list
 * with it, and the reader the `aud` of every token, so a token never carries one issue would refuse.
 *
 * @example
 * isAudienceList(['chat-api', 'admin-api']); // true
 */
export function isAudienceList(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.length >= 1 && value.length <= MAX_AUDIENCES && value.every(isAudience)
  );
}

/**
 * Tessera's claims of a payload, typed, with what its expiry model requires (`exp` for FixedTtl, `tsr:ttl`
 * for a model with a ttl). Which issuer is expected is the caller's check ({@link assertIssuer}).
 *
 * @example
 * const claims = readClaims(payload); // throws TOKEN_STRUCTURE_INVALID
 */
export function readClaims(payload: JsonObject): TesseraClaims {
  const { iss, sub, jti, iat, exp } = payload;
  const eco = payload[CLAIM_ECOSYSTEM];
  const type = payload[CLAIM_EXPIRY_TYPE];
  const ttl = payload[CLAIM_TTL];
  const aud = payload.aud;
  if (!isNonEmptyString(iss) || !isNonEmptyString(sub) || !isNonEmptyString(jti)) {
    throw structureInvalid('a required claim is missing or mistyped');
  }
  if (!isInteger(iat) || !isNonEmptyString(eco))
    throw structureInvalid('a required claim is missing or mistyped');
  if (!isExpiryType(type)) throw structureInvalid(`claim ${CLAIM_EXPIRY_TYPE} is missing or unknown`);
  const model = EXPIRY_MODELS[type];
  if (exp !== undefined && !isInteger(exp)) throw structureInvalid('claim exp is not an integer');
  if (model.exp === 'always' && exp === undefined) throw structureInvalid(`a ${type} token has no exp`);
  if (model.takesTtl && !isInteger(ttl)) throw structureInvalid(`claim ${CLAIM_TTL} is missing`);
  // Tessera signs aud only as a list of audiences (never the RFC 7519 single-string form).
  if (aud !== undefined && !isAudienceList(aud)) {
    throw structureInvalid(`claim aud is not a list of 1 to ${MAX_AUDIENCES} audiences`);
  }
  const claims: TesseraClaims = { iss, sub, jti, iat, [CLAIM_ECOSYSTEM]: eco, [CLAIM_EXPIRY_TYPE]: type };
  if (exp !== undefined) claims.exp = exp;
  if (aud !== undefined) claims.aud = [...aud];
  if (isInteger(ttl)) claims[CLAIM_TTL] = ttl;
  return claims;
}

/** Refuses a token another service issued. */
export function assertIssuer(claims: TesseraClaims, issuer: string): void {
  if (claims.iss !== issuer) throw structureInvalid('it was issued by another service');
}

/** The payload's claims other than Tessera's own: the extra claims given at issue. */
export function extraClaimsOf(payload: JsonObject): JsonObject {
  const extraClaims: JsonObject = {};
  for (const name of Object.keys(payload)) {
    // defineProperty, so a "__proto__" claim stays an ordinary member, as the strict parser made it.
    if (!TESSERA_CLAIMS.has(name)) {
      Object.defineProperty(extraClaims, name, {
        value: payload[name],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return extraClaims;
}

/**
 * Throws TOKEN_NOT_YET_VALID when the token's `iat`, or an `nbf` (only a key holder can set one), lies
 * beyond `now` plus the skew allowed between the issuer's clock and ours (epoch seconds).
 */
export function assertIssuedBefore(token: DecodedToken, now: number, skewSeconds: number): void {
  if (!(Math.max(token.claims.iat, Number(token.extraClaims.nbf ?? 0)) <= now + skewSeconds)) {
    throw new TesseraError('TOKEN_NOT_YET_VALID', 'The token was issued in the future; check the clocks.');
  }
}

/**
 * Throws TOKEN_EXPIRED once `now` (epoch seconds) reaches the token's `exp`, naming the deadline its
 * expiry model signs in: the fixed deadline, or the absolute (maxTtl) one.
 *
 * @example
 * assertBeforeExp({ exp: 1_800_000_000, 'tsr:expiry': 'FixedTtl' }, 1_800_000_000); // throws
 */
export function assertBeforeExp(
  claims: Pick<TesseraClaims, 'exp' | typeof CLAIM_EXPIRY_TYPE>,
  now: number,
): void {
  if (claims.exp !== undefined && now >= claims.exp) {
    const which = EXPIRY_MODELS[claims[CLAIM_EXPIRY_TYPE]].expName;
    throw new TesseraError('TOKEN_EXPIRED', `The token passed its ${which}.`);
  }
}

/**
 * Throws TOKEN_AUDIENCE_INVALID unless the token's `aud` holds `expected`; a token without `aud` is refused
 * too. No `expected` (undefined): the audience is not checked at all.
 *
 * @example
 * assertAudience({ aud: ['chat-api'] }, 'admin-api'); // throws TOKEN_AUDIENCE_INVALID
 */
export function assertAudience(claims: Pick<TesseraClaims, 'aud'>, expected: string | undefined): void {
  if (expected === undefined) return;
  if (claims.aud === undefined) {
    throw new TesseraError(
      'TOKEN_AUDIENCE_INVALID',
      `The token has no audience, and this check requires "${expected}".`,
    );
  }
  if (!claims.aud.includes(expected)) {
    throw new TesseraError('TOKEN_AUDIENCE_INVALID', `The token is not meant for audience "${expected}".`);
  }
}
