// Revocation: by the token itself (logout), by tokenId, or every token of a user issued so far. Each takes
// effect on the next check, because every check reads the token's record, user and ecosystem.
import type { Deps } from './deps.ts';
import { requireEcosystem } from './ecosystems.ts';
import { TesseraError } from './errors.ts';
import { newId } from './ids.ts';
import type { TokenRecord } from './ports.ts';
import { decodeToken } from './token-codec.ts';
import { throwMissingUser, userNotFound } from './users.ts';

/** Ends the token's session: the token, or the newest of its family when refreshes rotated it. */
async function revokeRecord(deps: Pick<Deps, 'tokens' | 'usage'>, record: TokenRecord): Promise<void> {
  await deps.tokens.revokeFamily(record.familyId, record.tokenId);
  deps.usage.count(record.ecosystemId, 'revoked');
}

/** Logout: the holder revokes its own token. Needs an authentic token; revoking twice is not an error. */
export async function revokePresentedToken(
  deps: Pick<Deps, 'tokens' | 'usage' | 'keys' | 'config'>,
  token: unknown,
): Promise<void> {
  const { claims } = await decodeToken(token, deps.keys, deps.config.issuer);
  const record = await deps.tokens.getToken(claims.jti);
  if (record !== undefined && record.status !== 'revoked') await revokeRecord(deps, record);
}

export async function revokeTokenById(
  deps: Pick<Deps, 'tokens' | 'directory' | 'usage'>,
  input: { ecosystemId: string; userId: string; tokenId: string },
): Promise<void> {
  // The user is read too, even when the token is on file: a deleted user's (or ecosystem's) token records
  // outlive it until their purgeAt, and the route must still name the first missing level, as every other
  // route under .../users/{userId} does (404 USER_NOT_FOUND / ECOSYSTEM_NOT_FOUND, not 204).
  const [record, user] = await Promise.all([
    deps.tokens.getToken(input.tokenId),
    deps.directory.getUser(input.ecosystemId, input.userId),
  ]);
  if (user === undefined) {
    await requireEcosystem(deps, input.ecosystemId);
    throw userNotFound(input);
  }
  if (record === undefined || record.ecosystemId !== input.ecosystemId || record.userId !== input.userId) {
    throw new TesseraError('TOKEN_NOT_FOUND', `No token "${input.tokenId}" of user "${input.userId}".`);
  }
  if (record.status !== 'revoked') await revokeRecord(deps, record);
}

/** Every token of the user issued so far stops verifying; tokens issued afterwards work. */
export async function revokeAllUserTokens(
  deps: Pick<Deps, 'directory' | 'usage'>,
  input: { ecosystemId: string; userId: string },
): Promise<void> {
  if (!(await deps.directory.setUserGeneration(input.ecosystemId, input.userId, newId(16)))) {
    await throwMissingUser(deps, input);
  }
  deps.usage.count(input.ecosystemId, 'revoked');
}
