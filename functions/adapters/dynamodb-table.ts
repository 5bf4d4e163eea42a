// The one definition of Tessera's DynamoDB table: key schema, TTL attribute and item keys. The CDK stack,
// the local table-creation step and the tests all read it, so they cannot drift apart.
//
//   item            pk                         sk
//   ecosystem       ECO#<ecosystemId>          ECO
//   server token    ECO#<ecosystemId>          SRV#<serverTokenId>
//   user            ECO#<ecosystemId>          USER#<userId>
//   token state     TOKEN#<tokenId>            TOKEN
//   refresh family  FAMILY#<familyId>          FAMILY
//
// An ecosystem's partition holds everything deleted with it, so deletion is one Query plus batched
// deletes, and no request path ever scans.

/** Attribute names of the key and of the TTL attribute (epoch seconds; DynamoDB deletes late). */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'purgeAt',
} as const;

/** The item keys, built in one place. */
export const itemKey = {
  ecosystem: (ecosystemId: string) => ({ pk: `ECO#${ecosystemId}`, sk: 'ECO' }),
  serverToken: (ecosystemId: string, serverTokenId: string) => ({
    pk: `ECO#${ecosystemId}`,
    sk: `SRV#${serverTokenId}`,
  }),
  user: (ecosystemId: string, userId: string) => ({ pk: `ECO#${ecosystemId}`, sk: `USER#${userId}` }),
  token: (tokenId: string) => ({ pk: `TOKEN#${tokenId}`, sk: 'TOKEN' }),
  family: (familyId: string) => ({ pk: `FAMILY#${familyId}`, sk: 'FAMILY' }),
} as const;

/** The sort-key prefixes of an ecosystem partition's item kinds. */
export const SORT_PREFIX = { serverToken: 'SRV#', user: 'USER#' } as const;

/**
 * The CreateTable request for the local table-creation step and the tests (the CDK stack builds the same
 * table from TABLE_SCHEMA). On-demand, string keys, no secondary index.
 *
 * @example
 * await client.send(new CreateTableCommand(createTableInput('tessera')));
 */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: TABLE_SCHEMA.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE_SCHEMA.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' as const },
    ],
  };
}

/** The UpdateTimeToLive request that turns on the TTL attribute. */
export function timeToLiveInput(tableName: string) {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
  };
}
