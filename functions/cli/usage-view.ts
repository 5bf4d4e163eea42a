// How `tessera usage` shows a usage report to a person: monthly active identities, one line per series
// with its total and a terminal sparkline, then the daily table.
import type { DayUsage, UsageReport } from '../client/types.ts';

const BARS = '▁▂▃▄▅▆▇█';
/** Wider ranges are summed into this many columns, so a sparkline fits a terminal line. */
const MAX_COLUMNS = 60;

/**
 * A sparkline of the values, one bar each (summed into at most 60 columns); all zero is all lowest bars.
 *
 * @example
 * sparkline([0, 1, 2, 8]); // '▁▁▂█'
 */
export function sparkline(values: readonly number[]): string {
  const size = Math.ceil(values.length / MAX_COLUMNS) || 1;
  const columns: number[] = [];
  for (let i = 0; i < values.length; i += size) {
    columns.push(values.slice(i, i + size).reduce((a, b) => a + b, 0));
  }
  const max = Math.max(0, ...columns);
  return columns
    .map((v) => BARS[max === 0 ? 0 : Math.round((v / max) * (BARS.length - 1))] ?? BARS[0])
    .join('');
}

/**
 * Every series a report holds, named for a person: the outcomes, each refusal code, and "no identity".
 *
 * @example
 * usageSeries(report.days)[2]; // ['verified', [0, 4, 12]]
 */
export function usageSeries(days: readonly DayUsage[]): Array<[string, number[]]> {
  const series: Array<[string, number[]]> = [
    ['new active identities', days.map((d) => d.newActiveIdentities)],
    ['issued', days.map((d) => d.issued)],
    ['verified', days.map((d) => d.verified)],
    ['refreshed', days.map((d) => d.refreshed)],
    ['revoked', days.map((d) => d.revoked)],
  ];
  const codes = Object.keys(days[0]?.refused ?? {}) as Array<keyof DayUsage['refused']>;
  for (const code of codes) series.push([`refused ${code}`, days.map((d) => d.refused[code])]);
  series.push(['no identity', days.map((d) => d.noIdentity)]);
  return series;
}

const refusedOf = (d: DayUsage) => Object.values(d.refused).reduce((a, b) => a + b, 0);

/**
 * The report as text: months, series with sparklines, and a table with one row per day.
 *
 * @example
 * io.stdout.write(`${usageText(await client.getUsage('eco1'))}\n`);
 */
export function usageText(report: UsageReport): string {
  const months = report.months.map((m) => `  ${m.month}  ${m.activeIdentities}`);
  const series = usageSeries(report.days);
  const nameWidth = Math.max(...series.map(([name]) => name.length));
  const totals = series.map(([, values]) => String(values.reduce((a, b) => a + b, 0)));
  const totalWidth = Math.max(5, ...totals.map((t) => t.length));
  const seriesLines = series.map(
    ([name, values], i) =>
      `  ${name.padEnd(nameWidth)}  ${(totals[i] ?? '').padStart(totalWidth)}  ${sparkline(values)}`,
  );
  const header = [
    'date',
    'new active',
    'issued',
    'verified',
    'refreshed',
    'revoked',
    'refused',
    'no identity',
  ];
  const rows = report.days.map((d) => [
    d.date,
    d.newActiveIdentities,
    d.issued,
    d.verified,
    d.refreshed,
    d.revoked,
    refusedOf(d),
    d.noIdentity,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: Array<string | number>) =>
    `  ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ')}`;
  return [
    `Usage of ecosystem ${report.ecosystemId}, ${report.from} to ${report.to} (UTC days)`,
    '',
    'Monthly active identities',
    ...months,
    '',
    `  ${'series'.padEnd(nameWidth)}  ${'total'.padStart(totalWidth)}  per day`,
    ...seriesLines,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}
