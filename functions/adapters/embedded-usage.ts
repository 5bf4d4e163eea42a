// The embedded store's UsageCounters: a user's first activity of a month (on the user's record) and the day
// counters, over the shared tables (embedded-tables.ts); counters past their purgeAt read as absent.
import type { ActivityMark, DayUsageRecord, UsageCounters } from '../core/ports.ts';
import { copy, type EmbeddedTables, pair } from './embedded-tables.ts';

/** Usage counters in the embedded store's tables. */
export class EmbeddedUsageCounters implements UsageCounters {
  readonly #t: EmbeddedTables;

  constructor(tables: EmbeddedTables) {
    this.#t = tables;
  }

  async markActive(mark: ActivityMark): Promise<boolean> {
    const user = this.#t.users.get(pair(mark.ecosystemId, mark.userId));
    if (user === undefined || (user.lastActiveMonth !== undefined && user.lastActiveMonth >= mark.month)) {
      return false;
    }
    const before = copy(user);
    user.lastActiveMonth = mark.month;
    this.#t.changed('user', before, user);
    await this.#t.commit();
    return true;
  }

  async addUsage(ecosystemId: string, day: string, counts: Record<string, number>, purgeAt: number) {
    const key = pair(ecosystemId, day);
    const entry = this.#t.dayUsage.get(key) ?? { ecosystemId, day, counts: {}, purgeAt };
    for (const [name, amount] of Object.entries(counts))
      entry.counts[name] = (entry.counts[name] ?? 0) + amount;
    this.#t.dayUsage.set(key, entry);
    await this.#t.commit();
  }

  async getUsage(ecosystemId: string, fromDay: string, toDay: string): Promise<{ days: DayUsageRecord[] }> {
    const days = [...this.#t.dayUsage.values()]
      .filter((d) => d.ecosystemId === ecosystemId && d.day >= fromDay && d.day <= toDay)
      .filter((d) => this.#t.live(d) !== undefined)
      .map((d) => ({ day: d.day, counts: { ...d.counts } }))
      .sort((a, b) => (a.day < b.day ? -1 : 1));
    return { days };
  }
}
