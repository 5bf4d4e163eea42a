// DynamoDbStore when DynamoDB pushes back, against a double speaking its JSON protocol on loopback:
// throttling past the SDK's retries becomes 503, keys handed back unprocessed are asked for again, and an
// error that retrying cannot fix (a missing table) stays an error of ours.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb-store.ts';
import { isTesseraError } from '../../../functions/core/errors.ts';
import { clientConfig } from '../../../functions/runtime/aws-clients.ts';
import { AwsFault, type AwsJsonServer, startAwsJsonServer } from '../../helpers/aws-json-server.ts';
import { LOCAL_AWS } from '../../helpers/dynamodb-local.ts';

const GET_ITEM = 'DynamoDB_20120810.GetItem';
const BATCH_GET = 'DynamoDB_20120810.BatchGetItem';
const TABLE = 'tessera';

type Key = { pk: { S: string }; sk: { S: string } };
const items: Record<string, Record<string, unknown>> = {
  'TOKEN#t1': {
    pk: { S: 'TOKEN#t1' },
    sk: { S: 'TOKEN' },
    tokenId: { S: 't1' },
    ecosystemId: { S: 'e1' },
    userId: { S: 'alice' },
    expiryType: { S: 'Infinite' },
    familyId: { S: 't1' },
    userGeneration: { S: 'g1' },
    issuedAt: { N: '1800000000' },
    claims: { S: '{}' },
    status: { S: 'active' },
  },
  'ECO#e1/USER#alice': {
    pk: { S: 'ECO#e1' },
    sk: { S: 'USER#alice' },
    ecosystemId: { S: 'e1' },
    userId: { S: 'alice' },
    metadata: { S: '{}' },
    createdAt: { N: '1' },
    generation: { S: 'g1' },
  },
};
const found = (key: Key) => items[key.pk.S] ?? items[`${key.pk.S}/${key.sk.S}`];

let dynamodb: AwsJsonServer;
let client: DynamoDBClient;
let store: DynamoDbStore;
let batchCalls = 0;

beforeAll(async () => {
  dynamodb = await startAwsJsonServer({
    [GET_ITEM]: () => {
      throw new AwsFault('ResourceNotFoundException', 'Requested resource not found');
    },
    // The first answer hands every key back unprocessed; the second answers them.
    [BATCH_GET]: (input) => {
      batchCalls++;
      const request = (input.RequestItems as Record<string, { Keys: Key[] }>)[TABLE];
      const keys = request?.Keys ?? [];
      if (batchCalls === 1) return { Responses: { [TABLE]: [] }, UnprocessedKeys: { [TABLE]: request } };
      return { Responses: { [TABLE]: keys.map(found).filter((i) => i !== undefined) }, UnprocessedKeys: {} };
    },
  });
  client = new DynamoDBClient(clientConfig({ ...LOCAL_AWS, endpoint: dynamodb.endpoint }));
  store = new DynamoDbStore({ client, tableName: TABLE });
});

afterAll(async () => {
  client.destroy();
  await dynamodb.close();
});

describe('DynamoDbStore under pressure', () => {
  it('asks again for keys DynamoDB handed back unprocessed', async () => {
    const context = await store.tokens.getTokenContext('t1', 'e1', 'alice');
    expect(batchCalls).toBe(2);
    expect(context.token?.tokenId).toBe('t1');
    expect(context.user?.userId).toBe('alice');
  });

  it('answers SERVICE_UNAVAILABLE once throttling outlasts the SDK retries', async () => {
    const before = dynamodb.calls.get(BATCH_GET) ?? 0;
    dynamodb.failNext(BATCH_GET, 3, new AwsFault('ProvisionedThroughputExceededException', 'slow down'));
    const err: unknown = await store.tokens.getTokenContext('t1', 'e1', 'alice').catch((e: unknown) => e);
    expect(isTesseraError(err) && err.code).toBe('SERVICE_UNAVAILABLE');
    expect((dynamodb.calls.get(BATCH_GET) ?? 0) - before).toBe(3);
  });

  it('keeps an error retrying cannot fix (a missing table) as an error of ours, not a 503', async () => {
    const err: unknown = await store.directory.getEcosystem('e1').catch((e: unknown) => e);
    expect(isTesseraError(err)).toBe(false);
    expect((err as Error).name).toBe('ResourceNotFoundException');
  });
});
