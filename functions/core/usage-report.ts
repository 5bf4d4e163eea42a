// The usage report of GET /v1/ecosystems/{ecosystemId}/usage: daily series plus monthly active identities.
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

/**
 * The usage report of an ecosystem: one entry per day of the range (zeros included) and the monthly
 * active identities of the months it touches. Counts this process still holds are written first.
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
  const stored = await deps.usageCounters.getUsage(ecosystemId, range.from, range.to);
  const byDay = new Map(stored.days.map((d: DayUsageRecord) => [d.day, d.counts]));
  const byMonth = new Map(stored.months.map((m) => [m.month, m.activeIdentities]));
  const start = Date.parse(`${range.from}T00:00:00Z`);
  const days = Array.from({ length: range.days }, (_, i) => {
    const date = new Date(start + i * DAY_MS).toISOString().slice(0, 10);
    return dayUsage(date, byDay.get(date) ?? {});
  });
  const months = monthsBetween(range.from, range.to).map((month) => ({
    month,
    activeIdentities: byMonth.get(month) ?? 0,
  }));
  return { ecosystemId, from: range.from, to: range.to, days, months };
}
