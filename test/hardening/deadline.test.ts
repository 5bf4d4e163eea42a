// A dependency that hangs, against the invocation's own deadline: the function answers the designed 503
// with Retry-After before Lambda would stop it (context.getRemainingTimeInMillis()), in the event's own
// shape, instead of letting the SDK's retries run past the timeout.
import { createServer, type Server, type Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../functions/adapters/dynamodb-store.ts';
import { createHandler as admin } from '../../functions/admin/handler.ts';
import { formatServerToken } from '../../functions/core/credentials.ts';
import { AWS_CALL_LIMITS, clientConfig } from '../../functions/runtime/aws-clients.ts';
import { createHandler as verify } from '../../functions/verify/handler.ts';
import { issueFor, seededDeps, type TestDeps } from '../helpers/deps.ts';
import { LOCAL_AWS } from '../helpers/dynamodb-local.ts';
import { httpApiEvent } from '../unit/http/fixture-events.ts';

/** A DynamoDB endpoint that accepts connections and never answers. */
async function hangingEndpoint(): Promise<{ url: string; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, server, sockets };
}

/** A Lambda context whose invocation ends `ms` from now. */
function contextEndingIn(ms: number): Context & { deadline: number } {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => deadline - Date.now(), deadline } as Context & {
    deadline: number;
  };
}

describe('a DynamoDB endpoint that hangs, with the production retry bounds', () => {
  let hanging: Awaited<ReturnType<typeof hangingEndpoint>>;
  let deps: TestDeps;
  let token: string;
  let handler: ReturnType<typeof verify>;
  let adminHandler: ReturnType<typeof admin>;

  beforeAll(async () => {
    hanging = await hangingEndpoint();
    deps = await seededDeps();
    ({ token } = await issueFor(deps, { expiryType: 'FixedTtl', ttl: '600' }));
    const client = new DynamoDBClient(clientConfig({ ...LOCAL_AWS, endpoint: hanging.url }));
    const store = new DynamoDbStore({ client, tableName: 'hangs', clock: deps.clock });
    handler = verify({ ...deps, tokens: store.tokens });
    adminHandler = admin({ ...deps, serverTokens: store.serverTokens, directory: store.directory });
  });
  afterAll(async () => {
    for (const socket of hanging.sockets) socket.destroy();
    await new Promise((resolve) => hanging.server.close(resolve));
  });

  // One call alone may retry for longer than this invocation has left.
  const remainingMs = AWS_CALL_LIMITS.requestTimeoutMs - 200;

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After over HTTP before the invocation ends', async () => {
    const context = contextEndingIn(remainingMs);
    const answer = await handler(httpApiEvent('POST', '/v1/tokens/verify', { body: { token } }), context);
    expect(Date.now()).toBeLessThan(context.deadline);
    expect(answer.statusCode).toBe(503);
    expect(answer.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(answer.body ?? '')).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/retry shortly/) },
    });
  });

  // The server token is looked up in the store before any input is read (a middleware, not the handler),
  // so the deadline must bound the whole pipeline, not only the handler as middy's own early timeout does.
  it('answers 503 when the store hangs while it checks a server token, before the route runs', async () => {
    const context = contextEndingIn(remainingMs);
    const serverToken = formatServerToken('eco1', 'st1', 'secret');
    const answer = await adminHandler(
      httpApiEvent('GET', '/v1/ecosystems/eco1/users/alice', { bearer: serverToken }),
      context,
    );
    expect(Date.now()).toBeLessThan(context.deadline);
    expect(answer.statusCode).toBe(503);
    expect(answer.headers?.['retry-after']).toBe('1');
  });

  it('answers a direct invocation in its own shape, {"valid": false, "error"}', async () => {
    const context = contextEndingIn(remainingMs);
    const answer = await handler({ token }, context);
    expect(Date.now()).toBeLessThan(context.deadline);
    expect(answer).toEqual({
      valid: false,
      error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) },
    });
  });
});
