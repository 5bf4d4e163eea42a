// Ecosystems, their server tokens and their users in DynamoDB: each ecosystem is one partition, created
// with its first server token in one transaction and deleted with everything it holds.
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { EcosystemRecord, ServerTokenRecord, UserRecord } from '../core/ports.ts';
import { callAws } from './aws-errors.ts';
import {
  ecosystemItem,
  ecosystemOf,
  keyItem,
  n,
  s,
  serverTokenItem,
  serverTokenOf,
  userOf,
} from './dynamodb-items.ts';
import {
  batchDelete,
  conditional,
  deleteIfPresent,
  getItem,
  queryAll,
  type StoreTable,
  transact,
  WHAT,
} from './dynamodb-requests.ts';
import { itemKey, SORT_PREFIX } from './dynamodb-table.ts';

/**
 * The ecosystem and its first server token in one transaction; false when the ecosystem already exists.
 *
 * @example
 * const created = await createEcosystem(table, ecosystem, serverToken);
 */
export async function createEcosystem(
  table: StoreTable,
  ecosystem: EcosystemRecord,
  serverToken: ServerTokenRecord,
): Promise<boolean> {
  const reasons = await transact(table, [
    {
      Put: {
        TableName: table.name,
        Item: ecosystemItem(ecosystem),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName: table.name, Item: serverTokenItem(serverToken) } },
  ]);
  if (reasons === undefined) return true;
  if (reasons[0]?.code === 'ConditionalCheckFailed') return false;
  throw new Error(`createEcosystem was cancelled: ${reasons.map((r) => r.code).join(', ')}`);
}

/**
 * The ecosystem on file, or undefined.
 *
 * @example
 * const ecosystem = await getEcosystem(table, ecosystemId);
 */
export async function getEcosystem(
  table: StoreTable,
  ecosystemId: string,
): Promise<EcosystemRecord | undefined> {
  const item = await getItem(table, itemKey.ecosystem(ecosystemId));
  return item === undefined ? undefined : ecosystemOf(item);
}

/**
 * Deletes the partition's other items first and the ecosystem item last, so a failed delete can be retried;
 * false when there was no such ecosystem.
 *
 * @example
 * const deleted = await deleteEcosystem(table, ecosystemId);
 */
export async function deleteEcosystem(table: StoreTable, ecosystemId: string): Promise<boolean> {
  const { pk, sk } = itemKey.ecosystem(ecosystemId);
  // Every key, purged or not: what the ecosystem leaves behind goes with it.
  const keys = await queryAll(table, { condition: 'pk = :pk', values: { ':pk': s(pk) }, keysOnly: true });
  if (!keys.some((k) => k.sk?.S === sk)) return false;
  await batchDelete(
    table,
    keys.filter((k) => k.sk?.S !== sk),
  );
  return deleteIfPresent(table, { pk, sk });
}

/**
 * Stores a server token, replacing one of the same id.
 *
 * @example
 * await putServerToken(table, record);
 */
export async function putServerToken(table: StoreTable, record: ServerTokenRecord): Promise<void> {
  await callAws(WHAT, () =>
    table.client.send(new PutItemCommand({ TableName: table.name, Item: serverTokenItem(record) })),
  );
}

/**
 * The server token on file, or undefined.
 *
 * @example
 * const serverToken = await getServerToken(table, ecosystemId, serverTokenId);
 */
export async function getServerToken(
  table: StoreTable,
  ecosystemId: string,
  serverTokenId: string,
): Promise<ServerTokenRecord | undefined> {
  const item = await getItem(table, itemKey.serverToken(ecosystemId, serverTokenId));
  return item === undefined ? undefined : serverTokenOf(item);
}

/**
 * The ecosystem's server tokens: one Query of its partition.
 *
 * @example
 * const serverTokens = await listServerTokens(table, ecosystemId);
 */
export async function listServerTokens(table: StoreTable, ecosystemId: string): Promise<ServerTokenRecord[]> {
  const items = await queryAll(table, {
    condition: 'pk = :pk AND begins_with(sk, :prefix)',
    values: { ':pk': s(itemKey.ecosystem(ecosystemId).pk), ':prefix': s(SORT_PREFIX.serverToken) },
  });
  return items.map(serverTokenOf);
}

/**
 * Deletes the server token; false when there was none.
 *
 * @example
 * const deleted = await deleteServerToken(table, ecosystemId, serverTokenId);
 */
export function deleteServerToken(
  table: StoreTable,
  ecosystemId: string,
  serverTokenId: string,
): Promise<boolean> {
  return deleteIfPresent(table, itemKey.serverToken(ecosystemId, serverTokenId));
}

/**
 * One write: metadata always, the rest only if absent; the old image tells whether it was created.
 *
 * @example
 * const { created, user: stored } = await putUser(table, user);
 */
export async function putUser(
  table: StoreTable,
  user: UserRecord,
): Promise<{ created: boolean; user: UserRecord }> {
  const answer = await callAws(WHAT, () =>
    table.client.send(
      new UpdateItemCommand({
        TableName: table.name,
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

/**
 * The user on file, or undefined.
 *
 * @example
 * const user = await getUser(table, ecosystemId, userId);
 */
export async function getUser(
  table: StoreTable,
  ecosystemId: string,
  userId: string,
): Promise<UserRecord | undefined> {
  const item = await getItem(table, itemKey.user(ecosystemId, userId));
  return item === undefined ? undefined : userOf(item);
}

/**
 * Deletes the user; false when there was none.
 *
 * @example
 * const deleted = await deleteUser(table, ecosystemId, userId);
 */
export function deleteUser(table: StoreTable, ecosystemId: string, userId: string): Promise<boolean> {
  return deleteIfPresent(table, itemKey.user(ecosystemId, userId));
}

/**
 * Sets the user's token generation (which revokes every token of an older one); false when no such user.
 *
 * @example
 * const found = await setUserGeneration(table, ecosystemId, userId, newGeneration);
 */
export function setUserGeneration(
  table: StoreTable,
  ecosystemId: string,
  userId: string,
  generation: string,
): Promise<boolean> {
  return conditional(() =>
    table.client.send(
      new UpdateItemCommand({
        TableName: table.name,
        Key: keyItem(itemKey.user(ecosystemId, userId)),
        UpdateExpression: 'SET generation = :g',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':g': s(generation) },
      }),
    ),
  );
}
