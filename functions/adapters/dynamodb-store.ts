// The Store on one DynamoDB table (see dynamodb-table.ts): strongly consistent reads that treat items past
// their TTL attribute as absent (DynamoDB deletes late), conditional writes so no race revives, forks or
// loses a token, and no Scan anywhere. This class only composes the modules that build the requests.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Clock, epochSeconds, systemClock } from '../core/clock.ts';
import type {
  ActivityMark,
  DayUsageRecord,
  EcosystemRecord,
  MonthUsageRecord,
  RotateResult,
  ServerTokenRecord,
  Store,
  TokenContext,
  TokenRecord,
  UserRecord,
} from '../core/ports.ts';
import * as ecosystems from './dynamodb-ecosystems.ts';
import * as listings from './dynamodb-listings.ts';
import type { StoreTable } from './dynamodb-requests.ts';
import * as rotation from './dynamodb-rotation.ts';
import * as tokens from './dynamodb-tokens.ts';
import * as usage from './dynamodb-usage.ts';

export interface DynamoDbStoreProps {
  client: DynamoDBClient;
  tableName: string;
  clock?: Clock;
}

/**
 * Tessera's state in DynamoDB. Give it a client created once per container.
 *
 * @example
 * const store = new DynamoDbStore({ client: new DynamoDBClient({}), tableName: 'tessera' });
 */
export class DynamoDbStore implements Store {
  readonly #table: StoreTable;

  constructor(props: DynamoDbStoreProps) {
    const clock = props.clock ?? systemClock;
    this.#table = { client: props.client, name: props.tableName, now: () => epochSeconds(clock.now()) };
  }

  /** Nothing is buffered: every acknowledged write is already in the table. */
  async flush(): Promise<void> {}

  createEcosystem(ecosystem: EcosystemRecord, serverToken: ServerTokenRecord): Promise<boolean> {
    return ecosystems.createEcosystem(this.#table, ecosystem, serverToken);
  }

  getEcosystem(ecosystemId: string): Promise<EcosystemRecord | undefined> {
    return ecosystems.getEcosystem(this.#table, ecosystemId);
  }

  deleteEcosystem(ecosystemId: string): Promise<boolean> {
    return ecosystems.deleteEcosystem(this.#table, ecosystemId);
  }

  putServerToken(record: ServerTokenRecord): Promise<void> {
    return ecosystems.putServerToken(this.#table, record);
  }

  getServerToken(ecosystemId: string, serverTokenId: string): Promise<ServerTokenRecord | undefined> {
    return ecosystems.getServerToken(this.#table, ecosystemId, serverTokenId);
  }

  listServerTokens(ecosystemId: string): Promise<ServerTokenRecord[]> {
    return ecosystems.listServerTokens(this.#table, ecosystemId);
  }

  deleteServerToken(ecosystemId: string, serverTokenId: string): Promise<boolean> {
    return ecosystems.deleteServerToken(this.#table, ecosystemId, serverTokenId);
  }

  putUser(user: UserRecord): Promise<{ created: boolean; user: UserRecord }> {
    return ecosystems.putUser(this.#table, user);
  }

  getUser(ecosystemId: string, userId: string): Promise<UserRecord | undefined> {
    return ecosystems.getUser(this.#table, ecosystemId, userId);
  }

  deleteUser(ecosystemId: string, userId: string): Promise<boolean> {
    return ecosystems.deleteUser(this.#table, ecosystemId, userId);
  }

  setUserGeneration(ecosystemId: string, userId: string, generation: string): Promise<boolean> {
    return ecosystems.setUserGeneration(this.#table, ecosystemId, userId, generation);
  }

  putToken(record: TokenRecord): Promise<void> {
    return tokens.putToken(this.#table, record);
  }

  getToken(tokenId: string): Promise<TokenRecord | undefined> {
    return tokens.getToken(this.#table, tokenId);
  }

  getTokenContext(tokenId: string, ecosystemId: string, userId: string): Promise<TokenContext> {
    return tokens.getTokenContext(this.#table, tokenId, ecosystemId, userId);
  }

  touchToken(
    tokenId: string,
    previousLastUsedAt: number,
    lastUsedAt: number,
    purgeAt: number | null,
  ): Promise<boolean> {
    return tokens.touchToken(this.#table, tokenId, previousLastUsedAt, lastUsedAt, purgeAt);
  }

  rotateToken(input: {
    oldTokenId: string;
    rotatedAt: number;
    oldPurgeAt: number | null;
    successor: TokenRecord;
  }): Promise<RotateResult> {
    return rotation.rotateToken(this.#table, input);
  }

  revokeFamily(familyId: string, memberId: string): Promise<void> {
    return rotation.revokeFamily(this.#table, familyId, memberId);
  }

  listEcosystems(): Promise<EcosystemRecord[]> {
    return listings.listEcosystems(this.#table);
  }

  listUserTokens(ecosystemId: string, userId: string): Promise<TokenRecord[]> {
    return listings.listUserTokens(this.#table, ecosystemId, userId);
  }

  markActive(mark: ActivityMark): Promise<boolean> {
    return usage.markActive(this.#table, mark);
  }

  addUsage(ecosystemId: string, day: string, counts: Record<string, number>, purgeAt: number): Promise<void> {
    return usage.addUsage(this.#table, ecosystemId, day, counts, purgeAt);
  }

  getUsage(
    ecosystemId: string,
    fromDay: string,
    toDay: string,
  ): Promise<{ days: DayUsageRecord[]; months: MonthUsageRecord[] }> {
    return usage.getUsage(this.#table, ecosystemId, fromDay, toDay);
  }
}
