// Hostile input through the handlers as AWS invokes them: HTTP API 2.0 and REST 1.0 proxy events and,
// where the field exists, direct invocation. The same answers as over the local server (API.md v1.1
// "numbers and names"); test/integration/http/hostile-input.test.ts covers real HTTP.
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createHandler as admin } from '../../../functions/admin/handler.ts';
import { formatServerToken } from '../../../functions/core/credentials.ts';
import type { Deps } from '../../../functions/core/deps.ts';
import { createHandler as issue } from '../../../functions/issue/handler.ts';
import { createHandler as refresh } from '../../../functions/refresh/handler.ts';
import { createHandler as verify } from '../../../functions/verify/handler.ts';
import { issueFor, seededDeps, TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { httpApiEvent, type RequestParts, restApiEvent } from './fixture-events.ts';

const SERVER_TOKEN = formatServerToken('eco1', 'st1', 'secret');

type Handler = (event: unknown) => Promise<unknown>;
type Answer = { statusCode: number; body: string };

/** Both payload versions of one request, for a test that runs each through the same handler. */
const PAYLOADS: [string, (method: string, path: string, parts?: RequestParts) => unknown][] = [
  ['an HTTP API 2.0 event', (m, p, parts): APIGatewayProxyEventV2 => httpApiEvent(m, p, parts)],
  ['a REST 1.0 event', (m, p, parts): APIGatewayProxyEvent => restApiEvent(m, p, parts)],
];

async function call(
  handler: Handler,
  event: unknown,
): Promise<{ status: number; code: string; message: string }> {
  const answer = (await handler(event)) as Answer;
  const body = JSON.parse(answer.body);
  return { status: answer.statusCode, code: body.error?.code, message: body.error?.message };
}

const handlers = (deps: Deps) => ({
  admin: admin(deps) as Handler,
  issue: issue(deps) as Handler,
  verify: verify(deps) as Handler,
  refresh: refresh(deps) as Handler,
});

describe.each(PAYLOADS)('hostile input in %s', (_, event) => {
  it('refuses a token member that is null with BODY_INVALID, never falling back to the bearer', async () => {
    const deps = await seededDeps();
    const { token } = await issueFor(deps, { expiryType: 'Infinite' });
    const { admin, verify, refresh } = handlers(deps);
    const parts = { bearer: token, body: { token: null } };
    for (const [handler, path] of [
      [verify, '/v1/tokens/verify'],
      [refresh, '/v1/tokens/refresh'],
      [admin, '/v1/tokens/revoke'],
    ] as const) {
      expect(await call(handler, event('POST', path, parts))).toMatchObject({
        status: 400,
        code: 'BODY_INVALID',
      });
    }
    const still = (await verify(event('POST', '/v1/tokens/verify', { bearer: token }))) as Answer;
    expect(JSON.parse(still.body)).toMatchObject({ valid: true });
  });

  it('refuses a number that would be rewritten, naming the member, and stores or signs nothing', async () => {
    const deps = await seededDeps();
    const { admin, issue } = handlers(deps);
    const account = { bearer: TEST_ACCOUNT_TOKEN };
    for (const n of ['1e309', '9007199254740993', '1'.repeat(100), '0.12345678901234567890']) {
      const put = event('PUT', '/v1/ecosystems/eco1/users/bob', {
        ...account,
        body: `{"metadata":{"n":${n}}}`,
      });
      expect(await call(admin, put)).toMatchObject({
        status: 400,
        code: 'METADATA_INVALID',
        message: /metadata\.n/,
      });
      const claims = { bearer: SERVER_TOKEN, body: `{"claims":{"n":${n}}}` };
      const issued = event('POST', '/v1/ecosystems/eco1/users/alice/tokens', claims);
      expect(await call(issue, issued)).toMatchObject({
        status: 400,
        code: 'CLAIMS_INVALID',
        message: /claims\.n/,
      });
    }
    expect(await deps.directory.getUser('eco1', 'bob')).toBeUndefined();
    expect(await deps.tokens.listUserTokens('eco1', 'alice')).toEqual([]);
  });

  it('refuses a raw ";" in an id with ECOSYSTEM_INVALID or USER_INVALID, after the credential check', async () => {
    const { admin, issue } = handlers(await seededDeps());
    const account = { bearer: TEST_ACCOUNT_TOKEN };
    expect(await call(admin, event('GET', '/v1/ecosystems/eco;1'))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await call(admin, event('GET', '/v1/ecosystems/eco;1', account))).toMatchObject({
      status: 400,
      code: 'ECOSYSTEM_INVALID',
    });
    const user = '/v1/ecosystems/eco1/users/al;ice';
    expect(await call(admin, event('GET', user, account))).toMatchObject({
      status: 400,
      code: 'USER_INVALID',
    });
    expect(await call(issue, event('POST', `${user}/tokens`, account))).toMatchObject({
      code: 'USER_INVALID',
    });
    const compat = (await issue(event('POST', '/api/users/eco1;alice/tokens', account))) as Answer;
    expect(compat.statusCode).toBe(200);
  });

  it('counts an ecosystem name in code points', async () => {
    const { admin } = handlers(await seededDeps());
    const name = '😀'.repeat(200);
    const created = (await admin(
      event('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: { name } }),
    )) as Answer;
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(created.body).name).toBe(name);
  });

  it('refuses a usage range with from but not to', async () => {
    const { admin } = handlers(await seededDeps());
    const usage = event('GET', '/v1/ecosystems/eco1/usage', { bearer: SERVER_TOKEN });
    // the query: both fixtures take it in their own shape
    const withFrom = addQuery(usage, 'from', '2026-11-01');
    expect(await call(admin, withFrom)).toMatchObject({ status: 400, code: 'BODY_INVALID' });
  });
});

/** The event with one query field added, in its payload version's shape. */
function addQuery(event: unknown, name: string, value: string): unknown {
  const e = event as Record<string, unknown>;
  if (e.version === '2.0') return { ...e, rawQueryString: `${name}=${value}` };
  return {
    ...e,
    queryStringParameters: { [name]: value },
    multiValueQueryStringParameters: { [name]: [value] },
  };
}

describe('hostile input in a direct invocation', () => {
  it('refuses a token that is not a string with BODY_INVALID, on verify and refresh', async () => {
    const deps = await seededDeps();
    for (const token of [null, 42, { a: 1 }, ['x'], true]) {
      expect(await verify(deps)({ token })).toMatchObject({ valid: false, error: { code: 'BODY_INVALID' } });
      expect(await refresh(deps)({ token })).toMatchObject({ error: { code: 'BODY_INVALID' } });
    }
  });

  it('refuses claims holding what Lambda parsed from an unsafe number, naming the member', async () => {
    const deps = await seededDeps();
    // JSON.parse read 9007199254740993 as 2^53 and 1e309 as Infinity before the handler saw the event.
    for (const n of [JSON.parse('9007199254740993'), JSON.parse('1e309'), Number('1'.repeat(100))]) {
      const answer = await issue(deps)({ ecosystemId: 'eco1', userId: 'alice', claims: { deep: { n } } });
      expect(answer).toMatchObject({
        error: { code: 'CLAIMS_INVALID', message: expect.stringContaining('claims.deep.n') },
      });
    }
    expect(await deps.tokens.listUserTokens('eco1', 'alice')).toEqual([]);
  });
});
