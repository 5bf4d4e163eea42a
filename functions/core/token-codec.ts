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
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function structureInvalid(why: string): TesseraError {
  return new TesseraError('TOKEN_STRUCTURE_INVALID', `The token is not a well-formed Tessera token: ${why}.`);
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * True when `segment` is base64url in its one canonical spelling: the alphabet only, no padding, a length
 * that is not 1 mod 4, and zero in the bits the last character carries past the final byte. This is
 * exactly "decoding then re-encoding gives the same text", without decoding.
 */
function isCanonicalBase64url(segment: string): boolean {
  if (!BASE64URL.test(segment)) return false;
  const rest = segment.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const last = ALPHABET.indexOf(segment[segment.length - 1] ?? '');
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** Decodes base64url only in its canonical form, so one token has exactly one spelling. */
function decodeSegment(segment: string, what: string): Buffer {
  if (!isCanonicalBase64url(segment)) {
    const why = BASE64URL.test(segment) && segment.length % 4 !== 1 ? 'canonical base64url' : 'base64url';
    throw structureInvalid(`${what} is not ${why}`);
  }
  return Buffer.from(segment, 'base64url');
}

/** The largest container count for which a JSON text surely nests no deeper than the strict parser allows. */
const FAST_PARSE_MAX_CONTAINERS = 32;
const ESCAPED_SURROGATE = /\\ud[89a-f]/i;

/**
 * The strict parse, taking a shortcut for the one spelling Tessera itself signs: when `JSON.parse` then
 * `JSON.stringify` gives back the very text, it holds no duplicate member, no whitespace and no
 * non-canonical number, so the strict parser would answer the same object. Texts with an escaped
 * surrogate or more than 32 objects and arrays (which might nest too deep) always take the strict parser.
 */
function parseSignedJsonObject(text: string): JsonObject | undefined {
  let containers = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) containers++; // { [
  }
  if (containers <= FAST_PARSE_MAX_CONTAINERS && !ESCAPED_SURROGATE.test(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined; // the strict parser below gives the answer
    }
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      JSON.stringify(value) === text
    ) {
      return value as JsonObject;
    }
  }
  return parseStrictJsonObject(text);
}

/** Headers repeat (one per signing key): each exact header text seen valid is parsed once, up to a bound. */
const HEADER_CACHE_LIMIT = 64;
const validHeaders = new Map<string, string>();

/** The kid of a header segment, checked as `{alg: ES256, typ: JWT, kid}` exactly. */
function headerKid(headerPart: string): string {
  const cached = validHeaders.get(headerPart);
  if (cached !== undefined) return cached;
  const header = parseStrictJsonObject(decodeSegment(headerPart, 'the header').toString('utf8'));
  if (header === undefined) throw structureInvalid('the header is not a JSON object');
  const names = Object.keys(header);
  if (names.length !== 3 || header.alg !== 'ES256' || header.typ !== 'JWT' || !isString(header.kid)) {
    throw structureInvalid('the header must be exactly {"alg":"ES256","typ":"JWT","kid"}');
  }
  if (validHeaders.size >= HEADER_CACHE_LIMIT) validHeaders.clear(); // bounded whatever callers send
  validHeaders.set(headerPart, header.kid);
  return header.kid;
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
  /** The same map once loaded, so a warm verify looks its key up without waiting on a promise. */
  #loaded: Map<string, KeyObject> | undefined;

  constructor(private readonly signer: Signer) {}

  async get(kid: string): Promise<KeyObject | undefined> {
    if (this.#loaded !== undefined) return this.#loaded.get(kid);
    this.#keys ??= this.signer.publicKeys().then(toKeyMap);
    try {
      this.#loaded = await this.#keys;
      return this.#loaded.get(kid);
    } catch (err) {
      this.#keys = undefined; // a failed fetch is retried on the next call, not cached
      throw err;
    }
  }

  /** The key of `kid` when the keys are loaded already; undefined tells the caller to use {@link get}. */
  peek(kid: string): KeyObject | undefined {
    return this.#loaded?.get(kid);
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
  const firstDot = token.indexOf('.');
  const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
  if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
    throw structureInvalid('it does not have three dot-separated parts');
  }
  const payloadPart = token.slice(firstDot + 1, secondDot);
  const signaturePart = token.slice(secondDot + 1);

  const kid = headerKid(token.slice(0, firstDot));
  const key = keys.peek(kid) ?? (await keys.get(kid));
  if (key === undefined) throw structureInvalid('it is signed with a key this service does not know');

  const payloadBytes = decodeSegment(payloadPart, 'the payload');
  const signature = decodeSegment(signaturePart, 'the signature');
  // The signing input is base64url text, so latin1 gives its exact ASCII bytes without a TextEncoder.
  const signingInput = Buffer.from(token.slice(0, secondDot), 'latin1');
  if (!verifyEs256(key, signingInput, signature)) {
    throw new TesseraError('TOKEN_SIGNATURE_INVALID', 'The token signature does not verify.');
  }

  const payload = parseSignedJsonObject(payloadBytes.toString('utf8'));
  if (payload === undefined) throw structureInvalid('the payload is not a JSON object');
  const claims = readClaims(payload, issuer);
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
  return { kid, claims, extraClaims };
}
