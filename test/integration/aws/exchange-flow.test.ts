// Providers and the exchange on the AWS adapters: the local server on DynamoDB Local and the KMS double
// (TESSERA_SECRETS_KEY_ID names the double's symmetric key). A PUT is one GenerateDataKey, the item holds
// the secret only as sealed, an exchange decrypts its data key once per container, and deleting the
// ecosystem deletes the provider's item.
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemKey } from '../../../functions/adapters/dynamodb-table.ts';
import { type AwsLocal, startAwsLocal } from '../../helpers/aws.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { localDynamoDbClient } from '../../helpers/dynamodb-local.ts';
import { infobipPreRequestCheck } from '../../helpers/infobip-check.ts';
import { DECRYPT, GENERATE_DATA_KEY } from '../../helpers/kms-double.ts';
import { providerBodies, secretOf } from '../../helpers/providers.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';

describe('providers and the exchange on DynamoDB Local and the KMS double', () => {
  const clock = frozenClock();
  let aws: AwsLocal;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    aws = await startAwsLocal();
    dynamodb = localDynamoDbClient(aws.dynamodbEndpoint);
  });

  afterAll(async () => {
    dynamodb.destroy();
    await aws.close();
  });

  const server = useTestServer(() => ({ env: aws.env, clock }));
  const item = async (key: { pk: string; sk: string }) =>
    (
      await dynamodb.send(
        new GetItemCommand({
          TableName: aws.table,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          ConsistentRead: true,
        }),
      )
    ).Item;

  it('seals on PUT, exchanges with one Decrypt per data key, and deletes the provider with its ecosystem', async () => {
    const eco = (await server.call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} })).body;
    const st = { bearer: eco.serverToken as string };
    const base = `/v1/ecosystems/${eco.ecosystemId}`;
    await server.call('PUT', `${base}/users/alice`, { ...st, body: {} });
    const bodies = providerBodies();

    const generated = aws.kms.count(GENERATE_DATA_KEY);
    for (const [providerId, body] of Object.entries(bodies)) {
      const put = await server.call('PUT', `${base}/providers/${providerId}`, { ...st, body });
      expect(put.status, put.text).toBe(201);
    }
    expect(aws.kms.count(GENERATE_DATA_KEY) - generated).toBe(3);
    const stored = await item(itemKey.provider(eco.ecosystemId, 'infobip'));
    expect(stored?.sealedSecret?.S).toMatch(/^kms1\./);
    for (const body of Object.values(bodies)) {
      const secret = secretOf(body);
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(JSON.stringify(stored)).not.toContain(Buffer.from(secret).toString('base64'));
    }

    const { token } = (await server.call('POST', `${base}/users/alice/tokens`, st)).body;
    const decrypts = aws.kms.count(DECRYPT);
    const infobip = await server.call('POST', '/v1/tokens/exchange', {
      body: { token, provider: 'infobip' },
    });
    expect(infobip.status, infobip.text).toBe(200);
    expect(infobipPreRequestCheck(infobip.body.token, clock.seconds())).toEqual({ ok: true });
    const twilio = await server.call('POST', '/v1/tokens/exchange', {
      bearer: token,
      body: { provider: 'twilio' },
    });
    await jwtVerify(twilio.body.token, Buffer.from(bodies.twilio.apiKeySecret), {
      currentDate: new Date(clock.now()),
    });
    for (let i = 0; i < 3; i++)
      await server.call('POST', '/v1/tokens/exchange', { body: { token, provider: 'twilio' } });
    expect(aws.kms.count(DECRYPT) - decrypts).toBe(2); // one per data key, then from the container's cache

    expect((await server.call('DELETE', base, { bearer: TEST_ACCOUNT_TOKEN })).status).toBe(204);
    expect(await item(itemKey.provider(eco.ecosystemId, 'infobip'))).toBeUndefined();
    const after = await server.call('POST', '/v1/tokens/exchange', { body: { token, provider: 'twilio' } });
    expect([after.status, after.body.error.code]).toEqual([401, 'TOKEN_REVOKED']);
  });

  it('answers 503 with Retry-After when KMS is throttling, and recovers', async () => {
    const eco = (await server.call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} })).body;
    const path = `/v1/ecosystems/${eco.ecosystemId}/providers/chat`;
    aws.kms.failNext(GENERATE_DATA_KEY, 3); // every attempt of the SDK's retries
    const refused = await server.call('PUT', path, {
      bearer: eco.serverToken,
      body: providerBodies().stream,
    });
    expect([refused.status, refused.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const stored = await server.call('PUT', path, { bearer: eco.serverToken, body: providerBodies().stream });
    expect(stored.status).toBe(201);
  });
});
