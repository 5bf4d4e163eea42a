// Issuing a user token: validate the request, record the token's state, sign it.
import { epochSeconds, isoFromSeconds } from './clock.ts';
import type { Deps } from './deps.ts';
import { assertClaims } from './documents.ts';
import { TesseraError } from './errors.ts';
import { deadlinesOf, type ExpiryRequest, purgeAtOf } from './expiry.ts';
import { EXPIRY_MODELS } from './expiry-models.ts';
import { characterCount, newId } from './ids.ts';
import type { ExpiryType, TokenRecord, UserRecord } from './ports.ts';
import type { JsonObject } from './strict-json.ts';
import { isAudienceList, MAX_AUDIENCE_LENGTH, MAX_AUDIENCES } from './token-claims.ts';
import { CLAIM_ECOSYSTEM, CLAIM_EXPIRY_TYPE, CLAIM_TTL, signToken } from './token-codec.ts';
import { userNotFound } from './users.ts';

/** The answer of issue and refresh. */
export interface IssuedToken {
  token: string;
  tokenId: string;
  expiryType: ExpiryType;
  ttl: number | null;
  expiresAt: string | null;
  absoluteExpiresAt: string | null;
  lastUsedAt: string | null;
}

export interface IssueInput {
  ecosystemId: string;
  userId: string;
  expiry: ExpiryRequest;
  claims?: unknown;
  /** The audiences to sign into the token as `aud` (1 to 8 strings of 1 to 128 characters). */
  audience?: unknown;
  /** A device or client name, 1 to 64 characters, kept on the token's record (never signed). */
  label?: unknown;
}

/** The longest label, in characters (code points, as API.md counts lengths). */
export const MAX_LABEL_LENGTH = 64;
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The audience and label of an issue request, each optional; a malformed one is BODY_INVALID, naming the
 * member, as a malformed ecosystem name is: they are members of the body, not of its `claims`.
 *
 * @example
 * issueExtras({ audience: ['chat-api'], label: 'Pixel 8' }); // { audience: ['chat-api'], label: 'Pixel 8' }
 */
export function issueExtras(input: {
  audience?: unknown;
  label?: unknown;
}): Pick<TokenRecord, 'audience' | 'label'> {
  const { audience, label } = input;
  const extras: Pick<TokenRecord, 'audience' | 'label'> = {};
  if (audience !== undefined) {
    if (!isAudienceList(audience)) {
      throw new TesseraError(
        'BODY_INVALID',
        `audience must be a list of 1 to ${MAX_AUDIENCES} strings of 1 to ${MAX_AUDIENCE_LENGTH} characters.`,
      );
    }
    extras.audience = [...audience];
  }
  if (label !== undefined) {
    const valid =
      typeof label === 'string' &&
      label !== '' &&
      !LONE_SURROGATE.test(label) &&
      characterCount(label) <= MAX_LABEL_LENGTH;
    if (!valid) {
      throw new TesseraError(
        'BODY_INVALID',
        `label must be a string of 1 to ${MAX_LABEL_LENGTH} characters.`,
      );
    }
    extras.label = label;
  }
  return extras;
}

/** The JWT claims of a token record: a pure function, so a record re-signs to the same payload. */
export function claimsOf(record: TokenRecord, issuer: string): JsonObject {
  const claims: JsonObject = {
    ...record.claims,
    iss: issuer,
    sub: record.userId,
    jti: record.tokenId,
    iat: record.issuedAt,
    [CLAIM_ECOSYSTEM]: record.ecosystemId,
    [CLAIM_EXPIRY_TYPE]: record.expiryType,
  };
  if (record.ttl !== null) claims[CLAIM_TTL] = record.ttl;
  if (record.audience !== undefined) claims.aud = [...record.audience];
  // exp only where a deadline no use moves applies, so offline checkers holding the JWKS can enforce it.
  const exp = EXPIRY_MODELS[record.expiryType].signedDeadline(record);
  if (exp !== null) claims.exp = exp;
  return claims;
}

export function issuedAnswer(record: TokenRecord, token: string): IssuedToken {
  const { expiresAt, absoluteExpiresAt } = deadlinesOf(record);
  return {
    token,
    tokenId: record.tokenId,
    expiryType: record.expiryType,
    ttl: record.ttl,
    expiresAt: isoFromSeconds(expiresAt),
    absoluteExpiresAt: isoFromSeconds(absoluteExpiresAt),
    lastUsedAt: isoFromSeconds(record.lastUsedAt),
  };
}

/** Signs a record and returns the answer; the record must already be stored or be stored right after. */
export async function signRecord(
  deps: Pick<Deps, 'signer' | 'config'>,
  record: TokenRecord,
): Promise<IssuedToken> {
  return issuedAnswer(record, await signToken(deps.signer, claimsOf(record, deps.config.issuer)));
}

/**
 * A fresh token record for a user at `now`, optionally continuing a family. `kept` is what a token keeps
 * across refreshes: its expiry, and its audience and label when it has them (a refresh passes the old record).
 */
export function newTokenRecord(
  user: UserRecord,
  kept: Pick<TokenRecord, 'expiryType' | 'ttl' | 'absoluteExpiresAt' | 'audience' | 'label'>,
  claims: JsonObject,
  now: number,
  familyId?: string,
): TokenRecord {
  const tokenId = newId(16);
  const record: TokenRecord = {
    tokenId,
    ecosystemId: user.ecosystemId,
    userId: user.userId,
    expiryType: kept.expiryType,
    ttl: kept.ttl,
    absoluteExpiresAt: kept.absoluteExpiresAt,
    familyId: familyId ?? tokenId,
    userGeneration: user.generation,
    issuedAt: now,
    lastUsedAt: EXPIRY_MODELS[kept.expiryType].recordsUse ? now : null,
    claims,
    status: 'active',
    successorId: null,
    rotatedAt: null,
    purgeAt: null,
  };
  if (kept.audience !== undefined) record.audience = [...kept.audience];
  if (kept.label !== undefined) record.label = kept.label;
  record.purgeAt = purgeAtOf(record);
  return record;
}

/**
 * Issues a token for an existing user.
 *
 * @example
 * const issued = await issueToken(deps, { ecosystemId, userId, expiry: parseExpiry({}, max) });
 */
export async function issueToken(
  deps: Pick<Deps, 'directory' | 'tokens' | 'usage' | 'signer' | 'clock' | 'config'>,
  input: IssueInput,
): Promise<IssuedToken> {
  const claims = assertClaims(input.claims);
  const extras = issueExtras(input);
  const [ecosystem, user] = await Promise.all([
    deps.directory.getEcosystem(input.ecosystemId),
    deps.directory.getUser(input.ecosystemId, input.userId),
  ]);
  if (ecosystem === undefined) {
    throw new TesseraError('ECOSYSTEM_NOT_FOUND', `No ecosystem "${input.ecosystemId}".`);
  }
  if (user === undefined) throw userNotFound(input);
  const now = epochSeconds(deps.clock.now());
  const { expiryType, ttl, maxTtl } = input.expiry;
  const absoluteExpiresAt = maxTtl === null ? null : now + maxTtl;
  const record = newTokenRecord(user, { expiryType, ttl, absoluteExpiresAt, ...extras }, claims, now);
  const issued = await signRecord(deps, record);
  await deps.tokens.putToken(record);
  deps.usage.count(record.ecosystemId, 'issued');
  return issued;
}
