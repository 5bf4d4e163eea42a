// Issuing user tokens over real HTTP: the three expiry models and their answers, maxTtl, claims, the
// compatible route, both credentials, and every 400/404 API.md lists for issue.
import { beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../helpers/clock.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { partsOf } from '../../helpers/forge.ts';
import { seedThroughApi } from '../../helpers/server.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';

const clock = frozenClock();
let tokens: string;

const { server, seed } = useSeededServer({ clock });

beforeAll(async () => {
  tokens = `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens`;
});

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const issue = (query: string, body?: unknown) =>
  server.call('POST', `${tokens}${query}`, { bearer: seed.serverToken, body });

describe('POST /v1/ecosystems/{ecosystemId}/users/{userId}/tokens', () => {
  it('issues a FixedTtl token of 3600 s by default', async () => {
    const now = clock.seconds();
    const result = await issue('');
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      token: expect.any(String),
      tokenId: expect.stringMatching(/^[0-9a-f]{32}$/),
      expiryType: 'FixedTtl',
      ttl: 3600,
      expiresAt: iso(now + 3600),
      absoluteExpiresAt: null,
      lastUsedAt: null,
    });
  });

  it('signs an ES256 JWT whose claims name the user, the ecosystem and the expiry model', async () => {
    const now = clock.seconds();
    const { body } = await issue('?expiryType=FixedTtl&ttl=60');
    const header = partsOf(body.token).header;
    expect(Object.keys(header).sort()).toEqual(['alg', 'kid', 'typ']);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    expect(partsOf(body.token).payload).toEqual({
      iss: 'tessera',
      sub: 'alice',
      jti: body.tokenId,
      iat: now,
      exp: now + 60,
      'tsr:eco': seed.ecosystemId,
      'tsr:expiry': 'FixedTtl',
      'tsr:ttl': 60,
    });
  });

  it('issues an Infinite token with no deadline and ignores ttl', async () => {
    const { status, body } = await issue('?expiryType=Infinite&ttl=60');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      expiryType: 'Infinite',
      ttl: null,
      expiresAt: null,
      absoluteExpiresAt: null,
      lastUsedAt: null,
    });
    expect(partsOf(body.token).payload.exp).toBeUndefined();
  });

  it('issues a SlidingTtl token whose issue counts as its first use', async () => {
    const now = clock.seconds();
    const { status, body } = await issue('?expiryType=SlidingTtl&ttl=900');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      expiryType: 'SlidingTtl',
      ttl: 900,
      expiresAt: iso(now + 900),
      absoluteExpiresAt: null,
      lastUsedAt: iso(now),
    });
    expect(partsOf(body.token).payload.exp).toBeUndefined();
  });

  it('reports a SlidingTtl token capped by maxTtl with both deadlines, and exp at the absolute one', async () => {
    const now = clock.seconds();
    const { status, body } = await issue('?expiryType=SlidingTtl&ttl=900&maxTtl=86400');
    expect(status).toBe(200);
    expect(body).toMatchObject({ expiresAt: iso(now + 900), absoluteExpiresAt: iso(now + 86400) });
    expect(partsOf(body.token).payload.exp).toBe(now + 86400);
    // With maxTtl equal to ttl the absolute deadline is the earlier one (a tie): expiresAt reports it.
    const tight = await issue('?expiryType=SlidingTtl&ttl=900&maxTtl=900');
    expect(tight.body).toMatchObject({ expiresAt: iso(now + 900), absoluteExpiresAt: iso(now + 900) });
  });

  it('carries extra claims in the token, beside its own', async () => {
    const { status, body } = await issue('', { claims: { role: 'admin', rooms: ['a', 'b'] } });
    expect(status).toBe(200);
    expect(partsOf(body.token).payload).toMatchObject({ role: 'admin', rooms: ['a', 'b'], sub: 'alice' });
  });

  it('issues with the account token too', async () => {
    const result = await server.call('POST', tokens, { bearer: TEST_ACCOUNT_TOKEN });
    expect(result.status).toBe(200);
  });

  it('issues a distinct token each time', async () => {
    const [a, b] = await Promise.all([issue(''), issue('')]);
    expect(a?.body.tokenId).not.toBe(b?.body.tokenId);
  });
});

describe('POST /api/users/{ecosystemId};{userId}/tokens (compatible route)', () => {
  it('issues with the same query and answers as the v1 route', async () => {
    const now = clock.seconds();
    const result = await server.call(
      'POST',
      `/api/users/${seed.ecosystemId};alice/tokens?expiryType=SlidingTtl&ttl=120&maxTtl=600`,
      { bearer: seed.serverToken, body: { claims: { via: 'compat' } } },
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      expiryType: 'SlidingTtl',
      ttl: 120,
      expiresAt: iso(now + 120),
      absoluteExpiresAt: iso(now + 600),
      lastUsedAt: iso(now),
    });
    const verified = await server.call('POST', '/v1/tokens/verify', { body: { token: result.body.token } });
    expect(verified.body).toMatchObject({
      userId: 'alice',
      ecosystemId: seed.ecosystemId,
      claims: { via: 'compat' },
    });
  });

  it('answers the same errors and credentials as the v1 route', async () => {
    const compat = `/api/users/${seed.ecosystemId};alice/tokens`;
    expect((await server.call('POST', compat, { bearer: TEST_ACCOUNT_TOKEN })).status).toBe(200);
    const other = await seedThroughApi(server);
    expectError(await server.call('POST', compat, { bearer: other.serverToken }), 403, 'FORBIDDEN');
    expectError(await server.call('POST', compat), 401, 'UNAUTHORIZED');
    expectError(
      await server.call('POST', `${compat}?ttl=0`, { bearer: seed.serverToken }),
      400,
      'TOKEN_DURATION_INVALID',
    );
    expectError(
      await server.call('POST', `${compat}?expiry=Infinite`, { bearer: seed.serverToken }),
      400,
      'QUERY_FIELD_NOT_ALLOWED',
    );
    expectError(
      await server.call('POST', `/api/users/${seed.ecosystemId};nobody/tokens`, { bearer: seed.serverToken }),
      404,
      'USER_NOT_FOUND',
    );
    expectError(
      await server.call('POST', `/api/users/${seed.ecosystemId};-bad/tokens`, { bearer: seed.serverToken }),
      400,
      'USER_INVALID',
    );
    expectError(
      await server.call('POST', '/api/users/no-such-eco;alice/tokens', { bearer: TEST_ACCOUNT_TOKEN }),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
  });
});

describe('issue errors', () => {
  it('refuses a ttl that is not a whole number of seconds in range with TOKEN_DURATION_INVALID', async () => {
    for (const ttl of ['0', '-5', '1.5', '1e3', 'abc', '', '31536001', '99999999999999']) {
      const result = await issue(`?ttl=${ttl}`);
      expect({ ttl, status: result.status }).toEqual({ ttl, status: 400 });
      expectError(result, 400, 'TOKEN_DURATION_INVALID');
    }
    expect((await issue('?ttl=1')).status).toBe(200);
    expect((await issue('?ttl=31536000')).status).toBe(200);
  });

  it('refuses a maxTtl below ttl, above the maximum, or on another type than SlidingTtl', async () => {
    for (const query of [
      '?expiryType=SlidingTtl&ttl=900&maxTtl=899',
      '?expiryType=SlidingTtl&ttl=900&maxTtl=31536001',
      '?expiryType=SlidingTtl&maxTtl=soon',
      '?expiryType=FixedTtl&maxTtl=7200',
      '?expiryType=Infinite&maxTtl=7200',
    ]) {
      const result = await issue(query);
      expect({ query, status: result.status }).toEqual({ query, status: 400 });
      expectError(result, 400, 'TOKEN_DURATION_INVALID');
    }
  });

  it('refuses an expiryType that is none of the three with TOKEN_EXPIRATION_TYPE_INVALID', async () => {
    for (const type of ['fixedttl', 'Sliding', 'Never', '']) {
      expectError(await issue(`?expiryType=${type}`), 400, 'TOKEN_EXPIRATION_TYPE_INVALID');
    }
  });

  it('refuses reserved, namespaced, non-object or oversized claims with CLAIMS_INVALID', async () => {
    const bad: unknown[] = [
      { sub: 'mallory' },
      { exp: 9_999_999_999 },
      { aud: 'x' },
      { 'tsr:eco': 'other' },
      ['role'],
      'admin',
      { blob: 'x'.repeat(2048) },
    ];
    for (const claims of bad) expectError(await issue('', { claims }), 400, 'CLAIMS_INVALID');
  });

  it('refuses an unknown body member and an undocumented query field', async () => {
    expectError(await issue('', { claim: { a: 1 } }), 400, 'BODY_INVALID');
    expectError(await issue('?scope=all'), 400, 'QUERY_FIELD_NOT_ALLOWED');
  });

  it('answers USER_INVALID, USER_NOT_FOUND and ECOSYSTEM_NOT_FOUND for the path', async () => {
    const eco = `/v1/ecosystems/${seed.ecosystemId}`;
    expectError(
      await server.call('POST', `${eco}/users/a%20b/tokens`, { bearer: seed.serverToken }),
      400,
      'USER_INVALID',
    );
    expectError(
      await server.call('POST', `${eco}/users/nobody/tokens`, { bearer: seed.serverToken }),
      404,
      'USER_NOT_FOUND',
    );
    expectError(
      await server.call('POST', '/v1/ecosystems/no-such-eco/users/alice/tokens', {
        bearer: TEST_ACCOUNT_TOKEN,
      }),
      404,
      'ECOSYSTEM_NOT_FOUND',
    );
    expectError(
      await server.call('POST', '/v1/ecosystems/%2Fbad/users/alice/tokens', { bearer: TEST_ACCOUNT_TOKEN }),
      400,
      'ECOSYSTEM_INVALID',
    );
  });

  it('answers 401 without a credential and 403 for a server token of another ecosystem', async () => {
    const other = await seedThroughApi(server);
    expectError(await server.call('POST', tokens), 401, 'UNAUTHORIZED');
    expectError(await server.call('POST', tokens, { bearer: other.serverToken }), 403, 'FORBIDDEN', [
      other.serverToken,
    ]);
  });
});
