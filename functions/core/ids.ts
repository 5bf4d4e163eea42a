// Identifier rules of API.md, and the generators for ids and secrets the service makes itself.
import { randomBytes } from 'node:crypto';
import { TesseraError } from './errors.ts';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-@:+]{0,127}$/;

/** True when `value` is 1 to 128 characters of `A-Z a-z 0-9 . _ - @ : +`, starting with a letter or digit. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export function assertEcosystemId(value: unknown): string {
  if (!isValidId(value)) {
    throw new TesseraError(
      'ECOSYSTEM_INVALID',
      'ecosystemId must be 1 to 128 characters of A-Z a-z 0-9 . _ - @ : +, starting with a letter or digit.',
    );
  }
  return value;
}

export function assertUserId(value: unknown): string {
  if (!isValidId(value)) {
    throw new TesseraError(
      'USER_INVALID',
      'userId must be 1 to 128 characters of A-Z a-z 0-9 . _ - @ : +, starting with a letter or digit.',
    );
  }
  return value;
}

/** A random id of lowercase hex: valid as an ecosystemId or userId and free of the `.` server tokens use. */
export function newId(bytes = 10): string {
  return randomBytes(bytes).toString('hex');
}

/** A random secret of 32 bytes, base64url: 256 bits, so a fast hash is enough to store it. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}
