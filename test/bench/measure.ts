// Small measuring tools for the benchmark: medians, CPU-time throughput of a function run in batches, and
// candidates measured in interleaved rounds so a busy neighbour slows all of them alike.
import { cpus, loadavg } from 'node:os';

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * A CPU comparison as the bench reports it: operations per CPU second (whole) and ratios to the bare
 * node:crypto verify (three decimals), with the round and batch sizes that produced them.
 */
export function cpuSummary(
  rates: Record<string, number>,
  ratios: Record<string, number>,
  options: { rounds: number; batchSize: number },
) {
  const rounded = (values: Record<string, number>, digits: number) =>
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, round(value, digits)]));
  return {
    opsPerCpuSecond: rounded(rates, 0),
    ratioToBareNodeCrypto: rounded(ratios, 3),
    rounds: options.rounds,
    batchSize: options.batchSize,
  };
}

/** Rounds to `digits` decimals, for printing and results.json. */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** CPU time (user + system) of this process, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs `op` `count` times in a row and answers operations per CPU second. */
async function batch(op: () => unknown, count: number): Promise<number> {
  const start = cpuMs();
  for (let i = 0; i < count; i++) await op();
  const spent = cpuMs() - start;
  return (count * 1000) / Math.max(spent, 0.001);
}

export interface Candidate {
  name: string;
  /** One operation; may answer a promise, which is awaited (a sync one is awaited too, for fairness). */
  op: () => unknown;
}

/**
 * Measures candidates in `rounds` interleaved rounds of `batchSize` operations each, after a warm-up, and
 * answers each one's median operations per CPU second plus, per candidate, the median over rounds of its
 * rate divided by the first candidate's rate in the same round (the ratio the targets speak of).
 *
 * @example
 * const { rates, ratios } = await interleaved([bare, ours], { rounds: 15, batchSize: 2000 });
 */
export async function interleaved(
  candidates: readonly Candidate[],
  options: { rounds: number; batchSize: number },
): Promise<{ rates: Record<string, number>; ratios: Record<string, number> }> {
  for (const c of candidates) await batch(c.op, options.batchSize); // warm-up: JIT, caches
  const rates = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  const ratios = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    // Alternate the order so neither candidate always runs right after the other's garbage.
    const order = round % 2 === 0 ? candidates : [...candidates].reverse();
    const thisRound = new Map<string, number>();
    for (const c of order) thisRound.set(c.name, await batch(c.op, options.batchSize));
    const base = thisRound.get(candidates[0]?.name ?? '') ?? 1;
    for (const [name, rate] of thisRound) {
      rates.get(name)?.push(rate);
      ratios.get(name)?.push(rate / base);
    }
  }
  return {
    rates: Object.fromEntries([...rates].map(([name, values]) => [name, median(values)])),
    ratios: Object.fromEntries([...ratios].map(([name, values]) => [name, median(values)])),
  };
}

export interface MachineLoad {
  loadavg1m: number;
  loadavg5m: number;
  cores: number;
}

/** What else the machine was doing: load averages and core count, to read the numbers by. */
export function machineLoad(): MachineLoad {
  const [one = 0, five = 0] = loadavg();
  return { loadavg1m: round(one), loadavg5m: round(five), cores: cpus().length };
}
