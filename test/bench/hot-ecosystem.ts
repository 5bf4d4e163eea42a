// The "one hot ecosystem" scenario (issue 16): many users of one ecosystem verify in a burst through one
// container (one set of dependencies, as one Lambda execution environment holds, serving one request at a
// time), on the AWS adapters: DynamoDbStore over DynamoDB Local. It counts DynamoDB requests per verify and
// the touches of items the whole ecosystem shares per container-second (dynamodb-counter.ts). The frozen
// clock moves `msPerVerify` before each verify, so a burst of N verifies spans N × msPerVerify of the
// container's time, whatever DynamoDB Local's own speed. `npm run bench` runs it large; a DynamoDB Local
// test (test/integration/aws/hot-ecosystem.test.ts) runs it small and checks the counts.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbStore } from '../../functions/adapters/dynamodb-store.ts';
import { LocalSigner } from '../../functions/adapters/local-signer.ts';
import { DEFAULT_ECOSYSTEM_CACHE_SECONDS } from '../../functions/core/ecosystem-state.ts';
import { getUsage } from '../../functions/core/usage-report.ts';
import { verifyToken } from '../../functions/core/verify-token.ts';
import { frozenClock } from '../helpers/clock.ts';
import { issueFor, seedUser, testDeps } from '../helpers/deps.ts';
import { createTable, localDynamoDbClient, startDynamoDbLocal } from '../helpers/dynamodb-local.ts';
import { DynamoDbCounter, type Touches } from './dynamodb-counter.ts';
import { round } from './measure.ts';

export interface HotEcosystemOptions {
  /** A client of its own: the counting middlewares go on it, once. */
  client: DynamoDBClient;
  tableName: string;
  users: number;
  verifiesPerUser: number;
  /** The container's time each verify takes (the clock moves this much before each). */
  msPerVerify: number;
  /** TESSERA_ECOSYSTEM_CACHE_SECONDS. */
  ecosystemCacheSeconds: number;
}

export interface HotEcosystemResult {
  users: number;
  verifies: number;
  msPerVerify: number;
  ecosystemCacheSeconds: number;
  /** verifies × msPerVerify: how long the burst kept the container busy. */
  containerSeconds: number;
  /** DynamoDB HTTP requests during the burst, by operation, and per verify. */
  requests: number;
  byOperation: Record<string, number>;
  requestsPerVerify: number;
  /** Round trips a verify waited for: the most, and on average (a month's first verify has two). */
  maxRoundTripsPerVerify: number;
  roundTripsPerVerify: number;
  /** Item touches by owner during the burst (reads and writes). */
  touches: Touches;
  ecosystemWideTouches: number;
  ecosystemWideTouchesPerContainerSecond: number;
  /** The batch held at the end of the burst, written later (at most 60 s on): its writes. */
  finalFlushEcosystemWideWrites: number;
  /** What the usage report then says for the day and month: every verify and user counted once. */
  report: { verified: number; newActiveIdentities: number; monthActiveIdentities: number };
}

/** The instant of the burst: in the future, since DynamoDB Local's TTL deletes by the real time. */
const START = Date.parse('2030-11-10T09:00:00Z') / 1000;

/**
 * Seeds one ecosystem with `users` users and a FixedTtl token each, then verifies `verifiesPerUser` rounds
 * over all of them through a fresh set of dependencies (a container's first requests), counting.
 *
 * @example
 * const hot = await runHotEcosystem({ client, tableName, users: 50, verifiesPerUser: 20, msPerVerify: 10, ecosystemCacheSeconds: 1 });
 */
export async function runHotEcosystem(options: HotEcosystemOptions): Promise<HotEcosystemResult> {
  const counter = new DynamoDbCounter(options.client);
  const clock = frozenClock(START);
  const signer = await LocalSigner.fromKey();
  const config = { accountTokenHash: '', ecosystemCacheSeconds: options.ecosystemCacheSeconds };
  const store = () => new DynamoDbStore({ client: options.client, tableName: options.tableName, clock });
  const seeding = await testDeps({ store: store(), clock, signer, config });
  const ecosystemId = `hot${START}${Math.floor(Math.random() * 1e9)}`;
  await seedUser(seeding, ecosystemId, 'user0');
  const tokens: string[] = [];
  for (let i = 0; i < options.users; i++) {
    const userId = `user${i}`;
    if (i > 0) {
      await seeding.directory.putUser({
        ecosystemId,
        userId,
        metadata: {},
        createdAt: START,
        generation: 'g1',
      });
    }
    tokens.push(
      (await issueFor(seeding, { expiryType: 'FixedTtl', ttl: '86400' }, { ecosystemId, userId })).token,
    );
  }
  await seeding.usage.flush();

  // The container: its own cache and usage batch, counted from its first request on.
  const deps = await testDeps({ store: store(), clock, signer, config });
  counter.reset();
  let maxTrips = 0;
  for (let round = 0; round < options.verifiesPerUser; round++) {
    for (const token of tokens) {
      clock.advance(options.msPerVerify / 1000);
      const before = counter.roundTrips;
      await verifyToken(deps, token);
      maxTrips = Math.max(maxTrips, counter.roundTrips - before);
    }
  }
  const verifies = options.users * options.verifiesPerUser;
  const containerSeconds = (verifies * options.msPerVerify) / 1000;
  const burst = {
    requests: counter.total(),
    byOperation: Object.fromEntries(counter.requests),
    roundTrips: counter.roundTrips,
    touches: structuredClone(counter.touches),
    ecosystemWide: counter.ecosystemWideTouches(),
  };
  const sharedWritesBefore = counter.touches.ecosystemWide.writes;
  await deps.usage.flush();
  const finalFlushEcosystemWideWrites = counter.touches.ecosystemWide.writes - sharedWritesBefore;

  const day = new Date(START * 1000).toISOString().slice(0, 10);
  const usage = await getUsage(deps, ecosystemId, { from: day, to: day });
  return {
    users: options.users,
    verifies,
    msPerVerify: options.msPerVerify,
    ecosystemCacheSeconds: options.ecosystemCacheSeconds,
    containerSeconds,
    requests: burst.requests,
    byOperation: burst.byOperation,
    requestsPerVerify: round(burst.requests / verifies, 3),
    maxRoundTripsPerVerify: maxTrips,
    roundTripsPerVerify: round(burst.roundTrips / verifies, 3),
    touches: burst.touches,
    ecosystemWideTouches: burst.ecosystemWide,
    ecosystemWideTouchesPerContainerSecond: round(burst.ecosystemWide / containerSeconds, 2),
    finalFlushEcosystemWideWrites,
    report: {
      verified: usage.days[0]?.verified ?? 0,
      newActiveIdentities: usage.days[0]?.newActiveIdentities ?? 0,
      monthActiveIdentities: usage.months[0]?.activeIdentities ?? 0,
    },
  };
}

/** The container's time per verify the bench assumes: docs/SCALING.md's billed verify duration, 10 ms. */
export const BENCH_MS_PER_VERIFY = 10;

/**
 * `npm run bench`'s run of the scenario: its own DynamoDB Local, the default cache bound (1 s).
 *
 * @example
 * const hot = await benchHotEcosystem({ users: 50, verifiesPerUser: 20 });
 */
export async function benchHotEcosystem(options: {
  users: number;
  verifiesPerUser: number;
}): Promise<HotEcosystemResult> {
  const local = await startDynamoDbLocal();
  const client = localDynamoDbClient(local.endpoint);
  try {
    const tableName = await createTable(client);
    return await runHotEcosystem({
      client,
      tableName,
      ...options,
      msPerVerify: BENCH_MS_PER_VERIFY,
      ecosystemCacheSeconds: DEFAULT_ECOSYSTEM_CACHE_SECONDS,
    });
  } finally {
    client.destroy();
    await local.stop();
  }
}
