// Verifying a user token: signature and claims first (no store call for a forged or expired token), then
// one store read for the token's and its user's state (revocation, rotation, deletion, sliding use), beside
// the ecosystem's state from the per-container cache (core/ecosystem-state.ts), then the sliding touch.
import { epochSeconds, isoFromSeconds } from './clock.ts';
import type { Deps } from './deps.ts';
import { assertEcosystemAdmits } from './ecosystem-state.ts';
import { TesseraError } from './errors.ts';
import { assertNotExpired, deadlinesOf, purgeAtOf, shouldTouch } from './expiry.ts';
import { EXPIRY_MODELS } from './expiry-models.ts';
import type { ExpiryType, TokenRecord, UserRecord } from './ports.ts';
import type { JsonObject } from './strict-json.ts';
import { assertAudience, assertBeforeExp, assertIssuedBefore, isAudience } from './token-claims.ts';
import { CLAIM_ECOSYSTEM, CLAIM_EXPIRY_TYPE, type DecodedToken, decodeToken } from './token-codec.ts';
import type { PresentedFacts } from './usage-recorder.ts';

export interface VerifiedToken {
  valid: true;
  tokenId: string;
  userId: string;
  ecosystemId: string;
  expiryType: ExpiryType;
  expiresAt: string | null;
  absoluteExpiresAt: string | null;
  lastUsedAt: string | null;
  claims: JsonObject;
  metadata: JsonObject;
  /** The token's audiences (its `aud`), or null when it was issued without. */
  audience: string[] | null;
}

/** A presented token that is authentic and whose user, ecosystem and record still exist. */
export interface PresentedToken {
  decoded: DecodedToken;
  record: TokenRecord;
  user: UserRecord;
  /** Epoch seconds of the check, used for every comparison that follows. */
  now: number;
}

function revoked(why: string): TesseraError {
  return new TesseraError('TOKEN_REVOKED', `The token was revoked: ${why}.`);
}

/**
 * What checking a presented token reads: the token state, the ecosystem states, the public keys, the clock
 * and the settings.
 */
export type TokenCheckDeps = Pick<Deps, 'tokens' | 'ecosystemState' | 'keys' | 'clock' | 'config'>;

/** What a caller may require of a token beyond its validity. */
export interface TokenExpectations {
  /** An audience the token's `aud` must hold (TOKEN_AUDIENCE_INVALID otherwise); undefined checks none. */
  audience?: string | undefined;
}

/**
 * Checks a presented token up to, not including, its status and stored deadlines: form, signature,
 * `iat` against the clock skew, `exp`, the audience expected, and that its record, user (same generation)
 * and ecosystem exist and that no ecosystem-wide revocation covers its issue time. `facts` learns, as the
 * checks go, what a refusal can be attributed to (usage counting).
 */
export async function loadPresentedToken(
  deps: TokenCheckDeps,
  token: unknown,
  facts: PresentedFacts = {},
  expected: TokenExpectations = {},
): Promise<PresentedToken> {
  const decoded = await decodeToken(token, deps.keys, deps.config.issuer);
  const { claims } = decoded;
  facts.ecosystemId = claims[CLAIM_ECOSYSTEM];
  const now = epochSeconds(deps.clock.now());
  assertIssuedBefore(decoded, now, deps.config.clockSkewSeconds);
  assertBeforeExp(claims, now);
  assertAudience(claims, expected.audience); // in the token itself: no store call for the wrong audience
  const ecosystemId = claims[CLAIM_ECOSYSTEM];
  // The token and its user strongly consistent on every call; the ecosystem as of at most the cache's bound.
  const [context, ecosystemState] = await Promise.all([
    deps.tokens.getTokenContext(claims.jti, ecosystemId, claims.sub),
    deps.ecosystemState.get(ecosystemId),
  ]);
  facts.identified = context.user !== undefined && ecosystemState.ecosystem !== undefined;
  const record = context.token;
  if (record === undefined) {
    // Records are kept until their token can no longer verify, so a missing one has expired or was purged;
    // a model that records uses keeps its idle deadline only there, so its missing record has expired.
    if (EXPIRY_MODELS[claims[CLAIM_EXPIRY_TYPE]].recordsUse) {
      throw new TesseraError('TOKEN_EXPIRED', 'The token was idle longer than its sliding ttl.');
    }
    throw revoked('the service no longer knows it');
  }
  if (record.ecosystemId !== ecosystemId || record.userId !== claims.sub)
    throw revoked('its record disagrees');
  assertEcosystemAdmits(ecosystemState, record.issuedAt);
  const user = context.user;
  if (user === undefined) throw revoked('its user was deleted');
  if (user.generation !== record.userGeneration) throw revoked("all of the user's tokens were revoked");
  return { decoded, record, user, now };
}

/** Throws unless the record is active and within its deadlines. */
export function assertUsable(record: TokenRecord, now: number): void {
  assertNotExpired(record, now);
  if (record.status === 'revoked') throw revoked('it was revoked');
  if (record.status === 'rotated') throw revoked('a refresh replaced it');
}

/** Records a SlidingTtl use when due; answers the record as the store now holds it. */
export async function recordUse(
  deps: Pick<Deps, 'tokens'>,
  record: TokenRecord,
  now: number,
): Promise<TokenRecord> {
  if (!shouldTouch(record, now) || record.lastUsedAt === null) return record;
  const touched = { ...record, lastUsedAt: now };
  touched.purgeAt = purgeAtOf(touched);
  // A failed condition means a concurrent use or revocation won; this use was valid when read either way.
  const written = await deps.tokens.touchToken(record.tokenId, record.lastUsedAt, now, touched.purgeAt);
  return written ? touched : record;
}

export function verifiedAnswer(presented: PresentedToken, record: TokenRecord): VerifiedToken {
  const { expiresAt, absoluteExpiresAt } = deadlinesOf(record);
  return {
    valid: true,
    tokenId: record.tokenId,
    userId: record.userId,
    ecosystemId: record.ecosystemId,
    expiryType: record.expiryType,
    expiresAt: isoFromSeconds(expiresAt),
    absoluteExpiresAt: isoFromSeconds(absoluteExpiresAt),
    lastUsedAt: isoFromSeconds(record.lastUsedAt),
    claims: presented.decoded.extraClaims,
    metadata: presented.user.metadata,
    audience: presented.decoded.claims.aud ?? null,
  };
}

/**
 * The `audience` a verify asks for: absent, or one audience (a string of 1 to 128 characters).
 *
 * @example
 * verifyExpectations({ audience: 'chat-api' }); // { audience: 'chat-api' }
 */
export function verifyExpectations(input: { audience?: unknown }): TokenExpectations {
  const { audience } = input;
  if (audience === undefined) return {};
  if (!isAudience(audience)) {
    throw new TesseraError('BODY_INVALID', 'audience must be one string of 1 to 128 characters.');
  }
  return { audience };
}

/**
 * Verifies a user token and counts it as a use, and in the ecosystem's usage (a refusal by its code). With
 * `options.audience`, the token must also carry that audience (a malformed one is BODY_INVALID).
 *
 * @example
 * const { userId, metadata } = await verifyToken(deps, body.token); // throws TesseraError('TOKEN_…')
 * await verifyToken(deps, body.token, { audience: 'chat-api' }); // or TOKEN_AUDIENCE_INVALID
 */
export async function verifyToken(
  deps: TokenCheckDeps & Pick<Deps, 'usage'>,
  token: unknown,
  options: { audience?: unknown } = {},
): Promise<VerifiedToken> {
  const { usage } = deps;
  const expected = verifyExpectations(options);
  const facts: PresentedFacts = {};
  try {
    const presented = await loadPresentedToken(deps, token, facts, expected);
    assertUsable(presented.record, presented.now);
    // The sliding touch and the month's first-activity mark write different items: one round trip for both.
    const [record] = await Promise.all([
      recordUse(deps, presented.record, presented.now),
      usage.active(presented.user, presented.now),
    ]);
    usage.count(record.ecosystemId, 'verified');
    return verifiedAnswer(presented, record);
  } catch (err) {
    usage.refused(token, err, facts);
    throw err;
  }
}
