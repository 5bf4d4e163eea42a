// DynamoDbStore and the verify and refresh handlers when DynamoDB answers a conflict: a proxy in front of the
// run's DynamoDB Local answers TransactionConflictException to the sliding touch (what a write meets when a
// refresh or revoke transaction holds its item), or cancels the refresh transaction for a conflict or for
// throttling, as often as told. Past our bounded retry that is a 503 with Retry-After, never a 500; a conflict
// that clears within the retries is ridden out; and nothing is half-written.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { OWN_RETRY_ATTEMPTS } from '../../../functions/adapters/aws-errors.ts';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb-store.ts';
import { isTesseraError } from '../../../functions/core/errors.ts';
import { createHandler as refreshHandler } from '../../../functions/refresh/handler.ts';
import { clientConfig } from '../../../functions/runtime/aws-clients.ts';
import { createHandler as verifyHandler } from '../../../functions/verify/handler.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { issueFor, seedUser, type TestDeps, testDeps } from '../../helpers/deps.ts';
import { createTable, LOCAL_AWS, localDynamoDbClient } from '../../helpers/dynamodb-local.ts';
import { httpApiEvent } from '../../unit/http/fixture-events.ts';

const UPDATE_ITEM = 'DynamoDB_20120810.UpdateItem';
const TRANSACT = 'DynamoDB_20120810.TransactWriteItems';

/** The error answer DynamoDB sends, as AWS JSON 1.0. */
interface Fault {
  type: string;
  fields?: Record<string, unknown>;
  /** Only requests whose body this accepts get the fault. */
  when?: (input: Record<string, unknown>) => boolean;
}

const conflict: Fault = {
  type: 'TransactionConflictException',
  // Only the token item: the month's first-activity mark (also an UpdateItem) goes through.
  when: (input) => String((input.Key as { pk?: { S?: string } }).pk?.S).startsWith('TOKEN#'),
};
const cancelled = (code: string): Fault => ({
  type: 'TransactionCanceledException',
  fields: { CancellationReasons: [{ Code: code }, { Code: 'None' }, { Code: 'None' }] },
});

/** Forwards to DynamoDB Local, except the next `times` matching requests of a target, which get `fault`. */
async function startConflictProxy(target: string) {
  const faults = new Map<string, { fault: Fault; times: number }>();
  const calls = new Map<string, number>();
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    const operation = String(req.headers['x-amz-target']);
    calls.set(operation, (calls.get(operation) ?? 0) + 1);
    const armed = faults.get(operation);
    const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    if (armed !== undefined && armed.times > 0 && (armed.fault.when?.(input) ?? true)) {
      armed.times--;
      const type = `com.amazonaws.dynamodb.v20120810#${armed.fault.type}`;
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-errortype': armed.fault.type,
      });
      res.end(JSON.stringify({ __type: type, message: 'injected', ...armed.fault.fields }));
      return;
    }
    const upstream = new URL(target);
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (operation: string) => calls.get(operation) ?? 0,
    failNext: (operation: string, times: number, fault: Fault) => faults.set(operation, { fault, times }),
    reset: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let proxy: Awaited<ReturnType<typeof startConflictProxy>>;
let client: DynamoDBClient;
let deps: TestDeps;

beforeAll(async () => {
  const endpoint = inject('dynamodbEndpoint');
  const admin = localDynamoDbClient(endpoint);
  const tableName = await createTable(admin);
  admin.destroy();
  proxy = await startConflictProxy(endpoint);
  client = new DynamoDBClient(clientConfig({ ...LOCAL_AWS, endpoint: proxy.endpoint }));
  const clock = frozenClock();
  deps = await testDeps({ store: new DynamoDbStore({ client, tableName, clock }), clock });
  await seedUser(deps);
});

beforeEach(() => proxy.reset());

afterAll(async () => {
  client.destroy();
  await proxy.close();
});

/** A SlidingTtl token (ttl 3600 s: touched at most once a minute) whose next verify is due a touch. */
async function slidingTokenDueATouch() {
  const issued = await issueFor(deps, { expiryType: 'SlidingTtl', ttl: '3600' });
  deps.clock.advance(120);
  const record = await deps.tokens.getToken(issued.tokenId);
  if (record?.lastUsedAt == null) throw new Error('no sliding record');
  return { ...issued, lastUsedAt: record.lastUsedAt };
}

const verify = (token: string) =>
  verifyHandler(deps)(httpApiEvent('POST', '/v1/tokens/verify', { body: { token } }));
const refresh = (token: string) =>
  refreshHandler(deps)(httpApiEvent('POST', '/v1/tokens/refresh', { body: { token } }));

const expectUnavailable = (answer: Awaited<ReturnType<typeof verify>>) => {
  expect(answer.statusCode).toBe(503);
  expect(JSON.parse(answer.body ?? '').error.code).toBe('SERVICE_UNAVAILABLE');
  expect(Number(answer.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
};

describe('DynamoDbStore when the sliding touch meets a transaction', () => {
  it('answers SERVICE_UNAVAILABLE with Retry-After after its bounded retries, writing nothing', async () => {
    const { tokenId, lastUsedAt } = await slidingTokenDueATouch();
    const before = proxy.count(UPDATE_ITEM);
    proxy.failNext(UPDATE_ITEM, 1000, conflict);
    const now = deps.clock.seconds();
    const err: unknown = await deps.tokens.touchToken(tokenId, lastUsedAt, now, now + 3600).catch((e) => e);
    expect(isTesseraError(err) && [err.code, err.retryAfterSeconds]).toEqual(['SERVICE_UNAVAILABLE', 1]);
    expect(proxy.count(UPDATE_ITEM) - before).toBe(OWN_RETRY_ATTEMPTS);
    expect((await deps.tokens.getToken(tokenId))?.lastUsedAt).toBe(lastUsedAt);
  });

  it('rides out a conflict that clears within the retries', async () => {
    const { tokenId, lastUsedAt } = await slidingTokenDueATouch();
    proxy.failNext(UPDATE_ITEM, 2, conflict);
    const now = deps.clock.seconds();
    await expect(deps.tokens.touchToken(tokenId, lastUsedAt, now, now + 3600)).resolves.toBe(true);
    expect((await deps.tokens.getToken(tokenId))?.lastUsedAt).toBe(now);
  });
});

describe('the verify handler when the sliding touch meets a transaction', () => {
  it('answers 503 with Retry-After, not 500, and verifies the same token once the conflict is gone', async () => {
    const { token } = await slidingTokenDueATouch();
    proxy.failNext(UPDATE_ITEM, 1000, conflict);
    expectUnavailable(await verify(token));
    proxy.reset();
    expect((await verify(token)).statusCode).toBe(200);
  });
});

describe('the refresh handler when its transaction is cancelled by a conflict or throttling', () => {
  for (const code of ['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']) {
    it(`answers 503 with Retry-After for ${code}, leaves the token refreshable, and refreshes it after`, async () => {
      const { token, tokenId } = await slidingTokenDueATouch();
      const before = proxy.count(TRANSACT);
      proxy.failNext(TRANSACT, 1000, cancelled(code));
      expectUnavailable(await refresh(token));
      expect(proxy.count(TRANSACT) - before).toBe(OWN_RETRY_ATTEMPTS);
      expect((await deps.tokens.getToken(tokenId))?.status).toBe('active');
      proxy.reset();
      expect((await refresh(token)).statusCode).toBe(200);
    });
  }
});
