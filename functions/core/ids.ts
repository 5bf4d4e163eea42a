// Identifier rules of API.md, and the generators for ids and secrets the service makes itself.
import { randomBytes } from 'node:crypto';
import { TesseraError } from './errors.ts';

// ASCII only, so its length in UTF-16 units is its length in code points, as API.md counts lengths.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-@:+]{0,127}$/;

/**
 * The length of a name or id as API.md counts it: in Unicode code points, so an emoji (two UTF-16 units,
 * as `String#length` counts) is one character.
 *
 * @example
 * characterCount('😀'.repeat(3)); // 3, where '😀😀😀'.length is 6
 */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** True when `value` is 1 to 128 characters of `A-Z a-z 0-9 . _ - @ : +`, starting with a letter or digit. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

function assertId(value: unknown, code: 'ECOSYSTEM_INVALID' | 'USER_INVALID', name: string): string {
  if (!isValidId(value)) {
    throw new TesseraError(
      code,
      `${name} must be 1 to 128 characters of A-Z a-z 0-9 . _ - @ : +, starting with a letter or digit.`,
    );
  }
  return value;
}

export const assertEcosystemId = (value: unknown): string =>
  assertId(value, 'ECOSYSTEM_INVALID', 'ecosystemId');
export const assertUserId = (value: unknown): string => assertId(value, 'USER_INVALID', 'userId');

/** A random id of lowercase hex: valid as an ecosystemId or userId and free of the `.` server tokens use. */
export function newId(bytes = 10): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * A random id that sorts after every id made at an earlier millisecond: 12 hex digits of time, then random hex.
 * Server tokens use it so a listing of those created in the same second is still oldest first.
 *
 * @example
 * newTimeOrderedId(Date.now()); // '019ab2f3c4d5e6f708a9b0c1'
 */
export function newTimeOrderedId(ms: number, bytes = 6): string {
  return `${Math.floor(ms).toString(16).padStart(12, '0')}${newId(bytes)}`;
}

/** A random secret of 32 bytes, base64url: 256 bits, so a fast hash is enough to store it. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
