// Reading a user token without a key or a call, as mobile SDKs do before sending it: is it shaped like a
// Tessera token, and has its fixed or absolute deadline passed? Nothing here proves the token authentic.
import type { ExpiryType } from '../core/ports.ts';
import { type JsonObject, parseStrictJsonObject } from '../core/strict-json.ts';
import { TesseraClientError } from './client-error.ts';

/** Tokens longer than this are refused by the service before any decoding. */
const MAX_TOKEN_LENGTH = 8192;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const TESSERA_CLAIMS = new Set(['iss', 'sub', 'jti', 'iat', 'exp', 'tsr:eco', 'tsr:expiry', 'tsr:ttl']);

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
  /** The three parts as sent, for a verifier that goes on to check the signature. */
  parts: { header: string; payload: string; signature: string };
}

export interface PrecheckOptions {
  /** Milliseconds since the epoch; defaults to Date.now. */
  now?: () => number;
  /** Seconds a deadline may lie in the past before this device calls it expired (its clock may run fast). */
  clockToleranceSeconds?: number;
}

function structureInvalid(why: string): TesseraClientError {
  return new TesseraClientError(
    'TOKEN_STRUCTURE_INVALID',
    `The token is not a well-formed Tessera token: ${why}.`,
    { status: 401 },
  );
}

function decodeSegment(segment: string, what: string): Buffer {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1)
    throw structureInvalid(`${what} is not base64url`);
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) throw structureInvalid(`${what} is not canonical base64url`);
  return bytes;
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * Decodes a token's header and claims with the service's own structure rules, without checking the
 * signature. Throws `TOKEN_STRUCTURE_INVALID` for anything the service would refuse as malformed.
 *
 * @example
 * const { userId, expiryType, expiresAt } = inspectToken(token);
 */
export function inspectToken(token: unknown): InspectedToken {
  if (typeof token !== 'string' || token.length === 0) throw structureInvalid('no token was given');
  if (token.length > MAX_TOKEN_LENGTH) throw structureInvalid(`it is longer than ${MAX_TOKEN_LENGTH} bytes`);
  const split = token.split('.');
  if (split.length !== 3) throw structureInvalid('it does not have three dot-separated parts');
  const [header = '', payload = '', signature = ''] = split;

  const head = parseStrictJsonObject(decodeSegment(header, 'the header').toString('utf8'));
  if (head === undefined) throw structureInvalid('the header is not a JSON object');
  if (Object.keys(head).length !== 3 || head.alg !== 'ES256' || head.typ !== 'JWT' || !isString(head.kid)) {
    throw structureInvalid('the header must be exactly {"alg":"ES256","typ":"JWT","kid"}');
  }
  decodeSegment(signature, 'the signature');
  const body = parseStrictJsonObject(decodeSegment(payload, 'the payload').toString('utf8'));
  if (body === undefined) throw structureInvalid('the payload is not a JSON object');

  const { iss, sub, jti, iat, exp } = body;
  const eco = body['tsr:eco'];
  const type = body['tsr:expiry'];
  const ttl = body['tsr:ttl'];
  if (!isString(iss) || !isString(sub) || !isString(jti) || !isInteger(iat) || !isString(eco)) {
    throw structureInvalid('a required claim is missing or mistyped');
  }
  if (type !== 'Infinite' && type !== 'FixedTtl' && type !== 'SlidingTtl') {
    throw structureInvalid('claim tsr:expiry is missing or unknown');
  }
  if (exp !== undefined && !isInteger(exp)) throw structureInvalid('claim exp is not an integer');
  if (type === 'FixedTtl' && exp === undefined) throw structureInvalid('a FixedTtl token has no exp');
  if (type !== 'Infinite' && !isInteger(ttl)) throw structureInvalid('claim tsr:ttl is missing');

  return {
    kid: head.kid,
    issuer: iss,
    userId: sub,
    tokenId: jti,
    ecosystemId: eco,
    expiryType: type,
    ttl: isInteger(ttl) ? ttl : null,
    issuedAt: iat,
    expiresAt: exp ?? null,
    claims: Object.fromEntries(Object.entries(body).filter(([name]) => !TESSERA_CLAIMS.has(name))),
    parts: { header, payload, signature },
  };
}

/**
 * The check to run before sending a token anywhere: `TOKEN_STRUCTURE_INVALID` for a malformed token and
 * `TOKEN_EXPIRED` once its fixed or absolute deadline (`exp`) has passed, with no key and no call.
 * A token that passes may still be refused by the service (signature, revocation, sliding idle time).
 *
 * @example
 * precheckToken(token); // throws TesseraClientError('TOKEN_EXPIRED') for a FixedTtl token past its deadline
 */
export function precheckToken(token: unknown, options: PrecheckOptions = {}): InspectedToken {
  const inspected = inspectToken(token);
  assertBeforeDeadline(inspected, options);
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
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  if (now - (options.clockToleranceSeconds ?? 0) >= token.expiresAt) {
    const which = token.expiryType === 'FixedTtl' ? 'fixed deadline' : 'absolute deadline (maxTtl)';
    throw new TesseraClientError('TOKEN_EXPIRED', `The token passed its ${which}.`, { status: 401 });
  }
}
