// The function the stack's $default route sends unmatched requests to answers them as every other front
// door does: 404 ROUTE_NOT_FOUND or 405 METHOD_NOT_ALLOWED in the error envelope, before needing any AWS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../infra/bundle.ts';
import { FALLBACK_FUNCTION } from '../../infra/tessera-stack.ts';

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> }>;

const fixture = JSON.parse(
  readFileSync(join(ROOT, 'test/fixtures/events/http-api-v2.json'), 'utf8'),
) as APIGatewayProxyEventV2;

function unmatched(method: string, path: string): APIGatewayProxyEventV2 {
  const { body: _body, ...rest } = fixture;
  return {
    ...rest,
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    isBase64Encoded: false,
    requestContext: { ...fixture.requestContext, http: { ...fixture.requestContext.http, method, path } },
  };
}

describe(`the $default route's function (${FALLBACK_FUNCTION})`, async () => {
  const { createHandler } = (await import(join(ROOT, 'functions', FALLBACK_FUNCTION, 'handler.ts'))) as {
    createHandler: (deps: () => Promise<never>) => HttpHandler;
  };
  const handler = createHandler(() => Promise.reject(new Error('an unmatched request needs no dependency')));

  it('answers an unknown path with 404 ROUTE_NOT_FOUND', async () => {
    const answer = await handler(unmatched('GET', '/v2/nothing'), {} as Context);
    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(answer.body ?? '')).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('answers a known path with another method with 405 METHOD_NOT_ALLOWED and Allow', async () => {
    const answer = await handler(unmatched('PATCH', '/v1/ecosystems/acme'), {} as Context);
    expect(answer.statusCode).toBe(405);
    expect(JSON.parse(answer.body ?? '')).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
    expect(answer.headers?.allow).toBe('GET, HEAD, DELETE');
  });
});
