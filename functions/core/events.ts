// Security events, from the change records of the stored records: one pure builder for both event paths.
// In AWS the events function reads each change from a DynamoDB Stream record (adapters/dynamodb-changes.ts);
// locally the embedded store hands over the same change records once its snapshot is on disk. Either way an
// event is built only after the change is durable, never on a request's path, and only from fields chosen
// here one by one: no claims, no metadata, no secret hash, so never a token, a server token or a secret.
import { createHash } from 'node:crypto';
import { isoFromSeconds } from './clock.ts';
import type {
  EcosystemRecord,
  RevocationRecord,
  ServerTokenRecord,
  TokenRecord,
  TokenReuse,
  UserRecord,
} from './ports.ts';

/** Every event type, as the contract lists them. */
export const EVENT_TYPES = [
  'token.revoked',
  'token.reused',
  'user.tokens_revoked',
  'user.deleted',
  'ecosystem.deleted',
  'ecosystem.revocation_created',
  'ecosystem.revocation_deleted',
  'server_token.created',
  'server_token.deleted',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One security event (docs/events/ holds its JSON Schema). */
export interface TesseraEvent {
  /** Stable: the same change always gives the same id, so consumers deduplicate on it. */
  id: string;
  type: EventType;
  /** When the change was written, ISO-8601 UTC, to the second. */
  time: string;
  ecosystemId: string;
  userId?: string;
  tokenId?: string;
  familyId?: string;
  detail: Record<string, string | number | null>;
}

/** The stored records a change can be of, by kind. */
export interface ChangeKinds {
  token: TokenRecord;
  user: UserRecord;
  ecosystem: EcosystemRecord;
  serverToken: ServerTokenRecord;
  revocation: RevocationRecord;
}
export type ChangeKind = keyof ChangeKinds;

/**
 * One write of one stored record, in the domain's words: its image before (undefined: it was created) and
 * after (undefined: it was deleted), and when it was written (epoch seconds). A DynamoDB Stream record with
 * new and old images is exactly this; the embedded store records the same for each write.
 */
export type ChangeRecord = {
  [K in ChangeKind]: {
    kind: K;
    before: ChangeKinds[K] | undefined;
    after: ChangeKinds[K] | undefined;
    at: number;
  };
}[ChangeKind];

/** 32 hex digits of SHA-256 over what identifies the change: its type, the record's key and the transition. */
export function eventId(type: EventType, ...identity: readonly (string | number)[]): string {
  return createHash('sha256')
    .update(JSON.stringify([type, ...identity]))
    .digest('hex')
    .slice(0, 32);
}

type Built = Omit<TesseraEvent, 'id' | 'time'> & { identity: readonly (string | number)[] };

const sameReuse = (a: TokenReuse | undefined, b: TokenReuse | undefined) =>
  a?.presentedTokenId === b?.presentedTokenId && a?.at === b?.at;

function tokenEvent(before: TokenRecord | undefined, after: TokenRecord | undefined): Built | undefined {
  if (after === undefined) return undefined; // forgotten past its purgeAt: nothing happened to it
  const base = { ecosystemId: after.ecosystemId, userId: after.userId, familyId: after.familyId };
  // The label given at issue (null without one). A refresh keeps it, so on a reuse the newest token's label,
  // the only one this image holds, is also the presented token's: a family has one label.
  const label = after.label ?? null;
  // A reuse revokes the family's head and says why on it: one change, one event, token.reused.
  if (after.reuse !== undefined && !sameReuse(before?.reuse, after.reuse)) {
    const { presentedTokenId, at, secondsAfterGrace } = after.reuse;
    return {
      type: 'token.reused',
      ...base,
      tokenId: presentedTokenId,
      detail: { presentedTokenId, newestTokenId: after.tokenId, secondsAfterGrace, label },
      identity: [after.tokenId, presentedTokenId, at],
    };
  }
  if (after.status !== 'revoked' || before?.status === 'revoked') return undefined;
  return {
    type: 'token.revoked',
    ...base,
    tokenId: after.tokenId,
    detail: { expiryType: after.expiryType, issuedAt: isoFromSeconds(after.issuedAt), label },
    identity: [after.tokenId], // revoked is final: once per token
  };
}

function userEvent(before: UserRecord | undefined, after: UserRecord | undefined): Built | undefined {
  if (before === undefined) return undefined; // created: not a security event
  const base = { ecosystemId: before.ecosystemId, userId: before.userId, detail: {} };
  if (after === undefined) {
    return { type: 'user.deleted', ...base, identity: [before.userId, before.generation] };
  }
  if (after.generation === before.generation) return undefined; // metadata, last active month
  return { type: 'user.tokens_revoked', ...base, identity: [after.userId, after.generation] };
}

function ecosystemEvent(before: EcosystemRecord | undefined, after: EcosystemRecord | undefined) {
  if (before === undefined || after !== undefined) return undefined;
  const built: Built = {
    type: 'ecosystem.deleted',
    ecosystemId: before.ecosystemId,
    detail: { name: before.name },
    identity: [before.createdAt],
  };
  return built;
}

function serverTokenEvent(before: ServerTokenRecord | undefined, after: ServerTokenRecord | undefined) {
  const record = after ?? before;
  if (record === undefined || (before !== undefined && after !== undefined)) return undefined;
  const built: Built = {
    type: after === undefined ? 'server_token.deleted' : 'server_token.created',
    ecosystemId: record.ecosystemId,
    // The id only: the record's secret hash stays out of every event.
    detail: { serverTokenId: record.serverTokenId, createdAt: isoFromSeconds(record.createdAt) },
    identity: [record.serverTokenId],
  };
  return built;
}

function revocationEvent(before: RevocationRecord | undefined, after: RevocationRecord | undefined) {
  const record = after ?? before;
  if (record === undefined || (before !== undefined && after !== undefined)) return undefined;
  const built: Built = {
    type: after === undefined ? 'ecosystem.revocation_deleted' : 'ecosystem.revocation_created',
    ecosystemId: record.ecosystemId,
    detail: {
      revocationId: record.revocationId,
      issuedBefore: isoFromSeconds(record.issuedBefore),
      createdAt: isoFromSeconds(record.createdAt),
    },
    identity: [record.revocationId],
  };
  return built;
}

function build(change: ChangeRecord): Built | undefined {
  switch (change.kind) {
    case 'token':
      return tokenEvent(change.before, change.after);
    case 'user':
      return userEvent(change.before, change.after);
    case 'ecosystem':
      return ecosystemEvent(change.before, change.after);
    case 'serverToken':
      return serverTokenEvent(change.before, change.after);
    case 'revocation':
      return revocationEvent(change.before, change.after);
  }
}

/**
 * The event a change emits, or undefined when it is no security event (an issue, a touch, a rotation, a
 * metadata change, a record forgotten past its purgeAt).
 *
 * @example
 * eventOf({ kind: 'user', before: alice, after: { ...alice, generation: 'g2' }, at: 1767225600 });
 * // { id: '3f…', type: 'user.tokens_revoked', time: '2026-01-01T00:00:00.000Z', ecosystemId, userId, detail: {} }
 */
export function eventOf(change: ChangeRecord): TesseraEvent | undefined {
  const built = build(change);
  if (built === undefined) return undefined;
  const { identity, type, ecosystemId, userId, tokenId, familyId, detail } = built;
  return {
    id: eventId(type, ecosystemId, ...identity),
    type,
    time: new Date(change.at * 1000).toISOString(),
    ecosystemId,
    // In the contract's order, and only those the event has.
    ...(userId === undefined ? {} : { userId }),
    ...(tokenId === undefined ? {} : { tokenId }),
    ...(familyId === undefined ? {} : { familyId }),
    detail,
  };
}
