// The TokenState contract (rotation): rotation by refresh and revocation of a family,
// pinned once and run against each adapter (see store.contract.ts).
import { describe, expect, it } from 'vitest';
import { freshStore, id, type StoreFactory, token } from './store-fixture.ts';

/**
 * Registers the TokenState contract's describe/it blocks (rotation) for one adapter.
 *
 * @example
 * describeTokenRotationContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeTokenRotationContract(adapter: string, makeStore: StoreFactory): void {
  describe(`TokenState contract (rotation): ${adapter}`, () => {
    const fresh = freshStore(makeStore);

    describe('rotateToken', () => {
      it('rotates an active token: old → rotated naming its successor, successor stored', async () => {
        const { clock, tokens, now } = fresh();
        const old = token({ tokenId: id('t') }, now);
        await tokens.putToken(old);
        clock.advance(50);
        const successor = token({ tokenId: id('t'), familyId: old.familyId, issuedAt: now + 50 }, now + 50);

        const result = await tokens.rotateToken({
          oldTokenId: old.tokenId,
          rotatedAt: now + 50,
          oldPurgeAt: now + 650,
          successor,
        });

        expect(result).toEqual({ ok: true });
        expect(await tokens.getToken(old.tokenId)).toEqual({
          ...old,
          status: 'rotated',
          successorId: successor.tokenId,
          rotatedAt: now + 50,
          lastUsedAt: now + 50,
          purgeAt: now + 650,
        });
        expect(await tokens.getToken(successor.tokenId)).toEqual(successor);
      });

      it('leaves lastUsedAt null and can clear purgeAt for tokens that do not slide', async () => {
        const { tokens, now } = fresh();
        const old = token(
          { tokenId: id('t'), expiryType: 'Infinite', ttl: null, lastUsedAt: null, purgeAt: null },
          now,
        );
        await tokens.putToken(old);
        const successor = { ...old, tokenId: id('t') };
        expect(
          await tokens.rotateToken({ oldTokenId: old.tokenId, rotatedAt: now, oldPurgeAt: null, successor }),
        ).toEqual({
          ok: true,
        });
        expect(await tokens.getToken(old.tokenId)).toMatchObject({
          status: 'rotated',
          lastUsedAt: null,
          purgeAt: null,
        });
      });

      it('lets exactly one of two concurrent rotations win; the loser gets the rotated record', async () => {
        const { tokens, now } = fresh();
        const old = token({ tokenId: id('t') }, now);
        await tokens.putToken(old);
        const successors = [id('t'), id('t')].map((tokenId) =>
          token({ tokenId, familyId: old.familyId }, now),
        );
        const results = await Promise.all(
          successors.map((successor) =>
            tokens.rotateToken({ oldTokenId: old.tokenId, rotatedAt: now, oldPurgeAt: now + 600, successor }),
          ),
        );

        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        const loser = results.find((r) => !r.ok);
        const stored = await tokens.getToken(old.tokenId);
        expect(loser).toEqual({ ok: false, current: stored, familyRevoked: false });
        expect(stored?.status).toBe('rotated');
        const stored0 = await tokens.getToken(successors[0]?.tokenId ?? '');
        const stored1 = await tokens.getToken(successors[1]?.tokenId ?? '');
        expect([stored0, stored1].filter((t) => t !== undefined)).toHaveLength(1);
      });

      it('writes nothing for an unknown or expired old token and answers current undefined', async () => {
        const { clock, tokens, now } = fresh();
        const expired = token({ tokenId: id('t'), purgeAt: now + 10 }, now);
        await tokens.putToken(expired);
        clock.advance(10);
        for (const oldTokenId of [id('t'), expired.tokenId]) {
          const successor = token({ tokenId: id('t') }, now + 10);
          expect(
            await tokens.rotateToken({ oldTokenId, rotatedAt: now + 10, oldPurgeAt: now + 20, successor }),
          ).toEqual({
            ok: false,
            current: undefined,
            familyRevoked: false,
          });
          expect(await tokens.getToken(successor.tokenId)).toBeUndefined();
        }
      });

      it('refuses to rotate once the family was revoked, and says so', async () => {
        const { tokens, now } = fresh();
        const first = token({ tokenId: id('t') }, now);
        await tokens.putToken(first);
        const second = token({ tokenId: id('t'), familyId: first.familyId }, now);
        await tokens.rotateToken({
          oldTokenId: first.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor: second,
        });
        await tokens.revokeFamily(first.familyId, first.tokenId);

        const third = token({ tokenId: id('t'), familyId: first.familyId }, now);
        const result = await tokens.rotateToken({
          oldTokenId: second.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor: third,
        });

        expect(result).toEqual({ ok: false, current: { ...second, status: 'revoked' }, familyRevoked: true });
        expect(await tokens.getToken(third.tokenId)).toBeUndefined();
      });
    });

    describe('revokeFamily', () => {
      it('revokes the member itself when the family never rotated', async () => {
        const { tokens, now } = fresh();
        const only = token({ tokenId: id('t') }, now);
        await tokens.putToken(only);
        await tokens.revokeFamily(only.familyId, only.tokenId);
        expect((await tokens.getToken(only.tokenId))?.status).toBe('revoked');
      });

      it('revokes the head of a rotated family, whichever member is named', async () => {
        const { tokens, now } = fresh();
        const first = token({ tokenId: id('t') }, now);
        await tokens.putToken(first);
        const second = token({ tokenId: id('t'), familyId: first.familyId }, now);
        const third = token({ tokenId: id('t'), familyId: first.familyId }, now);
        await tokens.rotateToken({
          oldTokenId: first.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor: second,
        });
        await tokens.rotateToken({
          oldTokenId: second.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor: third,
        });

        await tokens.revokeFamily(first.familyId, first.tokenId);

        expect((await tokens.getToken(third.tokenId))?.status).toBe('revoked');
        expect((await tokens.getToken(first.tokenId))?.status).toBe('rotated');
        expect((await tokens.getToken(second.tokenId))?.status).toBe('rotated');
      });

      it('never leaves an active head when a revocation races a refresh', async () => {
        const { tokens, now } = fresh();
        for (let round = 0; round < 5; round++) {
          const first = token({ tokenId: id('t') }, now);
          await tokens.putToken(first);
          const second = token({ tokenId: id('t'), familyId: first.familyId }, now);
          const [rotated] = await Promise.all([
            tokens.rotateToken({
              oldTokenId: first.tokenId,
              rotatedAt: now,
              oldPurgeAt: now + 600,
              successor: second,
            }),
            tokens.revokeFamily(first.familyId, first.tokenId),
          ]);
          const head = await tokens.getToken(second.tokenId);
          if (rotated.ok) expect(head?.status).toBe('revoked');
          else {
            expect(head).toBeUndefined();
            expect((await tokens.getToken(first.tokenId))?.status).toBe('revoked');
          }
        }
      });

      it('keeps a reuse on the head it revokes, the latest one when a family is reused again', async () => {
        const { tokens, now } = fresh();
        const first = token({ tokenId: id('t') }, now);
        await tokens.putToken(first);
        const second = token({ tokenId: id('t'), familyId: first.familyId }, now);
        await tokens.rotateToken({
          oldTokenId: first.tokenId,
          rotatedAt: now,
          oldPurgeAt: now + 600,
          successor: second,
        });
        const reuse = { presentedTokenId: first.tokenId, at: now + 40, secondsAfterGrace: 30 };

        await tokens.revokeFamily(first.familyId, first.tokenId, reuse);
        expect(await tokens.getToken(second.tokenId)).toEqual({ ...second, status: 'revoked', reuse });
        expect((await tokens.getToken(first.tokenId))?.reuse).toBeUndefined();

        const again = { ...reuse, at: now + 90, secondsAfterGrace: 80 };
        await tokens.revokeFamily(first.familyId, first.tokenId, again);
        expect((await tokens.getToken(second.tokenId))?.reuse).toEqual(again);
        await tokens.revokeFamily(first.familyId, first.tokenId); // a logout afterwards keeps it
        expect((await tokens.getToken(second.tokenId))?.reuse).toEqual(again);
      });

      it('does nothing (and creates nothing) for an unknown member', async () => {
        const { tokens } = fresh();
        const ghost = id('t');
        await tokens.revokeFamily(ghost, ghost);
        expect(await tokens.getToken(ghost)).toBeUndefined();
      });
    });
  });
}
