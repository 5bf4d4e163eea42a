// The usage API and the listings behind the console, over HTTP on the local server, the same story on the
// embedded store and on DynamoDB Local (with the KMS double): GET /v1/ecosystems, GET .../users/{id}/tokens
// and GET .../usage, with their refusals. The clock is set in the future: DynamoDB Local's TTL deletes by
// the real time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsLocal, startAwsLocal } from '../../helpers/aws.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useTestServer } from '../../helpers/use-test-server.ts';

const at = (iso: string) => Date.parse(iso) / 1000;

function describeUsageApi(name: string, adapters: () => Promise<AwsLocal | undefined>): void {
  describe(`the usage API on ${name}`, () => {
    const clock = frozenClock(at('2030-11-29T12:00:00Z'));
    let aws: AwsLocal | undefined;
    let eco: { ecosystemId: string; serverToken: string };
    let other: { ecosystemId: string; serverToken: string };

    // Registered before the server's hooks, so the adapters close after the server has stopped.
    afterAll(async () => {
      await aws?.close();
    });

    const server = useTestServer(async () => {
      aws = await adapters();
      return { env: aws?.env ?? {}, clock };
    });

    beforeAll(async () => {
      eco = await seedThroughApi(server, 'alice');
      await server.call('PUT', `/v1/ecosystems/${eco.ecosystemId}/users/bob`, {
        bearer: eco.serverToken,
        body: { metadata: {} },
      });
      other = await seedThroughApi(server, 'carol');
    });

    const path = (p: string) => `/v1/ecosystems/${eco.ecosystemId}${p}`;
    const issue = async (user: string, query = '?expiryType=Infinite') => {
      const result = await server.call('POST', path(`/users/${user}/tokens${query}`), {
        bearer: eco.serverToken,
      });
      expect(result.status, result.text).toBe(200);
      return result.body as { token: string; tokenId: string };
    };
    const verify = (token: string) => server.call('POST', '/v1/tokens/verify', { body: { token } });

    it('counts a month of activity: active identities, outcomes and refusals by code, per day', async () => {
      const alice = await issue('alice');
      const bob = await issue('bob', '?expiryType=FixedTtl&ttl=60');
      expect((await verify(alice.token)).status).toBe(200);
      expect((await verify(alice.token)).status).toBe(200);
      expect((await verify(bob.token)).status).toBe(200);
      expect((await verify(`${alice.token.slice(0, -4)}AAAA`)).status).toBe(401); // signature broken
      clock.advance(86_400); // 2030-11-30
      expect((await verify(bob.token)).body.error.code).toBe('TOKEN_EXPIRED');
      expect((await verify(alice.token)).status).toBe(200);
      clock.advance(86_400); // 2030-12-01: a new month
      expect((await verify(alice.token)).status).toBe(200);

      const usage = await server.call('GET', path('/usage?from=2030-11-29&to=2030-12-01'), {
        bearer: eco.serverToken,
      });
      expect(usage.status, usage.text).toBe(200);
      expect(usage.body.months).toEqual([
        { month: '2030-11', activeIdentities: 2 },
        { month: '2030-12', activeIdentities: 1 },
      ]);
      const [d29, d30, d1] = usage.body.days;
      expect(d29).toMatchObject({ date: '2030-11-29', issued: 2, verified: 3, newActiveIdentities: 2 });
      expect(d29.refused.TOKEN_SIGNATURE_INVALID).toBe(1);
      expect(d29.noIdentity).toBe(1);
      expect(d30).toMatchObject({ date: '2030-11-30', verified: 1, newActiveIdentities: 0, noIdentity: 0 });
      expect(d30.refused.TOKEN_EXPIRED).toBe(1);
      expect(d1).toMatchObject({ date: '2030-12-01', verified: 1, newActiveIdentities: 1 });
    });

    it("answers another ecosystem's usage separately, and the account may read every one", async () => {
      const usage = await server.call('GET', `/v1/ecosystems/${other.ecosystemId}/usage`, {
        bearer: TEST_ACCOUNT_TOKEN,
      });
      expect(usage.status).toBe(200);
      expect(usage.body.days).toHaveLength(30);
      expect(usage.body.to).toBe('2030-12-01');
      expect(usage.body.days.every((d: { verified: number }) => d.verified === 0)).toBe(true);
    });

    it.each([
      ['?from=2030-11-31&to=2030-12-01', 400, 'BODY_INVALID'],
      ['?from=2030-12-02&to=2030-12-01', 400, 'BODY_INVALID'],
      ['?from=2029-01-01&to=2030-12-01', 400, 'BODY_INVALID'],
      ['?from=2030-11-01&until=2030-12-01', 400, 'QUERY_FIELD_NOT_ALLOWED'],
    ])('refuses the usage query %s with %i %s', async (query, status, code) => {
      const result = await server.call('GET', path(`/usage${query}`), { bearer: eco.serverToken });
      expect(result.status).toBe(status);
      expect(result.body.error.code).toBe(code);
    });

    it("refuses usage without credentials, with another ecosystem's server token, and of no ecosystem", async () => {
      expect((await server.call('GET', path('/usage'))).status).toBe(401);
      const foreign = await server.call('GET', path('/usage'), { bearer: other.serverToken });
      expect(foreign.body.error.code).toBe('FORBIDDEN');
      const none = await server.call('GET', '/v1/ecosystems/nope/usage', { bearer: TEST_ACCOUNT_TOKEN });
      expect(none.body.error.code).toBe('ECOSYSTEM_NOT_FOUND');
    });

    it('lists the ecosystems to the account token only', async () => {
      const listed = await server.call('GET', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN });
      expect(listed.status).toBe(200);
      const ids = listed.body.ecosystems.map((e: { ecosystemId: string }) => e.ecosystemId);
      expect(ids).toEqual(expect.arrayContaining([eco.ecosystemId, other.ecosystemId]));
      expect(
        listed.body.ecosystems.find((e: { ecosystemId: string }) => e.ecosystemId === eco.ecosystemId),
      ).toEqual({
        ecosystemId: eco.ecosystemId,
        name: 'test',
        createdAt: '2030-11-29T12:00:00.000Z',
      });
      const refused = await server.call('GET', '/v1/ecosystems', { bearer: eco.serverToken });
      expect(refused.body.error.code).toBe('FORBIDDEN');
    });

    it("lists a user's live tokens with their deadlines, and drops one once revoked", async () => {
      const sliding = await issue('bob', '?expiryType=SlidingTtl&ttl=600&maxTtl=3600');
      const listed = await server.call('GET', path('/users/bob/tokens'), { bearer: eco.serverToken });
      expect(listed.status, listed.text).toBe(200);
      const now = new Date(clock.now()).toISOString();
      expect(listed.body.tokens).toEqual([
        {
          tokenId: sliding.tokenId,
          label: null,
          expiryType: 'SlidingTtl',
          issuedAt: now,
          expiresAt: new Date(clock.now() + 600_000).toISOString(),
          absoluteExpiresAt: new Date(clock.now() + 3_600_000).toISOString(),
          lastUsedAt: now,
          status: 'active',
        },
      ]); // bob's FixedTtl token of the 29th has expired: not live
      expect(JSON.stringify(listed.body)).not.toContain(sliding.token);

      const revoked = await server.call('DELETE', path(`/users/bob/tokens/${sliding.tokenId}`), {
        bearer: eco.serverToken,
      });
      expect(revoked.status).toBe(204);
      const after = await server.call('GET', path('/users/bob/tokens'), { bearer: eco.serverToken });
      expect(after.body.tokens).toEqual([]);
      const missing = await server.call('GET', path('/users/nobody/tokens'), { bearer: eco.serverToken });
      expect(missing.body.error.code).toBe('USER_NOT_FOUND');
    });
  });
}

describeUsageApi('the embedded store', async () => undefined);
describeUsageApi('DynamoDB Local', startAwsLocal);
