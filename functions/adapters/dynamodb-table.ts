// The one definition of Tessera's DynamoDB table: key schema, TTL attribute and item keys. The CDK stack,
// the local table-creation step and the tests all read it, so they cannot drift apart.
//
//   item            pk                         sk
//   ecosystem       ECO#<ecosystemId>          ECO
//   server token    ECO#<ecosystemId>          SRV#<serverTokenId>
//   user            ECO#<ecosystemId>          USER#<userId>
//   provider        ECO#<ecosystemId>          PROV#<providerId>
//   revocation      ECO#<ecosystemId>          ECO#REV#<revocationId>
//   token state     TOKEN#<tokenId>            TOKEN
//   refresh family  FAMILY#<familyId>          FAMILY
//   day usage       ECO#<ecosystemId>          USAGE#D#<YYYY-MM-DD>
//   month usage     ECO#<ecosystemId>          USAGE#M#<YYYY-MM>   (no longer written: a month is the sum of
//                                                                its days; old items go with their ecosystem)
//
// A revocation's sort key starts with the ecosystem item's, so one Query (begins_with "ECO") reads an
// ecosystem with its revocations; token checks read the ecosystem item alone, which carries the latest
// issuedBefore of them (dynamodb-revocations.ts). An ecosystem's partition holds everything deleted with it, so
// deletion is one Query plus batched deletes, and no request path ever scans. One sparse global index,
// `lists`, answers the two listings:
//
//   item            listPk                          listSk
//   ecosystem       ECOSYSTEMS                      <createdAt, 12 digits>#<ecosystemId>
//   token state     TOKENS#<ecosystemId>#<userId>   <issuedAt, 12 digits>#<tokenId>

/** Attribute names of the key and of the TTL attribute (epoch seconds; DynamoDB deletes late). */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'purgeAt',
} as const;

/**
 * The table's stream: every write with its old and new images, what the events function reads
 * (adapters/dynamodb-changes.ts). The CDK table enables it; a test table adds it to createTableInput.
 */
export const STREAM_SPECIFICATION = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;

/**
 * The sparse global index of the listings (ecosystems; a user's tokens). Keys only, so updating an item
 * (a sliding touch, a rotation) never writes to it; readers fetch the items by key. Eventually consistent.
 */
export const LIST_INDEX = { name: 'lists', partitionKey: 'listPk', sortKey: 'listSk' } as const;

const padded = (seconds: number) => String(seconds).padStart(12, '0');

/** The `lists` index keys of the items it holds. */
export const listKey = {
  ecosystems: 'ECOSYSTEMS',
  ecosystem: (ecosystemId: string, createdAt: number) => ({
    listPk: 'ECOSYSTEMS',
    listSk: `${padded(createdAt)}#${ecosystemId}`,
  }),
  userTokens: (ecosystemId: string, userId: string) => `TOKENS#${ecosystemId}#${userId}`,
  token: (ecosystemId: string, userId: string, issuedAt: number, tokenId: string) => ({
    listPk: `TOKENS#${ecosystemId}#${userId}`,
    listSk: `${padded(issuedAt)}#${tokenId}`,
  }),
} as const;

/** The item keys, built in one place. */
export const itemKey = {
  ecosystem: (ecosystemId: string) => ({ pk: `ECO#${ecosystemId}`, sk: 'ECO' }),
  serverToken: (ecosystemId: string, serverTokenId: string) => ({
    pk: `ECO#${ecosystemId}`,
    sk: `SRV#${serverTokenId}`,
  }),
  user: (ecosystemId: string, userId: string) => ({ pk: `ECO#${ecosystemId}`, sk: `USER#${userId}` }),
  provider: (ecosystemId: string, providerId: string) => ({
    pk: `ECO#${ecosystemId}`,
    sk: `PROV#${providerId}`,
  }),
  revocation: (ecosystemId: string, revocationId: string) => ({
    pk: `ECO#${ecosystemId}`,
    sk: `ECO#REV#${revocationId}`,
  }),
  token: (tokenId: string) => ({ pk: `TOKEN#${tokenId}`, sk: 'TOKEN' }),
  family: (familyId: string) => ({ pk: `FAMILY#${familyId}`, sk: 'FAMILY' }),
  dayUsage: (ecosystemId: string, day: string) => ({ pk: `ECO#${ecosystemId}`, sk: `USAGE#D#${day}` }),
} as const;

/** The sort-key prefixes of an ecosystem partition's item kinds. */
export const SORT_PREFIX = {
  serverToken: 'SRV#',
  user: 'USER#',
  provider: 'PROV#',
  revocation: 'ECO#REV#',
  dayUsage: 'USAGE#D#',
} as const;

/**
 * The CreateTable request for the local table-creation step and the tests (the CDK stack builds the same
 * table from TABLE_SCHEMA and LIST_INDEX). On-demand, string keys, the `lists` index.
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
      { AttributeName: LIST_INDEX.partitionKey, AttributeType: 'S' as const },
      { AttributeName: LIST_INDEX.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: LIST_INDEX.name,
        KeySchema: [
          { AttributeName: LIST_INDEX.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: LIST_INDEX.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' as const },
      },
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
