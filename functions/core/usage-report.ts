// The usage report of GET /v1/ecosystems/{ecosystemId}/usage: daily series plus monthly active identities.
// A month's active identities are the sum of its days' `newActiveIdentities`: each user counts on the one
// day its first activity of the month fell on (usage-recorder.ts), so the sum is exact and no item is
// shared by a month.
import type { Deps } from './deps.ts';
import { requireEcosystem } from './ecosystems.ts';
import type { DayUsageRecord } from './ports.ts';
import {
  DAY_MS,
  type DayUsage,
  NEW_ACTIVE,
  NO_IDENTITY,
  REFUSALS,
  type Refusal,
  refusedCount,
  type UsageReport,
  usageRange,
} from './usage.ts';

function dayUsage(date: string, counts: Record<string, number>): DayUsage {
  const count = (name: string) => counts[name] ?? 0;
  return {
    date,
    newActiveIdentities: count(NEW_ACTIVE),
    issued: count('issued'),
    verified: count('verified'),
    refreshed: count('refreshed'),
    revoked: count('revoked'),
    refused: Object.fromEntries(REFUSALS.map((code) => [code, count(refusedCount(code))])) as Record<
      Refusal,
      number
    >,
    noIdentity: count(NO_IDENTITY),
  };
}

/** Every month from the month of `from` to that of `to`, as YYYY-MM. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const name = `${year}-${String(month).padStart(2, '0')}`;
    months.push(name);
    if (name >= last) return months;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}

/** The last day (YYYY-MM-DD) of a month (YYYY-MM). */
function lastDayOf(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
}

/**
 * The usage report of an ecosystem: one entry per day of the range (zeros included) and the monthly
 * active identities of the months it touches, read from the day counters of those whole months. Counts
 * this process still holds are written first.
 *
 * @example
 * const report = await getUsage(deps, 'eco1', { from: '2026-11-01', to: '2026-11-30' });
 */
export async function getUsage(
  deps: Pick<Deps, 'directory' | 'usageCounters' | 'usage' | 'clock'>,
  ecosystemId: string,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<UsageReport> {
  const range = usageRange(query, deps.clock.now());
  await requireEcosystem(deps, ecosystemId);
  await deps.usage.flush();
  const monthNames = monthsBetween(range.from, range.to);
  const [fromMonth, toMonth] = [range.from.slice(0, 7), range.to.slice(0, 7)];
  const stored = await deps.usageCounters.getUsage(ecosystemId, `${fromMonth}-01`, lastDayOf(toMonth));
  const byDay = new Map(stored.days.map((d: DayUsageRecord) => [d.day, d.counts]));
  const byMonth = new Map<string, number>();
  for (const { day, counts } of stored.days) {
    const month = day.slice(0, 7);
    byMonth.set(month, (byMonth.get(month) ?? 0) + (counts[NEW_ACTIVE] ?? 0));
  }
  const start = Date.parse(`${range.from}T00:00:00Z`);
  const days = Array.from({ length: range.days }, (_, i) => {
    const date = new Date(start + i * DAY_MS).toISOString().slice(0, 10);
    return dayUsage(date, byDay.get(date) ?? {});
  });
  const months = monthNames.map((month) => ({
    month,
    activeIdentities: byMonth.get(month) ?? 0,
  }));
  return { ecosystemId, from: range.from, to: range.to, days, months };
}
