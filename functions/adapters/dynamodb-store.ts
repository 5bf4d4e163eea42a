// The Store on one DynamoDB table (see dynamodb-table.ts): strongly consistent reads that treat items past
// their TTL attribute as absent (DynamoDB deletes late), conditional writes so no race revives, forks or
// loses a token, and no Scan anywhere.
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { type Clock, epochSeconds, systemClock } from '../core/clock.ts';
import { serviceUnavailable } from '../core/errors.ts';
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
import { callAws } from './aws-errors.ts';
import {
  COUNT_PREFIX,
  countsOf,
  ecosystemItem,
  ecosystemOf,
  familyItem,
  familyOf,
  type Item,
  isPurged,
  keyItem,
  n,
  s,
  serverTokenItem,
  serverTokenOf,
  tokenItem,
  tokenOf,
  userOf,
} from './dynamodb-items.ts';
import { itemKey, LIST_INDEX, listKey, SORT_PREFIX } from './dynamodb-table.ts';

const WHAT = 'The token store';
/** DynamoDB's BatchGetItem limit. */
const BATCH_GET_SIZE = 100;
/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_SIZE = 25;
/** Attempts for work DynamoDB hands back (unprocessed keys, transaction conflicts) before answering 503. */
const MAX_ROUNDS = 6;

export interface DynamoDbStoreProps {
  client: DynamoDBClient;
  tableName: string;
  clock?: Clock;
}

/** The reason codes of a cancelled transaction, in the order of its items. */
function reasonsOf(err: TransactionCanceledException): { code: string; item: Item | undefined }[] {
  return (err.CancellationReasons ?? []).map((r) => ({ code: r.Code ?? 'None', item: r.Item }));
}

const isConflict = (err: TransactionCanceledException) =>
  reasonsOf(err).some((r) => r.code === 'TransactionConflict' || r.code === 'ThrottlingError');

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));

/**
 * Tessera's state in DynamoDB. Give it a client created once per container.
 *
 * @example
 * const store = new DynamoDbStore({ client: new DynamoDBClient({}), tableName: 'tessera' });
 */
export class DynamoDbStore implements Store {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #clock: Clock;

  constructor(props: DynamoDbStoreProps) {
    this.#client = props.client;
    this.#table = props.tableName;
    this.#clock = props.clock ?? systemClock;
  }

  #now(): number {
    return epochSeconds(this.#clock.now());
  }

  /** Nothing is buffered: every acknowledged write is already in the table. */
  async flush(): Promise<void> {}

  async #get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const answer = await callAws(WHAT, () =>
      this.#client.send(
        new GetItemCommand({ TableName: this.#table, Key: keyItem(key), ConsistentRead: true }),
      ),
    );
    const item = answer.Item;
    return item === undefined || isPurged(item, this.#now()) ? undefined : item;
  }

  /** Runs a conditional write; false when its condition failed. */
  async #conditional(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await callAws(WHAT, write);
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Runs a transaction, retrying conflicts; answers the cancellation reasons, or undefined on success. */
  async #transact(
    items: TransactWriteItem[],
  ): Promise<{ code: string; item: Item | undefined }[] | undefined> {
    for (let round = 0; ; round++) {
      try {
        await callAws(WHAT, () => this.#client.send(new TransactWriteItemsCommand({ TransactItems: items })));
        return undefined;
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        if (!isConflict(err)) return reasonsOf(err);
        if (round + 1 >= MAX_ROUNDS) throw serviceUnavailable(WHAT, err);
        await pause(round);
      }
    }
  }

  async createEcosystem(ecosystem: EcosystemRecord, serverToken: ServerTokenRecord): Promise<boolean> {
    const reasons = await this.#transact([
      {
        Put: {
          TableName: this.#table,
          Item: ecosystemItem(ecosystem),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: this.#table, Item: serverTokenItem(serverToken) } },
    ]);
    if (reasons === undefined) return true;
    if (reasons[0]?.code === 'ConditionalCheckFailed') return false;
    throw new Error(`createEcosystem was cancelled: ${reasons.map((r) => r.code).join(', ')}`);
  }

  async getEcosystem(ecosystemId: string): Promise<EcosystemRecord | undefined> {
    const item = await this.#get(itemKey.ecosystem(ecosystemId));
    return item === undefined ? undefined : ecosystemOf(item);
  }

  async #batchDelete(keys: Item[]): Promise<void> {
    for (let i = 0; i < keys.length; i += BATCH_WRITE_SIZE) {
      let pending: WriteRequest[] = keys
        .slice(i, i + BATCH_WRITE_SIZE)
        .map((Key) => ({ DeleteRequest: { Key } }));
      for (let round = 0; pending.length > 0; round++) {
        if (round >= MAX_ROUNDS) throw serviceUnavailable(WHAT, new Error('unprocessed deletes'));
        if (round > 0) await pause(round);
        const requests = pending;
        const answer = await callAws(WHAT, () =>
          this.#client.send(new BatchWriteItemCommand({ RequestItems: { [this.#table]: requests } })),
        );
        pending = answer.UnprocessedItems?.[this.#table] ?? [];
      }
    }
  }

  /** Deletes the partition's other items first and the ecosystem item last, so a failed delete can be retried. */
  async deleteEcosystem(ecosystemId: string): Promise<boolean> {
    const { pk, sk } = itemKey.ecosystem(ecosystemId);
    // Every key, purged or not: what the ecosystem leaves behind goes with it.
    const keys = await this.#queryAll({ condition: 'pk = :pk', values: { ':pk': s(pk) }, keysOnly: true });
    if (!keys.some((k) => k.sk?.S === sk)) return false;
    await this.#batchDelete(keys.filter((k) => k.sk?.S !== sk));
    return this.#conditional(() =>
      this.#client.send(
        new DeleteItemCommand({
          TableName: this.#table,
          Key: keyItem({ pk, sk }),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  async putServerToken(record: ServerTokenRecord): Promise<void> {
    await callAws(WHAT, () =>
      this.#client.send(new PutItemCommand({ TableName: this.#table, Item: serverTokenItem(record) })),
    );
  }

  async getServerToken(ecosystemId: string, serverTokenId: string): Promise<ServerTokenRecord | undefined> {
    const item = await this.#get(itemKey.serverToken(ecosystemId, serverTokenId));
    return item === undefined ? undefined : serverTokenOf(item);
  }

  async listServerTokens(ecosystemId: string): Promise<ServerTokenRecord[]> {
    const items = await this.#queryAll({
      condition: 'pk = :pk AND begins_with(sk, :prefix)',
      values: { ':pk': s(itemKey.ecosystem(ecosystemId).pk), ':prefix': s(SORT_PREFIX.serverToken) },
    });
    return items.map(serverTokenOf);
  }

  #deleteIfPresent(key: { pk: string; sk: string }): Promise<boolean> {
    return this.#conditional(() =>
      this.#client.send(
        new DeleteItemCommand({
          TableName: this.#table,
          Key: keyItem(key),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  deleteServerToken(ecosystemId: string, serverTokenId: string): Promise<boolean> {
    return this.#deleteIfPresent(itemKey.serverToken(ecosystemId, serverTokenId));
  }

  /** One write: metadata always, the rest only if absent; the old image tells whether it was created. */
  async putUser(user: UserRecord): Promise<{ created: boolean; user: UserRecord }> {
    const answer = await callAws(WHAT, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: keyItem(itemKey.user(user.ecosystemId, user.userId)),
          UpdateExpression:
            'SET metadata = :m, ecosystemId = if_not_exists(ecosystemId, :e), userId = if_not_exists(userId, :u), ' +
            'createdAt = if_not_exists(createdAt, :c), generation = if_not_exists(generation, :g)',
          ExpressionAttributeValues: {
            ':m': s(JSON.stringify(user.metadata)),
            ':e': s(user.ecosystemId),
            ':u': s(user.userId),
            ':c': n(user.createdAt),
            ':g': s(user.generation),
          },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    const old = answer.Attributes;
    if (old === undefined) return { created: true, user: structuredClone(user) };
    return { created: false, user: { ...userOf(old), metadata: structuredClone(user.metadata) } };
  }

  async getUser(ecosystemId: string, userId: string): Promise<UserRecord | undefined> {
    const item = await this.#get(itemKey.user(ecosystemId, userId));
    return item === undefined ? undefined : userOf(item);
  }

  deleteUser(ecosystemId: string, userId: string): Promise<boolean> {
    return this.#deleteIfPresent(itemKey.user(ecosystemId, userId));
  }

  setUserGeneration(ecosystemId: string, userId: string, generation: string): Promise<boolean> {
    return this.#conditional(() =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: keyItem(itemKey.user(ecosystemId, userId)),
          UpdateExpression: 'SET generation = :g',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':g': s(generation) },
        }),
      ),
    );
  }

  async putToken(record: TokenRecord): Promise<void> {
    const stored = await this.#conditional(() =>
      this.#client.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: tokenItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (!stored) throw new Error(`token id collision: ${record.tokenId}`);
  }

  async getToken(tokenId: string): Promise<TokenRecord | undefined> {
    const item = await this.#get(itemKey.token(tokenId));
    return item === undefined ? undefined : tokenOf(item);
  }

  /** One BatchGetItem for the three items (more rounds only for keys DynamoDB hands back unprocessed). */
  async getTokenContext(tokenId: string, ecosystemId: string, userId: string): Promise<TokenContext> {
    const wanted = [
      itemKey.token(tokenId),
      itemKey.user(ecosystemId, userId),
      itemKey.ecosystem(ecosystemId),
    ];
    let pending: Item[] | undefined = wanted.map(keyItem);
    const found: Item[] = [];
    for (let round = 0; pending !== undefined && pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw serviceUnavailable(WHAT, new Error('unprocessed keys'));
      if (round > 0) await pause(round);
      const keys: Item[] = pending;
      const answer = await callAws(WHAT, () =>
        this.#client.send(
          new BatchGetItemCommand({ RequestItems: { [this.#table]: { Keys: keys, ConsistentRead: true } } }),
        ),
      );
      found.push(...(answer.Responses?.[this.#table] ?? []));
      pending = answer.UnprocessedKeys?.[this.#table]?.Keys;
    }
    const now = this.#now();
    const pick = (key: { pk: string; sk: string }) =>
      found.find((item) => item.pk?.S === key.pk && item.sk?.S === key.sk && !isPurged(item, now));
    const [tokenKey, userKey, ecosystemKey] = wanted as [
      (typeof wanted)[0],
      (typeof wanted)[0],
      (typeof wanted)[0],
    ];
    const token = pick(tokenKey);
    const user = pick(userKey);
    const ecosystem = pick(ecosystemKey);
    return {
      token: token === undefined ? undefined : tokenOf(token),
      user: user === undefined ? undefined : userOf(user),
      ecosystem: ecosystem === undefined ? undefined : ecosystemOf(ecosystem),
    };
  }

  /** The touch never revives: it needs the token active, unchanged since read, and not yet past its deadline. */
  touchToken(tokenId: string, previousLastUsedAt: number, lastUsedAt: number, purgeAt: number | null) {
    return this.#conditional(() =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: keyItem(itemKey.token(tokenId)),
          UpdateExpression:
            purgeAt === null ? 'SET lastUsedAt = :l REMOVE purgeAt' : 'SET lastUsedAt = :l, purgeAt = :p',
          ConditionExpression:
            '#status = :active AND lastUsedAt = :prev AND (attribute_not_exists(purgeAt) OR purgeAt > :l)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':l': n(lastUsedAt),
            ':active': s('active'),
            ':prev': n(previousLastUsedAt),
            ...(purgeAt === null ? {} : { ':p': n(purgeAt) }),
          },
        }),
      ),
    );
  }

  /**
   * One transaction: the old token active → rotated (unless past its deadline), the successor put, the
   * family's head moved unless the family was revoked. On failure the old image comes back with the
   * cancellation, so no second read is needed.
   */
  async rotateToken(input: {
    oldTokenId: string;
    rotatedAt: number;
    oldPurgeAt: number | null;
    successor: TokenRecord;
  }): Promise<RotateResult> {
    const { successor, rotatedAt, oldPurgeAt } = input;
    // A refresh keeps the expiry type, so the successor says whether the old token slides.
    const sliding = successor.lastUsedAt !== null;
    const sets = ['#status = :rotated', 'successorId = :successor', 'rotatedAt = :at'];
    if (sliding) sets.push('lastUsedAt = :at');
    if (oldPurgeAt !== null) sets.push('purgeAt = :purge');
    const now = this.#now();
    const reasons = await this.#transact([
      {
        Update: {
          TableName: this.#table,
          Key: keyItem(itemKey.token(input.oldTokenId)),
          UpdateExpression: `SET ${sets.join(', ')}${oldPurgeAt === null ? ' REMOVE purgeAt' : ''}`,
          ConditionExpression: '#status = :active AND (attribute_not_exists(purgeAt) OR purgeAt > :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':rotated': s('rotated'),
            ':successor': s(successor.tokenId),
            ':at': n(rotatedAt),
            ':active': s('active'),
            ':now': n(now),
            ...(oldPurgeAt === null ? {} : { ':purge': n(oldPurgeAt) }),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Put: {
          TableName: this.#table,
          Item: tokenItem(successor),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: this.#table,
          Item: familyItem({
            familyId: successor.familyId,
            headId: successor.tokenId,
            revoked: false,
            purgeAt: successor.purgeAt,
          }),
          ConditionExpression: 'attribute_not_exists(pk) OR revoked = :false OR purgeAt <= :now',
          ExpressionAttributeValues: { ':false': { BOOL: false }, ':now': n(now) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
    if (reasons === undefined) return { ok: true };
    const [old, put, family] = reasons;
    if (put?.code === 'ConditionalCheckFailed') throw new Error(`token id collision: ${successor.tokenId}`);
    const oldItem =
      old?.code === 'ConditionalCheckFailed' ? old.item : await this.#get(itemKey.token(input.oldTokenId));
    const current = oldItem === undefined || isPurged(oldItem, now) ? undefined : tokenOf(oldItem);
    let familyRevoked: boolean;
    if (family?.code === 'ConditionalCheckFailed') familyRevoked = family.item?.revoked?.BOOL === true;
    else {
      const item = await this.#get(itemKey.family(successor.familyId));
      familyRevoked = item !== undefined && familyOf(item).revoked;
    }
    return { ok: false, current, familyRevoked };
  }

  /**
   * Flags the family and revokes its head in one transaction, on condition the head has not moved; a
   * concurrent refresh that moved it makes this round start over with the new head.
   */
  async revokeFamily(familyId: string, memberId: string): Promise<void> {
    const familyKey = itemKey.family(familyId);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.#now();
      const item = await this.#get(familyKey);
      const headId = item === undefined ? memberId : familyOf(item).headId;
      const guard: TransactWriteItem =
        item === undefined
          ? {
              ConditionCheck: {
                TableName: this.#table,
                Key: keyItem(familyKey),
                ConditionExpression: 'attribute_not_exists(pk) OR purgeAt <= :now',
                ExpressionAttributeValues: { ':now': n(now) },
              },
            }
          : {
              Update: {
                TableName: this.#table,
                Key: keyItem(familyKey),
                UpdateExpression: 'SET revoked = :true',
                ConditionExpression: 'headId = :head',
                ExpressionAttributeValues: { ':true': { BOOL: true }, ':head': s(headId) },
              },
            };
      const revokeHead: TransactWriteItem = {
        Update: {
          TableName: this.#table,
          Key: keyItem(itemKey.token(headId)),
          UpdateExpression: 'SET #status = :revoked',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': s('revoked') },
        },
      };
      const reasons = await this.#transact([guard, revokeHead]);
      if (reasons === undefined) return;
      if (reasons[0]?.code === 'ConditionalCheckFailed') continue; // the family appeared or its head moved
      if (reasons[1]?.code !== 'ConditionalCheckFailed') {
        throw new Error(`revokeFamily was cancelled: ${reasons.map((r) => r.code).join(', ')}`);
      }
      // The head is gone (purged): flag the family alone, if there is one.
      if (item === undefined) return;
      const flagged = await this.#conditional(() =>
        this.#client.send(
          new UpdateItemCommand({
            TableName: this.#table,
            Key: keyItem(familyKey),
            UpdateExpression: 'SET revoked = :true',
            ConditionExpression: 'headId = :head',
            ExpressionAttributeValues: { ':true': { BOOL: true }, ':head': s(headId) },
          }),
        ),
      );
      if (flagged) return;
    }
    throw serviceUnavailable(WHAT, new Error('revokeFamily kept racing refreshes'));
  }

  /**
   * Every page of a Query: on the table (strongly consistent) or on the `lists` index (eventually). Items
   * past their purgeAt are left out, as everywhere; `keysOnly` reads just the keys, all of them.
   */
  async #queryAll(input: {
    condition: string;
    values: Item;
    index?: string;
    keysOnly?: boolean;
  }): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await callAws(WHAT, () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: input.index,
            KeyConditionExpression: input.condition,
            ExpressionAttributeValues: input.values,
            ConsistentRead: input.index === undefined,
            ProjectionExpression: input.keysOnly === true ? 'pk, sk' : undefined,
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    if (input.keysOnly === true) return items;
    const now = this.#now();
    return items.filter((item) => !isPurged(item, now));
  }

  /**
   * The items a `lists` partition names: the index holds keys only (so a token's sliding touch never
   * writes to it), then one strongly consistent BatchGetItem per 100 keys reads the items themselves.
   */
  async #listed(listPk: string): Promise<Item[]> {
    const keys = await this.#queryAll({
      index: LIST_INDEX.name,
      condition: `${LIST_INDEX.partitionKey} = :list`,
      values: { ':list': s(listPk) },
    });
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_SIZE) {
      let pending: Item[] | undefined = keys
        .slice(i, i + BATCH_GET_SIZE)
        .map((k) => ({ pk: k.pk as AttributeValue, sk: k.sk as AttributeValue }));
      for (let round = 0; pending !== undefined && pending.length > 0; round++) {
        if (round >= MAX_ROUNDS) throw serviceUnavailable(WHAT, new Error('unprocessed keys'));
        if (round > 0) await pause(round);
        const requested: Item[] = pending;
        const answer = await callAws(WHAT, () =>
          this.#client.send(
            new BatchGetItemCommand({
              RequestItems: { [this.#table]: { Keys: requested, ConsistentRead: true } },
            }),
          ),
        );
        found.push(...(answer.Responses?.[this.#table] ?? []));
        pending = answer.UnprocessedKeys?.[this.#table]?.Keys;
      }
    }
    const now = this.#now();
    const order = new Map(keys.map((k, i) => [`${k.pk?.S}/${k.sk?.S}`, i]));
    return found
      .filter((item) => !isPurged(item, now))
      .sort((a, b) => (order.get(`${a.pk?.S}/${a.sk?.S}`) ?? 0) - (order.get(`${b.pk?.S}/${b.sk?.S}`) ?? 0));
  }

  async listEcosystems(): Promise<EcosystemRecord[]> {
    return (await this.#listed(listKey.ecosystems)).map(ecosystemOf);
  }

  async listUserTokens(ecosystemId: string, userId: string): Promise<TokenRecord[]> {
    return (await this.#listed(listKey.userTokens(ecosystemId, userId))).map(tokenOf);
  }

  /** One transaction: the user's month moves forward (the condition), and both counters go up by one. */
  async markActive(mark: ActivityMark): Promise<boolean> {
    const bump = (key: { pk: string; sk: string }, counter: string): TransactWriteItem => ({
      Update: {
        TableName: this.#table,
        Key: keyItem(key),
        UpdateExpression: 'ADD #c :one SET purgeAt = :purge',
        ExpressionAttributeNames: { '#c': counter },
        ExpressionAttributeValues: { ':one': n(1), ':purge': n(mark.purgeAt) },
      },
    });
    const reasons = await this.#transact([
      {
        Update: {
          TableName: this.#table,
          Key: keyItem(itemKey.user(mark.ecosystemId, mark.userId)),
          UpdateExpression: 'SET lastActiveMonth = :m',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastActiveMonth) OR lastActiveMonth < :m)',
          ExpressionAttributeValues: { ':m': s(mark.month) },
        },
      },
      bump(itemKey.monthUsage(mark.ecosystemId, mark.month), 'activeIdentities'),
      bump(itemKey.dayUsage(mark.ecosystemId, mark.day), `${COUNT_PREFIX}newActiveIdentities`),
    ]);
    if (reasons === undefined) return true;
    if (reasons[0]?.code === 'ConditionalCheckFailed') return false;
    throw new Error(`markActive was cancelled: ${reasons.map((r) => r.code).join(', ')}`);
  }

  /** One UpdateItem: ADD each count to the day item's `n_<name>` attribute. */
  async addUsage(ecosystemId: string, day: string, counts: Record<string, number>, purgeAt: number) {
    const entries = Object.entries(counts).filter(([, amount]) => amount !== 0);
    if (entries.length === 0) return;
    const names: Record<string, string> = {};
    const values: Item = { ':purge': n(purgeAt) };
    const adds = entries.map(([name, amount], i) => {
      names[`#c${i}`] = `${COUNT_PREFIX}${name}`;
      values[`:v${i}`] = n(amount);
      return `#c${i} :v${i}`;
    });
    await callAws(WHAT, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: keyItem(itemKey.dayUsage(ecosystemId, day)),
          UpdateExpression: `ADD ${adds.join(', ')} SET purgeAt = :purge`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
  }

  /** Two Queries of the ecosystem's partition: the day items of the range, the month items it touches. */
  async getUsage(
    ecosystemId: string,
    fromDay: string,
    toDay: string,
  ): Promise<{ days: DayUsageRecord[]; months: MonthUsageRecord[] }> {
    const pk = itemKey.ecosystem(ecosystemId).pk;
    const between = (low: { sk: string }, high: { sk: string }) =>
      this.#queryAll({
        condition: 'pk = :pk AND sk BETWEEN :low AND :high',
        values: { ':pk': s(pk), ':low': s(low.sk), ':high': s(high.sk) },
      });
    const [dayItems, monthItems] = await Promise.all([
      between(itemKey.dayUsage(ecosystemId, fromDay), itemKey.dayUsage(ecosystemId, toDay)),
      between(
        itemKey.monthUsage(ecosystemId, fromDay.slice(0, 7)),
        itemKey.monthUsage(ecosystemId, toDay.slice(0, 7)),
      ),
    ]);
    return {
      days: dayItems.map((item) => ({
        day: (item.sk?.S ?? '').slice(SORT_PREFIX.dayUsage.length),
        counts: countsOf(item),
      })),
      months: monthItems.map((item) => ({
        month: (item.sk?.S ?? '').slice('USAGE#M#'.length),
        activeIdentities: Number(item.activeIdentities?.N ?? 0),
      })),
    };
  }
}
