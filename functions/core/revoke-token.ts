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
  const record = await deps.tokens.getToken(input.tokenId);
  if (record === undefined || record.ecosystemId !== input.ecosystemId || record.userId !== input.userId) {
    // Name the first missing level, as every other route under .../users/{userId} does.
    await requireEcosystem(deps, input.ecosystemId);
    if ((await deps.directory.getUser(input.ecosystemId, input.userId)) === undefined)
      throw userNotFound(input);
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
