// Signing out everywhere else: the holder of a valid token revokes every other token of its user, while the
// token itself, and every refresh of it, keeps working. It rides on the user's generation, the mechanism
// "revoke all" uses: the user moves to a new generation, so every token of the old one stops verifying at
// once, and the presented token's family is re-homed into the new one in the same atomic write.
//
//   before:  user g1   A(g1)  B(g1)  P(g1) --refresh--> P'(g1, the family's head)
//   after:   user g2   A(g1)  B(g1)  refused           P'(g2) works, and so does its successor (issued g2)
//
// The write re-homes the family's newest token (its head), not necessarily the one presented: a refresh
// of it that won the race is followed. A refresh of another token racing it cannot resurrect that token:
// its successor carries the generation the refresh read, the old one (ports.ts `rehomeFamily`).
import type { Deps } from './deps.ts';
import { TesseraError } from './errors.ts';
import { newId } from './ids.ts';
import type { PresentedFacts } from './usage-recorder.ts';
import { isLiveToken } from './users.ts';
import { assertUsable, loadPresentedToken, type TokenCheckDeps } from './verify-token.ts';

/**
 * Revokes every other token of the presented token's user; answers how many of them were live (as the
 * user's token listing saw them a moment before). The presented token must verify, with every refusal of
 * verify; a refusal is counted in usage as verify's are, a success as one revocation.
 *
 * @example
 * const { revoked } = await revokeOtherTokens(deps, body.token); // { revoked: 2 }
 */
export async function revokeOtherTokens(
  deps: TokenCheckDeps & Pick<Deps, 'usage'>,
  token: unknown,
): Promise<{ revoked: number }> {
  const facts: PresentedFacts = {};
  try {
    const { record, user, now } = await loadPresentedToken(deps, token, facts);
    assertUsable(record, now);
    const [listed, state] = await Promise.all([
      deps.tokens.listUserTokens(record.ecosystemId, record.userId),
      deps.ecosystemState.get(record.ecosystemId),
    ]);
    const others = listed.filter(
      (other) =>
        other.familyId !== record.familyId && isLiveToken(other, user.generation, state.revokedBefore, now),
    );
    const rehomed = await deps.tokens.rehomeFamily({
      ecosystemId: record.ecosystemId,
      userId: record.userId,
      familyId: record.familyId,
      memberId: record.tokenId,
      fromGeneration: user.generation,
      toGeneration: newId(16),
    });
    // Nothing was written: the user's tokens were all revoked meanwhile, or this token's family was.
    if (!rehomed) throw new TesseraError('TOKEN_REVOKED', 'The token was revoked.');
    deps.usage.count(record.ecosystemId, 'revoked');
    return { revoked: others.length };
  } catch (err) {
    deps.usage.refused(token, err, facts);
    throw err;
  }
}
