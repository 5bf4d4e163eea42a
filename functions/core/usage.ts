// Usage visibility's vocabulary: the count names, UTC day and month arithmetic, the report's shape and the
// range a usage request may ask for.
import { type ErrorCode, TesseraError } from './errors.ts';

/** The outcomes counted per ecosystem and day, besides refusals. */
export const OUTCOMES = ['issued', 'verified', 'refreshed', 'revoked'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The codes a presented user token is refused with; each has its own daily series. */
export const REFUSALS = [
  'TOKEN_STRUCTURE_INVALID',
  'TOKEN_SIGNATURE_INVALID',
  'TOKEN_EXPIRED',
  'TOKEN_NOT_YET_VALID',
  'TOKEN_AUDIENCE_INVALID',
  'TOKEN_REVOKED',
  'TOKEN_REUSED',
] as const satisfies readonly ErrorCode[];
export type Refusal = (typeof REFUSALS)[number];

/** True for a code that refuses a presented user token: one of REFUSALS. */
export function isRefusal(code: string | undefined): code is Refusal {
  return (REFUSALS as readonly string[]).includes(code ?? '');
}

/** Stored count names: an outcome, `refused.<CODE>`, `noIdentity`, or `newActiveIdentities`. */
export const NO_IDENTITY = 'noIdentity';
export const NEW_ACTIVE = 'newActiveIdentities';
/**
 * The stored count name of a refusal code.
 *
 * @example
 * refusedCount('TOKEN_EXPIRED'); // 'refused.TOKEN_EXPIRED'
 */
export const refusedCount = (code: Refusal): string => `refused.${code}`;

/** The widest range one usage request may ask for, in days. */
export const MAX_RANGE_DAYS = 366;
/** The range when none is asked for: the last 30 days, today included. */
export const DEFAULT_RANGE_DAYS = 30;
/** How long the store keeps day and month counters (DynamoDB TTL), in seconds after their day: 400 days. */
export const USAGE_RETENTION_SECONDS = 400 * 86_400;

export const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The UTC day (YYYY-MM-DD) of an epoch-seconds instant.
 *
 * @example
 * dayOf(1_800_000_000); // '2027-01-15'
 */
export const dayOf = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);
/**
 * The UTC month (YYYY-MM) of an epoch-seconds instant.
 *
 * @example
 * monthOf(1_800_000_000); // '2027-01'
 */
export const monthOf = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 7);

/**
 * When the counters of `day` may be forgotten (epoch seconds): 400 days after it began.
 *
 * @example
 * usagePurgeAt('2026-11-23'); // 1829952000
 */
export function usagePurgeAt(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000 + USAGE_RETENTION_SECONDS;
}

/** Epoch ms of a YYYY-MM-DD calendar date, or undefined when it is not one (2026-02-30 is not). */
function parseDay(value: string): number | undefined {
  const match = DAY_PATTERN.exec(value);
  if (match === null) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === value ? ms : undefined;
}

export interface DayUsage {
  date: string;
  /** Users whose first activity of the month fell on this day. */
  newActiveIdentities: number;
  issued: number;
  verified: number;
  refreshed: number;
  revoked: number;
  /** Refusals by code; every code is present. */
  refused: Record<Refusal, number>;
  /** Refusals of tokens that name no known user: unreadable, forged, or whose user or ecosystem is gone. */
  noIdentity: number;
}

export interface UsageReport {
  ecosystemId: string;
  from: string;
  to: string;
  days: DayUsage[];
  /** Distinct users active in each UTC month the range touches. */
  months: { month: string; activeIdentities: number }[];
}

/**
 * The range a request asks for: both bounds or neither (the last 30 days to today), `from` ≤ `to`, at
 * most 366 days. A malformed value is BODY_INVALID (a malformed request), naming the query field.
 *
 * @example
 * usageRange({ from: '2026-11-01', to: '2026-11-30' }, Date.now()); // { from: '2026-11-01', to: '2026-11-30', days: 30 }
 */
export function usageRange(
  query: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
): { from: string; to: string; days: number } {
  const invalid = (message: string) => new TesseraError('BODY_INVALID', message);
  if ((query.from === undefined) !== (query.to === undefined)) {
    throw invalid('Give "from" and "to" together (or neither, for the last 30 days).');
  }
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const read = (name: 'from' | 'to', fallback: number) => {
    const value = query[name];
    if (value === undefined) return fallback;
    const ms = parseDay(value);
    if (ms === undefined) throw invalid(`Query field "${name}" must be a UTC date as YYYY-MM-DD.`);
    return ms;
  };
  const to = read('to', today);
  const from = read('from', to - (DEFAULT_RANGE_DAYS - 1) * DAY_MS);
  if (from > to) throw invalid('Query field "from" must not be after "to".');
  const days = (to - from) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) throw invalid(`Ask for at most ${MAX_RANGE_DAYS} days at a time.`);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(from), to: iso(to), days };
}
