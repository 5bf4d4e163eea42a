// The JWS compact form of a Tessera token: building and signing one, and the strict, ordered checks that
// turn a presented string into trusted claims. Only ES256 and only the service's own keys are accepted.
import type { KeyObject } from 'node:crypto';
import { TesseraError } from './errors.ts';
import { importEs256PublicJwk, verifyEs256 } from './es256.ts';
import type { ExpiryType, PublicJwk, Signer } from './ports.ts';
import { type JsonObject, parseStrictJsonObject } from './strict-json.ts';

/** Tokens longer than this are refused before any decoding. */
export const MAX_TOKEN_LENGTH = 8192;

/** Namespaced claims Tessera adds; user claims may not use the `tsr:` prefix. */
export const CLAIM_ECOSYSTEM = 'tsr:eco';
export const CLAIM_EXPIRY_TYPE = 'tsr:expiry';
export const CLAIM_TTL = 'tsr:ttl';

/** The claims Tessera itself sets, always present in a token it issued. */
export interface TesseraClaims {
  iss: string;
  sub: string;
  jti: string;
  iat: number;
  exp?: number;
  [CLAIM_ECOSYSTEM]: string;
  [CLAIM_EXPIRY_TYPE]: ExpiryType;
  [CLAIM_TTL]?: number;
}

export interface DecodedToken {
  kid: string;
  claims: TesseraClaims;
  /** The user's extra claims, without Tessera's own. */
  extraClaims: JsonObject;
}

const encoder = new TextEncoder();
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function structureInvalid(why: string): TesseraError {
  return new TesseraError('TOKEN_STRUCTURE_INVALID', `The token is not a well-formed Tessera token: ${why}.`);
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes base64url only in its canonical form, so one token has exactly one spelling. */
function decodeSegment(segment: string, what: string): Buffer {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1)
    throw structureInvalid(`${what} is not base64url`);
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) throw structureInvalid(`${what} is not canonical base64url`);
  return bytes;
}

/**
 * Signs claims as an ES256 JWS compact token with the signer's current key.
 *
 * @example
 * const token = await signToken(signer, { iss, sub: 'alice', jti, iat, 'tsr:eco': 'e1', 'tsr:expiry': 'Infinite' });
 */
export async function signToken(signer: Signer, claims: JsonObject): Promise<string> {
  const header = { alg: signer.alg, typ: 'JWT', kid: await signer.kid() };
  const signingInput = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  const signature = await signer.sign(encoder.encode(signingInput));
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
}

/** The public keys tokens may be signed with, by kid, turned into KeyObjects once. */
export class KeyRing {
  #keys: Promise<Map<string, KeyObject>> | undefined;

  constructor(private readonly signer: Signer) {}

  async get(kid: string): Promise<KeyObject | undefined> {
    this.#keys ??= this.signer.publicKeys().then(toKeyMap);
    try {
      return (await this.#keys).get(kid);
    } catch (err) {
      this.#keys = undefined; // a failed fetch is retried on the next call, not cached
      throw err;
    }
  }
}

/** Keys marked for another use than verifying ES256 signatures are left out: their kid is unknown. */
function toKeyMap(jwks: PublicJwk[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks) {
    const key = importEs256PublicJwk(jwk);
    if (key !== undefined) keys.set(jwk.kid, key);
  }
  return keys;
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const TESSERA_CLAIMS = new Set([
  'iss',
  'sub',
  'jti',
  'iat',
  'exp',
  CLAIM_ECOSYSTEM,
  CLAIM_EXPIRY_TYPE,
  CLAIM_TTL,
]);

function readClaims(payload: JsonObject, issuer: string): TesseraClaims {
  const { iss, sub, jti, iat, exp } = payload;
  const eco = payload[CLAIM_ECOSYSTEM];
  const type = payload[CLAIM_EXPIRY_TYPE];
  const ttl = payload[CLAIM_TTL];
  if (!isString(iss) || !isString(sub) || !isString(jti) || !isInteger(iat) || !isString(eco)) {
    throw structureInvalid('a required claim is missing or mistyped');
  }
  if (type !== 'Infinite' && type !== 'FixedTtl' && type !== 'SlidingTtl') {
    throw structureInvalid(`claim ${CLAIM_EXPIRY_TYPE} is missing or unknown`);
  }
  if (exp !== undefined && !isInteger(exp)) throw structureInvalid('claim exp is not an integer');
  if (type === 'FixedTtl' && exp === undefined) throw structureInvalid('a FixedTtl token has no exp');
  if (type !== 'Infinite' && !isInteger(ttl)) throw structureInvalid(`claim ${CLAIM_TTL} is missing`);
  if (iss !== issuer) throw structureInvalid('it was issued by another service');
  const claims: TesseraClaims = { iss, sub, jti, iat, [CLAIM_ECOSYSTEM]: eco, [CLAIM_EXPIRY_TYPE]: type };
  if (exp !== undefined) claims.exp = exp;
  if (isInteger(ttl)) claims[CLAIM_TTL] = ttl;
  return claims;
}

/**
 * Checks a presented token's form and signature, cheapest checks first: length, shape, canonical
 * base64url, a strict JSON header of exactly `{alg: ES256, typ: JWT, kid}`, a known kid, the signature,
 * then the payload's claims. Expiry and revocation are the caller's business.
 */
export async function decodeToken(token: unknown, keys: KeyRing, issuer: string): Promise<DecodedToken> {
  if (typeof token !== 'string' || token.length === 0) throw structureInvalid('no token was given');
  if (token.length > MAX_TOKEN_LENGTH) throw structureInvalid(`it is longer than ${MAX_TOKEN_LENGTH} bytes`);
  const parts = token.split('.');
  if (parts.length !== 3) throw structureInvalid('it does not have three dot-separated parts');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;

  const header = parseStrictJsonObject(decodeSegment(headerPart, 'the header').toString('utf8'));
  if (header === undefined) throw structureInvalid('the header is not a JSON object');
  const names = Object.keys(header);
  if (names.length !== 3 || header.alg !== 'ES256' || header.typ !== 'JWT' || !isString(header.kid)) {
    throw structureInvalid('the header must be exactly {"alg":"ES256","typ":"JWT","kid"}');
  }
  const key = await keys.get(header.kid);
  if (key === undefined) throw structureInvalid('it is signed with a key this service does not know');

  const payloadBytes = decodeSegment(payloadPart, 'the payload');
  const signature = decodeSegment(signaturePart, 'the signature');
  const signingInput = encoder.encode(`${headerPart}.${payloadPart}`);
  if (!verifyEs256(key, signingInput, signature)) {
    throw new TesseraError('TOKEN_SIGNATURE_INVALID', 'The token signature does not verify.');
  }

  const payload = parseStrictJsonObject(payloadBytes.toString('utf8'));
  if (payload === undefined) throw structureInvalid('the payload is not a JSON object');
  const claims = readClaims(payload, issuer);
  const extraClaims = Object.fromEntries(
    Object.entries(payload).filter(([name]) => !TESSERA_CLAIMS.has(name)),
  );
  return { kid: header.kid, claims, extraClaims };
}
