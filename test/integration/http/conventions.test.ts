// API.md's conventions over real HTTP: body rules, size limit, unknown routes and methods, query fields,
// the error envelope and its headers, and credentials checked before input.
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';

const { server, seed } = useSeededServer();

const account = { bearer: TEST_ACCOUNT_TOKEN };

describe('request bodies', () => {
  it('refuses a body that is not JSON with BODY_INVALID', async () => {
    expectError(
      await server.call('POST', '/v1/ecosystems', { ...account, body: '{"name":' }),
      400,
      'BODY_INVALID',
      [TEST_ACCOUNT_TOKEN],
    );
  });

  it('refuses a body that is not UTF-8 with BODY_INVALID, and keeps UTF-8 text as sent', async () => {
    const path = `/v1/ecosystems/${seed.ecosystemId}/users/zoe`;
    const latin1 = Buffer.from('{"metadata":{"city":"Zürich"}}', 'latin1');
    expectError(await server.call('PUT', path, { ...account, body: latin1 }), 400, 'BODY_INVALID');
    const utf8 = Buffer.from('{"metadata":{"city":"Zürich 東京 🚀"}}', 'utf8');
    const created = await server.call('PUT', path, { ...account, body: utf8 });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toEqual({ city: 'Zürich 東京 🚀' });
  });

  it('refuses JSON that is not an object with BODY_INVALID', async () => {
    for (const body of ['[]', '"name"', '42', 'null']) {
      expectError(await server.call('POST', '/v1/ecosystems', { ...account, body }), 400, 'BODY_INVALID');
    }
  });

  it('refuses a member given twice with BODY_INVALID', async () => {
    const body = '{"name":"first","name":"second"}';
    expectError(await server.call('POST', '/v1/ecosystems', { ...account, body }), 400, 'BODY_INVALID');
  });

  it('refuses an unknown member with BODY_INVALID naming it', async () => {
    const result = await server.call('PUT', `/v1/ecosystems/${seed.ecosystemId}/users/bob`, {
      bearer: seed.serverToken,
      body: { metdata: { plan: 'pro' } },
    });
    expectError(result, 400, 'BODY_INVALID', [seed.serverToken]);
    expect(result.body.error.message).toContain('metdata');
  });

  it('refuses a body on a route that takes none with BODY_INVALID', async () => {
    const path = `/v1/ecosystems/${seed.ecosystemId}/users/nobody`;
    expectError(await server.call('DELETE', path, { ...account, body: {} }), 400, 'BODY_INVALID');
  });

  it('accepts a body of exactly 16 KiB as far as its size goes', async () => {
    const padding = 16 * 1024 - JSON.stringify({ metadata: { blob: '' } }).length;
    const body = JSON.stringify({ metadata: { blob: 'x'.repeat(padding) } });
    expect(Buffer.byteLength(body)).toBe(16 * 1024);
    const result = await server.call('PUT', `/v1/ecosystems/${seed.ecosystemId}/users/big`, {
      bearer: seed.serverToken,
      body,
    });
    // Past the size check, the metadata rule (4 KiB) is what refuses it.
    expectError(result, 400, 'METADATA_INVALID');
  });

  it('refuses a body over 16 KiB with 413 PAYLOAD_TOO_LARGE, and keeps serving afterwards', async () => {
    const path = `/v1/ecosystems/${seed.ecosystemId}/users/huge`;
    const body = JSON.stringify({ metadata: { blob: 'x'.repeat(17 * 1024) } });
    expectError(await server.call('PUT', path, { bearer: seed.serverToken, body }), 413, 'PAYLOAD_TOO_LARGE');
    const after = await server.call('GET', `/v1/ecosystems/${seed.ecosystemId}`, {
      bearer: seed.serverToken,
    });
    expect(after.status).toBe(200);
  });
});

describe('routes and methods', () => {
  it('answers an unknown path with 404 ROUTE_NOT_FOUND', async () => {
    expectError(await server.call('GET', '/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
    expectError(await server.call('POST', '/v2/ecosystems', account), 404, 'ROUTE_NOT_FOUND');
  });

  it('answers a known path with the wrong method with 405 METHOD_NOT_ALLOWED and an Allow header', async () => {
    const verify = await server.call('GET', '/v1/tokens/verify');
    expectError(verify, 405, 'METHOD_NOT_ALLOWED');
    expect(verify.headers.get('allow')).toBe('POST');

    const user = await server.call('PATCH', `/v1/ecosystems/${seed.ecosystemId}/users/alice`, account);
    expectError(user, 405, 'METHOD_NOT_ALLOWED');
    expect(user.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PUT']);
  });
});

describe('query fields', () => {
  it('refuses an undocumented query field with QUERY_FIELD_NOT_ALLOWED', async () => {
    const path = `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens?expiryType=FixedTtl&scope=admin`;
    const result = await server.call('POST', path, { bearer: seed.serverToken });
    expectError(result, 400, 'QUERY_FIELD_NOT_ALLOWED');
    expect(result.body.error.message).toContain('scope');
  });

  it('refuses a query field on a route that takes none', async () => {
    const result = await server.call('GET', `/v1/ecosystems/${seed.ecosystemId}?verbose=1`, account);
    expectError(result, 400, 'QUERY_FIELD_NOT_ALLOWED');
  });

  it('refuses a query field given twice', async () => {
    const path = `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens?ttl=60&ttl=120`;
    expectError(
      await server.call('POST', path, { bearer: seed.serverToken }),
      400,
      'QUERY_FIELD_NOT_ALLOWED',
    );
  });
});

describe('answers', () => {
  it('marks every JSON answer Cache-Control: no-store', async () => {
    const ok = await server.call('GET', `/v1/ecosystems/${seed.ecosystemId}`, account);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const error = await server.call('GET', '/v1/nothing-here');
    expect(error.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 401 with WWW-Authenticate: Bearer', async () => {
    const result = await server.call('GET', `/v1/ecosystems/${seed.ecosystemId}`);
    expectError(result, 401, 'UNAUTHORIZED');
    expect(result.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('checks credentials before input: a malformed path with no credential is 401', async () => {
    expectError(await server.call('GET', '/v1/ecosystems/-bad/users/-bad'), 401, 'UNAUTHORIZED');
  });

  it('checks credentials before the body and query: neither tells a caller without them anything', async () => {
    const user = `/v1/ecosystems/${seed.ecosystemId}/users/bob`;
    expectError(await server.call('PUT', user, { body: '{' }), 401, 'UNAUTHORIZED');
    expectError(await server.call('GET', `/v1/ecosystems/${seed.ecosystemId}?x=1`), 401, 'UNAUTHORIZED');
  });

  it('reads a path that starts with // as a path, not as a host', async () => {
    const result = await server.call('GET', '//v1/ecosystems', account);
    expectError(result, 404, 'ROUTE_NOT_FOUND');
    expect(result.body.error.message).toContain('//v1/ecosystems');
  });

  it('answers a server token on another ecosystem 403 whatever that ecosystem id looks like', async () => {
    const result = await server.call('GET', '/v1/ecosystems/-not-even-valid', { bearer: seed.serverToken });
    expectError(result, 403, 'FORBIDDEN', [seed.serverToken]);
  });
});
