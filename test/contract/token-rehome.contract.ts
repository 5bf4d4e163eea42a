// The TokenState contract (re-homing, the store's part of revoke-others): a user moved to a new generation
// with one family's newest token re-homed into it, all or nothing, and a rotation that refuses a token
// re-homed since it was read. Pinned once and run against each adapter (see store.contract.ts).
import { describe, expect, it } from 'vitest';
import type { TokenRecord } from '../../functions/core/ports.ts';
import { freshStore, id, records, type StoreFactory, token } from './store-fixture.ts';

/**
 * Registers the TokenState contract's re-homing blocks for one adapter.
 *
 * @example
 * describeTokenRehomeContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeTokenRehomeContract(adapter: string, makeStore: StoreFactory): void {
  describe(`TokenState contract (re-homing): ${adapter}`, () => {
    const fresh = freshStore(makeStore);
    const { ecosystem, serverToken, user } = records(fresh);

    /** alice in a new ecosystem at generation g1, with two tokens of her own: P (presented) and Q. */
    async function aliceWithTwoTokens(): Promise<{ p: TokenRecord; q: TokenRecord }> {
      const { directory, tokens, eco, now } = fresh();
      await directory.createEcosystem(ecosystem(eco), serverToken(eco));
      await directory.putUser(user('alice', 'g1'));
      const p = token({ tokenId: id('p'), ecosystemId: eco }, now);
      const q = token({ tokenId: id('q'), ecosystemId: eco }, now);
      await tokens.putToken(p);
      await tokens.putToken(q);
      return { p, q };
    }
    const rehome = (p: TokenRecord, fromGeneration = 'g1', toGeneration = 'g2') =>
      fresh().tokens.rehomeFamily({
        ecosystemId: p.ecosystemId,
        userId: p.userId,
        familyId: p.familyId,
        memberId: p.tokenId,
        fromGeneration,
        toGeneration,
      });
    const rotate = (old: TokenRecord) => {
      const { tokens, now } = fresh();
      const successor = token(
        { tokenId: id('s'), ecosystemId: old.ecosystemId, familyId: old.familyId },
        now,
      );
      return {
        successor,
        result: tokens.rotateToken({
          oldTokenId: old.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor,
        }),
      };
    };

    it('moves the user to the new generation and re-homes a family that never rotated', async () => {
      const { directory, tokens, eco } = fresh();
      const { p, q } = await aliceWithTwoTokens();
      expect(await rehome(p)).toBe(true);
      expect((await directory.getUser(eco, 'alice'))?.generation).toBe('g2');
      expect(await tokens.getToken(p.tokenId)).toEqual({ ...p, userGeneration: 'g2' });
      expect(await tokens.getToken(q.tokenId)).toEqual(q); // the others stay in g1: no longer the user's
    });

    it("follows the family's head: a refresh that won the race is the token re-homed", async () => {
      const { tokens } = fresh();
      const { p } = await aliceWithTwoTokens();
      const { successor, result } = rotate(p);
      expect(await result).toEqual({ ok: true });

      expect(await rehome(p)).toBe(true);
      expect((await tokens.getToken(successor.tokenId))?.userGeneration).toBe('g2');
      expect((await tokens.getToken(p.tokenId))?.userGeneration).toBe('g1');
    });

    it("writes nothing when the user's generation moved on (all of its tokens revoked meanwhile)", async () => {
      const { directory, tokens, eco } = fresh();
      const { p } = await aliceWithTwoTokens();
      await directory.setUserGeneration(eco, 'alice', 'g3');
      expect(await rehome(p)).toBe(false);
      expect((await directory.getUser(eco, 'alice'))?.generation).toBe('g3');
      expect(await tokens.getToken(p.tokenId)).toEqual(p);
    });

    it("writes nothing when the family's head was revoked", async () => {
      const { directory, tokens, eco } = fresh();
      const { p } = await aliceWithTwoTokens();
      const { successor, result } = rotate(p);
      await result;
      await tokens.revokeFamily(p.familyId, p.tokenId);
      expect(await rehome(p)).toBe(false);
      expect((await directory.getUser(eco, 'alice'))?.generation).toBe('g1');
      expect((await tokens.getToken(successor.tokenId))?.userGeneration).toBe('g1');
    });

    it('writes nothing for a user that is gone', async () => {
      const { directory, tokens, eco } = fresh();
      const { p } = await aliceWithTwoTokens();
      await directory.deleteUser(eco, 'alice');
      expect(await rehome(p)).toBe(false);
      expect(await tokens.getToken(p.tokenId)).toEqual(p);
    });

    it('refuses to rotate a token re-homed since it was read, storing no successor', async () => {
      const { tokens } = fresh();
      const { p } = await aliceWithTwoTokens();
      await rehome(p); // P is now of g2; a refresh that read it as g1 builds a g1 successor
      const { successor, result } = rotate(p);
      const answer = await result;
      expect(answer).toMatchObject({ ok: false, familyRevoked: false });
      expect(answer.ok === false && answer.current).toMatchObject({ status: 'active', userGeneration: 'g2' });
      expect(await tokens.getToken(successor.tokenId)).toBeUndefined();
    });
  });
}
