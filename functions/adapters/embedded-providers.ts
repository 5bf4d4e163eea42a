// The embedded store's Providers, over the shared tables (embedded-tables.ts): a provider is written only
// while its ecosystem exists, and deleting the ecosystem removes it (embedded-directory.ts). Its secret is
// in the snapshot file only as the SecretBox sealed it.
import type { ProviderRecord, Providers } from '../core/ports.ts';
import { copy, type EmbeddedTables, pair } from './embedded-tables.ts';

/** Token providers in the embedded store's tables. */
export class EmbeddedProviders implements Providers {
  readonly #t: EmbeddedTables;

  constructor(tables: EmbeddedTables) {
    this.#t = tables;
  }

  async putProvider(
    record: ProviderRecord,
  ): Promise<{ created: boolean; provider: ProviderRecord } | undefined> {
    if (!this.#t.ecosystems.has(record.ecosystemId)) return undefined;
    const key = pair(record.ecosystemId, record.providerId);
    const existing = this.#t.providers.get(key);
    const stored = {
      ...(copy(record) as ProviderRecord),
      createdAt: existing?.createdAt ?? record.createdAt,
    };
    this.#t.providers.set(key, stored);
    await this.#t.commit();
    return { created: existing === undefined, provider: copy(stored) as ProviderRecord };
  }

  async getProvider(ecosystemId: string, providerId: string): Promise<ProviderRecord | undefined> {
    return copy(this.#t.providers.get(pair(ecosystemId, providerId)));
  }

  async listProviders(ecosystemId: string): Promise<ProviderRecord[]> {
    return [...this.#t.providers.values()]
      .filter((p) => p.ecosystemId === ecosystemId)
      .sort((a, b) => (a.providerId < b.providerId ? -1 : a.providerId > b.providerId ? 1 : 0))
      .map((p) => copy(p) as ProviderRecord);
  }

  async deleteProvider(ecosystemId: string, providerId: string): Promise<boolean> {
    if (!this.#t.providers.delete(pair(ecosystemId, providerId))) return false;
    await this.#t.commit();
    return true;
  }
}
