// The embedded store's Directory (ecosystems and their users) and ServerTokens, over the shared tables
// (embedded-tables.ts). Deleting an ecosystem removes everything it holds: users, server tokens, counters,
// providers, revocations (whose own functions are in embedded-revocations.ts).
import type {
  Directory,
  EcosystemRecord,
  EcosystemState,
  RevocationRecord,
  RevocationWrite,
  ServerTokenRecord,
  ServerTokens,
  UserRecord,
} from '../core/ports.ts';
import * as revocations from './embedded-revocations.ts';
import { copy, type EmbeddedTables, pair } from './embedded-tables.ts';

/** Ecosystems and users in the embedded store's tables. */
export class EmbeddedDirectory implements Directory {
  readonly #t: EmbeddedTables;

  constructor(tables: EmbeddedTables) {
    this.#t = tables;
  }

  async createEcosystem(ecosystem: EcosystemRecord, serverToken: ServerTokenRecord): Promise<boolean> {
    if (this.#t.ecosystems.has(ecosystem.ecosystemId)) return false;
    this.#t.ecosystems.set(ecosystem.ecosystemId, copy(ecosystem) as EcosystemRecord);
    this.#t.serverTokens.set(
      pair(serverToken.ecosystemId, serverToken.serverTokenId),
      copy(serverToken) as ServerTokenRecord,
    );
    this.#t.changed('ecosystem', undefined, ecosystem);
    this.#t.changed('serverToken', undefined, serverToken);
    await this.#t.commit();
    return true;
  }

  async getEcosystem(ecosystemId: string): Promise<EcosystemRecord | undefined> {
    return copy(this.#t.ecosystems.get(ecosystemId));
  }

  async listEcosystems(): Promise<EcosystemRecord[]> {
    return [...this.#t.ecosystems.values()]
      .map((e) => ({ ...e }))
      .sort((a, b) => a.createdAt - b.createdAt || (a.ecosystemId < b.ecosystemId ? -1 : 1));
  }

  async deleteEcosystem(ecosystemId: string): Promise<boolean> {
    const ecosystem = this.#t.ecosystems.get(ecosystemId);
    if (ecosystem === undefined || !this.#t.ecosystems.delete(ecosystemId)) return false;
    // The change records a DynamoDB Stream would carry: what the ecosystem held first, the ecosystem last.
    const held = <T extends { ecosystemId: string }>(map: Map<string, T>) =>
      [...map.values()].filter((record) => record.ecosystemId === ecosystemId);
    for (const serverToken of held(this.#t.serverTokens))
      this.#t.changed('serverToken', serverToken, undefined);
    for (const user of held(this.#t.users)) this.#t.changed('user', user, undefined);
    for (const revocation of held(this.#t.revocations)) this.#t.changed('revocation', revocation, undefined);
    this.#t.changed('ecosystem', ecosystem, undefined);
    const maps = [
      this.#t.serverTokens,
      this.#t.users,
      this.#t.dayUsage,
      this.#t.providers,
      this.#t.revocations,
    ];
    for (const map of maps) {
      for (const [key, record] of map) if (record.ecosystemId === ecosystemId) map.delete(key);
    }
    await this.#t.commit();
    return true;
  }

  async putUser(user: UserRecord): Promise<{ created: boolean; user: UserRecord }> {
    const key = pair(user.ecosystemId, user.userId);
    const existing = this.#t.users.get(key);
    const stored =
      existing === undefined
        ? (copy(user) as UserRecord)
        : { ...existing, metadata: copy(user.metadata) ?? {} };
    this.#t.users.set(key, stored);
    this.#t.changed('user', existing, stored);
    await this.#t.commit();
    return { created: existing === undefined, user: copy(stored) as UserRecord };
  }

  async getUser(ecosystemId: string, userId: string): Promise<UserRecord | undefined> {
    return copy(this.#t.users.get(pair(ecosystemId, userId)));
  }

  async deleteUser(ecosystemId: string, userId: string): Promise<boolean> {
    const user = this.#t.users.get(pair(ecosystemId, userId));
    if (user === undefined || !this.#t.users.delete(pair(ecosystemId, userId))) return false;
    this.#t.changed('user', user, undefined);
    await this.#t.commit();
    return true;
  }

  async setUserGeneration(ecosystemId: string, userId: string, generation: string): Promise<boolean> {
    const user = this.#t.users.get(pair(ecosystemId, userId));
    if (user === undefined) return false;
    const before = copy(user);
    user.generation = generation;
    this.#t.changed('user', before, user);
    await this.#t.commit();
    return true;
  }

  async getEcosystemState(ecosystemId: string): Promise<EcosystemState> {
    return revocations.ecosystemState(this.#t, ecosystemId);
  }

  async listRevocations(ecosystemId: string): Promise<RevocationRecord[]> {
    return revocations.listRevocations(this.#t, ecosystemId);
  }

  createRevocation(record: RevocationRecord, limit: number): Promise<RevocationWrite> {
    return revocations.createRevocation(this.#t, record, limit);
  }

  deleteRevocation(ecosystemId: string, revocationId: string): Promise<boolean> {
    return revocations.deleteRevocation(this.#t, ecosystemId, revocationId);
  }
}

/** Server tokens (their hashes) in the embedded store's tables. */
export class EmbeddedServerTokens implements ServerTokens {
  readonly #t: EmbeddedTables;

  constructor(tables: EmbeddedTables) {
    this.#t = tables;
  }

  async putServerToken(record: ServerTokenRecord): Promise<void> {
    const key = pair(record.ecosystemId, record.serverTokenId);
    const before = this.#t.serverTokens.get(key);
    this.#t.serverTokens.set(key, copy(record) as ServerTokenRecord);
    this.#t.changed('serverToken', before, record);
    await this.#t.commit();
  }

  async getServerToken(ecosystemId: string, serverTokenId: string): Promise<ServerTokenRecord | undefined> {
    return copy(this.#t.serverTokens.get(pair(ecosystemId, serverTokenId)));
  }

  async listServerTokens(ecosystemId: string): Promise<ServerTokenRecord[]> {
    return [...this.#t.serverTokens.values()]
      .filter((s) => s.ecosystemId === ecosystemId)
      .map((s) => ({ ...s }));
  }

  async deleteServerToken(ecosystemId: string, serverTokenId: string): Promise<boolean> {
    const record = this.#t.serverTokens.get(pair(ecosystemId, serverTokenId));
    if (record === undefined || !this.#t.serverTokens.delete(pair(ecosystemId, serverTokenId))) return false;
    this.#t.changed('serverToken', record, undefined);
    await this.#t.commit();
    return true;
  }
}
