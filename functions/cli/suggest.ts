// "Did you mean …?" for a mistyped command or option: the closest known name, if it is close enough.

/** The edit distance between two strings (insertions, deletions, substitutions; a swap costs two). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `typed`, when at most a third of its letters (at least one) differ; a
 * candidate that starts with what was typed counts as close too (`--eco` → `--ecosystem`).
 *
 * @example
 * closest('ecosytem', ['ecosystem', 'user']); // 'ecosystem'
 * closest('verbose', ['json', 'help']); // undefined
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  if (typed.length >= 2) {
    const prefixed = candidates.filter((c) => c.startsWith(typed));
    if (prefixed.length === 1) return prefixed[0];
  }
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: { name: string; cost: number } | undefined;
  for (const name of candidates) {
    const cost = distance(typed, name);
    if (cost <= limit && (best === undefined || cost < best.cost)) best = { name, cost };
  }
  return best?.name;
}
