// Account and server tokens: who is calling, and may they touch this ecosystem. Secrets are compared as
// SHA-256 hashes in constant time and never stored or logged in the clear.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Deps } from './deps.ts';
import { TesseraError } from './errors.ts';
import { newSecret } from './ids.ts';

export type Principal = { kind: 'account' } | { kind: 'server'; ecosystemId: string; serverTokenId: string };

const ACCOUNT_PREFIX = 'tsa_';
const SERVER_PREFIX = 'tss';

/** SHA-256 of a secret, hex. Secrets are 256 random bits, so a fast hash is enough (no password stretching). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function newAccountToken(): string {
  return `${ACCOUNT_PREFIX}${newSecret()}`;
}

/** `tss.<ecosystemId>.<serverTokenId>.<secret>`: the ids let the hash be found without a scan. */
export function formatServerToken(ecosystemId: string, serverTokenId: string, secret: string): string {
  return `${SERVER_PREFIX}.${ecosystemId}.${serverTokenId}.${secret}`;
}

function unauthorized(): TesseraError {
  return new TesseraError(
    'UNAUTHORIZED',
    'Send an account or server token as "Authorization: Bearer <token>"; the one sent is missing or unknown.',
  );
}

/** The bearer credential of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}

/**
 * Resolves an account or server token to the principal it stands for; UNAUTHORIZED when missing or unknown.
 *
 * @example
 * const principal = await authenticate(deps, event.headers.authorization);
 * authorizeEcosystem(principal, ecosystemId);
 */
export async function authenticate(
  deps: Pick<Deps, 'serverTokens' | 'config'>,
  authorization: string | undefined,
): Promise<Principal> {
  const credential = bearerToken(authorization);
  if (credential === undefined) throw unauthorized();
  const parts = credential.split('.');
  if (parts[0] !== SERVER_PREFIX) {
    // Anything that is not a server token is compared with the account token: local mode makes it
    // `tsa_…`, while in AWS it is whatever Secrets Manager generated, used as it is.
    if (sameHash(hashSecret(credential), deps.config.accountTokenHash)) return { kind: 'account' };
    throw unauthorized();
  }
  if (parts.length !== 4) throw unauthorized();
  const [, ecosystemId = '', serverTokenId = '', secret = ''] = parts;
  const record = await deps.serverTokens.getServerToken(ecosystemId, serverTokenId);
  if (record === undefined || !sameHash(hashSecret(secret), record.secretHash)) throw unauthorized();
  return { kind: 'server', ecosystemId, serverTokenId };
}

/** A server token reaches its own ecosystem only; the account token reaches every one. */
export function authorizeEcosystem(principal: Principal, ecosystemId: string): void {
  if (principal.kind === 'server' && principal.ecosystemId !== ecosystemId) {
    throw new TesseraError('FORBIDDEN', 'This server token belongs to another ecosystem.');
  }
}

export function requireAccount(principal: Principal): void {
  if (principal.kind !== 'account') {
    throw new TesseraError('FORBIDDEN', 'Only the account token may do this.');
  }
}
