// Property-based bad input against the local server: any path parameter, query, body or token string on any
// route is answered with a documented 2xx or 4xx in the API.md envelope, never a 5xx; and ids, names,
// metadata and claims come back exactly as sent, unicode included.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../functions/core/errors.ts';
import { inexactNumberPath } from '../../functions/core/strict-json.ts';
import { STATUS_OF } from '../../functions/http/status.ts';
import { TEST_ACCOUNT_TOKEN } from '../helpers/deps.ts';
import { type CallResult, seedThroughApi } from '../helpers/server.ts';
import { useTestServer } from '../helpers/use-test-server.ts';

const RUNS = 60;
const ID = /^[A-Za-z0-9][A-Za-z0-9._\-@:+]{0,127}$/;

/** Any text a client could put in a URL or a JSON string: every code point, surrogate pairs included. */
const anyText = (maxLength = 64) => fc.string({ unit: 'binary', maxLength });
const anyJson = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });
const anyObject = fc.dictionary(anyText(16), anyJson, { maxKeys: 6 });

/** The answer is a documented one: 2xx, or a 4xx whose status is its code's and whose body is the envelope. */
function expectDocumented(answer: CallResult): void {
  expect(answer.status, answer.text).toBeLessThan(500);
  if (answer.status < 400) return;
  const { code, message } = answer.body?.error ?? {};
  expect(Object.keys(STATUS_OF)).toContain(code);
  expect(STATUS_OF[code as ErrorCode]).toBe(answer.status);
  expect(typeof message === 'string' && message.length > 0).toBe(true);
  expect(message).not.toMatch(/\n\s+at /); // no stack trace
  expect(Object.keys(answer.body)).toEqual(['error']);
}

/** The JSON value a client gets back for what it sent: JSON itself cannot tell -0 from 0. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('bad input on every route', () => {
  const server = useTestServer();
  let eco: string;
  let serverToken: string;
  let serverTokenId: string;
  let genuine: string;

  beforeAll(async () => {
    ({ ecosystemId: eco, serverToken, serverTokenId } = await seedThroughApi(server));
    const issued = await server.call('POST', `/v1/ecosystems/${eco}/users/alice/tokens?expiryType=Infinite`, {
      bearer: serverToken,
    });
    genuine = issued.body.token;
  });

  /** Every route with one path parameter replaced by `value`, the others real. */
  const pathRoutes = (v: string): [string, string][] => [
    ['GET', `/v1/ecosystems/${v}`],
    ['DELETE', `/v1/ecosystems/${v}`],
    ['POST', `/v1/ecosystems/${v}/server-tokens`],
    ['GET', `/v1/ecosystems/${v}/server-tokens`],
    ['DELETE', `/v1/ecosystems/${eco}/server-tokens/${v}`],
    ['PUT', `/v1/ecosystems/${eco}/users/${v}`],
    ['GET', `/v1/ecosystems/${v}/users/alice`],
    ['GET', `/v1/ecosystems/${eco}/users/${v}`],
    ['DELETE', `/v1/ecosystems/${eco}/users/${v}`],
    ['POST', `/v1/ecosystems/${v}/users`],
    ['POST', `/v1/ecosystems/${eco}/users/${v}/tokens`],
    ['POST', `/api/users/${v};alice/tokens`],
    ['POST', `/api/users/${eco};${v}/tokens`],
    ['DELETE', `/v1/ecosystems/${eco}/users/${v}/tokens`],
    ['DELETE', `/v1/ecosystems/${eco}/users/alice/tokens/${v}`],
  ];

  it('answers any path parameter on any route with a documented status and envelope', async () => {
    await fc.assert(
      fc.asyncProperty(anyText(), fc.nat(14), fc.boolean(), async (value, index, encode) => {
        // Raw values reach the router too (fetch still escapes what a URL cannot hold).
        const segment = encode
          ? encodeURIComponent(value)
          : value.replaceAll('/', '%2F').replaceAll('?', '%3F').replaceAll('#', '%23');
        const [method, path] = pathRoutes(segment)[index] ?? ['GET', '/'];
        // Deletes aim at fresh ids only: they must not remove the seeded ecosystem, user or server token.
        if (method === 'DELETE' && [eco, 'alice', serverTokenId].includes(value)) return;
        expectDocumented(await server.call(method, path, { bearer: serverToken }));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('answers any query on the issue routes with a documented status, issuing only for valid ones', async () => {
    const field = fc.oneof(fc.constantFrom('expiryType', 'ttl', 'maxTtl'), anyText(12));
    const fieldValue = fc.oneof(
      fc.constantFrom('Infinite', 'FixedTtl', 'SlidingTtl', 'slidingttl', ''),
      fc.integer({ min: -5, max: 40_000_000 }).map(String),
      fc.constantFrom('1e3', '0x10', '3600.0', ' 60', '60 ', '+60', '9'.repeat(30), 'NaN', 'Infinity'),
      anyText(12),
    );
    const query = fc.oneof(
      fc
        .array(fc.tuple(field, fieldValue), { maxLength: 4 })
        .map((pairs) => new URLSearchParams(pairs).toString()),
      anyText(40).map(encodeURI),
    );
    await fc.assert(
      fc.asyncProperty(query, fc.boolean(), async (q, compat) => {
        const path = compat ? `/api/users/${eco};alice/tokens` : `/v1/ecosystems/${eco}/users/alice/tokens`;
        const answer = await server.call('POST', `${path}?${q}`, { bearer: serverToken });
        expectDocumented(answer);
        if (answer.status === 200) expect(typeof answer.body.token).toBe('string');
      }),
      { numRuns: RUNS * 2 },
    );
  });

  /** Every route that takes a body, with the credential it needs. */
  const bodyRoutes = (): [string, string, string | undefined][] => [
    ['POST', '/v1/ecosystems', TEST_ACCOUNT_TOKEN],
    ['POST', `/v1/ecosystems/${eco}/server-tokens`, serverToken],
    ['PUT', `/v1/ecosystems/${eco}/users/bob`, serverToken],
    ['POST', `/v1/ecosystems/${eco}/users`, serverToken],
    ['POST', `/v1/ecosystems/${eco}/users/alice/tokens`, serverToken],
    ['POST', `/api/users/${eco};alice/tokens`, serverToken],
    ['POST', '/v1/tokens/verify', undefined],
    ['POST', '/v1/tokens/refresh', undefined],
    ['POST', '/v1/tokens/revoke', undefined],
  ];

  it('answers any body on any route that takes one with a documented status and envelope', async () => {
    const memberNames = fc.constantFrom('name', 'metadata', 'claims', 'token', '__proto__', 'constructor');
    const body = fc.oneof(
      anyJson.map((v) => JSON.stringify(v)),
      fc.dictionary(memberNames, anyJson, { maxKeys: 3 }).map((v) => JSON.stringify(v)),
      anyText(200),
      fc.constantFrom(
        '{',
        '{"a":1,"a":2}',
        '{"token":"x","token":"y"}',
        '[]',
        'null',
        '\u0000',
        '{"metadata":{"a":"\\ud800"}}',
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.nat(8), async (text, index) => {
        const [method, path, bearer] = bodyRoutes()[index] ?? ['POST', '/v1/tokens/verify', undefined];
        const answer = await server.call(method, path, {
          bearer,
          body: text,
          headers: { 'content-type': 'application/json' },
        });
        expectDocumented(answer);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('answers any token string, and any one-character change of a genuine token, with a token 401', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
    const mutated = fc
      .tuple(fc.nat(), fc.constantFrom(...alphabet))
      .map(([at, c]) => {
        const i = at % genuine.length;
        return `${genuine.slice(0, i)}${c}${genuine.slice(i + 1)}`;
      })
      .filter((token) => token !== genuine);
    const token = fc.oneof(
      anyText(300),
      mutated,
      fc.array(fc.base64String({ maxLength: 40 }), { maxLength: 4 }).map((p) => p.join('.')),
    );
    await fc.assert(
      fc.asyncProperty(token, fc.constantFrom('verify', 'refresh', 'revoke'), async (t, action) => {
        const answer = await server.call('POST', `/v1/tokens/${action}`, { body: { token: t } });
        expectDocumented(answer);
        expect(answer.status).toBe(401);
        expect(answer.body.error.code).toMatch(/^TOKEN_/);
      }),
      { numRuns: RUNS * 2 },
    );
    expect((await server.call('POST', '/v1/tokens/verify', { body: { token: genuine } })).status).toBe(200);
  });
});

describe('round trips', () => {
  const server = useTestServer();
  let eco: string;
  let serverToken: string;

  beforeAll(async () => {
    ({ ecosystemId: eco, serverToken } = await seedThroughApi(server));
  });

  it('keeps any valid userId and any metadata up to 4 KiB exactly, unicode included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(ID), anyObject, async (userId, metadata) => {
        const path = `/v1/ecosystems/${eco}/users/${encodeURIComponent(userId)}`;
        const put = await server.call('PUT', path, { bearer: serverToken, body: { metadata } });
        expectDocumented(put);
        // Over 4 KiB, or a number JSON cannot carry exactly (beyond 2^53 - 1): refused (API.md v1.1).
        if (jsonBytes(metadata) > 4096 || inexactNumberPath(metadata, 'metadata') !== undefined) {
          expect(put.body.error.code).toBe('METADATA_INVALID');
          return;
        }
        expect([200, 201]).toContain(put.status);
        expect(put.body.userId).toBe(userId);
        const got = await server.call('GET', path, { bearer: serverToken });
        expect(got.status).toBe(200);
        expect(got.body.userId).toBe(userId);
        expect(got.body.metadata).toEqual(asJson(metadata));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses any userId outside the id rules with USER_INVALID', async () => {
    const bad = anyText(140).filter((s) => s.length > 0 && !ID.test(s) && s !== '.' && s !== '..');
    await fc.assert(
      fc.asyncProperty(bad, async (userId) => {
        const path = `/v1/ecosystems/${eco}/users/${encodeURIComponent(userId)}`;
        const answer = await server.call('GET', path, { bearer: serverToken });
        expectDocumented(answer);
        expect(answer.body.error.code).toBe('USER_INVALID');
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps any ecosystem name exactly', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), async (name) => {
        const created = await server.call('POST', '/v1/ecosystems', {
          bearer: TEST_ACCOUNT_TOKEN,
          body: { name },
        });
        expectDocumented(created);
        expect(created.status).toBe(201);
        const got = await server.call('GET', `/v1/ecosystems/${created.body.ecosystemId}`, {
          bearer: TEST_ACCOUNT_TOKEN,
        });
        expect(got.body.name).toBe(name);
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('carries any extra claims up to 2 KiB into the token and back out of verify exactly', async () => {
    const claimName = anyText(16).filter(
      (n) => !['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'].includes(n) && !n.startsWith('tsr:'),
    );
    const claims = fc.dictionary(claimName, anyJson, { maxKeys: 5 });
    await fc.assert(
      fc.asyncProperty(claims, async (extra) => {
        const path = `/v1/ecosystems/${eco}/users/alice/tokens?expiryType=Infinite`;
        const issued = await server.call('POST', path, { bearer: serverToken, body: { claims: extra } });
        expectDocumented(issued);
        if (jsonBytes(extra) > 2048 || inexactNumberPath(extra, 'claims') !== undefined) {
          expect(issued.body.error.code).toBe('CLAIMS_INVALID');
          return;
        }
        expect(issued.status).toBe(200);
        const verified = await server.call('POST', '/v1/tokens/verify', {
          body: { token: issued.body.token },
        });
        expect(verified.status).toBe(200);
        expect(verified.body.claims).toEqual(asJson(extra));
      }),
      { numRuns: RUNS },
    );
  });
});
