// The ServerTokens contract: the server tokens of each ecosystem,
// pinned once and run against each adapter (see store.contract.ts).
import { describe, expect, it } from 'vitest';
import { freshStore, id, records, type StoreFactory } from './store-fixture.ts';

/**
 * Registers the ServerTokens contract's describe/it blocks for one adapter.
 *
 * @example
 * describeServerTokensContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeServerTokensContract(adapter: string, makeStore: StoreFactory): void {
  describe(`ServerTokens contract: ${adapter}`, () => {
    const fresh = freshStore(makeStore);
    const { ecosystem, serverToken } = records(fresh);

    describe('server tokens', () => {
      it('puts, lists (its ecosystem only), gets and deletes server tokens', async () => {
        const { directory, serverTokens, eco } = fresh();
        const neighbour = id('n');
        await directory.createEcosystem(ecosystem(eco), serverToken(eco, 'a'));
        await directory.createEcosystem(ecosystem(neighbour), serverToken(neighbour, 'x'));
        await serverTokens.putServerToken(serverToken(eco, 'b'));

        const listed = await serverTokens.listServerTokens(eco);
        expect(listed.map((t) => t.serverTokenId).sort()).toEqual(['a', 'b']);
        expect(await serverTokens.deleteServerToken(eco, 'a')).toBe(true);
        expect(await serverTokens.getServerToken(eco, 'a')).toBeUndefined();
        expect(await serverTokens.deleteServerToken(eco, 'a')).toBe(false);
        expect((await serverTokens.listServerTokens(eco)).map((t) => t.serverTokenId)).toEqual(['b']);
      });
    });
  });
}
