// The whole API flow through the local server, the same story on both adapter sets: the embedded store with
// the local key, and DynamoDB Local with the KMS double (TESSERA_STORE=dynamodb, TESSERA_SIGNER=kms). On the
// AWS adapters it also reads the table directly: the TTL setting, each item's purgeAt, and counts KMS calls.
import { DescribeTimeToLiveCommand, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemKey } from '../../../functions/adapters/dynamodb-table.ts';
import { type AwsLocal, startAwsLocal } from '../../helpers/aws.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { localDynamoDbClient } from '../../helpers/dynamodb-local.ts';
import { partsOf } from '../../helpers/forge.ts';
import { GET_PUBLIC_KEY, SIGN } from '../../helpers/kms-double.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';

interface Adapters {
  env: Record<string, string>;
  aws: AwsLocal | undefined;
}

function describeApiFlow(name: string, adapters: () => Promise<Adapters>, options: { aws: boolean }): void {
  describe(`the API flow on ${name}`, () => {
    const clock = frozenClock();
    let setup: Adapters;
    let dynamodb: DynamoDBClient | undefined;
    let ecosystemId: string;
    let serverToken: string;
    const tokens: Record<string, { token: string; tokenId: string }> = {};

    beforeAll(async () => {
      setup = await adapters();
      if (setup.aws !== undefined) dynamodb = localDynamoDbClient(setup.aws.dynamodbEndpoint);
    });

    afterAll(async () => {
      dynamodb?.destroy();
      await setup?.aws?.close();
    });

    // Registered after the adapters' hooks: it starts once they are up, and stops before they close.
    const server = useTestServer(() => ({ env: setup.env, clock }));

    const userPath = () => `/v1/ecosystems/${ecosystemId}/users/alice`;
    const issue = async (query: string, user = 'alice') => {
      const path = `/v1/ecosystems/${ecosystemId}/users/${user}/tokens${query}`;
      const result = await server.call('POST', path, {
        bearer: serverToken,
        body: { claims: { role: 'mod' } },
      });
      expect(result.status, result.text).toBe(200);
      return result.body as { token: string; tokenId: string; expiresAt: string | null };
    };
    const verify = (token: string) => server.call('POST', '/v1/tokens/verify', { body: { token } });
    const refresh = (token: string) => server.call('POST', '/v1/tokens/refresh', { body: { token } });
    const item = async (key: { pk: string; sk: string }) => {
      const answer = await dynamodb?.send(
        new GetItemCommand({
          TableName: setup.aws?.table,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          ConsistentRead: true,
        }),
      );
      return answer?.Item;
    };

    it('creates an ecosystem and a user', async () => {
      const eco = await server.call('POST', '/v1/ecosystems', {
        bearer: TEST_ACCOUNT_TOKEN,
        body: { name: 'flow' },
      });
      expect(eco.status).toBe(201);
      ({ ecosystemId, serverToken } = eco.body);
      const user = await server.call('PUT', userPath(), {
        bearer: serverToken,
        body: { metadata: { plan: 'pro' } },
      });
      expect(user.status).toBe(201);
      expect((await server.call('GET', userPath(), { bearer: serverToken })).body.metadata).toEqual({
        plan: 'pro',
      });
    });

    it('issues all three expiry models, and each verifies with its claims and the user metadata', async () => {
      tokens.infinite = await issue('?expiryType=Infinite');
      tokens.fixed = await issue('?expiryType=FixedTtl&ttl=600');
      tokens.sliding = await issue('?expiryType=SlidingTtl&ttl=300&maxTtl=3600');
      for (const { token, tokenId } of Object.values(tokens)) {
        const result = await verify(token);
        expect(result.status, result.text).toBe(200);
        expect(result.body).toMatchObject({
          valid: true,
          tokenId,
          claims: { role: 'mod' },
          metadata: { plan: 'pro' },
        });
      }
    });

    it('publishes the signing key in the JWKS under the kid every token carries', async () => {
      const jwks = await server.call('GET', '/.well-known/jwks.json');
      expect(jwks.status).toBe(200);
      const kid = partsOf(tokens.infinite?.token ?? '').header.kid;
      const [key] = jwks.body.keys;
      expect(key.kid).toBe(kid);
      expect(await calculateJwkThumbprint({ kty: key.kty, crv: key.crv, x: key.x, y: key.y })).toBe(kid);
    });

    it('slides a SlidingTtl token on use, then expires it after ttl idle seconds', async () => {
      const sliding = tokens.sliding?.token ?? '';
      clock.advance(200);
      expect((await verify(sliding)).body.lastUsedAt).toBe(new Date(clock.seconds() * 1000).toISOString());
      clock.advance(299);
      expect((await verify(sliding)).status).toBe(200);
      clock.advance(300);
      const expired = await verify(sliding);
      expect([expired.status, expired.body.error.code]).toEqual([401, 'TOKEN_EXPIRED']);
    });

    it('expires a FixedTtl token at its deadline, however it is used', async () => {
      // 799 s have passed since issue: past the 600 s ttl.
      const expired = await verify(tokens.fixed?.token ?? '');
      expect([expired.status, expired.body.error.code]).toEqual([401, 'TOKEN_EXPIRED']);
    });

    it('refreshes with rotation: a retry within the grace period gets the same successor, reuse after it revokes the family', async () => {
      const first = await issue('?expiryType=SlidingTtl&ttl=900');
      const second = await refresh(first.token);
      expect(second.status, second.text).toBe(200);
      expect(second.body.tokenId).not.toBe(first.tokenId);

      clock.advance(5);
      const retry = await refresh(first.token);
      expect(retry.status).toBe(200);
      expect(retry.body.tokenId).toBe(second.body.tokenId);
      expect((await verify(first.token)).body.error.code).toBe('TOKEN_REVOKED');
      expect((await verify(second.body.token)).status).toBe(200);

      clock.advance(6);
      const reuse = await refresh(first.token);
      expect([reuse.status, reuse.body.error.code]).toEqual([401, 'TOKEN_REUSED']);
      expect((await verify(second.body.token)).body.error.code).toBe('TOKEN_REVOKED');
      tokens.rotated = first;
      tokens.head = second.body;
    });

    it('binds a token to an audience, signs out everywhere else, and revokes by issue time with undo', async () => {
      await server.call('PUT', `/v1/ecosystems/${ecosystemId}/users/dave`, { bearer: serverToken, body: {} });
      const dave = `/v1/ecosystems/${ecosystemId}/users/dave`;
      const daveIssue = async (body: unknown = {}) =>
        (await server.call('POST', `${dave}/tokens?expiryType=Infinite`, { bearer: serverToken, body })).body;
      const laptop = await daveIssue({ audience: ['chat-api'], label: 'laptop' });
      const phone = await daveIssue();
      const asked = { token: laptop.token, audience: 'chat-api' };
      expect((await server.call('POST', '/v1/tokens/verify', { body: asked })).body.audience).toEqual([
        'chat-api',
      ]);
      const others = await server.call('POST', '/v1/tokens/revoke-others', { bearer: laptop.token });
      expect([others.status, others.body]).toEqual([200, { revoked: 1 }]);
      expect((await verify(phone.token)).body.error.code).toBe('TOKEN_REVOKED');
      const listed = await server.call('GET', `${dave}/tokens`, { bearer: serverToken });
      expect(listed.body.tokens.map((t: { label: string | null }) => t.label)).toEqual(['laptop']);

      clock.advance(1);
      const revocations = `/v1/ecosystems/${ecosystemId}/revocations`;
      const issuedBefore = new Date(clock.now()).toISOString();
      const made = await server.call('POST', revocations, { bearer: serverToken, body: { issuedBefore } });
      expect(made.status).toBe(201);
      expect((await verify(laptop.token)).body.error.code).toBe('TOKEN_REVOKED');
      if (options.aws) {
        const ecosystem = await item(itemKey.ecosystem(ecosystemId));
        expect(ecosystem?.revokedBefore).toEqual({ N: String(clock.seconds()) });
      }
      const listing = await server.call('GET', revocations, { bearer: serverToken });
      expect(listing.body).toEqual({ revocations: [made.body] });
      const undo = `${revocations}/${made.body.revocationId}`;
      expect((await server.call('DELETE', undo, { bearer: serverToken })).status).toBe(204);
      expect((await verify(laptop.token)).status).toBe(200);
      if (options.aws) expect((await item(itemKey.ecosystem(ecosystemId)))?.revokedBefore).toBeUndefined();
      expect((await server.call('DELETE', undo, { bearer: serverToken })).body.error.code).toBe(
        'REVOCATION_NOT_FOUND',
      );
    });

    it('revokes a token on logout, and every token of a deleted user', async () => {
      const logout = await server.call('POST', '/v1/tokens/revoke', {
        body: { token: tokens.infinite?.token },
      });
      expect(logout.status).toBe(204);
      expect((await verify(tokens.infinite?.token ?? '')).body.error.code).toBe('TOKEN_REVOKED');

      const live = await issue('?expiryType=Infinite');
      expect((await verify(live.token)).status).toBe(200);
      expect((await server.call('DELETE', userPath(), { bearer: serverToken })).status).toBe(204);
      expect((await verify(live.token)).body.error.code).toBe('TOKEN_REVOKED');
    });

    it('deletes the ecosystem with everything in it', async () => {
      await server.call('PUT', `/v1/ecosystems/${ecosystemId}/users/bob`, { bearer: serverToken, body: {} });
      const bobs = await issue('?expiryType=Infinite', 'bob');
      expect(
        (await server.call('DELETE', `/v1/ecosystems/${ecosystemId}`, { bearer: TEST_ACCOUNT_TOKEN })).status,
      ).toBe(204);
      expect((await verify(bobs.token)).body.error.code).toBe('TOKEN_REVOKED');
      expect(
        (await server.call('GET', `/v1/ecosystems/${ecosystemId}`, { bearer: TEST_ACCOUNT_TOKEN })).status,
      ).toBe(404);
    });

    if (options.aws) {
      it('runs on a table whose TTL attribute is purgeAt, with a numeric purgeAt on everything that can expire', async () => {
        const ttl = await dynamodb?.send(new DescribeTimeToLiveCommand({ TableName: setup.aws?.table }));
        expect(ttl?.TimeToLiveDescription).toMatchObject({
          AttributeName: 'purgeAt',
          TimeToLiveStatus: 'ENABLED',
        });

        const issuedAt = clock.seconds();
        const sliding = await issueFresh('?expiryType=SlidingTtl&ttl=300');
        const fixed = await issueFresh('?expiryType=FixedTtl&ttl=600');
        const infinite = await issueFresh('?expiryType=Infinite');
        expect((await item(itemKey.token(sliding.tokenId)))?.purgeAt).toEqual({ N: String(issuedAt + 300) });
        expect((await item(itemKey.token(fixed.tokenId)))?.purgeAt).toEqual({ N: String(issuedAt + 600) });
        expect((await item(itemKey.token(infinite.tokenId)))?.purgeAt).toBeUndefined();

        clock.advance(100);
        await verify(sliding.token);
        expect((await item(itemKey.token(sliding.tokenId)))?.purgeAt).toEqual({ N: String(issuedAt + 400) });
        const successor = (await refresh(sliding.token)).body;
        expect((await item(itemKey.family(sliding.tokenId)))?.purgeAt).toEqual({ N: String(issuedAt + 400) });
        expect((await item(itemKey.token(successor.tokenId)))?.purgeAt).toEqual({
          N: String(issuedAt + 400),
        });
      });

      it('makes no KMS call on verify once warm, and one Sign per issued token', async () => {
        const kms = setup.aws?.kms;
        const issued = await issueFresh('?expiryType=Infinite');
        const signs = kms?.count(SIGN);
        const gets = kms?.count(GET_PUBLIC_KEY);
        for (let i = 0; i < 20; i++) expect((await verify(issued.token)).status).toBe(200);
        expect(kms?.count(SIGN)).toBe(signs);
        expect(kms?.count(GET_PUBLIC_KEY)).toBe(gets);
        await issueFresh('?expiryType=Infinite');
        expect(kms?.count(SIGN)).toBe((signs ?? 0) + 1);
      });

      it('answers 503 SERVICE_UNAVAILABLE with Retry-After when KMS keeps throttling', async () => {
        setup.aws?.kms.failNext(SIGN, 3);
        const result = await server.call('POST', `/v1/ecosystems/${freshEcosystem}/users/carol/tokens`, {
          bearer: freshServerToken,
        });
        expect([result.status, result.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
        expect(Number(result.headers.get('retry-after'))).toBeGreaterThan(0);
      });
    }

    let freshEcosystem: string;
    let freshServerToken: string;
    async function issueFresh(query: string) {
      if (freshEcosystem === undefined) {
        const eco = await server.call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} });
        ({ ecosystemId: freshEcosystem, serverToken: freshServerToken } = eco.body);
        await server.call('PUT', `/v1/ecosystems/${freshEcosystem}/users/carol`, {
          bearer: freshServerToken,
          body: {},
        });
      }
      const path = `/v1/ecosystems/${freshEcosystem}/users/carol/tokens${query}`;
      const result = await server.call('POST', path, { bearer: freshServerToken });
      expect(result.status, result.text).toBe(200);
      return result.body as { token: string; tokenId: string };
    }
  });
}

describeApiFlow('the embedded store and the local key', async () => ({ env: {}, aws: undefined }), {
  aws: false,
});

describeApiFlow(
  'DynamoDB Local and the KMS double',
  async () => {
    const aws = await startAwsLocal();
    return { env: aws.env, aws };
  },
  { aws: true },
);
