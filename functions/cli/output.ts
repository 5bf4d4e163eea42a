// How the CLI shows answers to a person: aligned name/value lines, JSON only for nested values.

/**
 * One `name  value` line per entry, names padded to one column; null shows as a dash.
 *
 * @example
 * fields([['tokenId', 'ab12'], ['expiresAt', null]]); // '  tokenId    ab12\n  expiresAt  -'
 */
export function fields(entries: Array<[string, unknown]>): string {
  const width = Math.max(...entries.map(([name]) => name.length));
  return entries.map(([name, value]) => `  ${name.padEnd(width)}  ${show(value)}`).join('\n');
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The JSON a script reads: one document, two-space indented.
 *
 * @example
 * io.stdout.write(`${asJson(answer)}\n`);
 */
export function asJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/**
 * Rows under a header, each column padded to its widest cell; null shows as a dash.
 *
 * @example
 * table(['tokenId', 'status'], [['ab12', 'active']]); // '  tokenId  status\n  ab12     active'
 */
export function table(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const cells = [header, ...rows.map((row) => row.map(show))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? '').length)));
  return cells
    .map((row) => `  ${row.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd())
    .join('\n');
}
