// The shared middy stack: one log line per request that never holds a token or secret, the error
// envelope, and the route table's consistency with the handlers that serve it.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adminActions } from '../../../functions/admin/handler.ts';
import type { Deps } from '../../../functions/core/deps.ts';
import { parseExpiry } from '../../../functions/core/expiry.ts';
import { issueToken } from '../../../functions/core/issue-token.ts';
import { createHttpFunction, errorResult, json } from '../../../functions/http/http-function.ts';
import { ROUTES } from '../../../functions/http/routes.ts';
import { toEvent } from '../../../functions/local/server.ts';
import { createHandler as verify } from '../../../functions/verify/handler.ts';
import { seededDeps, TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';

const context = {} as Context;

function event(method: string, path: string, body?: unknown, authorization?: string) {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const request = { url: path, method, headers, httpVersion: '1.1', socket: { remoteAddress: '127.0.0.1' } };
  const bytes = Buffer.from(body === undefined ? '' : JSON.stringify(body));
  return toEvent(request as never, bytes);
}

describe('createHttpFunction', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs one line per request with the route and status, and never the token', async () => {
    const deps = await seededDeps();
    const { token } = await issueToken(deps, {
      ecosystemId: 'eco1',
      userId: 'alice',
      expiry: parseExpiry({}, deps.config.maxTtlSeconds),
    });
    const lines: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk) => {
        lines.push(String(chunk));
        return true;
      });
    }
    const handler = verify(deps, new Logger({ serviceName: 'tessera', logLevel: 'INFO' }));
    const request = event('POST', '/v1/tokens/verify', { token }, `Bearer ${TEST_ACCOUNT_TOKEN}`);
    const answer = await handler(request, context);
    const failed = await handler(event('POST', '/v1/tokens/verify', { token: `${token}x` }), context);
    vi.restoreAllMocks();

    expect(JSON.parse(answer.body ?? '')).toMatchObject({ valid: true, userId: 'alice' });
    expect(failed.statusCode).toBe(401);
    const output = lines.join('');
    const logLines = output
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(logLines).toEqual([
      expect.objectContaining({ message: 'request', route: 'verifyToken', status: 200 }),
      expect.objectContaining({
        message: 'request',
        route: 'verifyToken',
        status: 401,
        code: 'TOKEN_STRUCTURE_INVALID',
      }),
    ]);
    expect(output).not.toContain(token.split('.')[2]);
    expect(output).not.toContain(TEST_ACCOUNT_TOKEN);
  });

  it('answers a fault as a generic 500 that names nothing internal', () => {
    const result = errorResult(new Error('secret database detail at /srv/app.js:1:1'), '/v1/tokens/verify');
    expect(result.status).toBe(500);
    expect(JSON.stringify(result.body)).not.toContain('secret database detail');
    expect(result.body).toEqual({ error: { code: 'INTERNAL_ERROR', message: expect.any(String) } });
  });
});

describe('the route table', () => {
  it('gives every admin route an action, and every action a route', () => {
    const adminRoutes = ROUTES.filter((r) => r.function === 'admin').map((r) => r.id);
    expect(Object.keys(adminActions).sort()).toEqual([...adminRoutes].sort());
  });

  it('refuses at compile time a function whose actions miss one of its routes or name another', () => {
    const answer = async () => json(200, {});
    // @ts-expect-error: the verify function serves GET /v1/me too, and has no action for it here
    const missing = createHttpFunction('verify', { verifyToken: answer }, {} as Deps);
    const foreign = createHttpFunction(
      'verify',
      // @ts-expect-error: jwks is a route of the keys function, not of verify
      { verifyToken: answer, me: answer, jwks: answer },
      {} as Deps,
    );
    expect([typeof missing, typeof foreign]).toEqual(['function', 'function']);
  });

  it('has no two routes with the same method and path', () => {
    const keys = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
