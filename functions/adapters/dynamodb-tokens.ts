// User tokens in DynamoDB: put and read them (alone or with their user) and the sliding
// touch, every write conditional so no race revives or loses a token. Rotation is in dynamodb-rotation.ts.
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { TokenContext, TokenRecord } from '../core/ports.ts';
import { isPurged, keyItem, n, s, tokenItem, tokenOf, userOf } from './dynamodb-items.ts';
import { batchGetAll, conditional, getItem, type ItemKey, type StoreTable } from './dynamodb-requests.ts';
import { itemKey } from './dynamodb-table.ts';

/**
 * Stores a new token, on condition its id is new (a collision is a bug, not a 4xx).
 *
 * @example
 * await putToken(table, record);
 */
export async function putToken(table: StoreTable, record: TokenRecord): Promise<void> {
  const stored = await conditional(() =>
    table.client.send(
      new PutItemCommand({
        TableName: table.name,
        Item: tokenItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
  if (!stored) throw new Error(`token id collision: ${record.tokenId}`);
}

/**
 * The token on file, undefined once past its purgeAt.
 *
 * @example
 * const token = await getToken(table, tokenId);
 */
export async function getToken(table: StoreTable, tokenId: string): Promise<TokenRecord | undefined> {
  const item = await getItem(table, itemKey.token(tokenId));
  return item === undefined ? undefined : tokenOf(item);
}

/**
 * The token and its user in one strongly consistent BatchGetItem (more rounds only for keys DynamoDB hands
 * back unprocessed). Both items are the token's and the user's own: no item an ecosystem shares.
 *
 * @example
 * const { token, user } = await getTokenContext(table, tokenId, ecosystemId, userId);
 */
export async function getTokenContext(
  table: StoreTable,
  tokenId: string,
  ecosystemId: string,
  userId: string,
): Promise<TokenContext> {
  const wanted = [itemKey.token(tokenId), itemKey.user(ecosystemId, userId)];
  const found = await batchGetAll(table, wanted.map(keyItem));
  const now = table.now();
  const pick = (key: ItemKey) =>
    found.find((item) => item.pk?.S === key.pk && item.sk?.S === key.sk && !isPurged(item, now));
  const [tokenKey, userKey] = wanted as [ItemKey, ItemKey];
  const token = pick(tokenKey);
  const user = pick(userKey);
  return {
    token: token === undefined ? undefined : tokenOf(token),
    user: user === undefined ? undefined : userOf(user),
  };
}

/**
 * The sliding touch. It never revives: it needs the token active, unchanged since read, and not yet past
 * its deadline; false when any of that no longer holds.
 *
 * @example
 * const touched = await touchToken(table, tokenId, token.lastUsedAt, now, now + ttl);
 */
export function touchToken(
  table: StoreTable,
  tokenId: string,
  previousLastUsedAt: number,
  lastUsedAt: number,
  purgeAt: number | null,
): Promise<boolean> {
  return conditional(() =>
    table.client.send(
      new UpdateItemCommand({
        TableName: table.name,
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
