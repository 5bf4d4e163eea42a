// The hot path on DynamoDB Local, counted at the client (a clock in the future: DynamoDB Local's TTL
// deletes by the real time): an already-active user's verify sends exactly the
// requests it sent before usage was counted (one BatchGetItem), and the month's first verify one more, to
// the user's own item. The ecosystem's state is read once for the container's cache.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb-store.ts';
import type { Deps } from '../../../functions/core/deps.ts';
import type { UsageRecorder } from '../../../functions/core/usage-recorder.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { issueFor, seedUser, testDeps } from '../../helpers/deps.ts';
import { createTable, localDynamoDbClient } from '../../helpers/dynamodb-local.ts';

describe('usage counting on the verify hot path (DynamoDB Local)', () => {
  let client: DynamoDBClient;
  let deps: Deps;
  let usage: UsageRecorder;
  const sent: string[] = [];

  beforeAll(async () => {
    client = localDynamoDbClient(inject('dynamodbEndpoint'));
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    const tableName = await createTable(client);
    const clock = frozenClock(Date.parse('2030-11-10T09:00:00Z') / 1000);
    const store = new DynamoDbStore({ client, tableName, clock });
    deps = await testDeps({ store, clock, config: { accountTokenHash: '' } });
    usage = deps.usage;
    await seedUser(deps);
  });

  afterAll(() => client.destroy());

  it("sends one BatchGetItem for an active user, plus one update of the user's item for the first verify of the month", async () => {
    const { token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' });
    sent.length = 0;
    await verifyToken(deps, token);
    // GetItem: the ecosystem's state, for the cache; UpdateItem: the user's lastActiveMonth.
    expect(sent.sort()).toEqual(['BatchGetItemCommand', 'GetItemCommand', 'UpdateItemCommand']);

    sent.length = 0;
    for (let i = 0; i < 5; i++) await verifyToken(deps, token);
    expect(sent).toEqual(Array(5).fill('BatchGetItemCommand'));
    expect(usage.pendingEvents).toBe(8); // the issue, the new active user, six verifies: held for the batch

    sent.length = 0;
    await usage.flush();
    expect(sent).toEqual(['UpdateItemCommand']); // one write for the whole batch of eco1's day
  });
});
