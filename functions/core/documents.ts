// The JSON objects callers hand Tessera to keep: a user's metadata and a token's extra claims.
import { TesseraError } from './errors.ts';
import { inexactNumberPath, type JsonObject, type JsonValue, parseStrictJson } from './strict-json.ts';

export const MAX_METADATA_BYTES = 4096;
export const MAX_CLAIMS_BYTES = 2048;

/** Claim names a caller may not set: the registered JWT claims, and everything Tessera namespaces. */
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti']);

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function byteLength(value: JsonValue): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * Refuses a number that would be kept rewritten (API.md v1.1), naming where it sits: one the strict parser
 * read as NaN, or, from a directly invoked event that Lambda parsed, an unsafe integer or an infinity.
 */
function assertExactNumbers(value: JsonObject, name: 'metadata' | 'claims'): void {
  const path = inexactNumberPath(value, name);
  if (path === undefined) return;
  throw new TesseraError(
    name === 'metadata' ? 'METADATA_INVALID' : 'CLAIMS_INVALID',
    `${path} is a number Tessera cannot keep exactly as sent: numbers must be finite, within ` +
      '±9007199254740991 (2^53 − 1), and hold no more digits than a 64-bit float.',
  );
}

/** A user's metadata: a JSON object of at most 4 KiB serialized; absent means `{}`. */
export function assertMetadata(value: unknown): JsonObject {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new TesseraError('METADATA_INVALID', 'metadata must be a JSON object.');
  assertExactNumbers(value, 'metadata');
  if (byteLength(value) > MAX_METADATA_BYTES) {
    throw new TesseraError(
      'METADATA_INVALID',
      `metadata must be at most ${MAX_METADATA_BYTES} bytes as JSON.`,
    );
  }
  return value;
}

/** A token's extra claims: a JSON object of at most 2 KiB, no reserved or `tsr:` names; absent means `{}`. */
export function assertClaims(value: unknown): JsonObject {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new TesseraError('CLAIMS_INVALID', 'claims must be a JSON object.');
  const reserved = Object.keys(value).find((name) => RESERVED_CLAIMS.has(name) || name.startsWith('tsr:'));
  if (reserved !== undefined) {
    throw new TesseraError(
      'CLAIMS_INVALID',
      `The claim "${reserved}" is reserved; registered JWT names and the tsr: prefix are Tessera's own.`,
    );
  }
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text, 'utf8') > MAX_CLAIMS_BYTES) {
    throw new TesseraError('CLAIMS_INVALID', `claims must be at most ${MAX_CLAIMS_BYTES} bytes as JSON.`);
  }
  // A direct invocation's event is parsed by the Lambda runtime, not by our strict parser: refuse here what
  // verify would refuse in the token payload (deep nesting, lone surrogates), or the token could never verify.
  if (parseStrictJson(text) === undefined) {
    throw new TesseraError(
      'CLAIMS_INVALID',
      'claims must hold only well-formed Unicode text and nest no deeper than a token payload may (32 levels).',
    );
  }
  assertExactNumbers(value, 'claims');
  return value;
}
