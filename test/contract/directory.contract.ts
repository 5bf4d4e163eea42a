// The Directory contract: ecosystems and their users (deleting one reaches its server tokens and counters),
// pinned once and run against each adapter (see store.contract.ts).
import { describe, expect, it } from 'vitest';
import { freshStore, id, records, type StoreFactory } from './store-fixture.ts';

/**
 * Registers the Directory contract's describe/it blocks for one adapter.
 *
 * @example
 * describeDirectoryContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeDirectoryContract(adapter: string, makeStore: StoreFactory): void {
  describe(`Directory contract: ${adapter}`, () => {
    const fresh = freshStore(makeStore);
    const { ecosystem, serverToken, user } = records(fresh);

    describe('ecosystems', () => {
      it('creates an ecosystem with its first server token, and refuses a taken id without writing', async () => {
        const { directory, serverTokens, eco } = fresh();
        const first = serverToken(eco, 'st1');
        expect(await directory.createEcosystem(ecosystem(eco), first)).toBe(true);
        expect(await directory.getEcosystem(eco)).toEqual(ecosystem(eco));
        expect(await serverTokens.getServerToken(eco, 'st1')).toEqual(first);

        const other = serverToken(eco, 'st2');
        expect(await directory.createEcosystem({ ...ecosystem(eco), name: 'other' }, other)).toBe(false);
        expect((await directory.getEcosystem(eco))?.name).toBe('acme');
        expect(await serverTokens.getServerToken(eco, 'st2')).toBeUndefined();
      });

      it('keeps a null name as null', async () => {
        const { directory, now, eco } = fresh();
        await directory.createEcosystem({ ecosystemId: eco, name: null, createdAt: now }, serverToken(eco));
        expect(await directory.getEcosystem(eco)).toEqual({ ecosystemId: eco, name: null, createdAt: now });
      });

      it('answers undefined for an unknown ecosystem', async () => {
        const { directory } = fresh();
        expect(await directory.getEcosystem(id('none'))).toBeUndefined();
      });

      it('deletes an ecosystem with all its users and server tokens, past one batch, and leaves others alone', async () => {
        const { directory, serverTokens, eco } = fresh();
        const neighbour = id('n');
        await directory.createEcosystem(ecosystem(neighbour), serverToken(neighbour, 'st'));
        await directory.putUser({ ...user('bob'), ecosystemId: neighbour });
        await directory.createEcosystem(ecosystem(eco), serverToken(eco, 'st'));
        for (let i = 0; i < 30; i++) await directory.putUser(user(`u${i}`));
        await serverTokens.putServerToken(serverToken(eco, 'st2'));

        expect(await directory.deleteEcosystem(eco)).toBe(true);

        expect(await directory.getEcosystem(eco)).toBeUndefined();
        expect(await directory.getUser(eco, 'u0')).toBeUndefined();
        expect(await directory.getUser(eco, 'u29')).toBeUndefined();
        expect(await serverTokens.listServerTokens(eco)).toEqual([]);
        expect(await directory.getEcosystem(neighbour)).toBeDefined();
        expect(await directory.getUser(neighbour, 'bob')).toBeDefined();
        expect(await serverTokens.getServerToken(neighbour, 'st')).toBeDefined();
        expect(await directory.deleteEcosystem(eco)).toBe(false);
      });
    });

    describe('users', () => {
      it('creates a user, then replaces only its metadata (createdAt and generation stay)', async () => {
        const { clock, directory, now, eco } = fresh();
        expect(await directory.putUser(user('alice', 'g1'))).toEqual({
          created: true,
          user: user('alice', 'g1'),
        });
        clock.advance(100);
        const again = await directory.putUser({
          ...user('alice', 'g2'),
          metadata: { plan: 'free' },
          createdAt: now + 100,
        });
        const expected = { ...user('alice', 'g1'), metadata: { plan: 'free' } };
        expect(again).toEqual({ created: false, user: expected });
        expect(await directory.getUser(eco, 'alice')).toEqual(expected);
      });

      it('deletes a user once; a re-created user carries its new generation', async () => {
        const { directory, eco } = fresh();
        await directory.putUser(user('alice', 'g1'));
        expect(await directory.deleteUser(eco, 'alice')).toBe(true);
        expect(await directory.getUser(eco, 'alice')).toBeUndefined();
        expect(await directory.deleteUser(eco, 'alice')).toBe(false);
        await directory.putUser(user('alice', 'g2'));
        expect((await directory.getUser(eco, 'alice'))?.generation).toBe('g2');
      });

      it('replaces the generation of an existing user only', async () => {
        const { directory, eco } = fresh();
        await directory.putUser(user('alice', 'g1'));
        expect(await directory.setUserGeneration(eco, 'alice', 'g9')).toBe(true);
        expect((await directory.getUser(eco, 'alice'))?.generation).toBe('g9');
        expect(await directory.setUserGeneration(eco, 'ghost', 'g9')).toBe(false);
        expect(await directory.getUser(eco, 'ghost')).toBeUndefined();
      });
    });

    describe('listings', () => {
      it('lists every ecosystem, oldest first, and forgets a deleted one', async () => {
        const { directory, now, eco } = fresh();
        const later = id('e');
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        await directory.createEcosystem({ ...ecosystem(later), createdAt: now + 5 }, serverToken(later));
        const ids = (await directory.listEcosystems()).map((e) => e.ecosystemId);
        expect(ids.filter((i) => i === eco || i === later)).toEqual([eco, later]);
        expect((await directory.listEcosystems()).find((e) => e.ecosystemId === eco)).toEqual(ecosystem(eco));

        await directory.deleteEcosystem(eco);
        expect((await directory.listEcosystems()).map((e) => e.ecosystemId)).not.toContain(eco);
      });
    });
  });
}
