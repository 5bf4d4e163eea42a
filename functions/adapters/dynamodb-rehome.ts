// Signing a user out everywhere but one family, in DynamoDB (ports.ts `rehomeFamily`, core/revoke-others.ts):
// one transaction moves the user to a new generation and re-homes the family's head into it, on condition
// that the user is still of the old generation, the head still active in it, and still the head. A refresh
// that moved the head meanwhile makes the round start over with the new head, as revokeFamily does.
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { serviceUnavailable } from '../core/errors.ts';
import type { RehomeFamilyInput } from '../core/ports.ts';
import { familyOf, keyItem, n, s } from './dynamodb-items.ts';
import { getItem, MAX_ROUNDS, type StoreTable, transact, WHAT } from './dynamodb-requests.ts';
import { itemKey } from './dynamodb-table.ts';

const conditionFailed = (reason: { code: string } | undefined) => reason?.code === 'ConditionalCheckFailed';

/**
 * The user's generation from `fromGeneration` to `toGeneration`, with the family's head re-homed into the
 * new one; false, with nothing written, when the user or the head no longer allow it.
 *
 * @example
 * const moved = await rehomeFamily(table, { ecosystemId, userId, familyId, memberId, fromGeneration, toGeneration });
 */
export async function rehomeFamily(table: StoreTable, input: RehomeFamilyInput): Promise<boolean> {
  const familyKey = itemKey.family(input.familyId);
  const generations = { ':from': s(input.fromGeneration), ':to': s(input.toGeneration) };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = table.now();
    const item = await getItem(table, familyKey);
    const family = item === undefined ? undefined : familyOf(item);
    if (family?.revoked === true) return false;
    const headId = family?.headId ?? input.memberId;
    // The family as read: still not on record (never rotated), or still with this head and not revoked.
    const guard: TransactWriteItem = {
      ConditionCheck: {
        TableName: table.name,
        Key: keyItem(familyKey),
        ...(family === undefined
          ? {
              ConditionExpression: 'attribute_not_exists(pk) OR purgeAt <= :now',
              ExpressionAttributeValues: { ':now': n(now) },
            }
          : {
              ConditionExpression: 'headId = :head AND revoked = :false',
              ExpressionAttributeValues: { ':head': s(headId), ':false': { BOOL: false } },
            }),
      },
    };
    const user: TransactWriteItem = {
      Update: {
        TableName: table.name,
        Key: keyItem(itemKey.user(input.ecosystemId, input.userId)),
        UpdateExpression: 'SET generation = :to',
        ConditionExpression: 'generation = :from',
        ExpressionAttributeValues: generations,
      },
    };
    const head: TransactWriteItem = {
      Update: {
        TableName: table.name,
        Key: keyItem(itemKey.token(headId)),
        UpdateExpression: 'SET userGeneration = :to',
        ConditionExpression:
          '#status = :active AND userGeneration = :from AND (attribute_not_exists(purgeAt) OR purgeAt > :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...generations, ':active': s('active'), ':now': n(now) },
      },
    };
    const reasons = await transact(table, [guard, user, head]);
    if (reasons === undefined) return true;
    if (conditionFailed(reasons[0])) continue; // the family appeared, its head moved, or it was revoked
    if (conditionFailed(reasons[1]) || conditionFailed(reasons[2])) return false;
    throw new Error(`rehomeFamily was cancelled: ${reasons.map((r) => r.code).join(', ')}`);
  }
  throw serviceUnavailable(WHAT, new Error('rehomeFamily kept racing refreshes'));
}
