// The DynamoDB requests every part of the store builds on: strongly consistent reads that treat items past
// their TTL attribute as absent, every page of a Query, batches that retry what DynamoDB hands back, and
// conditional writes and transactions that answer why they failed instead of throwing.
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { serviceUnavailable } from '../core/errors.ts';
import { backoff, callAws } from './aws-errors.ts';
import { type Item, isPurged, keyItem } from './dynamodb-items.ts';

/** The name failures are reported under (503 SERVICE_UNAVAILABLE). */
export const WHAT = 'The token store';
/** DynamoDB's BatchGetItem limit. */
const BATCH_GET_SIZE = 100;
/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_SIZE = 25;
/** Rounds for work DynamoDB hands back (unprocessed keys) or a race keeps undoing, before answering 503. */
export const MAX_ROUNDS = 6;

/**
 * What every request needs: the client, the table's name, and the current time that decides which items
 * are past their purgeAt.
 *
 * @example
 * const table: StoreTable = { client, name: 'tessera', now: () => epochSeconds(Date.now()) };
 */
export interface StoreTable {
  readonly client: DynamoDBClient;
  readonly name: string;
  /** Now, in epoch seconds. */
  now(): number;
}

/** One item key, as the table spells it. */
export type ItemKey = { pk: string; sk: string };

/** Why a cancelled transaction failed: one reason a transaction item, in their order. */
export type CancellationReason = { code: string; item: Item | undefined };

/** The reason codes of a cancelled transaction, in the order of its items. */
function reasonsOf(err: TransactionCanceledException): CancellationReason[] {
  return (err.CancellationReasons ?? []).map((r) => ({ code: r.Code ?? 'None', item: r.Item }));
}

/**
 * One strongly consistent GetItem; an item past its purgeAt is absent.
 *
 * @example
 * const item = await getItem(table, itemKey.token(tokenId));
 */
export async function getItem(table: StoreTable, key: ItemKey): Promise<Item | undefined> {
  const answer = await callAws(WHAT, () =>
    table.client.send(new GetItemCommand({ TableName: table.name, Key: keyItem(key), ConsistentRead: true })),
  );
  const item = answer.Item;
  return item === undefined || isPurged(item, table.now()) ? undefined : item;
}

/**
 * Strongly consistent BatchGetItems, one per 100 keys, with more rounds only for keys DynamoDB hands back
 * unprocessed (503 when they keep coming back). Answers the items found, in no particular order, purged or not.
 *
 * @example
 * const found = await batchGetAll(table, [keyItem(itemKey.token(tokenId))]);
 */
export async function batchGetAll(table: StoreTable, keys: Item[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_SIZE) {
    let pending: Item[] | undefined = keys.slice(i, i + BATCH_GET_SIZE);
    for (let round = 0; pending !== undefined && pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw serviceUnavailable(WHAT, new Error('unprocessed keys'));
      if (round > 0) await backoff(round);
      const requested: Item[] = pending;
      const answer = await callAws(WHAT, () =>
        table.client.send(
          new BatchGetItemCommand({
            RequestItems: { [table.name]: { Keys: requested, ConsistentRead: true } },
          }),
        ),
      );
      found.push(...(answer.Responses?.[table.name] ?? []));
      pending = answer.UnprocessedKeys?.[table.name]?.Keys;
    }
  }
  return found;
}

/**
 * Every page of a Query: on the table (strongly consistent) or on an index (eventually). Items past their
 * purgeAt are left out, as everywhere; `keysOnly` reads just the keys, all of them.
 *
 * @example
 * const items = await queryAll(table, { condition: 'pk = :pk', values: { ':pk': s(pk) } });
 */
export async function queryAll(
  table: StoreTable,
  input: { condition: string; values: Item; index?: string; keysOnly?: boolean },
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await callAws(WHAT, () =>
      table.client.send(
        new QueryCommand({
          TableName: table.name,
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
  const now = table.now();
  return items.filter((item) => !isPurged(item, now));
}

/**
 * Deletes the keys with BatchWriteItems of 25, retrying what DynamoDB hands back unprocessed (503 when it
 * keeps coming back).
 *
 * @example
 * await batchDelete(table, keys);
 */
export async function batchDelete(table: StoreTable, keys: Item[]): Promise<void> {
  for (let i = 0; i < keys.length; i += BATCH_WRITE_SIZE) {
    let pending: WriteRequest[] = keys
      .slice(i, i + BATCH_WRITE_SIZE)
      .map((Key) => ({ DeleteRequest: { Key } }));
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw serviceUnavailable(WHAT, new Error('unprocessed deletes'));
      if (round > 0) await backoff(round);
      const requests = pending;
      const answer = await callAws(WHAT, () =>
        table.client.send(new BatchWriteItemCommand({ RequestItems: { [table.name]: requests } })),
      );
      pending = answer.UnprocessedItems?.[table.name] ?? [];
    }
  }
}

/**
 * Runs a conditional write; false when its condition failed.
 *
 * @example
 * const stored = await conditional(() => client.send(new PutItemCommand({ ...put, ConditionExpression })));
 */
export async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await callAws(WHAT, write);
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/**
 * Deletes one item on condition it exists; false when it did not.
 *
 * @example
 * const deleted = await deleteIfPresent(table, itemKey.user(ecosystemId, userId));
 */
export function deleteIfPresent(table: StoreTable, key: ItemKey): Promise<boolean> {
  return conditional(() =>
    table.client.send(
      new DeleteItemCommand({
        TableName: table.name,
        Key: keyItem(key),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    ),
  );
}

/**
 * Runs a transaction; answers the cancellation reasons, or undefined on success. A cancellation for a
 * conflict or throttling is retried by callAws and becomes 503 when it persists, so the reasons answered
 * here are the domain's (ConditionalCheckFailed) or a bug's.
 *
 * @example
 * const reasons = await transact(table, [put, update]);
 * if (reasons?.[0]?.code === 'ConditionalCheckFailed') return false;
 */
export async function transact(
  table: StoreTable,
  items: TransactWriteItem[],
): Promise<CancellationReason[] | undefined> {
  try {
    await callAws(WHAT, () => table.client.send(new TransactWriteItemsCommand({ TransactItems: items })));
    return undefined;
  } catch (err) {
    if (err instanceof TransactionCanceledException) return reasonsOf(err);
    throw err;
  }
}
