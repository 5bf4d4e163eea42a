// Ecosystem-wide revocations in DynamoDB: one item each in the ecosystem's partition (ECO#REV#<id>), and on
// the ecosystem's own item their summary: the latest issuedBefore (`revokedBefore`), their count and a
// version. Verify's one GetItem of the ecosystem item therefore reads the revocation in effect, however many
// there are, and needs no Query. Each create or undo writes the revocation and the summary in one
// transaction conditioned on the version it read, so concurrent changes never leave `revokedBefore` naming
// anything but the latest of the records on file: a loser reads again and retries.
//
// The version is read with GetItem, which is serializable with transactions, before the records are
// queried (a Query is only read-committed: it may see part of a concurrent transaction); a transaction that
// commits in between moves the version, and this one then fails its condition.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-isolation
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { serviceUnavailable } from '../core/errors.ts';
import type { EcosystemState, RevocationRecord, RevocationWrite } from '../core/ports.ts';
import { backoff } from './aws-errors.ts';
import {
  ecosystemOf,
  type Item,
  keyItem,
  n,
  optNum,
  revocationItem,
  revocationOf,
  s,
} from './dynamodb-items.ts';
import { getItem, queryAll, type StoreTable, transact, WHAT } from './dynamodb-requests.ts';
import { itemKey, SORT_PREFIX } from './dynamodb-table.ts';

/** Rounds a create or undo may lose to concurrent ones of the same ecosystem before answering 503. */
const ROUNDS = 10;

/**
 * The ecosystem with the latest issuedBefore of its revocations: one strongly consistent GetItem.
 *
 * @example
 * const { ecosystem, revokedBefore } = await getEcosystemState(table, ecosystemId);
 */
export async function getEcosystemState(table: StoreTable, ecosystemId: string): Promise<EcosystemState> {
  const item = await getItem(table, itemKey.ecosystem(ecosystemId));
  if (item === undefined) return { ecosystem: undefined, revokedBefore: null };
  return { ecosystem: ecosystemOf(item), revokedBefore: optNum(item, 'revokedBefore') };
}

/**
 * The ecosystem's revocations: one Query of its partition's revocation items.
 *
 * @example
 * const records = await listRevocations(table, ecosystemId);
 */
export async function listRevocations(table: StoreTable, ecosystemId: string): Promise<RevocationRecord[]> {
  const items = await queryAll(table, {
    condition: 'pk = :pk AND begins_with(sk, :prefix)',
    values: { ':pk': s(itemKey.ecosystem(ecosystemId).pk), ':prefix': s(SORT_PREFIX.revocation) },
  });
  return items.map(revocationOf);
}

/** The summary's new values on the ecosystem item, on condition its version is still the one read. */
function summaryUpdate(
  table: StoreTable,
  ecosystemId: string,
  ecosystem: Item,
  revokedBefore: number | null,
  count: number,
): TransactWriteItem {
  const version = optNum(ecosystem, 'revocationVersion') ?? 0;
  const sets = ['revocationCount = :count', 'revocationVersion = :next'];
  if (revokedBefore !== null) sets.push('revokedBefore = :before');
  return {
    Update: {
      TableName: table.name,
      Key: keyItem(itemKey.ecosystem(ecosystemId)),
      UpdateExpression: `SET ${sets.join(', ')}${revokedBefore === null ? ' REMOVE revokedBefore' : ''}`,
      ConditionExpression:
        version === 0
          ? 'attribute_exists(pk) AND attribute_not_exists(revocationVersion)'
          : 'revocationVersion = :version',
      ExpressionAttributeValues: {
        ':count': n(count),
        ':next': n(version + 1),
        ...(version === 0 ? {} : { ':version': n(version) }),
        ...(revokedBefore === null ? {} : { ':before': n(revokedBefore) }),
      },
    },
  };
}

const conditionFailed = (reason: { code: string } | undefined) => reason?.code === 'ConditionalCheckFailed';

/**
 * Stores the revocation and moves the summary to include it, unless the ecosystem is gone or already holds
 * `limit` revocations.
 *
 * @example
 * const written = await createRevocation(table, record, 100); // 'created'
 */
export async function createRevocation(
  table: StoreTable,
  record: RevocationRecord,
  limit: number,
): Promise<RevocationWrite> {
  const ecosystemKey = itemKey.ecosystem(record.ecosystemId);
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) await backoff(Math.min(round, 4)); // jittered, at most 400 ms
    const ecosystem = await getItem(table, ecosystemKey);
    if (ecosystem === undefined) return 'no-ecosystem';
    const count = optNum(ecosystem, 'revocationCount') ?? 0;
    if (count >= limit) return 'limit-reached';
    const current = optNum(ecosystem, 'revokedBefore');
    const latest = current === null ? record.issuedBefore : Math.max(current, record.issuedBefore);
    const reasons = await transact(table, [
      {
        Put: {
          TableName: table.name,
          Item: revocationItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      summaryUpdate(table, record.ecosystemId, ecosystem, latest, count + 1),
    ]);
    if (reasons === undefined) return 'created';
    if (conditionFailed(reasons[0])) throw new Error(`revocation id collision: ${record.revocationId}`);
    if (!conditionFailed(reasons[1])) {
      throw new Error(`createRevocation was cancelled: ${reasons.map((r) => r.code).join(', ')}`);
    }
    // Another change of this ecosystem's revocations (or its deletion) came first: read again.
  }
  throw serviceUnavailable(WHAT, new Error('createRevocation kept racing other revocation changes'));
}

/**
 * Removes the revocation and moves the summary to the latest of the rest; false when there was none (or
 * its ecosystem is gone).
 *
 * @example
 * const deleted = await deleteRevocation(table, ecosystemId, revocationId);
 */
export async function deleteRevocation(
  table: StoreTable,
  ecosystemId: string,
  revocationId: string,
): Promise<boolean> {
  const ecosystemKey = itemKey.ecosystem(ecosystemId);
  for (let round = 0; round < ROUNDS; round++) {
    if (round > 0) await backoff(Math.min(round, 4)); // jittered, at most 400 ms
    const ecosystem = await getItem(table, ecosystemKey);
    if (ecosystem === undefined) return false;
    const records = await listRevocations(table, ecosystemId);
    if (!records.some((r) => r.revocationId === revocationId)) return false;
    const rest = records.filter((r) => r.revocationId !== revocationId);
    const latest = rest.length === 0 ? null : Math.max(...rest.map((r) => r.issuedBefore));
    const reasons = await transact(table, [
      {
        Delete: {
          TableName: table.name,
          Key: keyItem(itemKey.revocation(ecosystemId, revocationId)),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      summaryUpdate(table, ecosystemId, ecosystem, latest, rest.length),
    ]);
    if (reasons === undefined) return true;
    if (!conditionFailed(reasons[0]) && !conditionFailed(reasons[1])) {
      throw new Error(`deleteRevocation was cancelled: ${reasons.map((r) => r.code).join(', ')}`);
    }
    // Undone meanwhile, or another change came first: the next round reads again and decides.
  }
  throw serviceUnavailable(WHAT, new Error('deleteRevocation kept racing other revocation changes'));
}
