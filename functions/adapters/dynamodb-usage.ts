// Usage counters in DynamoDB: the first activity of a user in a month (counted once, by a conditional
// transaction), the day's counters added in one UpdateItem, and the range read back with two Queries.
import { type TransactWriteItem, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ActivityMark, DayUsageRecord, MonthUsageRecord } from '../core/ports.ts';
import { callAws } from './aws-errors.ts';
import { COUNT_PREFIX, countsOf, type Item, keyItem, n, s } from './dynamodb-items.ts';
import { type ItemKey, queryAll, type StoreTable, transact, WHAT } from './dynamodb-requests.ts';
import { itemKey, SORT_PREFIX } from './dynamodb-table.ts';

/**
 * One transaction: the user's month moves forward (the condition), and both counters go up by one; false
 * when the user is absent or already counted this month.
 *
 * @example
 * const counted = await markActive(table, { ecosystemId, userId, month: '2026-11', day: '2026-11-23', purgeAt });
 */
export async function markActive(table: StoreTable, mark: ActivityMark): Promise<boolean> {
  const bump = (key: ItemKey, counter: string): TransactWriteItem => ({
    Update: {
      TableName: table.name,
      Key: keyItem(key),
      UpdateExpression: 'ADD #c :one SET purgeAt = :purge',
      ExpressionAttributeNames: { '#c': counter },
      ExpressionAttributeValues: { ':one': n(1), ':purge': n(mark.purgeAt) },
    },
  });
  const reasons = await transact(table, [
    {
      Update: {
        TableName: table.name,
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
 * Two Queries of the ecosystem's partition: the day items of the range, the month items it touches.
 *
 * @example
 * const { days, months } = await getUsage(table, ecosystemId, '2026-11-01', '2026-11-30');
 */
export async function getUsage(
  table: StoreTable,
  ecosystemId: string,
  fromDay: string,
  toDay: string,
): Promise<{ days: DayUsageRecord[]; months: MonthUsageRecord[] }> {
  const pk = itemKey.ecosystem(ecosystemId).pk;
  const between = (low: { sk: string }, high: { sk: string }) =>
    queryAll(table, {
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
