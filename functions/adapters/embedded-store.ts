// Local mode's store: the same four state ports as the DynamoDB table, over tables held in memory and written
// to one file in the data folder (embedded-tables.ts: a mutation resolves once a snapshot holding it is on
// disk). One module a port, as for DynamoDB: embedded-tokens, embedded-directory, embedded-usage.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '../core/clock.ts';
import type {
  Directory,
  Providers,
  ServerTokens,
  StorePorts,
  TokenState,
  UsageCounters,
} from '../core/ports.ts';
import { EmbeddedDirectory, EmbeddedServerTokens } from './embedded-directory.ts';
import { EmbeddedProviders } from './embedded-providers.ts';
import { type ChangeListener, EmbeddedTables, STORE_FILE } from './embedded-tables.ts';
import { EmbeddedTokenState } from './embedded-tokens.ts';
import { EmbeddedUsageCounters } from './embedded-usage.ts';

export { STORE_FILE };

export interface EmbeddedStoreProps {
  /** Folder for the store file; without one the store lives in memory only (tests). */
  dataDir?: string;
  clock?: Clock;
}

/**
 * Tessera's state in one file of the data folder (or in memory only, for tests), as its four ports.
 *
 * @example
 * const store = await EmbeddedStore.open({ dataDir: '.tessera' });
 * await store.tokens.getToken(tokenId);
 */
export class EmbeddedStore implements StorePorts {
  readonly tokens: TokenState;
  readonly directory: Directory;
  readonly serverTokens: ServerTokens;
  readonly usageCounters: UsageCounters;
  readonly providers: Providers;
  readonly #tables: EmbeddedTables;

  private constructor(tables: EmbeddedTables) {
    this.#tables = tables;
    this.tokens = new EmbeddedTokenState(tables);
    this.directory = new EmbeddedDirectory(tables);
    this.serverTokens = new EmbeddedServerTokens(tables);
    this.usageCounters = new EmbeddedUsageCounters(tables);
    this.providers = new EmbeddedProviders(tables);
  }

  /** Opens the store, loading the data folder's snapshot when there is one. */
  static async open(props: EmbeddedStoreProps = {}): Promise<EmbeddedStore> {
    const file = props.dataDir === undefined ? undefined : join(props.dataDir, STORE_FILE);
    const tables = new EmbeddedTables(file, props.clock ?? systemClock);
    if (props.dataDir !== undefined) await mkdir(props.dataDir, { recursive: true, mode: 0o700 });
    await tables.load();
    return new EmbeddedStore(tables);
  }

  /**
   * Hands the change record of every later write to `listener`, once the snapshot holding it is on disk:
   * what local mode builds its events from (functions/local/local-events.ts), as a DynamoDB Stream in AWS.
   */
  onChanges(listener: ChangeListener): void {
    this.#tables.onChanges(listener);
  }

  /** Waits for every acknowledged write to be on disk (shutdown). */
  flush(): Promise<void> {
    return this.#tables.flush();
  }
}
