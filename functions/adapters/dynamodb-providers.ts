// The Providers port in DynamoDB: each provider is an item of its ecosystem's partition (sk PROV#<id>), so
// deleting the ecosystem deletes it with the rest (dynamodb-ecosystems.ts deletes the whole partition), and
// every write checks the ecosystem item in the same transaction, so no provider outlives a concurrent
// ecosystem deletion. The settings are one JSON attribute; the secret is only ever there sealed.

import { serviceUnavailable } from '../core/errors.ts';
import type { ProviderRecord, ProviderSettings } from '../core/ports.ts';
import { type Item, keyItem, n, s } from './dynamodb-items.ts';
import {
  deleteIfPresent,
  getItem,
  MAX_ROUNDS,
  queryAll,
  type StoreTable,
  transact,
  WHAT,
} from './dynamodb-requests.ts';
import { itemKey, SORT_PREFIX } from './dynamodb-table.ts';

function providerItem(record: ProviderRecord): Item {
  return {
    ...keyItem(itemKey.provider(record.ecosystemId, record.providerId)),
    ecosystemId: s(record.ecosystemId),
    providerId: s(record.providerId),
    type: s(record.settings.type),
    settings: s(JSON.stringify(record.settings)),
    sealedSecret: s(record.sealedSecret),
    createdAt: n(record.createdAt),
  };
}

function providerOf(item: Item): ProviderRecord {
  const text = (name: string) => {
    const value = item[name]?.S;
    if (value === undefined) throw new Error(`provider item ${item.sk?.S} has no ${name}`);
    return value;
  };
  return {
    ecosystemId: text('ecosystemId'),
    providerId: text('providerId'),
    settings: JSON.parse(text('settings')) as ProviderSettings,
    sealedSecret: text('sealedSecret'),
    createdAt: Number(item.createdAt?.N ?? Number.NaN),
  };
}

/** The condition every provider write carries: its ecosystem still exists. */
function ecosystemExists(table: StoreTable, ecosystemId: string) {
  return {
    ConditionCheck: {
      TableName: table.name,
      Key: keyItem(itemKey.ecosystem(ecosystemId)),
      ConditionExpression: 'attribute_exists(pk)',
    },
  };
}

/**
 * Creates the provider, or replaces it keeping its createdAt: a create conditioned on absence, whose failure
 * hands back the stored item, then a replace conditioned on presence. A delete between the two starts over.
 * Undefined when the ecosystem does not exist.
 *
 * @example
 * const put = await putProvider(table, record); // { created: true, provider } | undefined
 */
export async function putProvider(
  table: StoreTable,
  record: ProviderRecord,
): Promise<{ created: boolean; provider: ProviderRecord } | undefined> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const created = await transact(table, [
      ecosystemExists(table, record.ecosystemId),
      {
        Put: {
          TableName: table.name,
          Item: providerItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
    if (created === undefined) return { created: true, provider: structuredClone(record) };
    if (created[0]?.code === 'ConditionalCheckFailed') return undefined;
    const stored = created[1]?.item;
    if (created[1]?.code !== 'ConditionalCheckFailed' || stored === undefined) {
      throw new Error(`putProvider was cancelled: ${created.map((r) => r.code).join(', ')}`);
    }
    const replacement = { ...structuredClone(record), createdAt: providerOf(stored).createdAt };
    const replaced = await transact(table, [
      ecosystemExists(table, record.ecosystemId),
      {
        Put: {
          TableName: table.name,
          Item: providerItem(replacement),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ]);
    if (replaced === undefined) return { created: false, provider: replacement };
    if (replaced[0]?.code === 'ConditionalCheckFailed') return undefined;
  }
  throw serviceUnavailable(WHAT, new Error('provider writes kept racing a delete'));
}

/**
 * The provider on file, or undefined.
 *
 * @example
 * const provider = await getProvider(table, ecosystemId, providerId);
 */
export async function getProvider(
  table: StoreTable,
  ecosystemId: string,
  providerId: string,
): Promise<ProviderRecord | undefined> {
  const item = await getItem(table, itemKey.provider(ecosystemId, providerId));
  return item === undefined ? undefined : providerOf(item);
}

/**
 * The ecosystem's providers in providerId order: one Query of its partition, which DynamoDB answers in
 * sort-key order.
 *
 * @example
 * const providers = await listProviders(table, ecosystemId);
 */
export async function listProviders(table: StoreTable, ecosystemId: string): Promise<ProviderRecord[]> {
  const items = await queryAll(table, {
    condition: 'pk = :pk AND begins_with(sk, :prefix)',
    values: { ':pk': s(itemKey.ecosystem(ecosystemId).pk), ':prefix': s(SORT_PREFIX.provider) },
  });
  return items.map(providerOf);
}

/**
 * Deletes the provider; false when there was none.
 *
 * @example
 * const deleted = await deleteProvider(table, ecosystemId, providerId);
 */
export function deleteProvider(table: StoreTable, ecosystemId: string, providerId: string): Promise<boolean> {
  return deleteIfPresent(table, itemKey.provider(ecosystemId, providerId));
}
