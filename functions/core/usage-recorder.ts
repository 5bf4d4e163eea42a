// Usage visibility, the counting side. Outcome counts are added up in memory and written in batches (one
// write per ecosystem and day in the batch). A user's first activity of a UTC month is one conditional write
// to the user's own item, decided from the user item the verify already read, so an already-active user
// costs nothing; only when that write succeeds is the day's `newActiveIdentities` counted, in memory with
// the rest. No verify and no new user writes an item the ecosystem shares: that is the batch's job.
//
//   verify ─► count('verified') in memory ──(200 events or 60 s)──► counters.addUsage per ecosystem·day
//         └─► user.lastActiveMonth === this month ? nothing
//             : counters.markActive (the user's item, once per user per month) ─► newActiveIdentities in memory
//
// One recorder belongs to one set of dependencies (core/deps.ts assembleDeps makes it), so every front door
// built over those dependencies shares one batch.
import type { Clock } from './clock.ts';
import { epochSeconds } from './clock.ts';
import { isTesseraError } from './errors.ts';
import { isValidId } from './ids.ts';
import type { UsageCounters, UserRecord } from './ports.ts';
import {
  dayOf,
  isRefusal,
  monthOf,
  NEW_ACTIVE,
  NO_IDENTITY,
  type Outcome,
  type Refusal,
  refusedCount,
  usagePurgeAt,
} from './usage.ts';

export interface UsageRecorderProps {
  /** Where the counts are written. */
  counters: UsageCounters;
  clock: Clock;
  /** Write once this many events are held (default 200). */
  maxPendingEvents?: number;
  /** Write once the oldest held event is this old (default 60 s, also on a timer when finite). */
  maxPendingSeconds?: number;
  /** Told about a failed write; counting never fails a request. */
  onError?: (err: unknown) => void;
}

/** What a token check learned before it ended, for attributing a refusal. */
export interface PresentedFacts {
  /** The ecosystem an authentic token names. */
  ecosystemId?: string;
  /** False once the token state said the token's user or ecosystem does not exist. */
  identified?: boolean;
}

/** How many ecosystem ids the recorder remembers as seen before it starts over. */
const MAX_SEEN = 10_000;

interface Pending {
  ecosystemId: string;
  day: string;
  counts: Record<string, number>;
}

/** The `tsr:eco` claim of a token that did not verify, read without trusting it; undefined if unreadable. */
function claimedEcosystem(token: unknown): string | undefined {
  if (typeof token !== 'string' || token.length > 16_384) return undefined;
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const eco = (claims as Record<string, unknown> | null)?.['tsr:eco'];
    return isValidId(eco) ? eco : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Counts usage per ecosystem and UTC day. A crashed container loses what it held: at most
 * `maxPendingEvents` events or `maxPendingSeconds` of its traffic, first activities included (the user's
 * item still says it was counted, so it is never counted twice: a crash can only undercount).
 *
 * @example
 * const usage = new UsageRecorder({ counters: store.usageCounters, clock });
 * usage.count('eco1', 'issued');
 * await usage.flush(); // at shutdown
 */
export class UsageRecorder {
  readonly #counters: UsageCounters;
  readonly #clock: Clock;
  readonly #maxEvents: number;
  readonly #maxSeconds: number;
  readonly #onError: (err: unknown) => void;
  #pending = new Map<string, Pending>();
  #last: Pending | undefined;
  /** Ecosystems this process saw authentically (issue, verify, refresh, revoke): refusals of unauthentic
   * tokens are attributed only to these, so forged tokens naming random ids cannot make the store write. */
  #seen = new Set<string>();
  #events = 0;
  #oldest: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();
  /** The UTC day and month of the last instant seen: most calls fall on the same day, so no Date is made. */
  #calendar = { dayIndex: Number.NaN, day: '', month: '' };

  constructor(props: UsageRecorderProps) {
    this.#counters = props.counters;
    this.#clock = props.clock;
    this.#maxEvents = props.maxPendingEvents ?? 200;
    this.#maxSeconds = props.maxPendingSeconds ?? 60;
    this.#onError = props.onError ?? (() => undefined);
  }

  /** Events held in memory, not yet written. */
  get pendingEvents(): number {
    return this.#events;
  }

  #calendarOf(seconds: number): { day: string; month: string } {
    const dayIndex = Math.floor(seconds / 86_400);
    if (dayIndex !== this.#calendar.dayIndex) {
      this.#calendar = { dayIndex, day: dayOf(seconds), month: monthOf(seconds) };
    }
    return this.#calendar;
  }

  #see(ecosystemId: string): void {
    if (this.#seen.size >= MAX_SEEN) this.#seen.clear(); // bounded memory; re-learned from the next events
    this.#seen.add(ecosystemId);
  }

  #add(ecosystemId: string, name: string, at?: number): void {
    const now = epochSeconds(this.#clock.now());
    const { day } = this.#calendarOf(at ?? now);
    let entry = this.#last;
    if (entry === undefined || entry.ecosystemId !== ecosystemId || entry.day !== day) {
      const key = `${ecosystemId}/${day}`;
      entry = this.#pending.get(key);
      if (entry === undefined) {
        entry = { ecosystemId, day, counts: {} };
        this.#pending.set(key, entry);
      }
      this.#last = entry; // most events in a row are of one ecosystem and day: skip the key and lookup
    }
    entry.counts[name] = (entry.counts[name] ?? 0) + 1;
    this.#events += 1;
    this.#oldest ??= now;
    if (this.#events >= this.#maxEvents || now - this.#oldest >= this.#maxSeconds) {
      void this.flush();
    } else if (this.#timer === undefined && Number.isFinite(this.#maxSeconds)) {
      this.#timer = setTimeout(() => void this.flush(), this.#maxSeconds * 1000);
      this.#timer.unref?.();
    }
  }

  /** Counts a successful issue, verify, refresh or revoke. */
  count(ecosystemId: string, outcome: Outcome): void {
    if (!this.#seen.has(ecosystemId)) this.#see(ecosystemId);
    this.#add(ecosystemId, outcome);
  }

  /**
   * Counts a refused token check: under the ecosystem it names (an authentic token's, else the unverified
   * claim when well-formed and seen authentically by this process), and as "no identity" when no known
   * user stands behind it.
   */
  refused(token: unknown, err: unknown, facts: PresentedFacts): void {
    if (!isTesseraError(err) || !isRefusal(err.code)) return;
    if (facts.ecosystemId !== undefined && !this.#seen.has(facts.ecosystemId)) this.#see(facts.ecosystemId);
    const claimed = facts.ecosystemId === undefined ? claimedEcosystem(token) : undefined;
    const ecosystemId =
      facts.ecosystemId ?? (claimed !== undefined && this.#seen.has(claimed) ? claimed : undefined);
    if (ecosystemId === undefined) return;
    this.#add(ecosystemId, refusedCount(err.code as Refusal));
    if (facts.ecosystemId === undefined || facts.identified === false) this.#add(ecosystemId, NO_IDENTITY);
  }

  /**
   * Counts the user active this month unless the user item already says so: then no store call and no
   * promise (undefined), so the hot path awaits nothing. Otherwise one conditional write to the user's item;
   * the one call per user and month it lets through counts `newActiveIdentities` with the batch. A failed
   * write is reported, never thrown: the request it rides on already succeeded.
   */
  active(user: UserRecord, now: number): Promise<void> | undefined {
    const { month } = this.#calendarOf(now);
    if (user.lastActiveMonth !== undefined && user.lastActiveMonth >= month) return undefined;
    return this.#markActive(user, month, now);
  }

  async #markActive(user: UserRecord, month: string, now: number): Promise<void> {
    try {
      const { ecosystemId, userId } = user;
      if (!(await this.#counters.markActive({ ecosystemId, userId, month }))) return;
      user.lastActiveMonth = month;
      if (!this.#seen.has(ecosystemId)) this.#see(ecosystemId);
      this.#add(ecosystemId, NEW_ACTIVE, now);
    } catch (err) {
      this.#onError(err);
    }
  }

  /** Writes what is held: one addUsage per ecosystem and day. Counts of a failed write are kept for the next. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    this.#last = undefined;
    this.#events = 0;
    this.#oldest = undefined;
    const write = async () => {
      for (const entry of batch) {
        try {
          await this.#counters.addUsage(entry.ecosystemId, entry.day, entry.counts, usagePurgeAt(entry.day));
        } catch (err) {
          for (const [name, amount] of Object.entries(entry.counts)) {
            const key = `${entry.ecosystemId}/${entry.day}`;
            const kept = this.#pending.get(key) ?? { ...entry, counts: {} };
            kept.counts[name] = (kept.counts[name] ?? 0) + amount;
            this.#pending.set(key, kept);
            this.#events += amount;
          }
          this.#onError(err);
        }
      }
    };
    this.#writing = this.#writing.then(write);
    return this.#writing;
  }
}
