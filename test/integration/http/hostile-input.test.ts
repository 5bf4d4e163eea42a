// Hostile input over real HTTP on the local server, each answered the contract's way (API.md, v1.1
// "numbers and names"): request targets no client library would send, a `token` member that is not a
// string, numbers JSON.parse would rewrite, a raw `;` in an id, lengths in code points, half a usage range.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import type { CallResult } from '../../helpers/server.ts';
import { useSeededServer } from '../../helpers/use-test-server.ts';
import { expectError } from './expect-error.ts';
import { tokenCalls } from './token-calls.ts';

const { server, seed } = useSeededServer();
const { issue, verify } = tokenCalls(server);
const account = { bearer: TEST_ACCOUNT_TOKEN };

/** Sends `target` as the request target exactly as written, which fetch cannot (it always sends a path). */
function rawTarget(method: string, target: string): Promise<CallResult> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sent = request({ hostname, port, method, path: target }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (typeof value === 'string') headers.set(name, value);
        }
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers, body, text });
      });
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** The headers every JSON answer of the API carries, error answers included. */
function expectJsonHeaders(result: CallResult): void {
  expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(result.headers.get('cache-control')).toBe('no-store');
  expect(result.headers.get('x-content-type-options')).toBe('nosniff');
}

describe('a request target that is no path of ours', () => {
  it.each([
    ['an unclosed IPv6 host', 'http://['],
    ['a port out of range', 'http://a:99999/'],
    ['a percent-encoded space in the host', 'http://a%20b/'],
    ['an empty host', 'http:///v1/ecosystems'],
    ['the asterisk form', '*'],
  ])('answers %s with 404 ROUTE_NOT_FOUND, the error body and the JSON headers', async (_, target) => {
    const result = await rawTarget('GET', target);
    expectError(result, 404, 'ROUTE_NOT_FOUND');
    expectJsonHeaders(result);
  });

  it.each([
    ['another scheme', 'mailto:someone@example.com'],
    ['a bare word', 'v1/ecosystems'],
  ])(
    "answers %s, which Node's HTTP parser refuses before routing, with 400 BODY_INVALID and the error body",
    async (_, target) => {
      const result = await rawTarget('GET', target);
      expectError(result, 400, 'BODY_INVALID');
      expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
    },
  );

  it('serves an absolute-form target by its path, as RFC 9112 asks of a server', async () => {
    const jwks = await rawTarget('GET', 'http://tessera.example/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    const listed = await rawTarget('GET', `HTTP://tessera.example/v1/ecosystems/${seed.ecosystemId}`);
    expectError(listed, 401, 'UNAUTHORIZED'); // the path's own answer: no credential was sent
    expectError(await rawTarget('GET', 'http://tessera.example/nope?x=1'), 404, 'ROUTE_NOT_FOUND');
  });
});

describe('the token member', () => {
  const userPath = () => `/v1/ecosystems/${seed.ecosystemId}/users/alice`;

  it.each([
    ['null', null],
    ['a number', 42],
    ['an object', { token: 'x' }],
    ['an array', ['x']],
    ['a boolean', true],
  ])('is BODY_INVALID as %s, even with a valid token as the bearer', async (_, value) => {
    const { token } = await issue(userPath(), seed.serverToken, '?expiryType=Infinite');
    for (const path of ['/v1/tokens/verify', '/v1/tokens/refresh', '/v1/tokens/revoke']) {
      const result = await server.call('POST', path, { bearer: token, body: { token: value } });
      expectError(result, 400, 'BODY_INVALID', [token]);
      expectJsonHeaders(result);
    }
    // Neither the refused refresh nor the refused revoke touched the bearer's token.
    expect((await verify(token)).body).toMatchObject({ valid: true });
  });
});

describe('numbers in metadata and claims', () => {
  const userPath = (userId: string) => `/v1/ecosystems/${seed.ecosystemId}/users/${userId}`;

  it.each([
    ['1e309', 'beyond the largest double'],
    ['-1e400', 'beyond the largest double, negative'],
    ['9007199254740993', '2^53 + 1'],
    ['-9007199254740992', '-2^53'],
    ['1'.repeat(100), 'a 100-digit integer'],
    ['0.12345678901234567890', 'more digits than a double keeps'],
    ['1e-400', 'below the smallest double'],
  ])(
    'refuses %s (%s) in metadata with METADATA_INVALID naming the member, storing nothing',
    async (number) => {
      const body = `{"metadata":{"plan":"pro","nested":{"n":[1,${number}]}}}`;
      const result = await server.call('PUT', userPath('numbers'), { ...account, body });
      expectError(result, 400, 'METADATA_INVALID');
      expect(result.body.error.message).toContain('nested.n[1]');
      expectError(await server.call('GET', userPath('numbers'), account), 404, 'USER_NOT_FOUND');
    },
  );

  it('refuses such a number in claims with CLAIMS_INVALID naming the member, signing nothing', async () => {
    for (const number of ['1e309', '9007199254740993', '1'.repeat(100)]) {
      const result = await server.call('POST', `${userPath('alice')}/tokens`, {
        bearer: seed.serverToken,
        body: `{"claims":{"score":${number}}}`,
      });
      expectError(result, 400, 'CLAIMS_INVALID', [seed.serverToken]);
      expect(result.body.error.message).toContain('score');
    }
  });

  it('keeps every number that survives the round trip, in metadata and in the signed claims', async () => {
    const numbers =
      '{"tenth":0.1,"one":1.0,"hundred":1e2,"max":9007199254740991,"min":-9007199254740991,"tiny":1.5e-7}';
    const kept = {
      tenth: 0.1,
      one: 1,
      hundred: 100,
      max: 9007199254740991,
      min: -9007199254740991,
      tiny: 1.5e-7,
    };
    const put = await server.call('PUT', userPath('exact'), { ...account, body: `{"metadata":${numbers}}` });
    expect(put.status).toBe(201);
    expect(put.body.metadata).toEqual(kept);
    const issued = await server.call('POST', `${userPath('exact')}/tokens`, {
      bearer: seed.serverToken,
      body: `{"claims":${numbers}}`,
    });
    expect(issued.status).toBe(200);
    const payload = Buffer.from(issued.body.token.split('.')[1], 'base64url').toString('utf8');
    expect(payload).toContain('"max":9007199254740991,"min":-9007199254740991');
    expect((await verify(issued.body.token)).body).toMatchObject({ claims: kept, metadata: kept });
  });
});

describe('a raw ";" in an id on the /v1 routes', () => {
  it('is ECOSYSTEM_INVALID after the credential check', async () => {
    expectError(await server.call('GET', '/v1/ecosystems/eco;1'), 401, 'UNAUTHORIZED');
    expectError(await server.call('GET', '/v1/ecosystems/eco;1', account), 400, 'ECOSYSTEM_INVALID');
    const users = await server.call('GET', '/v1/ecosystems/eco;1/users/alice', account);
    expectError(users, 400, 'ECOSYSTEM_INVALID');
  });

  it('is USER_INVALID after the credential check, on the user and token routes', async () => {
    const user = `/v1/ecosystems/${seed.ecosystemId}/users/al;ice`;
    expectError(await server.call('GET', user), 401, 'UNAUTHORIZED');
    expectError(await server.call('GET', user, { bearer: seed.serverToken }), 400, 'USER_INVALID');
    const issued = await server.call('POST', `${user}/tokens`, { bearer: seed.serverToken });
    expectError(issued, 400, 'USER_INVALID');
    const revoked = await server.call('DELETE', `${user}/tokens/t1`, { bearer: seed.serverToken });
    expectError(revoked, 400, 'USER_INVALID');
  });

  it('still separates the two ids of the compatible route, and refuses a second ";" as USER_INVALID', async () => {
    const compat = `/api/users/${seed.ecosystemId};alice/tokens`;
    expect((await server.call('POST', compat, { bearer: seed.serverToken })).status).toBe(200);
    const twice = `/api/users/${seed.ecosystemId};al;ice/tokens`;
    expectError(await server.call('POST', twice, { bearer: seed.serverToken }), 400, 'USER_INVALID');
  });
});

describe('lengths of names', () => {
  it('counts an ecosystem name in code points: 200 emoji are 200 characters, 201 are too many', async () => {
    const name = '😀'.repeat(200);
    const created = await server.call('POST', '/v1/ecosystems', { ...account, body: { name } });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe(name);
    const long = await server.call('POST', '/v1/ecosystems', { ...account, body: { name: `${name}😀` } });
    expectError(long, 400, 'BODY_INVALID');
  });
});

describe('the usage range', () => {
  const usage = (query: string) =>
    server.call('GET', `/v1/ecosystems/${seed.ecosystemId}/usage${query}`, { bearer: seed.serverToken });

  it('takes both bounds or neither: from alone is BODY_INVALID, as to alone is', async () => {
    expectError(await usage('?from=2026-11-01'), 400, 'BODY_INVALID');
    expectError(await usage('?to=2026-11-30'), 400, 'BODY_INVALID');
    expect((await usage('?from=2026-11-01&to=2026-11-30')).status).toBe(200);
    expect((await usage('')).status).toBe(200);
  });
});
