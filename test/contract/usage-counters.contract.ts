// The UsageCounters contract: first activities of a month and the day counters,
// pinned once and run against each adapter (see store.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { Directory, TokenState, UsageCounters } from '../../functions/core/ports.ts';
import { type FrozenClock, frozenClock } from '../helpers/clock.ts';
import { id, records, type StoreFactory } from './store-fixture.ts';

/**
 * Registers the UsageCounters contract's describe/it blocks for one adapter.
 *
 * @example
 * describeUsageCountersContract('EmbeddedStore', (clock) => EmbeddedStore.open({ clock }));
 */
export function describeUsageCountersContract(adapter: string, makeStore: StoreFactory): void {
  describe(`UsageCounters contract: ${adapter}`, () => {
    let clock: FrozenClock;
    let tokens: TokenState;
    let directory: Directory;
    let usageCounters: UsageCounters;
    let now: number;
    let eco: string;

    beforeEach(async () => {
      clock = frozenClock();
      now = clock.seconds();
      ({ tokens, directory, usageCounters } = await makeStore(clock));
      eco = id('e');
    });

    const { ecosystem, serverToken, user } = records(() => ({ now, eco }));

    describe('usage', () => {
      const mark = (userId: string, month: string, day: string) => ({
        ecosystemId: eco,
        userId,
        month,
        day,
        purgeAt: now + 86_400,
      });

      it("marks a user active once per month, counting it in the month's and the day's counters", async () => {
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        await directory.putUser(user('alice'));
        await directory.putUser(user('bob'));

        expect(await usageCounters.markActive(mark('alice', '2026-11', '2026-11-03'))).toBe(true);
        expect(await usageCounters.markActive(mark('alice', '2026-11', '2026-11-04'))).toBe(false);
        expect(await usageCounters.markActive(mark('alice', '2026-10', '2026-10-31'))).toBe(false); // never backwards
        expect(await usageCounters.markActive(mark('bob', '2026-11', '2026-11-04'))).toBe(true);
        expect(await usageCounters.markActive(mark('alice', '2026-12', '2026-12-01'))).toBe(true);

        expect((await directory.getUser(eco, 'alice'))?.lastActiveMonth).toBe('2026-12');
        const context = await tokens.getTokenContext(id('t'), eco, 'bob');
        expect(context.user?.lastActiveMonth).toBe('2026-11');
        const usage = await usageCounters.getUsage(eco, '2026-11-01', '2026-12-31');
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
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        expect(await usageCounters.markActive(mark('ghost', '2026-11', '2026-11-03'))).toBe(false);
        expect(await directory.getUser(eco, 'ghost')).toBeUndefined();
        expect((await usageCounters.getUsage(eco, '2026-11-01', '2026-11-30')).months).toEqual([]);
      });

      it('lets only one of concurrent first activities count', async () => {
        await directory.createEcosystem(ecosystem(eco), serverToken(eco));
        await directory.putUser(user('alice'));
        const results = await Promise.all(
          Array.from({ length: 5 }, () => usageCounters.markActive(mark('alice', '2026-11', '2026-11-03'))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const usage = await usageCounters.getUsage(eco, '2026-11-03', '2026-11-03');
        expect(usage.months).toEqual([{ month: '2026-11', activeIdentities: 1 }]);
      });

      it('adds counts to a day, answers only the asked range, and deletes them with the ecosystem', async () => {
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
        expect(await usageCounters.getUsage(id('none'), '2026-11-01', '2026-11-30')).toEqual({
          days: [],
          months: [],
        });

        await directory.deleteEcosystem(eco);
        expect(await usageCounters.getUsage(eco, '2026-11-01', '2026-11-30')).toEqual({
          days: [],
          months: [],
        });
      });

      it('forgets counters past their purgeAt', async () => {
        await usageCounters.addUsage(eco, '2026-11-03', { issued: 1 }, now + 10);
        clock.advance(10);
        expect((await usageCounters.getUsage(eco, '2026-11-01', '2026-11-30')).days).toEqual([]);
      });
    });
  });
}
