// Local mode's data, which the embedded store's four ports share: one map per record kind, held in memory and
// written to one file in the data folder. Each mutation resolves only once a snapshot holding it is on disk
// (written to a temporary file, then renamed over the old one), so a crash or restart loses nothing
// acknowledged; writes that arrive while one is in flight share the next snapshot. Each write's change record
// (core/events.ts) goes to the change listener once the snapshot holding it is on disk.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { type Clock, epochSeconds } from '../core/clock.ts';
import type { ChangeKind, ChangeKinds, ChangeRecord } from '../core/events.ts';
import type {
  DayUsageRecord,
  EcosystemRecord,
  ProviderRecord,
  RevocationRecord,
  ServerTokenRecord,
  TokenRecord,
  UserRecord,
} from '../core/ports.ts';

export const STORE_FILE = 'store.json';

/** A rotation family: its current head, and whether it was revoked. */
export interface FamilyRecord {
  familyId: string;
  headId: string;
  revoked: boolean;
  purgeAt: number | null;
}

export type DayEntry = DayUsageRecord & { ecosystemId: string; purgeAt: number };

interface Snapshot {
  version: 1;
  ecosystems: EcosystemRecord[];
  serverTokens: ServerTokenRecord[];
  users: UserRecord[];
  tokens: TokenRecord[];
  families: FamilyRecord[];
  /** Usage counters (absent in snapshots written before usage was counted). */
  dayUsage?: DayEntry[];
  /** Token providers, their secrets sealed (absent in snapshots written before there were any). */
  providers?: ProviderRecord[];
  /** Ecosystem-wide revocations (absent in snapshots written before there were any). */
  revocations?: RevocationRecord[];
  /**
   * Month counters, in snapshots written before a month became the sum of its days: ignored on load (the
   * same counts are in the days' `newActiveIdentities`) and no longer written.
   */
  monthUsage?: unknown;
}

/** Receives the change records of a snapshot once it is on disk, in the order of the writes. */
export type ChangeListener = (changes: readonly ChangeRecord[]) => void;

/** The map key of a record named by two ids. */
export const pair = (a: string, b: string): string => `${a}#${b}`;
/** A deep copy of JSON data (records hold nothing else), about four times as fast as structuredClone. */
function cloneJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(cloneJson);
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const member = cloneJson(source[key]);
    // A "__proto__" member (strict-json keeps it an ordinary one) must stay one, never become a prototype.
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: member,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = member;
    }
  }
  return out;
}

/** A deep copy, so no caller holds a record the maps hold (every read answers one: a verify reads two). */
export const copy = <T>(value: T | undefined): T | undefined =>
  value === undefined ? undefined : (cloneJson(value) as T);

/**
 * The maps and their snapshot file (none: memory only, for tests).
 *
 * @example
 * const tables = new EmbeddedTables(join(dataDir, STORE_FILE), clock);
 * await tables.load();
 */
export class EmbeddedTables {
  readonly ecosystems = new Map<string, EcosystemRecord>();
  readonly serverTokens = new Map<string, ServerTokenRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly families = new Map<string, FamilyRecord>();
  readonly dayUsage = new Map<string, DayEntry>();
  readonly providers = new Map<string, ProviderRecord>();
  readonly revocations = new Map<string, RevocationRecord>();
  readonly #file: string | undefined;
  readonly #clock: Clock;
  #scheduled: Promise<void> | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #listener: ChangeListener | undefined;
  #pending: ChangeRecord[] = [];

  constructor(file: string | undefined, clock: Clock) {
    this.#file = file;
    this.#clock = clock;
  }

  /** The record when it is not past its purgeAt: like DynamoDB TTL, deletion may come late. */
  live<T extends { purgeAt: number | null }>(record: T | undefined): T | undefined {
    const now = epochSeconds(this.#clock.now());
    return record === undefined || record.purgeAt === null || record.purgeAt > now ? record : undefined;
  }

  /** Fills the maps from the snapshot file, when there is one. */
  async load(): Promise<void> {
    if (this.#file === undefined) return;
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const snapshot = JSON.parse(text) as Snapshot;
    // Like DynamoDB TTL, forget what can no longer matter; readers check deadlines themselves anyway.
    const now = epochSeconds(this.#clock.now());
    const live = (r: { purgeAt: number | null }) => r.purgeAt === null || r.purgeAt > now;
    for (const e of snapshot.ecosystems) this.ecosystems.set(e.ecosystemId, e);
    for (const s of snapshot.serverTokens) this.serverTokens.set(pair(s.ecosystemId, s.serverTokenId), s);
    for (const u of snapshot.users) this.users.set(pair(u.ecosystemId, u.userId), u);
    for (const t of snapshot.tokens.filter(live)) this.tokens.set(t.tokenId, t);
    for (const f of snapshot.families.filter(live)) this.families.set(f.familyId, f);
    for (const d of (snapshot.dayUsage ?? []).filter(live)) this.dayUsage.set(pair(d.ecosystemId, d.day), d);
    for (const p of snapshot.providers ?? []) this.providers.set(pair(p.ecosystemId, p.providerId), p);
    for (const r of snapshot.revocations ?? []) this.revocations.set(pair(r.ecosystemId, r.revocationId), r);
  }

  /** Hands the change records of every later write to `listener`, once the snapshot holding them is on disk. */
  onChanges(listener: ChangeListener): void {
    this.#listener = listener;
  }

  /**
   * Records one write of one record, as a DynamoDB Stream does: `before`, a copy taken before the write
   * (undefined: created), and `after`, the record now (undefined: deleted). A write that changed nothing is
   * no change, as on a stream. Nothing is kept while no one listens.
   */
  changed<K extends ChangeKind>(
    kind: K,
    before: ChangeKinds[K] | undefined,
    after: ChangeKinds[K] | undefined,
  ): void {
    if (this.#listener === undefined) return;
    const image = copy(after);
    if (JSON.stringify(before) === JSON.stringify(image)) return;
    const at = epochSeconds(this.#clock.now());
    this.#pending.push({ kind, before, after: image, at } as ChangeRecord);
  }

  #deliver(changes: ChangeRecord[]): void {
    if (changes.length === 0 || this.#listener === undefined) return;
    try {
      this.#listener(changes);
    } catch {
      // A listener's fault never fails a write that is already on disk.
    }
  }

  /** Resolves once a snapshot taken after this call is on disk. */
  commit(): Promise<void> {
    if (this.#file === undefined) {
      this.#deliver(this.#pending.splice(0)); // memory only: durable as soon as it is made
      return Promise.resolve();
    }
    if (this.#scheduled !== undefined) return this.#scheduled;
    const file = this.#file;
    const next = this.#inFlight
      .catch(() => undefined)
      .then(() => {
        this.#scheduled = undefined;
        return this.#write(file);
      });
    this.#scheduled = next;
    this.#inFlight = next;
    return next;
  }

  async #write(file: string): Promise<void> {
    const changes = this.#pending.splice(0); // exactly the writes this snapshot holds
    const snapshot: Snapshot = {
      version: 1,
      ecosystems: [...this.ecosystems.values()],
      serverTokens: [...this.serverTokens.values()],
      users: [...this.users.values()],
      tokens: [...this.tokens.values()],
      families: [...this.families.values()],
      dayUsage: [...this.dayUsage.values()],
      providers: [...this.providers.values()],
      revocations: [...this.revocations.values()],
    };
    const temporary = `${file}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(snapshot), { mode: 0o600 });
      await rename(temporary, file);
    } catch (err) {
      this.#pending.unshift(...changes); // still in memory: the next snapshot makes them durable
      throw err;
    }
    this.#deliver(changes);
  }

  /** Waits for every acknowledged write to be on disk (shutdown). */
  async flush(): Promise<void> {
    await this.#inFlight;
  }
}
