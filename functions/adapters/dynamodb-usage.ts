// Usage counters in DynamoDB: the first activity of a user in a month (one conditional UpdateItem of the
// user's own item), the day's counters added in one UpdateItem per batch, and a range of days read back
// with one Query. No month item: a month's count is the sum of its days (core/usage-report.ts).
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ActivityMark, DayUsageRecord } from '../core/ports.ts';
import { callAws } from './aws-errors.ts';
import { COUNT_PREFIX, countsOf, type Item, keyItem, n, s } from './dynamodb-items.ts';
import { conditional, queryAll, type StoreTable, WHAT } from './dynamodb-requests.ts';
import { itemKey, SORT_PREFIX } from './dynamodb-table.ts';

/**
 * One UpdateItem of the user's item: its month moves forward, on condition the user exists and was not
 * counted this month yet; false otherwise. Writes only the user's own item, never one the ecosystem shares.
 *
 * @example
 * const counted = await markActive(table, { ecosystemId, userId, month: '2026-11' });
 */
export function markActive(table: StoreTable, mark: ActivityMark): Promise<boolean> {
  return conditional(() =>
    table.client.send(
      new UpdateItemCommand({
        TableName: table.name,
        Key: keyItem(itemKey.user(mark.ecosystemId, mark.userId)),
        UpdateExpression: 'SET lastActiveMonth = :m',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(lastActiveMonth) OR lastActiveMonth < :m)',
        ExpressionAttributeValues: { ':m': s(mark.month) },
      }),
    ),
  );
}

/**
 * One UpdateItem: ADD each count to the day item's `n_<name>` attribute (nothing when every count is 0).
 *
 * @example
 * await addUsage(table, ecosystemId, '2026-11-23', { issued: 1 }, purgeAt);
 */
export async function addUsage(
  table: StoreTable,
  ecosystemId: string,
  day: string,
  counts: Record<string, number>,
  purgeAt: number,
): Promise<void> {
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
    table.client.send(
      new UpdateItemCommand({
        TableName: table.name,
        Key: keyItem(itemKey.dayUsage(ecosystemId, day)),
        UpdateExpression: `ADD ${adds.join(', ')} SET purgeAt = :purge`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    ),
  );
}

/**
 * One Query of the ecosystem's partition: the day items of the range.
 *
 * @example
 * const { days } = await getUsage(table, ecosystemId, '2026-11-01', '2026-11-30');
 */
export async function getUsage(
  table: StoreTable,
  ecosystemId: string,
  fromDay: string,
  toDay: string,
): Promise<{ days: DayUsageRecord[] }> {
  const items = await queryAll(table, {
    condition: 'pk = :pk AND sk BETWEEN :low AND :high',
    values: {
      ':pk': s(itemKey.ecosystem(ecosystemId).pk),
      ':low': s(itemKey.dayUsage(ecosystemId, fromDay).sk),
      ':high': s(itemKey.dayUsage(ecosystemId, toDay).sk),
    },
  });
  return {
    days: items.map((item) => ({
      day: (item.sk?.S ?? '').slice(SORT_PREFIX.dayUsage.length),
      counts: countsOf(item),
    })),
  };
}
