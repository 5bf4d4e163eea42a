// Local mode's store: the same operations as the DynamoDB table, held in memory and written to one file in
// the data folder. Each mutation resolves only once a snapshot holding it is on disk (written to a temporary
// file, then renamed over the old one), so a crash or restart loses nothing acknowledged; writes that arrive
// while one is in flight share the next snapshot. Like the DynamoDB store, reads treat a token or family past
// its purgeAt as absent, so both stores answer alike whether or not the record was deleted yet. One class
// holds all four state ports (they share the maps and the snapshot) and hands itself out as each of them.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, epochSeconds, systemClock } from '../core/clock.ts';
import type {
  ActivityMark,
  DayUsageRecord,
  Directory,
  EcosystemRecord,
  MonthUsageRecord,
  RotateResult,
  ServerTokenRecord,
  ServerTokens,
  StorePorts,
  TokenContext,
  TokenRecord,
  TokenState,
  UsageCounters,
  UserRecord,
} from '../core/ports.ts';

export const STORE_FILE = 'store.json';

interface FamilyRecord {
  familyId: string;
  headId: string;
  revoked: boolean;
  purgeAt: number | null;
}

interface Snapshot {
  version: 1;
  ecosystems: EcosystemRecord[];
  serverTokens: ServerTokenRecord[];
  users: UserRecord[];
  tokens: TokenRecord[];
  families: FamilyRecord[];
  /** Usage counters (absent in snapshots written before usage was counted). */
  dayUsage?: (DayUsageRecord & { ecosystemId: string; purgeAt: number })[];
  monthUsage?: (MonthUsageRecord & { ecosystemId: string; purgeAt: number })[];
}

export interface EmbeddedStoreProps {
  /** Folder for the store file; without one the store lives in memory only (tests). */
  dataDir?: string;
  clock?: Clock;
}

const pair = (a: string, b: string): string => `${a}#${b}`;
const copy = <T>(value: T | undefined): T | undefined =>
  value === undefined ? undefined : structuredClone(value);

/**
 * Tessera's state in one file of the data folder (or in memory only, for tests).
 *
 * @example
 * const store = await EmbeddedStore.open({ dataDir: '.tessera' });
 * await store.tokens.getToken(tokenId);
 */
export class EmbeddedStore implements TokenState, Directory, ServerTokens, UsageCounters, StorePorts {
  readonly tokens: TokenState = this;
  readonly directory: Directory = this;
  readonly serverTokens: ServerTokens = this;
  readonly usageCounters: UsageCounters = this;
  readonly #file: string | undefined;
  readonly #clock: Clock;
  readonly #ecosystems = new Map<string, EcosystemRecord>();
  readonly #serverTokens = new Map<string, ServerTokenRecord>();
  readonly #users = new Map<string, UserRecord>();
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #families = new Map<string, FamilyRecord>();
  readonly #dayUsage = new Map<string, DayUsageRecord & { ecosystemId: string; purgeAt: number }>();
  readonly #monthUsage = new Map<string, MonthUsageRecord & { ecosystemId: string; purgeAt: number }>();
  #scheduled: Promise<void> | undefined;
  #inFlight: Promise<void> = Promise.resolve();

  private constructor(props: EmbeddedStoreProps) {
    this.#file = props.dataDir === undefined ? undefined : join(props.dataDir, STORE_FILE);
    this.#clock = props.clock ?? systemClock;
  }

  /** The record when it is not past its purgeAt. */
  #live<T extends { purgeAt: number | null }>(record: T | undefined): T | undefined {
    const now = epochSeconds(this.#clock.now());
    return record === undefined || record.purgeAt === null || record.purgeAt > now ? record : undefined;
  }

  /** Opens the store, loading the data folder's snapshot when there is one. */
  static async open(props: EmbeddedStoreProps = {}): Promise<EmbeddedStore> {
    const store = new EmbeddedStore(props);
    if (props.dataDir !== undefined) await mkdir(props.dataDir, { recursive: true, mode: 0o700 });
    if (store.#file !== undefined) await store.#load(store.#file);
    return store;
  }

  async #load(file: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const snapshot = JSON.parse(text) as Snapshot;
    // Like DynamoDB TTL, forget what can no longer matter; readers check deadlines themselves anyway.
    const now = epochSeconds(this.#clock.now());
    const live = (r: { purgeAt: number | null }) => r.purgeAt === null || r.purgeAt > now;
    for (const e of snapshot.ecosystems) this.#ecosystems.set(e.ecosystemId, e);
    for (const s of snapshot.serverTokens) this.#serverTokens.set(pair(s.ecosystemId, s.serverTokenId), s);
    for (const u of snapshot.users) this.#users.set(pair(u.ecosystemId, u.userId), u);
    for (const t of snapshot.tokens.filter(live)) this.#tokens.set(t.tokenId, t);
    for (const f of snapshot.families.filter(live)) this.#families.set(f.familyId, f);
    for (const d of (snapshot.dayUsage ?? []).filter(live)) this.#dayUsage.set(pair(d.ecosystemId, d.day), d);
    for (const m of (snapshot.monthUsage ?? []).filter(live)) {
      this.#monthUsage.set(pair(m.ecosystemId, m.month), m);
    }
  }

  /** Resolves once a snapshot taken after this call is on disk. */
  #commit(): Promise<void> {
    if (this.#file === undefined) return Promise.resolve();
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
    const snapshot: Snapshot = {
      version: 1,
      ecosystems: [...this.#ecosystems.values()],
      serverTokens: [...this.#serverTokens.values()],
      users: [...this.#users.values()],
      tokens: [...this.#tokens.values()],
      families: [...this.#families.values()],
      dayUsage: [...this.#dayUsage.values()],
      monthUsage: [...this.#monthUsage.values()],
    };
    const temporary = `${file}.tmp`;
    await writeFile(temporary, JSON.stringify(snapshot), { mode: 0o600 });
    await rename(temporary, file);
  }

  /** Waits for every acknowledged write to be on disk (shutdown). */
  async flush(): Promise<void> {
    await this.#inFlight;
  }

  async createEcosystem(ecosystem: EcosystemRecord, serverToken: ServerTokenRecord): Promise<boolean> {
    if (this.#ecosystems.has(ecosystem.ecosystemId)) return false;
    this.#ecosystems.set(ecosystem.ecosystemId, copy(ecosystem) as EcosystemRecord);
    this.#serverTokens.set(
      pair(serverToken.ecosystemId, serverToken.serverTokenId),
      copy(serverToken) as ServerTokenRecord,
    );
    await this.#commit();
    return true;
  }

  async getEcosystem(ecosystemId: string): Promise<EcosystemRecord | undefined> {
    return copy(this.#ecosystems.get(ecosystemId));
  }

  async deleteEcosystem(ecosystemId: string): Promise<boolean> {
    if (!this.#ecosystems.delete(ecosystemId)) return false;
    for (const map of [this.#serverTokens, this.#users, this.#dayUsage, this.#monthUsage]) {
      for (const [key, record] of map) if (record.ecosystemId === ecosystemId) map.delete(key);
    }
    await this.#commit();
    return true;
  }

  async putServerToken(record: ServerTokenRecord): Promise<void> {
    this.#serverTokens.set(pair(record.ecosystemId, record.serverTokenId), copy(record) as ServerTokenRecord);
    await this.#commit();
  }

  async getServerToken(ecosystemId: string, serverTokenId: string): Promise<ServerTokenRecord | undefined> {
    return copy(this.#serverTokens.get(pair(ecosystemId, serverTokenId)));
  }

  async listServerTokens(ecosystemId: string): Promise<ServerTokenRecord[]> {
    return [...this.#serverTokens.values()]
      .filter((s) => s.ecosystemId === ecosystemId)
      .map((s) => ({ ...s }));
  }

  async deleteServerToken(ecosystemId: string, serverTokenId: string): Promise<boolean> {
    if (!this.#serverTokens.delete(pair(ecosystemId, serverTokenId))) return false;
    await this.#commit();
    return true;
  }

  async putUser(user: UserRecord): Promise<{ created: boolean; user: UserRecord }> {
    const key = pair(user.ecosystemId, user.userId);
    const existing = this.#users.get(key);
    const stored =
      existing === undefined
        ? (copy(user) as UserRecord)
        : { ...existing, metadata: copy(user.metadata) ?? {} };
    this.#users.set(key, stored);
    await this.#commit();
    return { created: existing === undefined, user: copy(stored) as UserRecord };
  }

  async getUser(ecosystemId: string, userId: string): Promise<UserRecord | undefined> {
    return copy(this.#users.get(pair(ecosystemId, userId)));
  }

  async deleteUser(ecosystemId: string, userId: string): Promise<boolean> {
    if (!this.#users.delete(pair(ecosystemId, userId))) return false;
    await this.#commit();
    return true;
  }

  async setUserGeneration(ecosystemId: string, userId: string, generation: string): Promise<boolean> {
    const user = this.#users.get(pair(ecosystemId, userId));
    if (user === undefined) return false;
    user.generation = generation;
    await this.#commit();
    return true;
  }

  async putToken(record: TokenRecord): Promise<void> {
    if (this.#tokens.has(record.tokenId)) throw new Error(`token id collision: ${record.tokenId}`);
    this.#tokens.set(record.tokenId, copy(record) as TokenRecord);
    await this.#commit();
  }

  async getToken(tokenId: string): Promise<TokenRecord | undefined> {
    return copy(this.#live(this.#tokens.get(tokenId)));
  }

  async getTokenContext(tokenId: string, ecosystemId: string, userId: string): Promise<TokenContext> {
    return {
      token: copy(this.#live(this.#tokens.get(tokenId))),
      user: copy(this.#users.get(pair(ecosystemId, userId))),
      ecosystem: copy(this.#ecosystems.get(ecosystemId)),
    };
  }

  async touchToken(tokenId: string, previousLastUsedAt: number, lastUsedAt: number, purgeAt: number | null) {
    const token = this.#tokens.get(tokenId);
    if (token?.status !== 'active' || token.lastUsedAt !== previousLastUsedAt) return false;
    if (token.purgeAt !== null && token.purgeAt <= lastUsedAt) return false; // past its deadline: never revive
    token.lastUsedAt = lastUsedAt;
    token.purgeAt = purgeAt;
    await this.#commit();
    return true;
  }

  async rotateToken(input: {
    oldTokenId: string;
    rotatedAt: number;
    oldPurgeAt: number | null;
    successor: TokenRecord;
  }): Promise<RotateResult> {
    const old = this.#live(this.#tokens.get(input.oldTokenId));
    const family = this.#live(this.#families.get(input.successor.familyId));
    if (old?.status !== 'active' || family?.revoked === true) {
      return { ok: false, current: copy(old), familyRevoked: family?.revoked === true };
    }
    old.status = 'rotated';
    old.successorId = input.successor.tokenId;
    old.rotatedAt = input.rotatedAt;
    if (old.lastUsedAt !== null) old.lastUsedAt = input.rotatedAt;
    old.purgeAt = input.oldPurgeAt;
    this.#tokens.set(input.successor.tokenId, copy(input.successor) as TokenRecord);
    this.#families.set(input.successor.familyId, {
      familyId: input.successor.familyId,
      headId: input.successor.tokenId,
      revoked: false,
      purgeAt: input.successor.purgeAt,
    });
    await this.#commit();
    return { ok: true };
  }

  async revokeFamily(familyId: string, memberId: string): Promise<void> {
    const family = this.#live(this.#families.get(familyId));
    const head = this.#live(this.#tokens.get(family?.headId ?? memberId));
    if (family !== undefined) family.revoked = true;
    if (head !== undefined) head.status = 'revoked';
    await this.#commit();
  }

  async listEcosystems(): Promise<EcosystemRecord[]> {
    return [...this.#ecosystems.values()]
      .map((e) => ({ ...e }))
      .sort((a, b) => a.createdAt - b.createdAt || (a.ecosystemId < b.ecosystemId ? -1 : 1));
  }

  async listUserTokens(ecosystemId: string, userId: string): Promise<TokenRecord[]> {
    return [...this.#tokens.values()]
      .filter((t) => t.ecosystemId === ecosystemId && t.userId === userId && this.#live(t) !== undefined)
      .map((t) => copy(t) as TokenRecord);
  }

  async markActive(mark: ActivityMark): Promise<boolean> {
    const user = this.#users.get(pair(mark.ecosystemId, mark.userId));
    if (user === undefined || (user.lastActiveMonth !== undefined && user.lastActiveMonth >= mark.month)) {
      return false;
    }
    user.lastActiveMonth = mark.month;
    const monthKey = pair(mark.ecosystemId, mark.month);
    const month = this.#monthUsage.get(monthKey) ?? {
      ecosystemId: mark.ecosystemId,
      month: mark.month,
      activeIdentities: 0,
      purgeAt: mark.purgeAt,
    };
    month.activeIdentities += 1;
    this.#monthUsage.set(monthKey, month);
    this.#addDay(mark.ecosystemId, mark.day, { newActiveIdentities: 1 }, mark.purgeAt);
    await this.#commit();
    return true;
  }

  #addDay(ecosystemId: string, day: string, counts: Record<string, number>, purgeAt: number): void {
    const key = pair(ecosystemId, day);
    const entry = this.#dayUsage.get(key) ?? { ecosystemId, day, counts: {}, purgeAt };
    for (const [name, amount] of Object.entries(counts))
      entry.counts[name] = (entry.counts[name] ?? 0) + amount;
    this.#dayUsage.set(key, entry);
  }

  async addUsage(ecosystemId: string, day: string, counts: Record<string, number>, purgeAt: number) {
    this.#addDay(ecosystemId, day, counts, purgeAt);
    await this.#commit();
  }

  async getUsage(
    ecosystemId: string,
    fromDay: string,
    toDay: string,
  ): Promise<{ days: DayUsageRecord[]; months: MonthUsageRecord[] }> {
    const [fromMonth, toMonth] = [fromDay.slice(0, 7), toDay.slice(0, 7)];
    const days = [...this.#dayUsage.values()]
      .filter((d) => d.ecosystemId === ecosystemId && d.day >= fromDay && d.day <= toDay)
      .filter((d) => this.#live(d) !== undefined)
      .map((d) => ({ day: d.day, counts: { ...d.counts } }))
      .sort((a, b) => (a.day < b.day ? -1 : 1));
    const months = [...this.#monthUsage.values()]
      .filter((m) => m.ecosystemId === ecosystemId && m.month >= fromMonth && m.month <= toMonth)
      .filter((m) => this.#live(m) !== undefined)
      .map((m) => ({ month: m.month, activeIdentities: m.activeIdentities }))
      .sort((a, b) => (a.month < b.month ? -1 : 1));
    return { days, months };
  }
}
