// Refresh rotation and family revocation in DynamoDB: transactions whose conditions keep a token family
// from forking (two successors) or from being revived once revoked, whatever the interleaving.
import { type TransactWriteItem, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { serviceUnavailable } from '../core/errors.ts';
import type { RotateResult, TokenRecord, TokenReuse } from '../core/ports.ts';
import {
  familyItem,
  familyOf,
  isPurged,
  keyItem,
  n,
  reuseAttributes,
  s,
  tokenItem,
  tokenOf,
} from './dynamodb-items.ts';
import { conditional, getItem, MAX_ROUNDS, type StoreTable, transact, WHAT } from './dynamodb-requests.ts';
import { itemKey } from './dynamodb-table.ts';

/**
 * One transaction: the old token active → rotated (unless past its deadline, or re-homed into another
 * generation since it was read), the successor put, the family's head moved unless the family was revoked.
 * On failure the old image comes back with the cancellation, so no second read is needed.
 *
 * @example
 * const result = await rotateToken(table, { oldTokenId, rotatedAt: now, oldPurgeAt, successor });
 * if (!result.ok && result.familyRevoked) await revokeFamily(table, successor.familyId, oldTokenId);
 */
export async function rotateToken(
  table: StoreTable,
  input: { oldTokenId: string; rotatedAt: number; oldPurgeAt: number | null; successor: TokenRecord },
): Promise<RotateResult> {
  const { successor, rotatedAt, oldPurgeAt } = input;
  // A refresh keeps the expiry type, so the successor says whether the old token slides.
  const sliding = successor.lastUsedAt !== null;
  const sets = ['#status = :rotated', 'successorId = :successor', 'rotatedAt = :at'];
  if (sliding) sets.push('lastUsedAt = :at');
  if (oldPurgeAt !== null) sets.push('purgeAt = :purge');
  const now = table.now();
  const reasons = await transact(table, [
    {
      Update: {
        TableName: table.name,
        Key: keyItem(itemKey.token(input.oldTokenId)),
        UpdateExpression: `SET ${sets.join(', ')}${oldPurgeAt === null ? ' REMOVE purgeAt' : ''}`,
        // The generation too: a revoke-others that re-homed the old token since it was read must win.
        ConditionExpression:
          '#status = :active AND userGeneration = :generation AND (attribute_not_exists(purgeAt) OR purgeAt > :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':rotated': s('rotated'),
          ':generation': s(successor.userGeneration),
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
        TableName: table.name,
        Item: tokenItem(successor),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: table.name,
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
    old?.code === 'ConditionalCheckFailed' ? old.item : await getItem(table, itemKey.token(input.oldTokenId));
  const current = oldItem === undefined || isPurged(oldItem, now) ? undefined : tokenOf(oldItem);
  let familyRevoked: boolean;
  if (family?.code === 'ConditionalCheckFailed') familyRevoked = family.item?.revoked?.BOOL === true;
  else {
    const item = await getItem(table, itemKey.family(successor.familyId));
    familyRevoked = item !== undefined && familyOf(item).revoked;
  }
  return { ok: false, current, familyRevoked };
}

/**
 * Flags the family and revokes its head in one transaction, on condition the head has not moved; a
 * concurrent refresh that moved it makes this round start over with the new head. A reuse is set on the
 * head in the same update, so the stream record of the revocation carries it (the token.reused event).
 *
 * @example
 * await revokeFamily(table, token.familyId, token.tokenId);
 */
export async function revokeFamily(
  table: StoreTable,
  familyId: string,
  memberId: string,
  reuse?: TokenReuse,
): Promise<void> {
  const familyKey = itemKey.family(familyId);
  const reuseValues = reuse === undefined ? {} : reuseAttributes(reuse);
  const reuseSets = Object.keys(reuseValues).map((name) => `, ${name} = :${name}`);
  const reuseParams = Object.fromEntries(Object.entries(reuseValues).map(([k, v]) => [`:${k}`, v]));
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = table.now();
    const item = await getItem(table, familyKey);
    const headId = item === undefined ? memberId : familyOf(item).headId;
    const guard: TransactWriteItem =
      item === undefined
        ? {
            ConditionCheck: {
              TableName: table.name,
              Key: keyItem(familyKey),
              ConditionExpression: 'attribute_not_exists(pk) OR purgeAt <= :now',
              ExpressionAttributeValues: { ':now': n(now) },
            },
          }
        : {
            Update: {
              TableName: table.name,
              Key: keyItem(familyKey),
              UpdateExpression: 'SET revoked = :true',
              ConditionExpression: 'headId = :head',
              ExpressionAttributeValues: { ':true': { BOOL: true }, ':head': s(headId) },
            },
          };
    const revokeHead: TransactWriteItem = {
      Update: {
        TableName: table.name,
        Key: keyItem(itemKey.token(headId)),
        UpdateExpression: `SET #status = :revoked${reuseSets.join('')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':revoked': s('revoked'), ...reuseParams },
      },
    };
    const reasons = await transact(table, [guard, revokeHead]);
    if (reasons === undefined) return;
    if (reasons[0]?.code === 'ConditionalCheckFailed') continue; // the family appeared or its head moved
    if (reasons[1]?.code !== 'ConditionalCheckFailed') {
      throw new Error(`revokeFamily was cancelled: ${reasons.map((r) => r.code).join(', ')}`);
    }
    // The head is gone (purged): flag the family alone, if there is one.
    if (item === undefined) return;
    const flagged = await conditional(() =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.name,
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
