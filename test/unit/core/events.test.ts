// The event builder on hand-made change records at frozen instants: which change emits which event, with
// which fields, the stable id, and nothing secret from the record in it.
import { describe, expect, it } from 'vitest';
import { type ChangeRecord, EVENT_TYPES, eventId, eventOf } from '../../../functions/core/events.ts';
import type {
  EcosystemRecord,
  RevocationRecord,
  ServerTokenRecord,
  TokenRecord,
  UserRecord,
} from '../../../functions/core/ports.ts';
import { frozenClock } from '../../helpers/clock.ts';

const clock = frozenClock(1_800_000_000);
const at = clock.seconds();
const TIME = '2027-01-15T08:00:00.000Z';

const token: TokenRecord = {
  tokenId: 't2',
  ecosystemId: 'eco',
  userId: 'alice',
  expiryType: 'SlidingTtl',
  ttl: 600,
  absoluteExpiresAt: null,
  familyId: 't1',
  userGeneration: 'g1',
  issuedAt: at - 100,
  lastUsedAt: at - 50,
  claims: { apiKey: 'claim-secret-value' },
  status: 'active',
  successorId: null,
  rotatedAt: null,
  purgeAt: at + 550,
};
const user: UserRecord = {
  ecosystemId: 'eco',
  userId: 'alice',
  metadata: { ssn: 'metadata-secret-value' },
  createdAt: at - 1000,
  generation: 'g1',
};
const ecosystem: EcosystemRecord = { ecosystemId: 'eco', name: 'chat', createdAt: at - 5000 };
const serverToken: ServerTokenRecord = {
  ecosystemId: 'eco',
  serverTokenId: '019ab2f3c4d5e6f708a9b0c1',
  secretHash: 'f'.repeat(64),
  createdAt: at - 10,
};
const revocation: RevocationRecord = {
  ecosystemId: 'eco',
  revocationId: 'r1',
  issuedBefore: at - 60,
  createdAt: at,
};

const change = (c: Omit<ChangeRecord, 'at'>): ChangeRecord => ({ ...c, at }) as ChangeRecord;

describe('eventOf: tokens', () => {
  it('emits token.revoked when a token becomes revoked, naming it, its user and its family', () => {
    const event = eventOf(change({ kind: 'token', before: token, after: { ...token, status: 'revoked' } }));
    expect(event).toEqual({
      id: eventId('token.revoked', 'eco', 't2'),
      type: 'token.revoked',
      time: TIME,
      ecosystemId: 'eco',
      userId: 'alice',
      tokenId: 't2',
      familyId: 't1',
      detail: { expiryType: 'SlidingTtl', issuedAt: '2027-01-15T07:58:20.000Z', label: null },
    });
  });

  it('carries the label of a revoked token in token.revoked, and null for a token issued without one', () => {
    const labelled = { ...token, label: 'Pixel 8' };
    const event = eventOf(
      change({ kind: 'token', before: labelled, after: { ...labelled, status: 'revoked' } }),
    );
    expect(event?.detail).toEqual({
      expiryType: 'SlidingTtl',
      issuedAt: '2027-01-15T07:58:20.000Z',
      label: 'Pixel 8',
    });
  });

  it("carries the family's label, from its newest token, in token.reused", () => {
    const labelled = { ...token, label: 'Work laptop' };
    const reuse = { presentedTokenId: 't1', at, secondsAfterGrace: 25 };
    const event = eventOf(
      change({ kind: 'token', before: labelled, after: { ...labelled, status: 'revoked', reuse } }),
    );
    expect(event?.detail).toEqual({
      presentedTokenId: 't1',
      newestTokenId: 't2',
      secondsAfterGrace: 25,
      label: 'Work laptop',
    });
  });

  it('emits nothing for an issue, a touch, a rotation, a repeated revocation or a purge', () => {
    const rotated = { ...token, status: 'rotated' as const, successorId: 't3', rotatedAt: at };
    const revoked = { ...token, status: 'revoked' as const };
    for (const [before, after] of [
      [undefined, token],
      [token, { ...token, lastUsedAt: at }],
      [token, rotated],
      [revoked, revoked],
      [token, undefined],
    ] as const) {
      expect(eventOf(change({ kind: 'token', before, after }))).toBeUndefined();
    }
  });

  it('emits token.reused, not token.revoked, when a reuse revokes the head: the presented and newest ids, the lateness', () => {
    const reuse = { presentedTokenId: 't1', at, secondsAfterGrace: 25 };
    const event = eventOf(
      change({ kind: 'token', before: token, after: { ...token, status: 'revoked', reuse } }),
    );
    expect(event).toEqual({
      id: eventId('token.reused', 'eco', 't2', 't1', at),
      type: 'token.reused',
      time: TIME,
      ecosystemId: 'eco',
      userId: 'alice',
      tokenId: 't1',
      familyId: 't1',
      detail: { presentedTokenId: 't1', newestTokenId: 't2', secondsAfterGrace: 25, label: null },
    });
  });

  it('emits token.reused again for a later reuse of an already revoked family, with another id', () => {
    const first = { presentedTokenId: 't1', at: at - 30, secondsAfterGrace: 5 };
    const again = { presentedTokenId: 't1', at, secondsAfterGrace: 35 };
    const revoked = { ...token, status: 'revoked' as const, reuse: first };
    const event = eventOf(change({ kind: 'token', before: revoked, after: { ...revoked, reuse: again } }));
    expect(event?.type).toBe('token.reused');
    expect(event?.detail.secondsAfterGrace).toBe(35);
    expect(event?.id).not.toBe(eventId('token.reused', 'eco', 't2', 't1', at - 30));
    // A later write of the head that keeps the same reuse (a logout) is no new reuse.
    expect(eventOf(change({ kind: 'token', before: revoked, after: revoked }))).toBeUndefined();
  });
});

describe('eventOf: users, ecosystems, server tokens, revocations', () => {
  it('emits user.tokens_revoked when the generation changes, and nothing for metadata or activity', () => {
    const event = eventOf(change({ kind: 'user', before: user, after: { ...user, generation: 'g2' } }));
    expect(event).toEqual({
      id: eventId('user.tokens_revoked', 'eco', 'alice', 'g2'),
      type: 'user.tokens_revoked',
      time: TIME,
      ecosystemId: 'eco',
      userId: 'alice',
      detail: {},
    });
    const quiet = [
      { ...user, metadata: { plan: 'pro' } },
      { ...user, lastActiveMonth: '2027-01' },
    ];
    for (const after of quiet) expect(eventOf(change({ kind: 'user', before: user, after }))).toBeUndefined();
    expect(eventOf(change({ kind: 'user', before: undefined, after: user }))).toBeUndefined();
  });

  it('emits user.deleted once per life of a user: a re-created user deleted again is another event', () => {
    const deleted = eventOf(change({ kind: 'user', before: user, after: undefined }));
    expect(deleted).toMatchObject({ type: 'user.deleted', ecosystemId: 'eco', userId: 'alice', detail: {} });
    const again = eventOf(change({ kind: 'user', before: { ...user, generation: 'g9' }, after: undefined }));
    expect(again?.id).not.toBe(deleted?.id);
  });

  it('emits ecosystem.deleted with its name, and nothing when one is created', () => {
    expect(eventOf(change({ kind: 'ecosystem', before: ecosystem, after: undefined }))).toEqual({
      id: eventId('ecosystem.deleted', 'eco', ecosystem.createdAt),
      type: 'ecosystem.deleted',
      time: TIME,
      ecosystemId: 'eco',
      detail: { name: 'chat' },
    });
    expect(eventOf(change({ kind: 'ecosystem', before: undefined, after: ecosystem }))).toBeUndefined();
  });

  it('emits server_token.created and server_token.deleted with the id, never the secret hash', () => {
    const created = eventOf(change({ kind: 'serverToken', before: undefined, after: serverToken }));
    const deleted = eventOf(change({ kind: 'serverToken', before: serverToken, after: undefined }));
    const detail = { serverTokenId: serverToken.serverTokenId, createdAt: '2027-01-15T07:59:50.000Z' };
    expect(created).toMatchObject({ type: 'server_token.created', ecosystemId: 'eco', detail });
    expect(deleted).toMatchObject({ type: 'server_token.deleted', ecosystemId: 'eco', detail });
    expect(created?.id).not.toBe(deleted?.id);
    expect(JSON.stringify([created, deleted])).not.toContain(serverToken.secretHash);
  });

  it('emits ecosystem.revocation_created and ecosystem.revocation_deleted from a revocation record', () => {
    const detail = {
      revocationId: 'r1',
      issuedBefore: '2027-01-15T07:59:00.000Z',
      createdAt: TIME,
    };
    expect(eventOf(change({ kind: 'revocation', before: undefined, after: revocation }))).toEqual({
      id: eventId('ecosystem.revocation_created', 'eco', 'r1'),
      type: 'ecosystem.revocation_created',
      time: TIME,
      ecosystemId: 'eco',
      detail,
    });
    expect(eventOf(change({ kind: 'revocation', before: revocation, after: undefined }))).toMatchObject({
      type: 'ecosystem.revocation_deleted',
      detail,
    });
  });
});

describe('eventOf: ids and contents', () => {
  it('gives the same change the same id at any delivery, and pins the id format consumers deduplicate on', () => {
    const revoke = { kind: 'token', before: token, after: { ...token, status: 'revoked' } } as const;
    const first = eventOf({ ...revoke, at });
    const redelivered = eventOf({ ...revoke, at });
    expect(redelivered).toEqual(first);
    expect(first?.id).toMatch(/^[0-9a-f]{32}$/);
    // sha256('["token.revoked","eco","t2"]'), first 32 hex digits: changing it would break deduplication.
    expect(first?.id).toBe('16ec908df9b4596e2bb1d9b6538efc29');
  });

  it('keeps claims, metadata and hashes out of every event', () => {
    const changes: ChangeRecord[] = [
      change({ kind: 'token', before: token, after: { ...token, status: 'revoked' } }),
      change({ kind: 'user', before: user, after: { ...user, generation: 'g2' } }),
      change({ kind: 'user', before: user, after: undefined }),
      change({ kind: 'serverToken', before: undefined, after: serverToken }),
    ];
    const text = JSON.stringify(changes.map(eventOf));
    for (const secret of ['claim-secret-value', 'metadata-secret-value', serverToken.secretHash, 'g1']) {
      expect(text).not.toContain(secret);
    }
  });

  it('lists the nine event types of the contract', () => {
    expect(EVENT_TYPES).toHaveLength(9);
  });
});
