// The Store contract against DynamoDB Local, on a table of its own (the global setup started DynamoDB Local).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb-store.ts';
import { describeStoreContract } from '../../contract/store.contract.ts';
import { createTable, localDynamoDbClient } from '../../helpers/dynamodb-local.ts';

let client: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  client = localDynamoDbClient(inject('dynamodbEndpoint'));
  tableName = await createTable(client);
});

afterAll(() => client.destroy());

describeStoreContract('DynamoDbStore', async (clock) => new DynamoDbStore({ client, tableName, clock }));
