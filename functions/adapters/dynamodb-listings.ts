// Listings without a Scan: the `lists` index names the items of a listing (keys only, so a token's sliding
// touch never writes to it), and strongly consistent batch reads fetch the items themselves.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { EcosystemRecord, TokenRecord } from '../core/ports.ts';
import { ecosystemOf, type Item, isPurged, s, tokenOf } from './dynamodb-items.ts';
import { batchGetAll, queryAll, type StoreTable } from './dynamodb-requests.ts';
import { LIST_INDEX, listKey } from './dynamodb-table.ts';

/**
 * The items a `lists` partition names, in the index's order: one Query of the index (eventually
 * consistent), then one strongly consistent BatchGetItem per 100 keys; items past their purgeAt are left out.
 */
async function listed(table: StoreTable, listPk: string): Promise<Item[]> {
  const keys = await queryAll(table, {
    index: LIST_INDEX.name,
    condition: `${LIST_INDEX.partitionKey} = :list`,
    values: { ':list': s(listPk) },
  });
  const found = await batchGetAll(
    table,
    keys.map((k) => ({ pk: k.pk as AttributeValue, sk: k.sk as AttributeValue })),
  );
  const now = table.now();
  const order = new Map(keys.map((k, i) => [`${k.pk?.S}/${k.sk?.S}`, i]));
  return found
    .filter((item) => !isPurged(item, now))
    .sort((a, b) => (order.get(`${a.pk?.S}/${a.sk?.S}`) ?? 0) - (order.get(`${b.pk?.S}/${b.sk?.S}`) ?? 0));
}

/**
 * Every ecosystem, oldest first.
 *
 * @example
 * const ecosystems = await listEcosystems(table);
 */
export async function listEcosystems(table: StoreTable): Promise<EcosystemRecord[]> {
  return (await listed(table, listKey.ecosystems)).map(ecosystemOf);
}

/**
 * The user's token records still on file (not past purgeAt), whatever their status.
 *
 * @example
 * const tokens = await listUserTokens(table, ecosystemId, userId);
 */
export async function listUserTokens(
  table: StoreTable,
  ecosystemId: string,
  userId: string,
): Promise<TokenRecord[]> {
  return (await listed(table, listKey.userTokens(ecosystemId, userId))).map(tokenOf);
}
