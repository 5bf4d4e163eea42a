// The one reader of Tessera tokens, for the service and the client alike: the size cap before any
// parsing, three dot-separated parts in canonical base64url, a strict JSON header of exactly
// {"alg":"ES256","typ":"JWT","kid"} (so no crit, jwk, jku, x5u or x5c), a known kid, the signature, then
// a strict JSON payload with Tessera's claims (token-claims.ts). The signature check is passed in: the
// service gives node:crypto (es256.ts), the client WebCrypto. No node: import and no Buffer, so browsers
// and edge runtimes run this very file (as aws-jwt-verify runs one decoder behind its Node and web entries).
import { TesseraError } from './errors.ts';
import { type JsonObject, parseStrictJsonObject } from './strict-json.ts';
import {
  assertIssuer,
  type DecodedToken,
  extraClaimsOf,
  isNonEmptyString,
  readClaims,
  structureInvalid,
} from './token-claims.ts';
import { ES256_SIGNATURE_BYTES } from './token-keys.ts';

/** Tokens longer than this are refused before any decoding. */
export const MAX_TOKEN_LENGTH = 8192;

/**
 * The verification primitive and key set a reader checks signatures with. Finding the key is its own step
 * because an unknown kid is a token not ours (TOKEN_STRUCTURE_INVALID), told apart from a forged signature
 * (TOKEN_SIGNATURE_INVALID) before the payload is even decoded. Either step may answer synchronously, which
 * the reader then does not wait on: the service's warm path never leaves the call stack.
 */
export interface SignatureVerifier<Key> {
  /** The key a token's kid names; undefined when this verifier holds none by that kid. */
  keyFor(kid: string): Key | undefined | Promise<Key | undefined>;
  /** True when `signature` (64 bytes, r‖s) over the ASCII bytes of `header.payload` verifies with `key`. */
  verify(key: Key, signingInput: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
  /** Completes the refusal of an unknown kid, "it is signed with a key …": "this service does not know". */
  readonly unknownKey: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The value of each ASCII character in base64url, -1 for a character outside the alphabet. */
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

const sextet = (segment: string, i: number): number => {
  const c = segment.charCodeAt(i);
  return c < 128 ? (SEXTET[c] ?? -1) : -1;
};

/**
 * Decodes base64url only in its one canonical spelling: the alphabet only, no padding, a length that is not
 * 1 mod 4, and zero in the bits the last character carries past the final byte. That is exactly "decoding
 * then re-encoding gives the same text", so one token has one spelling.
 */
function decodeSegment(segment: string, what: string): Uint8Array {
  const rest = segment.length % 4;
  const whole = segment.length - rest;
  const bytes = new Uint8Array((segment.length * 3) >> 2);
  let invalid = rest === 1 ? -1 : 0;
  let j = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(segment, i);
    const b = sextet(segment, i + 1);
    const c = sextet(segment, i + 2);
    const d = sextet(segment, i + 3);
    invalid |= a | b | c | d;
    bytes[j++] = (a << 2) | (b >> 4);
    bytes[j++] = ((b & 0x0f) << 4) | (c >> 2);
    bytes[j++] = ((c & 0x03) << 6) | d;
  }
  let spare = 0;
  if (rest >= 2) {
    const a = sextet(segment, whole);
    const b = sextet(segment, whole + 1);
    invalid |= a | b;
    bytes[j++] = (a << 2) | (b >> 4);
    if (rest === 2) spare = b & 0x0f;
    else {
      const c = sextet(segment, whole + 2);
      invalid |= c;
      bytes[j] = ((b & 0x0f) << 4) | (c >> 2);
      spare = c & 0x03;
    }
  }
  if (invalid < 0) throw structureInvalid(`${what} is not base64url`);
  if (spare !== 0) throw structureInvalid(`${what} is not canonical base64url`);
  return bytes;
}

/** UTF-8 as Buffer#toString reads it: a leading BOM is kept (and then refused by the JSON parser). */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const ascii = new TextEncoder();

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
  const header = parseStrictJsonObject(utf8.decode(decodeSegment(headerPart, 'the header')));
  if (header === undefined) throw structureInvalid('the header is not a JSON object');
  const names = Object.keys(header);
  if (names.length !== 3 || header.alg !== 'ES256' || header.typ !== 'JWT' || !isNonEmptyString(header.kid)) {
    throw structureInvalid('the header must be exactly {"alg":"ES256","typ":"JWT","kid"}');
  }
  if (validHeaders.size >= HEADER_CACHE_LIMIT) validHeaders.clear(); // bounded whatever callers send
  validHeaders.set(headerPart, header.kid);
  return header.kid;
}

/** Where the two dots of a token are, after the size cap; anything but three parts is refused. */
function dotsOf(token: unknown): { token: string; first: number; second: number } {
  if (typeof token !== 'string' || token.length === 0) throw structureInvalid('no token was given');
  if (token.length > MAX_TOKEN_LENGTH) throw structureInvalid(`it is longer than ${MAX_TOKEN_LENGTH} bytes`);
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (second < 0 || token.indexOf('.', second + 1) >= 0) {
    throw structureInvalid('it does not have three dot-separated parts');
  }
  return { token, first, second };
}

/** A promise, of this realm or another, or any thenable: what the reader waits on, and nothing else. */
const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | undefined)?.then === 'function';

function decodedOf(kid: string, payloadBytes: Uint8Array): DecodedToken {
  const payload = parseSignedJsonObject(utf8.decode(payloadBytes));
  if (payload === undefined) throw structureInvalid('the payload is not a JSON object');
  return { kid, claims: readClaims(payload), extraClaims: extraClaimsOf(payload) };
}

/**
 * Checks a presented token's form and signature, cheapest checks first: length, shape, canonical
 * base64url, the header, a known kid, the signature, then the payload's claims and issuer. Expiry and
 * revocation are the caller's business.
 *
 * @example
 * const { kid, claims, extraClaims } = await readToken(token, keyRing, 'tessera');
 */
export async function readToken<Key>(
  token: unknown,
  verifier: SignatureVerifier<Key>,
  issuer: string,
): Promise<DecodedToken> {
  const { token: text, first, second } = dotsOf(token);
  const kid = headerKid(text.slice(0, first));
  const found = verifier.keyFor(kid);
  const key = isThenable(found) ? await found : found;
  if (key === undefined) throw structureInvalid(`it is signed with a key ${verifier.unknownKey}`);

  const payloadBytes = decodeSegment(text.slice(first + 1, second), 'the payload');
  const signature = decodeSegment(text.slice(second + 1), 'the signature');
  const checked =
    signature.length === ES256_SIGNATURE_BYTES &&
    verifier.verify(key, ascii.encode(text.slice(0, second)), signature);
  // Only `true` verifies: an answer of any other kind, whatever the primitive returned, never passes.
  if ((isThenable(checked) ? await checked : checked) !== true) {
    throw new TesseraError('TOKEN_SIGNATURE_INVALID', 'The token signature does not verify.');
  }
  const decoded = decodedOf(kid, payloadBytes);
  assertIssuer(decoded.claims, issuer);
  return decoded;
}

/**
 * Reads a token with every rule of {@link readToken} that needs no key: what a client can tell about a
 * token before sending it. Nothing here proves it authentic, nor checks its issuer.
 *
 * @example
 * const { claims } = readUnverifiedToken(token); // throws TOKEN_STRUCTURE_INVALID
 */
export function readUnverifiedToken(token: unknown): DecodedToken {
  const { token: text, first, second } = dotsOf(token);
  const kid = headerKid(text.slice(0, first));
  const payloadBytes = decodeSegment(text.slice(first + 1, second), 'the payload');
  decodeSegment(text.slice(second + 1), 'the signature');
  return decodedOf(kid, payloadBytes);
}
