// The Providers contract: the token providers of each ecosystem, written only while the ecosystem exists
// and removed with it, pinned once and run against each adapter (see store.contract.ts).
import { describe, expect, it } from 'vitest';
import type { ProviderRecord } from '../../functions/core/ports.ts';
import { freshStore, id, records, type StoreFactory } from './store-fixture.ts';

/**
 * Registers the Providers contract's describe/it blocks for one adapter.
 *
 * @example
 * describeProvidersContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeProvidersContract(adapter: string, makeStore: StoreFactory): void {
  describe(`Providers contract: ${adapter}`, () => {
    const fresh = freshStore(makeStore);
    const { ecosystem, serverToken } = records(fresh);
    const provider = (providerId: string, overrides: Partial<ProviderRecord> = {}): ProviderRecord => ({
      ecosystemId: fresh().eco,
      providerId,
      settings: {
        type: 'twilio',
        accountSid: `AC${'a'.repeat(32)}`,
        apiKeySid: `SK${'b'.repeat(32)}`,
        grants: { chat: { serviceSid: `IS${'c'.repeat(32)}` }, video: {}, voice: { incomingAllow: true } },
        ttl: 3600,
      },
      sealedSecret: `sealed-${id('')}`,
      createdAt: fresh().now,
      ...overrides,
    });
    const withEcosystem = async (ecosystemId = fresh().eco) => {
      await fresh().directory.createEcosystem(ecosystem(ecosystemId), serverToken(ecosystemId));
    };

    it('creates a provider, reads it back exactly, then replaces it keeping its createdAt', async () => {
      const { providers, now } = fresh();
      await withEcosystem();
      const first = provider('chat');
      expect(await providers.putProvider(first)).toEqual({ created: true, provider: first });
      expect(await providers.getProvider(first.ecosystemId, 'chat')).toEqual(first);

      const second = provider('chat', {
        settings: { type: 'stream', ttl: null },
        sealedSecret: 'sealed-again',
        createdAt: now + 60,
      });
      const replaced = await providers.putProvider(second);
      expect(replaced).toEqual({ created: false, provider: { ...second, createdAt: now } });
      expect(await providers.getProvider(first.ecosystemId, 'chat')).toEqual({ ...second, createdAt: now });
    });

    it('writes nothing for an ecosystem that does not exist', async () => {
      const { providers, eco } = fresh();
      expect(await providers.putProvider(provider('chat'))).toBeUndefined();
      expect(await providers.getProvider(eco, 'chat')).toBeUndefined();
      expect(await providers.listProviders(eco)).toEqual([]);
    });

    it("lists an ecosystem's providers only, in providerId order", async () => {
      const { providers, eco } = fresh();
      const neighbour = id('n');
      await withEcosystem();
      await withEcosystem(neighbour);
      for (const providerId of ['video', 'chat', 'push']) await providers.putProvider(provider(providerId));
      await providers.putProvider(provider('other', { ecosystemId: neighbour }));
      expect((await providers.listProviders(eco)).map((p) => p.providerId)).toEqual([
        'chat',
        'push',
        'video',
      ]);
    });

    it('deletes a provider once', async () => {
      const { providers, eco } = fresh();
      await withEcosystem();
      await providers.putProvider(provider('chat'));
      expect(await providers.deleteProvider(eco, 'chat')).toBe(true);
      expect(await providers.getProvider(eco, 'chat')).toBeUndefined();
      expect(await providers.deleteProvider(eco, 'chat')).toBe(false);
    });

    it("removes an ecosystem's providers with the ecosystem, and only its own", async () => {
      const { providers, directory, eco } = fresh();
      const neighbour = id('n');
      await withEcosystem();
      await withEcosystem(neighbour);
      await providers.putProvider(provider('chat'));
      await providers.putProvider(provider('chat', { ecosystemId: neighbour }));
      expect(await directory.deleteEcosystem(eco)).toBe(true);
      expect(await providers.getProvider(eco, 'chat')).toBeUndefined();
      expect(await providers.listProviders(eco)).toEqual([]);
      expect(await providers.getProvider(neighbour, 'chat')).toBeDefined();
      // and a re-created ecosystem of the same id starts with none
      await withEcosystem();
      expect(await providers.getProvider(eco, 'chat')).toBeUndefined();
    });

    it('creates a provider exactly once when several puts race for it', async () => {
      const { providers, eco } = fresh();
      await withEcosystem();
      const puts = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          providers.putProvider(provider('chat', { sealedSecret: `s${i}` })),
        ),
      );
      expect(puts.filter((put) => put?.created === true)).toHaveLength(1);
      const stored = await providers.getProvider(eco, 'chat');
      expect(puts.map((put) => put?.provider.sealedSecret)).toContain(stored?.sealedSecret);
    });

    it('answers copies: changing an answer changes nothing stored', async () => {
      const { providers, eco } = fresh();
      await withEcosystem();
      const put = await providers.putProvider(provider('chat'));
      if (put === undefined) throw new Error('not stored');
      put.provider.sealedSecret = 'tampered';
      const read = await providers.getProvider(eco, 'chat');
      if (read === undefined) throw new Error('not stored');
      read.settings.ttl = 1;
      expect(await providers.getProvider(eco, 'chat')).toEqual(
        provider('chat', { sealedSecret: read.sealedSecret }),
      );
      expect(read.sealedSecret).not.toBe('tampered');
    });
  });
}
