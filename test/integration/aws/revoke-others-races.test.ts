// revoke-others racing refreshes on DynamoDB Local, with the real transactions and conditions: whatever the
// interleaving, no other token of the user is resurrected by its refresh, and the presented token's own
// refresh, when it answers, answers a successor that works.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb-store.ts';
import { refreshToken } from '../../../functions/core/refresh-token.ts';
import { revokeOtherTokens } from '../../../functions/core/revoke-others.ts';
import { verifyToken } from '../../../functions/core/verify-token.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { issueFor, seedUser, type TestDeps, testDeps } from '../../helpers/deps.ts';
import { createTable, localDynamoDbClient } from '../../helpers/dynamodb-local.ts';

let client: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  client = localDynamoDbClient(inject('dynamodbEndpoint'));
  tableName = await createTable(client);
});

afterAll(() => client.destroy());

async function dynamoDeps(ecosystemId: string): Promise<TestDeps> {
  const clock = frozenClock();
  const deps = await testDeps({ store: new DynamoDbStore({ client, tableName, clock }), clock });
  await seedUser(deps, ecosystemId, 'alice');
  return deps;
}

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );

describe('revoke-others on DynamoDB Local, racing refreshes', () => {
  it('leaves every other token dead, whatever their refreshes in flight answered', async () => {
    for (let round = 0; round < 3; round++) {
      const eco = `race${round}${Date.now()}`;
      const deps = await dynamoDeps(eco);
      const as = { ecosystemId: eco };
      const presented = await issueFor(deps, { expiryType: 'Infinite' }, as);
      const others = await Promise.all(
        Array.from({ length: 5 }, () => issueFor(deps, { expiryType: 'Infinite' }, as)),
      );
      deps.clock.advance(1);
      const [signedOut, ...refreshed] = await Promise.all([
        settle(revokeOtherTokens(deps, presented.token)),
        ...others.map((other) => settle(refreshToken(deps, other.token))),
      ]);
      expect(signedOut).toMatchObject({ ok: true });
      for (const answer of refreshed) {
        if (answer.ok)
          await expect(verifyToken(deps, answer.value.token)).rejects.toMatchObject({
            code: 'TOKEN_REVOKED',
          });
      }
      for (const other of others) {
        await expect(verifyToken(deps, other.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
      }
      await expect(verifyToken(deps, presented.token)).resolves.toMatchObject({ valid: true });
    }
  });

  it('keeps the presented family whichever of its own refresh and the revoke-others writes first', async () => {
    for (let round = 0; round < 4; round++) {
      const eco = `own${round}${Date.now()}`;
      const deps = await dynamoDeps(eco);
      const as = { ecosystemId: eco };
      const presented = await issueFor(deps, { expiryType: 'Infinite' }, as);
      const other = await issueFor(deps, { expiryType: 'Infinite' }, as);
      deps.clock.advance(1);
      const [signedOut, ownRefresh] = await Promise.all([
        settle(revokeOtherTokens(deps, presented.token)),
        settle(refreshToken(deps, presented.token)),
      ]);
      // The refresh may win before revoke-others reads the token (which then finds it rotated away), or
      // lose to it and start over in the new generation: either way no answered successor is born dead.
      expect(signedOut.ok || ownRefresh.ok).toBe(true);
      if (ownRefresh.ok) {
        await expect(verifyToken(deps, ownRefresh.value.token)).resolves.toMatchObject({ valid: true });
      }
      if (signedOut.ok) {
        await expect(verifyToken(deps, other.token)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' });
      }
    }
  });
});
