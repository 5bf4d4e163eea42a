// Users of an ecosystem and their metadata. A user's `generation` ties its tokens to this incarnation.
import { epochSeconds, isoFromSeconds } from './clock.ts';
import type { Deps } from './deps.ts';
import { assertMetadata } from './documents.ts';
import { requireEcosystem } from './ecosystems.ts';
import { TesseraError } from './errors.ts';
import { assertNotExpired, deadlinesOf } from './expiry.ts';
import { newId } from './ids.ts';
import type { ExpiryType, TokenRecord, TokenStatus, UserRecord } from './ports.ts';
import type { JsonObject } from './strict-json.ts';

export interface UserView {
  ecosystemId: string;
  userId: string;
  metadata: JsonObject;
  createdAt: string | null;
}

function userView(user: UserRecord): UserView {
  return {
    ecosystemId: user.ecosystemId,
    userId: user.userId,
    metadata: user.metadata,
    createdAt: isoFromSeconds(user.createdAt),
  };
}

/** Creates the user, or replaces its metadata (its tokens stay valid and see the new metadata). */
export async function putUser(
  deps: Pick<Deps, 'directory' | 'clock'>,
  input: { ecosystemId: string; userId: string; metadata?: unknown },
): Promise<{ created: boolean; user: UserView }> {
  const metadata = assertMetadata(input.metadata);
  await requireEcosystem(deps, input.ecosystemId);
  const { created, user } = await deps.directory.putUser({
    ecosystemId: input.ecosystemId,
    userId: input.userId,
    metadata,
    createdAt: epochSeconds(deps.clock.now()),
    generation: newId(16),
  });
  return { created, user: userView(user) };
}

/** Creates a user with a generated id. */
export async function createUser(
  deps: Pick<Deps, 'directory' | 'clock'>,
  input: { ecosystemId: string; metadata?: unknown },
): Promise<UserView> {
  return (await putUser(deps, { ...input, userId: newId(8) })).user;
}

/** Names a user of an ecosystem. */
export interface UserRef {
  ecosystemId: string;
  userId: string;
}

/** The USER_NOT_FOUND error, worded once. */
export function userNotFound(input: UserRef): TesseraError {
  return new TesseraError('USER_NOT_FOUND', `No user "${input.userId}" in ecosystem "${input.ecosystemId}".`);
}

/**
 * Throws for a user the store did not find, naming the first missing level: ECOSYSTEM_NOT_FOUND when the
 * ecosystem is gone too, else USER_NOT_FOUND, as every route under .../users/{userId} answers.
 *
 * @example
 * if (!(await deps.directory.deleteUser(ecosystemId, userId))) await throwMissingUser(deps, { ecosystemId, userId });
 */
export async function throwMissingUser(deps: Pick<Deps, 'directory'>, input: UserRef): Promise<never> {
  await requireEcosystem(deps, input.ecosystemId);
  throw userNotFound(input);
}

/** The stored user, or the error throwMissingUser throws. */
async function requireUser(deps: Pick<Deps, 'directory'>, input: UserRef): Promise<UserRecord> {
  return (await deps.directory.getUser(input.ecosystemId, input.userId)) ?? throwMissingUser(deps, input);
}

export async function getUser(deps: Pick<Deps, 'directory'>, input: UserRef): Promise<UserView> {
  return userView(await requireUser(deps, input));
}

/** Deletes the user; its tokens answer TOKEN_REVOKED, and re-creating the id does not revive them. */
export async function deleteUser(deps: Pick<Deps, 'directory'>, input: UserRef): Promise<void> {
  if (!(await deps.directory.deleteUser(input.ecosystemId, input.userId)))
    await throwMissingUser(deps, input);
}

/** A live token of a user, as GET .../users/{userId}/tokens lists it (never the token itself). */
export interface TokenView {
  tokenId: string;
  /** The device or client name given at issue, or null. */
  label: string | null;
  expiryType: ExpiryType;
  issuedAt: string | null;
  /** The deadline now: fixed, or last use + ttl for SlidingTtl; null for Infinite. */
  expiresAt: string | null;
  absoluteExpiresAt: string | null;
  lastUsedAt: string | null;
  status: TokenStatus;
}

/**
 * True for a token record that would verify now, as far as its record, user and ecosystem tell: active,
 * within its deadlines, of the user's `generation`, and not issued before the ecosystem's `revokedBefore`.
 *
 * @example
 * isLiveToken(record, user.generation, null, now); // true for an active, unexpired token of the user
 */
export function isLiveToken(
  record: TokenRecord,
  generation: string,
  revokedBefore: number | null,
  now: number,
): boolean {
  if (record.status !== 'active' || record.userGeneration !== generation) return false;
  if (revokedBefore !== null && record.issuedAt < revokedBefore) return false;
  try {
    assertNotExpired(record, now);
    return true;
  } catch {
    return false;
  }
}

/**
 * The user's live tokens, oldest first: those that would verify now (active, within their deadlines,
 * issued to the user's current generation, and not before the ecosystem's latest revocation). Rotated,
 * revoked and expired ones are left out.
 *
 * @example
 * const { tokens } = await listUserTokens(deps, { ecosystemId: 'eco1', userId: 'alice' });
 */
export async function listUserTokens(
  deps: Pick<Deps, 'directory' | 'tokens' | 'clock'>,
  input: UserRef,
): Promise<{ tokens: TokenView[] }> {
  const [user, { revokedBefore }] = await Promise.all([
    requireUser(deps, input),
    deps.directory.getEcosystemState(input.ecosystemId),
  ]);
  const now = epochSeconds(deps.clock.now());
  const live = (await deps.tokens.listUserTokens(input.ecosystemId, input.userId)).filter((record) =>
    isLiveToken(record, user.generation, revokedBefore, now),
  );
  live.sort((a, b) => a.issuedAt - b.issuedAt || (a.tokenId < b.tokenId ? -1 : 1));
  return {
    tokens: live.map((record) => {
      const { expiresAt, absoluteExpiresAt } = deadlinesOf(record);
      return {
        tokenId: record.tokenId,
        label: record.label ?? null,
        expiryType: record.expiryType,
        issuedAt: isoFromSeconds(record.issuedAt),
        expiresAt: isoFromSeconds(expiresAt),
        absoluteExpiresAt: isoFromSeconds(absoluteExpiresAt),
        lastUsedAt: isoFromSeconds(record.lastUsedAt),
        status: record.status,
      };
    }),
  };
}
