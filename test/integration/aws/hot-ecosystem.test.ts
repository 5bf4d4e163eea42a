// One hot ecosystem on DynamoDB Local (issue 16): a burst of verifies by many users of one ecosystem through
// one container reads no item the ecosystem shares per verify (its state once per cache bound) and writes
// none per new user (the usage batch only), at about one DynamoDB request per verify; and an ecosystem
// that only its ecosystem-level state says is gone is refused at most the bound later, never after.
import { DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb-store.ts';
import { itemKey } from '../../../functions/adapters/dynamodb-table.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { runHotEcosystem } from '../../bench/hot-ecosystem.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { issueFor, seedUser, testDeps } from '../../helpers/deps.ts';
import { createTable, localDynamoDbClient } from '../../helpers/dynamodb-local.ts';

describe('one hot ecosystem on DynamoDB Local', () => {
  const clients: DynamoDBClient[] = [];
  const client = () => {
    const made = localDynamoDbClient(inject('dynamodbEndpoint'));
    clients.push(made);
    return made;
  };
  afterEach(() => {
    for (const made of clients.splice(0)) made.destroy();
  });

  it('verifies 20 users x 15 times over 3 s of a container with 3 ecosystem reads and 1 batch write', async () => {
    const dynamodb = client();
    const tableName = await createTable(dynamodb);
    const hot = await runHotEcosystem({
      client: dynamodb,
      tableName,
      users: 20,
      verifiesPerUser: 15,
      msPerVerify: 10,
      ecosystemCacheSeconds: 1,
    });

    expect(hot.verifies).toBe(300);
    expect(hot.containerSeconds).toBe(3);
    // Each verify: one BatchGetItem of the token and its user; each user's first of the month: one UpdateItem.
    expect(hot.byOperation.BatchGetItemCommand).toBe(300);
    expect(hot.byOperation.TransactWriteItemsCommand).toBeUndefined();
    expect(hot.touches.token).toEqual({ reads: 300, writes: 0 });
    expect(hot.touches.user).toEqual({ reads: 300, writes: 20 });
    // Shared by the ecosystem: its item once per second of the burst, and one usage batch (320 events).
    expect(hot.touches.ecosystemWide).toEqual({ reads: 3, writes: 1 });
    expect(hot.ecosystemWideTouchesPerContainerSecond).toBeLessThanOrEqual(4 / 3);
    expect(hot.requestsPerVerify).toBeLessThanOrEqual(1.1);
    expect(hot.maxRoundTripsPerVerify).toBeLessThanOrEqual(2); // a month's first: read, then mark the user
    // Nothing lost or counted twice: the report answers every verify and each user once.
    expect(hot.report).toEqual({ verified: 300, newActiveIdentities: 20, monthActiveIdentities: 20 });
  });

  it('refuses a token whose ecosystem item is gone within the cache bound, never later', async () => {
    const dynamodb = client();
    const tableName = await createTable(dynamodb);
    const clock = frozenClock(Date.parse('2030-11-10T09:00:00Z') / 1000);
    const store = new DynamoDbStore({ client: dynamodb, tableName, clock });
    const deps = await testDeps({ store, clock, config: { accountTokenHash: '', ecosystemCacheSeconds: 2 } });
    await seedUser(deps, 'lag1');
    const { token } = await issueFor(deps, { expiryType: 'Infinite' }, { ecosystemId: 'lag1' });
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ valid: true }); // cached from now

    // The ecosystem item alone removed: what a deletion leaves when a user write raced its Query.
    const { pk, sk } = itemKey.ecosystem('lag1');
    await dynamodb.send(
      new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: sk } } }),
    );
    clock.advance(1.999);
    await expect(verifyToken(deps, token)).resolves.toMatchObject({ valid: true });
    clock.advance(0.001);
    await expect(verifyToken(deps, token)).rejects.toMatchObject({
      code: 'TOKEN_REVOKED',
      message: expect.stringContaining('its ecosystem was deleted'),
    });
  });
});
