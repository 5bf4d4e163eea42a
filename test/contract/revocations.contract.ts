// The Directory contract (revocations): an ecosystem's revocations by issue time, and the ecosystem state a
// token check reads with them (the latest issuedBefore), pinned once and run against each adapter.
import { describe, expect, it } from 'vitest';
import type { RevocationRecord } from '../../functions/core/ports.ts';
import { freshStore, id, records, type StoreFactory } from './store-fixture.ts';

const byId = (list: RevocationRecord[]) =>
  [...list].sort((a, b) => (a.revocationId < b.revocationId ? -1 : 1));

/**
 * Registers the Directory contract's revocation blocks for one adapter.
 *
 * @example
 * describeRevocationsContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeRevocationsContract(adapter: string, makeStore: StoreFactory): void {
  describe(`Directory contract (revocations): ${adapter}`, () => {
    const fresh = freshStore(makeStore);
    const { ecosystem, serverToken } = records(fresh);
    const revocation = (issuedBefore: number, ecosystemId = fresh().eco): RevocationRecord => ({
      ecosystemId,
      revocationId: id('r'),
      issuedBefore,
      createdAt: fresh().now,
    });
    const withEcosystem = async () => {
      const { directory, eco } = fresh();
      await directory.createEcosystem(ecosystem(eco), serverToken(eco));
      return eco;
    };

    it('answers the ecosystem with no revocation, and nothing for an unknown one', async () => {
      const { directory } = fresh();
      const eco = await withEcosystem();
      expect(await directory.getEcosystemState(eco)).toEqual({
        ecosystem: ecosystem(eco),
        revokedBefore: null,
      });
      expect(await directory.getEcosystemState(id('none'))).toEqual({
        ecosystem: undefined,
        revokedBefore: null,
      });
      expect(await directory.listRevocations(eco)).toEqual([]);
    });

    it('keeps every revocation, and the latest issuedBefore beside the ecosystem', async () => {
      const { directory, now } = fresh();
      const eco = await withEcosystem();
      const made = [revocation(now - 100), revocation(now - 10), revocation(now - 50)];
      for (const r of made) expect(await directory.createRevocation(r, 100)).toBe('created');

      expect(byId(await directory.listRevocations(eco))).toEqual(byId(made));
      expect(await directory.getEcosystemState(eco)).toEqual({
        ecosystem: ecosystem(eco),
        revokedBefore: now - 10,
      });
    });

    it('undoing moves the latest issuedBefore to the latest of the rest, and clears it with the last', async () => {
      const { directory, now } = fresh();
      const eco = await withEcosystem();
      const [early, late, middle] = [revocation(now - 100), revocation(now - 10), revocation(now - 50)];
      for (const r of [early, late, middle]) await directory.createRevocation(r, 100);

      expect(await directory.deleteRevocation(eco, late.revocationId)).toBe(true);
      expect((await directory.getEcosystemState(eco)).revokedBefore).toBe(now - 50);
      expect(await directory.deleteRevocation(eco, early.revocationId)).toBe(true);
      expect((await directory.getEcosystemState(eco)).revokedBefore).toBe(now - 50);
      expect(await directory.deleteRevocation(eco, middle.revocationId)).toBe(true);
      expect(await directory.getEcosystemState(eco)).toEqual({
        ecosystem: ecosystem(eco),
        revokedBefore: null,
      });
      expect(await directory.listRevocations(eco)).toEqual([]);
    });

    it('answers false for a revocation it does not hold, an undone one included', async () => {
      const { directory, now } = fresh();
      const eco = await withEcosystem();
      const kept = revocation(now);
      await directory.createRevocation(kept, 100);
      expect(await directory.deleteRevocation(eco, id('r'))).toBe(false);
      expect(await directory.deleteRevocation(id('none'), kept.revocationId)).toBe(false);
      expect(await directory.deleteRevocation(eco, kept.revocationId)).toBe(true);
      expect(await directory.deleteRevocation(eco, kept.revocationId)).toBe(false);
    });

    it('refuses a revocation past the limit without writing it; an undo makes room again', async () => {
      const { directory, now } = fresh();
      const eco = await withEcosystem();
      const three = [revocation(now - 3), revocation(now - 2), revocation(now - 1)];
      for (const r of three) expect(await directory.createRevocation(r, 3)).toBe('created');

      expect(await directory.createRevocation(revocation(now), 3)).toBe('limit-reached');
      expect(await directory.listRevocations(eco)).toHaveLength(3);
      expect((await directory.getEcosystemState(eco)).revokedBefore).toBe(now - 1);

      await directory.deleteRevocation(eco, three[0]?.revocationId ?? '');
      expect(await directory.createRevocation(revocation(now), 3)).toBe('created');
      expect((await directory.getEcosystemState(eco)).revokedBefore).toBe(now);
    });

    it('writes nothing for an ecosystem that does not exist', async () => {
      const { directory, now } = fresh();
      const missing = id('none');
      expect(await directory.createRevocation(revocation(now, missing), 100)).toBe('no-ecosystem');
      expect(await directory.listRevocations(missing)).toEqual([]);
    });

    it("keeps each ecosystem's revocations apart, and deletes them with their ecosystem", async () => {
      const { directory, now } = fresh();
      const eco = await withEcosystem();
      const neighbour = id('n');
      await directory.createEcosystem(ecosystem(neighbour), serverToken(neighbour));
      const theirs = revocation(now - 5, neighbour);
      await directory.createRevocation(theirs, 100);
      await directory.createRevocation(revocation(now), 100);

      expect((await directory.getEcosystemState(neighbour)).revokedBefore).toBe(now - 5);
      expect(await directory.deleteEcosystem(eco)).toBe(true);
      expect(await directory.listRevocations(eco)).toEqual([]);
      expect(await directory.getEcosystemState(eco)).toEqual({ ecosystem: undefined, revokedBefore: null });
      expect(await directory.listRevocations(neighbour)).toEqual([theirs]);
    });

    it('leaves the latest of what is on file after concurrent creates and undos', async () => {
      const { directory, now } = fresh();
      const eco = await withEcosystem();
      const made = [1, 5, 3, 4, 2].map((ago) => revocation(now - ago * 10));
      const written = await Promise.all(made.map((r) => directory.createRevocation(r, 100)));
      expect(written).toEqual(['created', 'created', 'created', 'created', 'created']);
      expect((await directory.getEcosystemState(eco)).revokedBefore).toBe(now - 10);

      // Undo the latest two at once: the latest of the rest (now - 30) must be what remains in effect.
      const [latest, , , , second] = made;
      const undone = await Promise.all(
        [latest, second].map((r) => directory.deleteRevocation(eco, r?.revocationId ?? '')),
      );
      expect(undone).toEqual([true, true]);
      expect(await directory.listRevocations(eco)).toHaveLength(3);
      expect((await directory.getEcosystemState(eco)).revokedBefore).toBe(now - 30);
    });
  });
}
