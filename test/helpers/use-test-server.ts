// One test server per describe block or file, started and cleaned up by vitest hooks.
import { afterAll, beforeAll } from 'vitest';
import {
  removeDataDir,
  type Seed,
  seedThroughApi,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from './server.ts';

/** Options computed when the server starts, not when the hooks are registered. */
export type LateOptions = () => TestServerOptions | Promise<TestServerOptions>;

/**
 * One test server for the enclosing `describe` (or file): a beforeAll starts it, an afterAll stops it
 * and removes its data folder. Returns a stand-in that forwards to the running server, so tests read
 * `server.call(...)`; hooks registered after this one see it started, and their afterAll run before its.
 * Options known only once something else is up (an AWS endpoint) are passed as a function, awaited
 * in the beforeAll.
 *
 * @example
 * const server = useTestServer({ clock: frozenClock() });
 * it('answers', async () => expect((await server.call('GET', '/openapi.json')).status).toBe(200));
 */
export function useTestServer(options: TestServerOptions | LateOptions = {}): TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(typeof options === 'function' ? await options() : options);
  });
  afterAll(async () => {
    if (server === undefined) return;
    await server.stop();
    await removeDataDir(server.dataDir);
  });
  return standIn('the test server', () => server);
}

/**
 * useTestServer, then seedThroughApi in the same beforeAll: an ecosystem with the user alice.
 *
 * @example
 * const { server, seed } = useSeededServer({ clock });
 * it('issues', async () => {
 *   const path = `/v1/ecosystems/${seed.ecosystemId}/users/alice/tokens`;
 *   expect((await server.call('POST', path, { bearer: seed.serverToken })).status).toBe(200);
 * });
 */
export function useSeededServer(options: TestServerOptions | LateOptions = {}): {
  server: TestServer;
  seed: Seed;
} {
  const server = useTestServer(options);
  let seed: Seed | undefined;
  beforeAll(async () => {
    seed = await seedThroughApi(server);
  });
  return { server, seed: standIn('the seed', () => seed) };
}

/** An object that reads every property from `current()`, failing clearly when a test reads it too early. */
function standIn<T extends object>(name: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_, property) {
      const target = current();
      if (target === undefined) throw new Error(`${name} is read before its beforeAll has run`);
      return Reflect.get(target, property);
    },
  });
}
