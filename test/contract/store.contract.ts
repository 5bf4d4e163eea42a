// The Store contract: every Store method's semantics, pinned once and run against each adapter (the
// embedded store and DynamoDB Local), so local mode and AWS cannot drift apart.
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store, TokenRecord, UserRecord } from '../../functions/core/ports.ts';
import { type FrozenClock, frozenClock } from '../helpers/clock.ts';

/** Builds a store over the given clock; each call may share the same backing table. */
export type StoreFactory = (clock: FrozenClock) => Promise<Store>;

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;

function token(overrides: Partial<TokenRecord> & { tokenId: string }, now: number): TokenRecord {
  return {
    ecosystemId: 'eco',
    userId: 'alice',
    expiryType: 'SlidingTtl',
    ttl: 600,
    absoluteExpiresAt: null,
    familyId: overrides.tokenId,
    userGeneration: 'g1',
    issuedAt: now,
    lastUsedAt: now,
    claims: { role: 'admin', nested: { list: [1, 'two', null, true] } },
    status: 'active',
    successorId: null,
    rotatedAt: null,
    purgeAt: now + 600,
    ...overrides,
  };
}

/**
 * Registers the contract's describe/it blocks for one adapter.
 *
 * @example
 * describeStoreContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeStoreContract(adapter: string, makeStore: StoreFactory): void {
  describe(`Store contract: ${adapter}`, () => {
    let clock: FrozenClock;
    let store: Store;
    let now: number;
    let eco: string;

    beforeEach(async () => {
      clock = frozenClock();
      now = clock.seconds();
      store = await makeStore(clock);
      eco = id('e');
    });

    const ecosystem = (ecosystemId: string) => ({ ecosystemId, name: 'acme', createdAt: now });
    const serverToken = (ecosystemId: string, serverTokenId = id('s')) => ({
      ecosystemId,
      serverTokenId,
      secretHash: 'ab'.repeat(32),
      createdAt: now,
    });
    const user = (userId: string, generation = 'g1'): UserRecord => ({
      ecosystemId: eco,
      userId,
      metadata: { plan: 'pro', limits: { seats: 3 } },
      createdAt: now,
      generation,
    });

    describe('ecosystems', () => {
      it('creates an ecosystem with its first server token, and refuses a taken id without writing', async () => {
        const first = serverToken(eco, 'st1');
        expect(await store.createEcosystem(ecosystem(eco), first)).toBe(true);
        expect(await store.getEcosystem(eco)).toEqual(ecosystem(eco));
        expect(await store.getServerToken(eco, 'st1')).toEqual(first);

        const other = serverToken(eco, 'st2');
        expect(await store.createEcosystem({ ...ecosystem(eco), name: 'other' }, other)).toBe(false);
        expect((await store.getEcosystem(eco))?.name).toBe('acme');
        expect(await store.getServerToken(eco, 'st2')).toBeUndefined();
      });

      it('keeps a null name as null', async () => {
        await store.createEcosystem({ ecosystemId: eco, name: null, createdAt: now }, serverToken(eco));
        expect(await store.getEcosystem(eco)).toEqual({ ecosystemId: eco, name: null, createdAt: now });
      });

      it('answers undefined for an unknown ecosystem', async () => {
        expect(await store.getEcosystem(id('none'))).toBeUndefined();
      });

      it('deletes an ecosystem with all its users and server tokens, past one batch, and leaves others alone', async () => {
        const neighbour = id('n');
        await store.createEcosystem(ecosystem(neighbour), serverToken(neighbour, 'st'));
        await store.putUser({ ...user('bob'), ecosystemId: neighbour });
        await store.createEcosystem(ecosystem(eco), serverToken(eco, 'st'));
        for (let i = 0; i < 30; i++) await store.putUser(user(`u${i}`));
        await store.putServerToken(serverToken(eco, 'st2'));

        expect(await store.deleteEcosystem(eco)).toBe(true);

        expect(await store.getEcosystem(eco)).toBeUndefined();
        expect(await store.getUser(eco, 'u0')).toBeUndefined();
        expect(await store.getUser(eco, 'u29')).toBeUndefined();
        expect(await store.listServerTokens(eco)).toEqual([]);
        expect(await store.getEcosystem(neighbour)).toBeDefined();
        expect(await store.getUser(neighbour, 'bob')).toBeDefined();
        expect(await store.getServerToken(neighbour, 'st')).toBeDefined();
        expect(await store.deleteEcosystem(eco)).toBe(false);
      });
    });

    describe('server tokens', () => {
      it('puts, lists (its ecosystem only), gets and deletes server tokens', async () => {
        const neighbour = id('n');
        await store.createEcosystem(ecosystem(eco), serverToken(eco, 'a'));
        await store.createEcosystem(ecosystem(neighbour), serverToken(neighbour, 'x'));
        await store.putServerToken(serverToken(eco, 'b'));

        const listed = await store.listServerTokens(eco);
        expect(listed.map((t) => t.serverTokenId).sort()).toEqual(['a', 'b']);
        expect(await store.deleteServerToken(eco, 'a')).toBe(true);
        expect(await store.getServerToken(eco, 'a')).toBeUndefined();
        expect(await store.deleteServerToken(eco, 'a')).toBe(false);
        expect((await store.listServerTokens(eco)).map((t) => t.serverTokenId)).toEqual(['b']);
      });
    });

    describe('users', () => {
      it('creates a user, then replaces only its metadata (createdAt and generation stay)', async () => {
        expect(await store.putUser(user('alice', 'g1'))).toEqual({
          created: true,
          user: user('alice', 'g1'),
        });
        clock.advance(100);
        const again = await store.putUser({
          ...user('alice', 'g2'),
          metadata: { plan: 'free' },
          createdAt: now + 100,
        });
        const expected = { ...user('alice', 'g1'), metadata: { plan: 'free' } };
        expect(again).toEqual({ created: false, user: expected });
        expect(await store.getUser(eco, 'alice')).toEqual(expected);
      });

      it('deletes a user once; a re-created user carries its new generation', async () => {
        await store.putUser(user('alice', 'g1'));
        expect(await store.deleteUser(eco, 'alice')).toBe(true);
        expect(await store.getUser(eco, 'alice')).toBeUndefined();
        expect(await store.deleteUser(eco, 'alice')).toBe(false);
        await store.putUser(user('alice', 'g2'));
        expect((await store.getUser(eco, 'alice'))?.generation).toBe('g2');
      });

      it('replaces the generation of an existing user only', async () => {
        await store.putUser(user('alice', 'g1'));
        expect(await store.setUserGeneration(eco, 'alice', 'g9')).toBe(true);
        expect((await store.getUser(eco, 'alice'))?.generation).toBe('g9');
        expect(await store.setUserGeneration(eco, 'ghost', 'g9')).toBe(false);
        expect(await store.getUser(eco, 'ghost')).toBeUndefined();
      });
    });

    describe('tokens', () => {
      it('stores and reads back every field of a token record, nulls included', async () => {
        const sliding = token({ tokenId: id('t'), absoluteExpiresAt: now + 3600 }, now);
        const infinite = token(
          {
            tokenId: id('t'),
            expiryType: 'Infinite',
            ttl: null,
            lastUsedAt: null,
            purgeAt: null,
            claims: {},
          },
          now,
        );
        await store.putToken(sliding);
        await store.putToken(infinite);
        expect(await store.getToken(sliding.tokenId)).toEqual(sliding);
        expect(await store.getToken(infinite.tokenId)).toEqual(infinite);
      });

      it('refuses a second token with the same id', async () => {
        const record = token({ tokenId: id('t') }, now);
        await store.putToken(record);
        await expect(store.putToken(record)).rejects.toThrow(/collision/);
      });

      it('reads a token, its user and its ecosystem together, each undefined when absent', async () => {
        await store.createEcosystem(ecosystem(eco), serverToken(eco));
        await store.putUser(user('alice'));
        const record = token({ tokenId: id('t'), ecosystemId: eco }, now);
        await store.putToken(record);

        expect(await store.getTokenContext(record.tokenId, eco, 'alice')).toEqual({
          token: record,
          user: user('alice'),
          ecosystem: ecosystem(eco),
        });
        expect(await store.getTokenContext(id('t'), id('e'), 'nobody')).toEqual({
          token: undefined,
          user: undefined,
          ecosystem: undefined,
        });
      });

      it('treats a token past its purgeAt as absent, whether or not it was deleted yet', async () => {
        const record = token({ tokenId: id('t'), ecosystemId: eco, purgeAt: now + 10 }, now);
        const forever = token({ tokenId: id('t'), expiryType: 'Infinite', purgeAt: null }, now);
        await store.putToken(record);
        await store.putToken(forever);
        clock.advance(9);
        expect(await store.getToken(record.tokenId)).toBeDefined();
        clock.advance(1);
        expect(await store.getToken(record.tokenId)).toBeUndefined();
        expect((await store.getTokenContext(record.tokenId, eco, 'alice')).token).toBeUndefined();
        clock.advance(10 * 365 * 86_400);
        expect(await store.getToken(forever.tokenId)).toBeDefined();
      });
    });

    describe('touchToken', () => {
      it('records a use of an active token whose last use is unchanged', async () => {
        const record = token({ tokenId: id('t') }, now);
        await store.putToken(record);
        expect(await store.touchToken(record.tokenId, now, now + 100, now + 700)).toBe(true);
        expect(await store.getToken(record.tokenId)).toMatchObject({
          lastUsedAt: now + 100,
          purgeAt: now + 700,
        });
      });

      it('fails when another use was recorded since the read', async () => {
        const record = token({ tokenId: id('t') }, now);
        await store.putToken(record);
        const both = await Promise.all([
          store.touchToken(record.tokenId, now, now + 100, now + 700),
          store.touchToken(record.tokenId, now, now + 101, now + 701),
        ]);
        expect(both.filter(Boolean)).toHaveLength(1);
        expect(await store.touchToken(record.tokenId, now, now + 102, now + 702)).toBe(false);
      });

      it('never revives a revoked, rotated, expired or unknown token', async () => {
        const revoked = token({ tokenId: id('t'), status: 'revoked' }, now);
        const rotated = token({ tokenId: id('t'), status: 'rotated' }, now);
        const expired = token({ tokenId: id('t'), purgeAt: now + 600 }, now);
        for (const r of [revoked, rotated, expired]) await store.putToken(r);

        expect(await store.touchToken(revoked.tokenId, now, now + 1, now + 601)).toBe(false);
        expect(await store.touchToken(rotated.tokenId, now, now + 1, now + 601)).toBe(false);
        expect(await store.touchToken(expired.tokenId, now, now + 600, now + 1200)).toBe(false);
        expect(await store.touchToken(id('t'), now, now + 1, now + 601)).toBe(false);
        expect(await store.getToken(revoked.tokenId)).toEqual(revoked);
        expect(await store.getToken(id('t'))).toBeUndefined();
      });
    });

    describe('rotateToken', () => {
      it('rotates an active token: old → rotated naming its successor, successor stored', async () => {
        const old = token({ tokenId: id('t') }, now);
        await store.putToken(old);
        clock.advance(50);
        const successor = token({ tokenId: id('t'), familyId: old.familyId, issuedAt: now + 50 }, now + 50);

        const result = await store.rotateToken({
          oldTokenId: old.tokenId,
          rotatedAt: now + 50,
          oldPurgeAt: now + 650,
          successor,
        });

        expect(result).toEqual({ ok: true });
        expect(await store.getToken(old.tokenId)).toEqual({
          ...old,
          status: 'rotated',
          successorId: successor.tokenId,
          rotatedAt: now + 50,
          lastUsedAt: now + 50,
          purgeAt: now + 650,
        });
        expect(await store.getToken(successor.tokenId)).toEqual(successor);
      });

      it('leaves lastUsedAt null and can clear purgeAt for tokens that do not slide', async () => {
        const old = token(
          { tokenId: id('t'), expiryType: 'Infinite', ttl: null, lastUsedAt: null, purgeAt: null },
          now,
        );
        await store.putToken(old);
        const successor = { ...old, tokenId: id('t') };
        expect(
          await store.rotateToken({ oldTokenId: old.tokenId, rotatedAt: now, oldPurgeAt: null, successor }),
        ).toEqual({
          ok: true,
        });
        expect(await store.getToken(old.tokenId)).toMatchObject({
          status: 'rotated',
          lastUsedAt: null,
          purgeAt: null,
        });
      });

      it('lets exactly one of two concurrent rotations win; the loser gets the rotated record', async () => {
        const old = token({ tokenId: id('t') }, now);
        await store.putToken(old);
        const successors = [id('t'), id('t')].map((tokenId) =>
          token({ tokenId, familyId: old.familyId }, now),
        );
        const results = await Promise.all(
          successors.map((successor) =>
            store.rotateToken({ oldTokenId: old.tokenId, rotatedAt: now, oldPurgeAt: now + 600, successor }),
          ),
        );

        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const loser = results.find((r) => !r.ok);
        const stored = await store.getToken(old.tokenId);
        expect(loser).toEqual({ ok: false, current: stored, familyRevoked: false });
        expect(stored?.status).toBe('rotated');
        const stored0 = await store.getToken(successors[0]?.tokenId ?? '');
        const stored1 = await store.getToken(successors[1]?.tokenId ?? '');
        expect([stored0, stored1].filter((t) => t !== undefined)).toHaveLength(1);
      });

      it('writes nothing for an unknown or expired old token and answers current undefined', async () => {
        const expired = token({ tokenId: id('t'), purgeAt: now + 10 }, now);
        await store.putToken(expired);
        clock.advance(10);
        for (const oldTokenId of [id('t'), expired.tokenId]) {
          const successor = token({ tokenId: id('t') }, now + 10);
          expect(
            await store.rotateToken({ oldTokenId, rotatedAt: now + 10, oldPurgeAt: now + 20, successor }),
          ).toEqual({
            ok: false,
            current: undefined,
            familyRevoked: false,
          });
          expect(await store.getToken(successor.tokenId)).toBeUndefined();
        }
      });

      it('refuses to rotate once the family was revoked, and says so', async () => {
        const first = token({ tokenId: id('t') }, now);
        await store.putToken(first);
        const second = token({ tokenId: id('t'), familyId: first.familyId }, now);
        await store.rotateToken({
          oldTokenId: first.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor: second,
        });
        await store.revokeFamily(first.familyId, first.tokenId);

        const third = token({ tokenId: id('t'), familyId: first.familyId }, now);
        const result = await store.rotateToken({
          oldTokenId: second.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor: third,
        });

        expect(result).toEqual({ ok: false, current: { ...second, status: 'revoked' }, familyRevoked: true });
        expect(await store.getToken(third.tokenId)).toBeUndefined();
      });
    });

    describe('revokeFamily', () => {
      it('revokes the member itself when the family never rotated', async () => {
        const only = token({ tokenId: id('t') }, now);
        await store.putToken(only);
        await store.revokeFamily(only.familyId, only.tokenId);
        expect((await store.getToken(only.tokenId))?.status).toBe('revoked');
      });

      it('revokes the head of a rotated family, whichever member is named', async () => {
        const first = token({ tokenId: id('t') }, now);
        await store.putToken(first);
        const second = token({ tokenId: id('t'), familyId: first.familyId }, now);
        const third = token({ tokenId: id('t'), familyId: first.familyId }, now);
        await store.rotateToken({
          oldTokenId: first.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor: second,
        });
        await store.rotateToken({
          oldTokenId: second.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor: third,
        });

        await store.revokeFamily(first.familyId, first.tokenId);

        expect((await store.getToken(third.tokenId))?.status).toBe('revoked');
        expect((await store.getToken(first.tokenId))?.status).toBe('rotated');
        expect((await store.getToken(second.tokenId))?.status).toBe('rotated');
      });

      it('never leaves an active head when a revocation races a refresh', async () => {
        for (let round = 0; round < 5; round++) {
          const first = token({ tokenId: id('t') }, now);
          await store.putToken(first);
          const second = token({ tokenId: id('t'), familyId: first.familyId }, now);
          const [rotated] = await Promise.all([
            store.rotateToken({
              oldTokenId: first.tokenId,
              rotatedAt: now,
              oldPurgeAt: now + 600,
              successor: second,
            }),
            store.revokeFamily(first.familyId, first.tokenId),
          ]);
          const head = await store.getToken(second.tokenId);
          if (rotated.ok) expect(head?.status).toBe('revoked');
          else {
            expect(head).toBeUndefined();
            expect((await store.getToken(first.tokenId))?.status).toBe('revoked');
          }
        }
      });

      it('does nothing (and creates nothing) for an unknown member', async () => {
        const ghost = id('t');
        await store.revokeFamily(ghost, ghost);
        expect(await store.getToken(ghost)).toBeUndefined();
      });
    });

    describe('listings', () => {
      it('lists every ecosystem, oldest first, and forgets a deleted one', async () => {
        const later = id('e');
        await store.createEcosystem(ecosystem(eco), serverToken(eco));
        await store.createEcosystem({ ...ecosystem(later), createdAt: now + 5 }, serverToken(later));
        const ids = (await store.listEcosystems()).map((e) => e.ecosystemId);
        expect(ids.filter((i) => i === eco || i === later)).toEqual([eco, later]);
        expect((await store.listEcosystems()).find((e) => e.ecosystemId === eco)).toEqual(ecosystem(eco));

        await store.deleteEcosystem(eco);
        expect((await store.listEcosystems()).map((e) => e.ecosystemId)).not.toContain(eco);
      });

      it("lists a user's token records, successors included, and not past their purgeAt", async () => {
        await store.createEcosystem(ecosystem(eco), serverToken(eco));
        await store.putUser(user('alice'));
        const first = token({ tokenId: id('t'), ecosystemId: eco }, now);
        const short = token({ tokenId: id('t'), ecosystemId: eco, purgeAt: now + 10 }, now);
        const other = token({ tokenId: id('t'), ecosystemId: eco, userId: 'bob' }, now);
        for (const record of [first, short, other]) await store.putToken(record);
        const successor = token({ tokenId: id('t'), ecosystemId: eco, familyId: first.familyId }, now);
        await store.rotateToken({
          oldTokenId: first.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor,
        });

        const listed = await store.listUserTokens(eco, 'alice');
        expect(listed.map((t) => t.tokenId).sort()).toEqual(
          [first.tokenId, short.tokenId, successor.tokenId].sort(),
        );
        expect(listed.find((t) => t.tokenId === successor.tokenId)).toEqual(successor);

        clock.advance(10);
        const later = (await store.listUserTokens(eco, 'alice')).map((t) => t.tokenId);
        expect(later).not.toContain(short.tokenId);
        expect(await store.listUserTokens(eco, 'nobody')).toEqual([]);
      });
    });

    describe('usage', () => {
      const mark = (userId: string, month: string, day: string) => ({
        ecosystemId: eco,
        userId,
        month,
        day,
        purgeAt: now + 86_400,
      });

      it("marks a user active once per month, counting it in the month's and the day's counters", async () => {
        await store.createEcosystem(ecosystem(eco), serverToken(eco));
        await store.putUser(user('alice'));
        await store.putUser(user('bob'));

        expect(await store.markActive(mark('alice', '2026-11', '2026-11-03'))).toBe(true);
        expect(await store.markActive(mark('alice', '2026-11', '2026-11-04'))).toBe(false);
        expect(await store.markActive(mark('alice', '2026-10', '2026-10-31'))).toBe(false); // never backwards
        expect(await store.markActive(mark('bob', '2026-11', '2026-11-04'))).toBe(true);
        expect(await store.markActive(mark('alice', '2026-12', '2026-12-01'))).toBe(true);

        expect((await store.getUser(eco, 'alice'))?.lastActiveMonth).toBe('2026-12');
        const context = await store.getTokenContext(id('t'), eco, 'bob');
        expect(context.user?.lastActiveMonth).toBe('2026-11');
        const usage = await store.getUsage(eco, '2026-11-01', '2026-12-31');
        expect(usage.months).toEqual([
          { month: '2026-11', activeIdentities: 2 },
          { month: '2026-12', activeIdentities: 1 },
        ]);
        expect(usage.days).toEqual([
          { day: '2026-11-03', counts: { newActiveIdentities: 1 } },
          { day: '2026-11-04', counts: { newActiveIdentities: 1 } },
          { day: '2026-12-01', counts: { newActiveIdentities: 1 } },
        ]);
      });

      it('marks no absent user, and creates none', async () => {
        await store.createEcosystem(ecosystem(eco), serverToken(eco));
        expect(await store.markActive(mark('ghost', '2026-11', '2026-11-03'))).toBe(false);
        expect(await store.getUser(eco, 'ghost')).toBeUndefined();
        expect((await store.getUsage(eco, '2026-11-01', '2026-11-30')).months).toEqual([]);
      });

      it('lets only one of concurrent first activities count', async () => {
        await store.createEcosystem(ecosystem(eco), serverToken(eco));
        await store.putUser(user('alice'));
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.markActive(mark('alice', '2026-11', '2026-11-03'))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const usage = await store.getUsage(eco, '2026-11-03', '2026-11-03');
        expect(usage.months).toEqual([{ month: '2026-11', activeIdentities: 1 }]);
      });

      it('adds counts to a day, answers only the asked range, and deletes them with the ecosystem', async () => {
        await store.createEcosystem(ecosystem(eco), serverToken(eco));
        await store.addUsage(eco, '2026-11-03', { verified: 3, 'refused.TOKEN_EXPIRED': 1 }, now + 86_400);
        await store.addUsage(eco, '2026-11-03', { verified: 2, noIdentity: 1 }, now + 86_400);
        await store.addUsage(eco, '2026-11-05', { issued: 1 }, now + 86_400);

        const usage = await store.getUsage(eco, '2026-11-01', '2026-11-04');
        expect(usage.days).toEqual([
          { day: '2026-11-03', counts: { verified: 5, 'refused.TOKEN_EXPIRED': 1, noIdentity: 1 } },
        ]);
        expect(await store.getUsage(id('none'), '2026-11-01', '2026-11-30')).toEqual({
          days: [],
          months: [],
        });

        await store.deleteEcosystem(eco);
        expect(await store.getUsage(eco, '2026-11-01', '2026-11-30')).toEqual({ days: [], months: [] });
      });

      it('forgets counters past their purgeAt', async () => {
        await store.addUsage(eco, '2026-11-03', { issued: 1 }, now + 10);
        clock.advance(10);
        expect((await store.getUsage(eco, '2026-11-01', '2026-11-30')).days).toEqual([]);
      });
    });
  });
}
