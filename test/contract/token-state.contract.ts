// The TokenState contract: token records, reads with their context, sliding touches and listings,
// pinned once and run against each adapter (see store.contract.ts).
import { describe, expect, it } from 'vitest';
import { freshStore, id, records, type StoreFactory, token } from './store-fixture.ts';

/**
 * Registers the TokenState contract's describe/it blocks for one adapter.
 *
 * @example
 * describeTokenStateContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeTokenStateContract(adapter: string, makeStore: StoreFactory): void {
  describe(`TokenState contract: ${adapter}`, () => {
    const fresh = freshStore(makeStore);
    const { ecosystem, serverToken, user } = records(fresh);

    describe('tokens', () => {
      it('stores and reads back every field of a token record, nulls included', async () => {
        const { tokens, now } = fresh();
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
        await tokens.putToken(sliding);
        await tokens.putToken(infinite);
        expect(await tokens.getToken(sliding.tokenId)).toEqual(sliding);
        expect(await tokens.getToken(infinite.tokenId)).toEqual(infinite);
      });

      it('refuses a second token with the same id', async () => {
        const { tokens, now } = fresh();
        const record = token({ tokenId: id('t') }, now);
        await tokens.putToken(record);
        await expect(tokens.putToken(record)).rejects.toThrow(/collision/);
      });

      it('reads a token and its user together, each undefined when absent', async () => {
        const { tokens, directory, now, eco } = fresh();
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        await directory.putUser(user('alice'));
        const record = token({ tokenId: id('t'), ecosystemId: eco }, now);
        await tokens.putToken(record);

        expect(await tokens.getTokenContext(record.tokenId, eco, 'alice')).toEqual({
          token: record,
          user: user('alice'),
        });
        expect(await tokens.getTokenContext(id('t'), id('e'), 'nobody')).toEqual({
          token: undefined,
          user: undefined,
        });
      });

      it('treats a token past its purgeAt as absent, whether or not it was deleted yet', async () => {
        const { clock, tokens, now, eco } = fresh();
        const record = token({ tokenId: id('t'), ecosystemId: eco, purgeAt: now + 10 }, now);
        const forever = token({ tokenId: id('t'), expiryType: 'Infinite', purgeAt: null }, now);
        await tokens.putToken(record);
        await tokens.putToken(forever);
        clock.advance(9);
        expect(await tokens.getToken(record.tokenId)).toBeDefined();
        clock.advance(1);
        expect(await tokens.getToken(record.tokenId)).toBeUndefined();
        expect((await tokens.getTokenContext(record.tokenId, eco, 'alice')).token).toBeUndefined();
        clock.advance(10 * 365 * 86_400);
        expect(await tokens.getToken(forever.tokenId)).toBeDefined();
      });
    });

    describe('touchToken', () => {
      it('records a use of an active token whose last use is unchanged', async () => {
        const { tokens, now } = fresh();
        const record = token({ tokenId: id('t') }, now);
        await tokens.putToken(record);
        expect(await tokens.touchToken(record.tokenId, now, now + 100, now + 700)).toBe(true);
        expect(await tokens.getToken(record.tokenId)).toMatchObject({
          lastUsedAt: now + 100,
          purgeAt: now + 700,
        });
      });

      it('fails when another use was recorded since the read', async () => {
        const { tokens, now } = fresh();
        const record = token({ tokenId: id('t') }, now);
        await tokens.putToken(record);
        const both = await Promise.all([
          tokens.touchToken(record.tokenId, now, now + 100, now + 700),
          tokens.touchToken(record.tokenId, now, now + 101, now + 701),
        ]);
        expect(both.filter(Boolean)).toHaveLength(1);
        expect(await tokens.touchToken(record.tokenId, now, now + 102, now + 702)).toBe(false);
      });

      it('never revives a revoked, rotated, expired or unknown token', async () => {
        const { tokens, now } = fresh();
        const revoked = token({ tokenId: id('t'), status: 'revoked' }, now);
        const rotated = token({ tokenId: id('t'), status: 'rotated' }, now);
        const expired = token({ tokenId: id('t'), purgeAt: now + 600 }, now);
        for (const r of [revoked, rotated, expired]) await tokens.putToken(r);

        expect(await tokens.touchToken(revoked.tokenId, now, now + 1, now + 601)).toBe(false);
        expect(await tokens.touchToken(rotated.tokenId, now, now + 1, now + 601)).toBe(false);
        expect(await tokens.touchToken(expired.tokenId, now, now + 600, now + 1200)).toBe(false);
        expect(await tokens.touchToken(id('t'), now, now + 1, now + 601)).toBe(false);
        expect(await tokens.getToken(revoked.tokenId)).toEqual(revoked);
        expect(await tokens.getToken(id('t'))).toBeUndefined();
      });
    });

    describe('listings', () => {
      it("lists a user's token records, successors included, and not past their purgeAt", async () => {
        const { clock, tokens, directory, now, eco } = fresh();
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        await directory.putUser(user('alice'));
        const first = token({ tokenId: id('t'), ecosystemId: eco }, now);
        const short = token({ tokenId: id('t'), ecosystemId: eco, purgeAt: now + 10 }, now);
        const other = token({ tokenId: id('t'), ecosystemId: eco, userId: 'bob' }, now);
        for (const record of [first, short, other]) await tokens.putToken(record);
        const successor = token({ tokenId: id('t'), ecosystemId: eco, familyId: first.familyId }, now);
        await tokens.rotateToken({
          oldTokenId: first.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor,
        });

        const listed = await tokens.listUserTokens(eco, 'alice');
        expect(listed.map((t) => t.tokenId).sort()).toEqual(
          [first.tokenId, short.tokenId, successor.tokenId].sort(),
        );
        expect(listed.find((t) => t.tokenId === successor.tokenId)).toEqual(successor);

        clock.advance(10);
        const later = (await tokens.listUserTokens(eco, 'alice')).map((t) => t.tokenId);
        expect(later).not.toContain(short.tokenId);
        expect(await tokens.listUserTokens(eco, 'nobody')).toEqual([]);
      });
    });
  });
}
