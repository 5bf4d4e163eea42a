// The local server on an ephemeral loopback port, as integration tests use it, plus a small fetch client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../functions/core/clock.ts';
import { type LocalServer, startLocalServer } from '../../functions/local/server.ts';
import { readConfig } from '../../functions/runtime/config.ts';
import { buildLocalDependencies, type LocalDependencies } from '../../functions/runtime/dependencies.ts';
import { TEST_ACCOUNT_TOKEN } from './deps.ts';

export interface TestServer extends LocalServer {
  local: LocalDependencies;
  dataDir: string;
  /** Closes the server and flushes the store; the data folder stays. */
  stop(): Promise<void>;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
}

export interface TestServerOptions {
  /** A data folder to reuse (a restart); a new temporary one otherwise. */
  dataDir?: string;
  /** Configuration over the defaults (the account token is TEST_ACCOUNT_TOKEN). */
  env?: Record<string, string>;
  clock?: Clock;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <bearer>`. */
  bearer?: string;
  /** JSON-encoded unless already a string or bytes (sent as they are). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
  text: string;
}

/**
 * A new temporary data folder of its own.
 *
 * @example
 * const dataDir = await makeDataDir(); // later: await removeDataDir(dataDir)
 */
export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tessera-test-'));
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Starts Tessera's local server as `npm start` would, on a free port and a data folder of its own.
 *
 * @example
 * const server = await startTestServer();
 * const { status, body } = await server.call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN });
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const config = readConfig({
    TESSERA_ACCOUNT_TOKEN: TEST_ACCOUNT_TOKEN,
    ...options.env,
    TESSERA_DATA_DIR: dataDir,
  });
  const local = await buildLocalDependencies(config, options.clock);
  const server = await startLocalServer({ deps: local.deps, port: 0 });
  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.bearer !== undefined) headers.authorization = `Bearer ${opts.bearer}`;
    let body: string | Uint8Array | undefined;
    if (opts.body !== undefined) {
      const raw = typeof opts.body === 'string' || opts.body instanceof Uint8Array;
      body = raw ? (opts.body as string | Uint8Array) : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return {
    ...server,
    local,
    dataDir,
    call,
    stop: async () => {
      await server.close();
      await local.store.flush();
    },
  };
}

/**
 * Creates an ecosystem and a user (metadata `{"plan":"pro"}`) through the API; returns their ids and the
 * ecosystem's server token.
 *
 * @example
 * const { ecosystemId, serverToken } = await seedThroughApi(server);
 */
export async function seedThroughApi(
  server: TestServer,
  userId = 'alice',
): Promise<{ ecosystemId: string; serverToken: string; serverTokenId: string; userId: string }> {
  const eco = await server.call('POST', '/v1/ecosystems', {
    bearer: TEST_ACCOUNT_TOKEN,
    body: { name: 'test' },
  });
  if (eco.status !== 201) throw new Error(`seed failed: ${eco.text}`);
  const { ecosystemId, serverToken, serverTokenId } = eco.body;
  const user = await server.call('PUT', `/v1/ecosystems/${ecosystemId}/users/${userId}`, {
    bearer: serverToken,
    body: { metadata: { plan: 'pro' } },
  });
  if (user.status !== 201) throw new Error(`seed failed: ${user.text}`);
  return { ecosystemId, serverToken, serverTokenId, userId };
}

/** What seedThroughApi made: an ecosystem, its server token and one user. */
export type Seed = Awaited<ReturnType<typeof seedThroughApi>>;
