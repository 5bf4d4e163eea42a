// The four state ports on one DynamoDB table (see dynamodb-table.ts): strongly consistent reads that treat
// items past their TTL attribute as absent (DynamoDB deletes late), conditional writes so no race revives,
// forks or loses a token, and no Scan anywhere. The modules build the requests over a shared table context;
// this file only says which of their operations make up each port.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Clock, epochSeconds, systemClock } from '../core/clock.ts';
import type {
  Directory,
  Providers,
  ServerTokens,
  StorePorts,
  TokenState,
  UsageCounters,
} from '../core/ports.ts';
import * as ecosystems from './dynamodb-ecosystems.ts';
import * as listings from './dynamodb-listings.ts';
import * as providers from './dynamodb-providers.ts';
import * as rehome from './dynamodb-rehome.ts';
import type { StoreTable } from './dynamodb-requests.ts';
import * as revocations from './dynamodb-revocations.ts';
import * as rotation from './dynamodb-rotation.ts';
import * as tokens from './dynamodb-tokens.ts';
import * as usage from './dynamodb-usage.ts';

export interface DynamoDbStoreProps {
  client: DynamoDBClient;
  tableName: string;
  clock?: Clock;
}

/** A module operation: the table context first, then the port method's own arguments. */
type TableOperation = (table: StoreTable, ...args: never[]) => unknown;

/** The operations with the table context bound: the methods of a port. */
type OnTable<Operations> = {
  [Name in keyof Operations]: Operations[Name] extends (table: StoreTable, ...args: infer A) => infer R
    ? (...args: A) => R
    : never;
};

/** Binds each operation to the table, so a port is the list of its operations and nothing else. */
function onTable<Operations extends Record<string, TableOperation>>(
  table: StoreTable,
  operations: Operations,
): OnTable<Operations> {
  const port: Record<string, unknown> = {};
  for (const [name, operation] of Object.entries(operations)) {
    port[name] = (...args: never[]) => operation(table, ...args);
  }
  return port as OnTable<Operations>;
}

/**
 * Tessera's state in DynamoDB, as its four ports over one table. Give it a client created once per
 * container.
 *
 * @example
 * const store = new DynamoDbStore({ client: new DynamoDBClient({}), tableName: 'tessera' });
 * await store.tokens.getToken(tokenId);
 */
export class DynamoDbStore implements StorePorts {
  readonly tokens: TokenState;
  readonly directory: Directory;
  readonly serverTokens: ServerTokens;
  readonly usageCounters: UsageCounters;
  readonly providers: Providers;

  constructor(props: DynamoDbStoreProps) {
    const clock = props.clock ?? systemClock;
    const table: StoreTable = {
      client: props.client,
      name: props.tableName,
      now: () => epochSeconds(clock.now()),
    };
    this.tokens = onTable(table, {
      putToken: tokens.putToken,
      getToken: tokens.getToken,
      getTokenContext: tokens.getTokenContext,
      touchToken: tokens.touchToken,
      rotateToken: rotation.rotateToken,
      revokeFamily: rotation.revokeFamily,
      listUserTokens: listings.listUserTokens,
      rehomeFamily: rehome.rehomeFamily,
    });
    this.directory = onTable(table, {
      createEcosystem: ecosystems.createEcosystem,
      getEcosystem: ecosystems.getEcosystem,
      listEcosystems: listings.listEcosystems,
      deleteEcosystem: ecosystems.deleteEcosystem,
      putUser: ecosystems.putUser,
      getUser: ecosystems.getUser,
      deleteUser: ecosystems.deleteUser,
      setUserGeneration: ecosystems.setUserGeneration,
      getEcosystemState: revocations.getEcosystemState,
      listRevocations: revocations.listRevocations,
      createRevocation: revocations.createRevocation,
      deleteRevocation: revocations.deleteRevocation,
    });
    this.serverTokens = onTable(table, {
      putServerToken: ecosystems.putServerToken,
      getServerToken: ecosystems.getServerToken,
      listServerTokens: ecosystems.listServerTokens,
      deleteServerToken: ecosystems.deleteServerToken,
    });
    this.usageCounters = onTable(table, {
      markActive: usage.markActive,
      addUsage: usage.addUsage,
      getUsage: usage.getUsage,
    });
    this.providers = onTable(table, {
      putProvider: providers.putProvider,
      getProvider: providers.getProvider,
      listProviders: providers.listProviders,
      deleteProvider: providers.deleteProvider,
    });
  }

  /** Nothing is buffered: every acknowledged write is already in the table. */
  async flush(): Promise<void> {}
}
