// The ports the use-cases run over, in Tessera's words and nothing SDK-shaped: a Signer (KMS in AWS, a local
// key file in local mode) and the four state ports a store opens (DynamoDB in AWS, an embedded file-backed
// store locally): TokenState, Directory, ServerTokens and UsageCounters. Each use-case takes only the ones
// it calls (see deps.ts).
import type { JsonObject } from './strict-json.ts';

/** The public half of a signing key, as published in the JWKS. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/**
 * Signs JWS signing inputs with ES256. `sign` answers the raw 64-byte r‖s signature JOSE wants; an adapter
 * whose backend answers DER (KMS) converts it before returning.
 */
export interface Signer {
  readonly alg: 'ES256';
  /** The key id of the key that signs new tokens. */
  kid(): Promise<string>;
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
  /** Every key a still-valid token may carry: the signing key first, older ones after. */
  publicKeys(): Promise<PublicJwk[]>;
}

/** The expiry models are records in expiry-models.ts; this alias keeps the name where the ports use it. */
export type ExpiryType = import('./expiry-models.ts').ExpiryType;

export interface EcosystemRecord {
  ecosystemId: string;
  name: string | null;
  createdAt: number; // epoch seconds
}

export interface ServerTokenRecord {
  ecosystemId: string;
  serverTokenId: string;
  /** SHA-256 of the secret, hex: the secret itself is never stored. */
  secretHash: string;
  createdAt: number;
}

export interface UserRecord {
  ecosystemId: string;
  userId: string;
  metadata: JsonObject;
  createdAt: number;
  /**
   * A random value every token records at issue. Deleting and re-creating the user, or revoking all of
   * its tokens, draws a new one, so no older token verifies again.
   */
  generation: string;
  /** The last UTC month (YYYY-MM) the user counted as active in (see core/usage.ts); absent before. */
  lastActiveMonth?: string;
}

export type TokenStatus = 'active' | 'rotated' | 'revoked';

/** What the service keeps for every token it issues: sliding last use, rotation and revocation. */
export interface TokenRecord {
  tokenId: string;
  ecosystemId: string;
  userId: string;
  expiryType: ExpiryType;
  /** Seconds; null for Infinite. */
  ttl: number | null;
  /** SlidingTtl with maxTtl only: the family's absolute deadline (epoch seconds), kept by refreshes. */
  absoluteExpiresAt: number | null;
  /** The tokenId of the family's first token; refreshes keep it. */
  familyId: string;
  userGeneration: string;
  issuedAt: number;
  /** SlidingTtl only: the last recorded use (issue counts as one). */
  lastUsedAt: number | null;
  claims: JsonObject;
  status: TokenStatus;
  /** Set once rotated: the token that replaced this one, and when. */
  successorId: string | null;
  rotatedAt: number | null;
  /** When the store may forget this record (DynamoDB TTL attribute); null keeps it. Readers never trust it. */
  purgeAt: number | null;
  /** Set on the head a reuse revoked (the latest reuse, when there were several): what `token.reused` says. */
  reuse?: TokenReuse;
  /** The audiences given at issue (signed as `aud`), kept by refreshes; absent when none were given. */
  audience?: string[];
  /** A device or client name given at issue (1 to 64 code points), kept by refreshes; absent when none. */
  label?: string;
}

/** A rotated-away token presented to refresh after its grace period, which revoked its family. */
export interface TokenReuse {
  /** The token presented. */
  presentedTokenId: string;
  /** When it was presented (epoch seconds). */
  at: number;
  /** How long after the end of its grace period it came, in seconds. */
  secondsAfterGrace: number;
}

/** An ecosystem-wide revocation by issue time: every token of the ecosystem issued before `issuedBefore`. */
export interface RevocationRecord {
  ecosystemId: string;
  revocationId: string;
  /** Epoch seconds: tokens whose issuedAt is earlier answer TOKEN_REVOKED while the record exists. */
  issuedBefore: number;
  createdAt: number;
}

/**
 * What a token check reads of its ecosystem (through core/ecosystem-state.ts's cache): the ecosystem, and
 * the latest `issuedBefore` of its ecosystem-wide revocations, kept beside the ecosystem itself so that one
 * read of one item answers both, however many revocations there are.
 */
export interface EcosystemState {
  /** The ecosystem's record; undefined when there is none (deleted: ids are random and never reused). */
  ecosystem: EcosystemRecord | undefined;
  /** Epoch seconds: tokens issued earlier are revoked. Null when the ecosystem has no revocation. */
  revokedBefore: number | null;
}

/** What storing a revocation came to: stored, no such ecosystem, or the ecosystem already holds the most. */
export type RevocationWrite = 'created' | 'no-ecosystem' | 'limit-reached';

/**
 * The per-token and per-user state one verify needs, read in one round trip, strongly consistent. Each part is
 * undefined when absent. The ecosystem is not part of it: its state is shared by the whole ecosystem and is
 * read through a per-container cache instead (core/ecosystem-state.ts).
 */
export interface TokenContext {
  token: TokenRecord | undefined;
  user: UserRecord | undefined;
}

/** An ecosystem's counters for one UTC day (YYYY-MM-DD), by count name (core/usage.ts); absent is 0. */
export interface DayUsageRecord {
  day: string;
  counts: Record<string, number>;
}

/** A first activity of a user in a month, as `UsageCounters.markActive` records it on the user. */
export interface ActivityMark {
  ecosystemId: string;
  userId: string;
  /** YYYY-MM: the user's new lastActiveMonth. */
  month: string;
}

export type RotateResult =
  | { ok: true }
  | { ok: false; current: TokenRecord | undefined; familyRevoked: boolean };

/**
 * A token's state after issue: its record, its sliding last use, rotation by refresh and revocation. Verify,
 * refresh and revoke read and write through it, and it lists a user's tokens.
 */
export interface TokenState {
  /** Stores a new token's record; tokenIds are random, so a clash is a bug and throws. */
  putToken(record: TokenRecord): Promise<void>;
  getToken(tokenId: string): Promise<TokenRecord | undefined>;
  /** The token with its user, in one round trip. */
  getTokenContext(tokenId: string, ecosystemId: string, userId: string): Promise<TokenContext>;
  /**
   * Records a use of an active SlidingTtl token: sets lastUsedAt and purgeAt only when the stored
   * lastUsedAt is still `previousLastUsedAt` and the token is active, so a token that expired or was
   * revoked meanwhile is never revived. False when the condition failed.
   */
  touchToken(
    tokenId: string,
    previousLastUsedAt: number,
    lastUsedAt: number,
    purgeAt: number | null,
  ): Promise<boolean>;
  /**
   * Refresh rotation, all or nothing: the old token goes from active to rotated (naming its successor),
   * the successor is stored, and the family's head moves to it, unless the family was revoked. When the
   * old token is no longer active, or no longer of the successor's `userGeneration` (a revoke-others
   * re-homed it since it was read: `rehomeFamily`), nothing is written and the current record is answered.
   */
  rotateToken(input: {
    oldTokenId: string;
    rotatedAt: number;
    oldPurgeAt: number | null;
    successor: TokenRecord;
  }): Promise<RotateResult>;
  /**
   * Revokes a rotation family: flags it, so it can rotate no more, and revokes its current head,
   * atomically. A family never rotated (or already forgotten) has no head on record: `memberId` is revoked.
   * A reuse is kept on the head it revoked (`TokenRecord.reuse`), written with the revocation.
   */
  revokeFamily(familyId: string, memberId: string, reuse?: TokenReuse): Promise<void>;
  /** The token records of a user still on file (not past purgeAt), without a Scan; the caller filters. */
  listUserTokens(ecosystemId: string, userId: string): Promise<TokenRecord[]>;
  /**
   * Signs a user out everywhere but one family, all or nothing: the user's generation goes from
   * `fromGeneration` to `toGeneration` (so every token of the old one stops verifying), and the family's
   * newest token (its head; `memberId` while the family never rotated) is re-homed into the new generation,
   * so it and its later refreshes keep working. A refresh that moved the head meanwhile makes it follow the
   * new head. False, with nothing written, when the user's generation is no longer `fromGeneration`, or the
   * head is not an active token of it (revoked, expired, its family revoked).
   */
  rehomeFamily(input: RehomeFamilyInput): Promise<boolean>;
}

/** Which family of which user moves from which generation to which (TokenState.rehomeFamily). */
export interface RehomeFamilyInput {
  ecosystemId: string;
  userId: string;
  familyId: string;
  memberId: string;
  fromGeneration: string;
  toGeneration: string;
}

/** The directory of ecosystems (tenants) and their users. */
export interface Directory {
  /** Creates the ecosystem and its first server token together; false when the id is taken. */
  createEcosystem(ecosystem: EcosystemRecord, serverToken: ServerTokenRecord): Promise<boolean>;
  getEcosystem(ecosystemId: string): Promise<EcosystemRecord | undefined>;
  /** Every ecosystem, oldest first, without a Scan (an index the ecosystem items feed). */
  listEcosystems(): Promise<EcosystemRecord[]>;
  /**
   * Removes the ecosystem with everything it holds: users, server tokens, usage counters, revocations.
   * False when none.
   */
  deleteEcosystem(ecosystemId: string): Promise<boolean>;

  /** Creates the user when absent, else replaces its metadata only (createdAt and generation stay). */
  putUser(user: UserRecord): Promise<{ created: boolean; user: UserRecord }>;
  getUser(ecosystemId: string, userId: string): Promise<UserRecord | undefined>;
  deleteUser(ecosystemId: string, userId: string): Promise<boolean>;
  /** Replaces the user's generation; false when the user is absent. */
  setUserGeneration(ecosystemId: string, userId: string, generation: string): Promise<boolean>;

  /** The ecosystem with the latest `issuedBefore` of its revocations, in one strongly consistent read. */
  getEcosystemState(ecosystemId: string): Promise<EcosystemState>;
  /** The ecosystem's revocations, in no particular order; [] when it has none (or does not exist). */
  listRevocations(ecosystemId: string): Promise<RevocationRecord[]>;
  /**
   * Stores a revocation and moves the ecosystem's `revokedBefore` to the latest, all or nothing, unless
   * the ecosystem is gone or already holds `limit` revocations.
   */
  createRevocation(record: RevocationRecord, limit: number): Promise<RevocationWrite>;
  /** Removes a revocation and moves `revokedBefore` to the latest of the rest; false when there was none. */
  deleteRevocation(ecosystemId: string, revocationId: string): Promise<boolean>;
}

/** The server tokens of each ecosystem, kept as hashes: what authenticates a server token. */
export interface ServerTokens {
  putServerToken(record: ServerTokenRecord): Promise<void>;
  getServerToken(ecosystemId: string, serverTokenId: string): Promise<ServerTokenRecord | undefined>;
  listServerTokens(ecosystemId: string): Promise<ServerTokenRecord[]>;
  deleteServerToken(ecosystemId: string, serverTokenId: string): Promise<boolean>;
}

/**
 * An ecosystem's usage counters per UTC day by count name, and each user's last active month. A month's
 * distinct active users are the sum of its days' `newActiveIdentities` (core/usage-report.ts), so no item
 * is shared by the month.
 */
export interface UsageCounters {
  /**
   * Sets the user's lastActiveMonth to `mark.month`, on the user's own item, only when the user exists and
   * its lastActiveMonth is absent or earlier: true for exactly one call per user and month.
   */
  markActive(mark: ActivityMark): Promise<boolean>;
  /** Adds `counts` to the ecosystem's counters of `day` (created at 0 when absent). */
  addUsage(ecosystemId: string, day: string, counts: Record<string, number>, purgeAt: number): Promise<void>;
  /** The day counters from `fromDay` to `toDay`, oldest first; days with no counter are left out. */
  getUsage(ecosystemId: string, fromDay: string, toDay: string): Promise<{ days: DayUsageRecord[] }>;
}

/** A provider's settings (core/providers-model.ts); the alias keeps the name where the ports use it. */
export type ProviderSettings = import('./providers-model.ts').ProviderSettings;

/** A token provider of an ecosystem (Infobip, Twilio, Stream): its settings and its sealed secret. */
export interface ProviderRecord {
  ecosystemId: string;
  providerId: string;
  settings: ProviderSettings;
  /** The provider's secret as the SecretBox sealed it (core/secret-box.ts): never the plain text. */
  sealedSecret: string;
  createdAt: number;
}

/**
 * The token providers of each ecosystem. They live and die with their ecosystem: `putProvider` writes only
 * while the ecosystem exists, and `Directory.deleteEcosystem` removes them with the rest.
 */
export interface Providers {
  /**
   * Creates the provider, or replaces all of it but its createdAt; undefined (nothing written) when the
   * ecosystem does not exist.
   */
  putProvider(record: ProviderRecord): Promise<{ created: boolean; provider: ProviderRecord } | undefined>;
  getProvider(ecosystemId: string, providerId: string): Promise<ProviderRecord | undefined>;
  /** The ecosystem's providers, in providerId order. */
  listProviders(ecosystemId: string): Promise<ProviderRecord[]>;
  deleteProvider(ecosystemId: string, providerId: string): Promise<boolean>;
}

/**
 * The four state ports one backing store opens together, over the same data (the embedded store's file, or
 * one DynamoDB table): a directory's deletion reaches the server tokens and counters, a token context reads
 * the directory's user. An adapter implements all four, and test/contract pins each.
 */
export interface StorePorts {
  tokens: TokenState;
  directory: Directory;
  serverTokens: ServerTokens;
  usageCounters: UsageCounters;
  /** The fifth port, opened with the four: an ecosystem's deletion removes its providers. */
  providers: Providers;
}
