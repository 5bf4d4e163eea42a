// Each function fed the events it meets in AWS: HTTP API 2.0 and REST 1.0 proxy events, and plain JSON from
// another Lambda, answering in the event's own shape with the API.md envelope and codes.
import { describe, expect, it } from 'vitest';
import { createHandler as admin } from '../../../functions/admin/handler.ts';
import { formatServerToken } from '../../../functions/core/credentials.ts';
import type { Deps } from '../../../functions/core/deps.ts';
import { createHandler as issue } from '../../../functions/issue/handler.ts';
import { createHandler as keys } from '../../../functions/keys/handler.ts';
import { createHandler as refresh } from '../../../functions/refresh/handler.ts';
import { createHandler as verify } from '../../../functions/verify/handler.ts';
import { seededDeps, TEST_ACCOUNT_TOKEN, type TestDeps } from '../../helpers/deps.ts';
import { httpApiEvent, restApiEvent } from './fixture-events.ts';

const SERVER_TOKEN = formatServerToken('eco1', 'st1', 'secret');

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
type Json = any;

async function seeded(): Promise<TestDeps> {
  const deps = await seededDeps();
  return deps;
}

async function issueFor(deps: Deps, query = 'expiryType=FixedTtl&ttl=600'): Promise<string> {
  const answer = await issue(deps)(
    httpApiEvent('POST', `/v1/ecosystems/eco1/users/alice/tokens?${query}`, { bearer: SERVER_TOKEN }),
  );
  return JSON.parse(answer.body ?? '').token;
}

describe('the HTTP front doors', () => {
  it('answers a REST 1.0 event as it answers an HTTP API 2.0 event, in the REST response shape', async () => {
    const deps = await seeded();
    const token = await issueFor(deps);
    const handler = verify(deps);
    const v2 = await handler(httpApiEvent('POST', '/v1/tokens/verify', { body: { token } }));
    const v1 = await handler(restApiEvent('POST', '/v1/tokens/verify', { body: { token } }));
    expect(v1.statusCode).toBe(200);
    expect(v1.isBase64Encoded).toBe(false);
    expect(v1.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(v1.body)).toMatchObject({ valid: true, userId: 'alice', ecosystemId: 'eco1' });
    expect(JSON.parse(v2.body ?? '')).toMatchObject({ valid: true, tokenId: JSON.parse(v1.body).tokenId });
  });

  it('issues over REST with the token in a base64 body and the Authorization header in any case', async () => {
    const deps = await seeded();
    const answer = await issue(deps)(
      restApiEvent('POST', '/v1/ecosystems/eco1/users/alice/tokens', {
        headers: { AUTHORIZATION: `Bearer ${SERVER_TOKEN}` },
        query: { expiryType: ['SlidingTtl'], ttl: ['900'] },
        body: { claims: { role: 'reader' } },
        base64: true,
      }),
    );
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ expiryType: 'SlidingTtl', ttl: 900 });
  });

  it('refuses a query field REST delivers twice, as the HTTP API does', async () => {
    const deps = await seeded();
    const answer = await issue(deps)(
      restApiEvent('POST', '/v1/ecosystems/eco1/users/alice/tokens', {
        bearer: SERVER_TOKEN,
        query: { ttl: ['60', '7200'] },
      }),
    );
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body).error.code).toBe('QUERY_FIELD_NOT_ALLOWED');
  });

  it('serves the compatible route with its ";" segment, as sent or percent-encoded, on both payloads', async () => {
    const deps = await seeded();
    const handler = issue(deps);
    const plain = await handler(
      restApiEvent('POST', '/api/users/eco1;alice/tokens', { bearer: SERVER_TOKEN }),
    );
    const encoded = await handler(
      httpApiEvent('POST', '/api/users/eco1%3Balice/tokens?ttl=60', { bearer: SERVER_TOKEN }),
    );
    expect(plain.statusCode).toBe(200);
    expect(encoded.statusCode).toBe(200);
    expect(JSON.parse(encoded.body ?? '').ttl).toBe(60);
  });

  it('answers an unknown route 404 and a wrong method 405 with Allow, on a REST event', async () => {
    const deps = await seeded();
    const handler = admin(deps);
    const missing = await handler(restApiEvent('GET', '/v1/nothing-here'));
    const wrong = await handler(restApiEvent('PATCH', '/v1/ecosystems/eco1', { bearer: TEST_ACCOUNT_TOKEN }));
    expect([missing.statusCode, JSON.parse(missing.body).error.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    expect([wrong.statusCode, JSON.parse(wrong.body).error.code]).toEqual([405, 'METHOD_NOT_ALLOWED']);
    expect(wrong.headers?.allow).toBe('GET, HEAD, DELETE');
  });

  it('refuses a REST body over 16 KiB with 413', async () => {
    const deps = await seeded();
    const answer = await verify(deps)(
      restApiEvent('POST', '/v1/tokens/verify', { body: { token: 'x'.repeat(17 * 1024) } }),
    );
    expect(answer.statusCode).toBe(413);
    expect(JSON.parse(answer.body).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a broken dependency with a generic 500 on HTTP and a generic error on a direct call', async () => {
    const failing = async (): Promise<Deps> => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:8000 (internal detail)');
    };
    const handler = verify(failing);
    const http = await handler(restApiEvent('POST', '/v1/tokens/verify', { body: { token: 'a.b.c' } }));
    const direct = (await handler({ token: 'a.b.c' })) as Json;
    expect(http.statusCode).toBe(500);
    expect(http.body).not.toContain('ECONNREFUSED');
    expect(direct).toEqual({ valid: false, error: { code: 'INTERNAL_ERROR', message: expect.any(String) } });
    expect(JSON.stringify(direct)).not.toContain('ECONNREFUSED');
  });
});

describe('GET /v1/me', () => {
  const context = {
    userId: 'alice',
    ecosystemId: 'eco1',
    tokenId: 't1',
    expiryType: 'FixedTtl',
    claims: '{"role":"reader"}',
    metadata: '{"plan":"pro"}',
  };

  it('answers who the authorizer let through, from its context, on both payloads', async () => {
    const handler = verify(await seeded());
    const v2 = await handler(httpApiEvent('GET', '/v1/me', { authorizer: context }));
    const v1 = await handler(restApiEvent('GET', '/v1/me', { authorizer: context }));
    const expected = { userId: 'alice', ecosystemId: 'eco1', tokenId: 't1', expiryType: 'FixedTtl' };
    expect(JSON.parse(v2.body ?? '')).toEqual({ ...expected, claims: { role: 'reader' } });
    expect(JSON.parse(v1.body)).toEqual({ ...expected, claims: { role: 'reader' } });
  });

  it('refuses with 401 when no authorizer ran, even with a valid user token', async () => {
    const deps = await seeded();
    const token = await issueFor(deps);
    const answer = await verify(deps)(httpApiEvent('GET', '/v1/me', { bearer: token }));
    expect(answer.statusCode).toBe(401);
    expect(JSON.parse(answer.body ?? '').error.code).toBe('UNAUTHORIZED');
  });
});

describe('direct invocation', () => {
  it('issues from a plain event, ttl as a number, and answers plain JSON', async () => {
    const deps = await seeded();
    const answer = (await issue(deps)({
      ecosystemId: 'eco1',
      userId: 'alice',
      expiryType: 'SlidingTtl',
      ttl: 900,
      maxTtl: 3600,
      claims: { role: 'reader' },
    })) as Json;
    expect(answer).toMatchObject({ expiryType: 'SlidingTtl', ttl: 900, token: expect.any(String) });
    expect(answer.statusCode).toBeUndefined();
    const verified = (await verify(deps)({ token: answer.token })) as Json;
    expect(verified).toMatchObject({ valid: true, userId: 'alice', claims: { role: 'reader' } });
  });

  it('answers every client mistake with an error body instead of throwing', async () => {
    const deps = await seeded();
    const handler = issue(deps);
    const cases: [unknown, string][] = [
      [{ ecosystemId: 'eco1', userId: 'alice', colour: 'red' }, 'BODY_INVALID'],
      [{ ecosystemId: 'eco1', userId: 'no spaces' }, 'USER_INVALID'],
      [{ ecosystemId: '', userId: 'alice' }, 'ECOSYSTEM_INVALID'],
      [{ ecosystemId: 'eco2', userId: 'alice' }, 'ECOSYSTEM_NOT_FOUND'],
      [{ ecosystemId: 'eco1', userId: 'bob' }, 'USER_NOT_FOUND'],
      [{ ecosystemId: 'eco1', userId: 'alice', ttl: 1.5 }, 'TOKEN_DURATION_INVALID'],
      [{ ecosystemId: 'eco1', userId: 'alice', expiryType: 'Weekly' }, 'TOKEN_EXPIRATION_TYPE_INVALID'],
      [{ ecosystemId: 'eco1', userId: 'alice', claims: { sub: 'mallory' } }, 'CLAIMS_INVALID'],
      ['a string', 'BODY_INVALID'],
      [null, 'BODY_INVALID'],
      [{ ecosystemId: 'eco1', userId: 'alice', claims: { pad: 'x'.repeat(17 * 1024) } }, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [event, code] of cases) {
      const answer = (await handler(event)) as Json;
      expect({ event, answer }).toEqual({ event, answer: { error: { code, message: expect.any(String) } } });
    }
  });

  it('answers a refused token to verify as {"valid": false, "error"}', async () => {
    const deps = await seeded();
    const token = await issueFor(deps);
    const handler = verify(deps);
    const [head, payload] = token.split('.');
    expect(await handler({ token: `${head}.${payload}.${'A'.repeat(86)}` })).toEqual({
      valid: false,
      error: { code: 'TOKEN_SIGNATURE_INVALID', message: expect.any(String) },
    });
    expect(await handler({})).toEqual({
      valid: false,
      error: { code: 'BODY_INVALID', message: expect.any(String) },
    });
    deps.clock.advance(601);
    expect(await handler({ token })).toMatchObject({ valid: false, error: { code: 'TOKEN_EXPIRED' } });
  });

  it('refreshes from {"token"}: the successor verifies and the presented token is rotated away', async () => {
    const deps = await seeded();
    const token = await issueFor(deps);
    const answer = (await refresh(deps)({ token })) as Json;
    expect(answer).toMatchObject({ expiryType: 'FixedTtl', token: expect.any(String) });
    expect(await verify(deps)({ token: answer.token })).toMatchObject({ valid: true });
    deps.clock.advance(deps.config.refreshGraceSeconds + 1);
    expect(await verify(deps)({ token })).toMatchObject({ valid: false, error: { code: 'TOKEN_REVOKED' } });
    expect(await refresh(deps)({ token: 42 })).toMatchObject({ error: { code: 'BODY_INVALID' } });
  });

  it('answers the JWKS to keys, and ROUTE_NOT_FOUND from admin, which is HTTP only', async () => {
    const deps = await seeded();
    const jwks = (await keys(deps)({})) as Json;
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kty: 'EC', crv: 'P-256', kid: await deps.signer.kid() }),
    ]);
    expect(await admin(deps)({ ecosystemId: 'eco1' })).toEqual({
      error: { code: 'ROUTE_NOT_FOUND', message: expect.any(String) },
    });
  });
});

describe('an event that looks like HTTP but cannot be read', () => {
  it('answers a generic 500 in the envelope instead of throwing', async () => {
    const event = restApiEvent('GET', '/.well-known/jwks.json');
    (event as unknown as { multiValueHeaders: unknown }).multiValueHeaders = { Accept: 'not-a-list' };
    (event as unknown as { multiValueQueryStringParameters: unknown }).multiValueQueryStringParameters = {
      a: 7,
    };
    const answer = await keys(await seeded())(event);
    expect(answer.statusCode).toBe(500);
    expect(JSON.parse(answer.body).error.code).toBe('INTERNAL_ERROR');
  });
});
