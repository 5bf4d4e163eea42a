// The per-container cache of ecosystem states, on a frozen clock over the real embedded directory: a state
// is served for less than its bound after the read that fetched it was sent, never at or past it; missing
// ecosystems are bounded alike; concurrent checks share one read; a failed read is not kept; 0 turns it off.
import { describe, expect, it } from 'vitest';
import { EmbeddedStore } from '../../../functions/adapters/embedded-store.ts';
import { EcosystemStateCache, type EcosystemStateReader } from '../../../functions/core/ecosystem-state.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { seedUser } from '../../helpers/deps.ts';

/** A cache over a real store's directory, counting the reads it sends. */
async function cacheOver(maxAgeSeconds: number, maxEntries?: number) {
  const clock = frozenClock();
  const store = await EmbeddedStore.open({ clock });
  const reads: string[] = [];
  const read: EcosystemStateReader = async (ecosystemId) => {
    reads.push(ecosystemId);
    return store.directory.getEcosystemState(ecosystemId);
  };
  const cache = new EcosystemStateCache({ read, clock, maxAgeSeconds, maxEntries });
  await seedUser({ directory: store.directory, clock }, 'eco1');
  return { cache, clock, store, reads };
}

describe('EcosystemStateCache', () => {
  it('sees a deletion within its bound and never later: stale below 1 s, fresh at 1 s', async () => {
    const { cache, clock, store, reads } = await cacheOver(1);
    expect((await cache.get('eco1')).ecosystem?.ecosystemId).toBe('eco1');
    await store.directory.deleteEcosystem('eco1');

    expect((await cache.get('eco1')).ecosystem).toBeDefined(); // the same instant: the read before it
    clock.advance(0.999);
    expect((await cache.get('eco1')).ecosystem).toBeDefined(); // within the bound
    expect(reads).toEqual(['eco1']);
    clock.advance(0.001);
    expect((await cache.get('eco1')).ecosystem).toBeUndefined(); // at the bound: read again
    expect(reads).toEqual(['eco1', 'eco1']);
  });

  it('holds a configured bound exactly: 5 s', async () => {
    const { cache, clock, store } = await cacheOver(5);
    await cache.get('eco1');
    await store.directory.deleteEcosystem('eco1');
    clock.advance(4.999);
    expect((await cache.get('eco1')).ecosystem).toBeDefined();
    clock.advance(0.001);
    expect((await cache.get('eco1')).ecosystem).toBeUndefined();
  });

  it('caches a missing ecosystem for the same bound, then reads it again', async () => {
    const { cache, clock, reads } = await cacheOver(1);
    expect((await cache.get('gone')).ecosystem).toBeUndefined();
    clock.advance(0.5);
    expect((await cache.get('gone')).ecosystem).toBeUndefined();
    expect(reads).toEqual(['gone']);
    clock.advance(0.5);
    await cache.get('gone');
    expect(reads).toEqual(['gone', 'gone']);
  });

  it('sends one read for a burst of concurrent checks of one ecosystem', async () => {
    const { cache, reads } = await cacheOver(1);
    const states = await Promise.all(Array.from({ length: 50 }, () => cache.get('eco1')));
    expect(states.every((s) => s.ecosystem?.ecosystemId === 'eco1')).toBe(true);
    expect(reads).toEqual(['eco1']);
  });

  it('keeps no failed read: the next check reads again', async () => {
    const clock = frozenClock();
    let fail = true;
    const read: EcosystemStateReader = async () => {
      if (fail) throw new Error('throttled');
      return { ecosystem: { ecosystemId: 'eco1', name: null, createdAt: 1 }, revokedBefore: null };
    };
    const cache = new EcosystemStateCache({ read, clock, maxAgeSeconds: 1 });
    await expect(cache.get('eco1')).rejects.toThrow('throttled');
    fail = false;
    expect((await cache.get('eco1')).ecosystem?.ecosystemId).toBe('eco1');
  });

  it('reads on every check when the bound is 0', async () => {
    const { cache, store, reads } = await cacheOver(0);
    await cache.get('eco1');
    await store.directory.deleteEcosystem('eco1');
    expect((await cache.get('eco1')).ecosystem).toBeUndefined();
    expect(reads).toEqual(['eco1', 'eco1']);
  });

  it('holds at most maxEntries ecosystems, dropping the oldest read', async () => {
    const { cache, reads } = await cacheOver(60, 2);
    await cache.get('a');
    await cache.get('b');
    await cache.get('c'); // drops a
    await cache.get('b');
    await cache.get('a');
    expect(reads).toEqual(['a', 'b', 'c', 'a']);
  });

  it('refuses a bound that is not a number of seconds', () => {
    const read: EcosystemStateReader = async () => ({ ecosystem: undefined, revokedBefore: null });
    for (const maxAgeSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new EcosystemStateCache({ read, clock: frozenClock(), maxAgeSeconds })).toThrow(/seconds/);
    }
  });
});
