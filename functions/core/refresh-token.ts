// Refresh with rotation: the presented token is replaced by a successor of the same family, decided by one
// conditional write, so concurrent refreshes agree on a single successor. A retry within the grace period
// gets that successor again; the replaced token presented after the grace period revokes the family.
import type { Deps } from './deps.ts';
import { TesseraError } from './errors.ts';
import { assertNotExpired, purgeAtOf } from './expiry.ts';
import { type IssuedToken, newTokenRecord, signRecord } from './issue-token.ts';
import type { TokenRecord, UserRecord } from './ports.ts';
import type { PresentedFacts } from './usage-recorder.ts';
import { assertUsable, loadPresentedToken, type TokenCheckDeps } from './verify-token.ts';

/** What a refresh uses: the token checks' dependencies and the signer for the successor. */
type RefreshDeps = TokenCheckDeps & Pick<Deps, 'signer'>;

/** The same successor again, re-signed (same tokenId and claims), while the grace period lasts. */
async function successorWithinGrace(
  deps: RefreshDeps,
  rotated: TokenRecord,
  now: number,
): Promise<IssuedToken> {
  const graceEnds = (rotated.rotatedAt ?? 0) + deps.config.refreshGraceSeconds;
  if (rotated.successorId === null || now > graceEnds) {
    // What the token.reused event tells (core/events.ts), kept on the head this revokes.
    const reuse = {
      presentedTokenId: rotated.tokenId,
      at: now,
      secondsAfterGrace: Math.max(0, now - graceEnds),
    };
    await deps.tokens.revokeFamily(rotated.familyId, rotated.tokenId, reuse);
    throw new TesseraError(
      'TOKEN_REUSED',
      'This token was already replaced by a refresh; presenting it again revoked its whole family. Sign in again.',
    );
  }
  const successor = await deps.tokens.getToken(rotated.successorId);
  if (successor === undefined) throw new TesseraError('TOKEN_REVOKED', 'The token was revoked.');
  assertUsable(successor, now);
  return signRecord(deps, successor);
}

/**
 * Refreshes a user token: a new token of the same user, expiry type, ttl, claims and absolute deadline.
 * Counted in the ecosystem's usage: a refresh (and the user's activity), or a refusal by its code.
 *
 * @example
 * const { token } = await refreshToken(deps, body.token);
 */
export async function refreshToken(
  deps: RefreshDeps & Pick<Deps, 'usage'>,
  token: unknown,
): Promise<IssuedToken> {
  const { usage } = deps;
  const facts: PresentedFacts = {};
  try {
    const refreshed = await rotate(deps, token, facts);
    const marking = usage.active(refreshed.user, refreshed.now);
    if (marking !== undefined) await marking;
    usage.count(refreshed.user.ecosystemId, 'refreshed');
    return refreshed.issued;
  } catch (err) {
    usage.refused(token, err, facts);
    throw err;
  }
}

/** How many times a refresh starts over after a revoke-others re-homed its token mid-way (rehomeFamily). */
const REHOME_RETRIES = 2;

async function rotate(
  deps: RefreshDeps,
  token: unknown,
  facts: PresentedFacts,
  attempt = 0,
): Promise<{ issued: IssuedToken; user: UserRecord; now: number }> {
  const { record, user, now } = await loadPresentedToken(deps, token, facts);
  const answer = (issued: IssuedToken) => ({ issued, user, now });
  assertNotExpired(record, now);
  if (record.status === 'rotated') return answer(await successorWithinGrace(deps, record, now));
  assertUsable(record, now);

  const successor = newTokenRecord(user, record, record.claims, now, record.familyId);
  // The refresh is the old token's last use: it may be reused only until its own deadline from now.
  const oldPurgeAt = purgeAtOf({ ...record, lastUsedAt: record.lastUsedAt === null ? null : now });
  const issued = await signRecord(deps, successor);
  const result = await deps.tokens.rotateToken({
    oldTokenId: record.tokenId,
    rotatedAt: now,
    oldPurgeAt,
    successor,
  });
  if (result.ok) return answer(issued);
  if (result.current?.status === 'rotated' && !result.familyRevoked) {
    return answer(await successorWithinGrace(deps, result.current, now)); // a concurrent refresh won
  }
  // Still active, in another generation: a revoke-others presented with this token's family re-homed it
  // after this refresh read the user, so the successor would be born revoked. Start over in the new one.
  const current = result.current;
  const rehomed = current?.status === 'active' && current.userGeneration !== successor.userGeneration;
  if (rehomed && attempt < REHOME_RETRIES) return rotate(deps, token, facts, attempt + 1);
  throw new TesseraError('TOKEN_REVOKED', 'The token was revoked.');
}
