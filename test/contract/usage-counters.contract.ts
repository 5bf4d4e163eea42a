// The UsageCounters contract: first activities of a month and the day counters,
// pinned once and run against each adapter (see store.contract.ts).
import { describe, expect, it } from 'vitest';
import { freshStore, id, records, type StoreFactory } from './store-fixture.ts';

/**
 * Registers the UsageCounters contract's describe/it blocks for one adapter.
 *
 * @example
 * describeUsageCountersContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeUsageCountersContract(adapter: string, makeStore: StoreFactory): void {
  describe(`UsageCounters contract: ${adapter}`, () => {
    const fresh = freshStore(makeStore);
    const { ecosystem, serverToken, user } = records(fresh);

    describe('usage', () => {
      const mark = (userId: string, month: string) => ({
        ecosystemId: fresh().eco,
        userId,
        month,
      });

      it("marks a user active once per month on the user's own record, writing no counter", async () => {
        const { tokens, directory, usageCounters, eco } = fresh();
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        await directory.putUser(user('alice'));
        await directory.putUser(user('bob'));

        expect(await usageCounters.markActive(mark('alice', '2026-11'))).toBe(true);
        expect(await usageCounters.markActive(mark('alice', '2026-11'))).toBe(false);
        expect(await usageCounters.markActive(mark('alice', '2026-10'))).toBe(false); // never backwards
        expect(await usageCounters.markActive(mark('bob', '2026-11'))).toBe(true);
        expect(await usageCounters.markActive(mark('alice', '2026-12'))).toBe(true);

        expect((await directory.getUser(eco, 'alice'))?.lastActiveMonth).toBe('2026-12');
        const context = await tokens.getTokenContext(id('t'), eco, 'bob');
        expect(context.user?.lastActiveMonth).toBe('2026-11');
        // The ecosystem's counters are the usage recorder's batch to write (core/usage-recorder.ts).
        expect(await usageCounters.getUsage(eco, '2026-11-01', '2026-12-31')).toEqual({ days: [] });
      });

      it('marks no absent user, and creates none', async () => {
        const { directory, usageCounters, eco } = fresh();
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        expect(await usageCounters.markActive(mark('ghost', '2026-11'))).toBe(false);
        expect(await directory.getUser(eco, 'ghost')).toBeUndefined();
        expect((await usageCounters.getUsage(eco, '2026-11-01', '2026-11-30')).days).toEqual([]);
      });

      it('lets only one of concurrent first activities count', async () => {
        const { directory, usageCounters, eco } = fresh();
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        await directory.putUser(user('alice'));
        const results = await Promise.all(
          Array.from({ length: 5 }, () => usageCounters.markActive(mark('alice', '2026-11'))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await directory.getUser(eco, 'alice'))?.lastActiveMonth).toBe('2026-11');
      });

      it('adds counts to a day, answers only the asked range, and deletes them with the ecosystem', async () => {
        const { directory, usageCounters, now, eco } = fresh();
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        await usageCounters.addUsage(
          eco,
          '2026-11-03',
          { verified: 3, 'refused.TOKEN_EXPIRED': 1 },
          now + 86_400,
        );
        await usageCounters.addUsage(eco, '2026-11-03', { verified: 2, noIdentity: 1 }, now + 86_400);
        await usageCounters.addUsage(eco, '2026-11-05', { issued: 1 }, now + 86_400);

        const usage = await usageCounters.getUsage(eco, '2026-11-01', '2026-11-04');
        expect(usage.days).toEqual([
          { day: '2026-11-03', counts: { verified: 5, 'refused.TOKEN_EXPIRED': 1, noIdentity: 1 } },
        ]);
        expect(await usageCounters.getUsage(id('none'), '2026-11-01', '2026-11-30')).toEqual({ days: [] });

        await directory.deleteEcosystem(eco);
        expect(await usageCounters.getUsage(eco, '2026-11-01', '2026-11-30')).toEqual({ days: [] });
      });

      it('forgets counters past their purgeAt', async () => {
        const { clock, usageCounters, now, eco } = fresh();
        await usageCounters.addUsage(eco, '2026-11-03', { issued: 1 }, now + 10);
        clock.advance(10);
        expect((await usageCounters.getUsage(eco, '2026-11-01', '2026-11-30')).days).toEqual([]);
      });
    });
  });
}
