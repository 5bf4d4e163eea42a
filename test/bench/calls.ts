// Target 2: AWS calls per operation, counted on the real adapters: DynamoDB Local behind the counting
// middlewares of dynamodb-counter.ts on the real DynamoDBClient (which also ask every data call for its
// consumed capacity), and the KMS double, which counts the requests it receives by operation.
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbStore } from '../../functions/adapters/dynamodb-store.ts';
import { KmsSigner } from '../../functions/adapters/kms-signer.ts';
import { assembleDeps, DEFAULT_CONFIG, type Deps } from '../../functions/core/deps.ts';
import { touchWindowSeconds } from '../../functions/core/expiry.ts';
import type { ExpiryType } from '../../functions/core/ports.ts';
import { refreshToken } from '../../functions/core/refresh-token.ts';
import { verifyToken } from '../../functions/core/verify-token.ts';
import { frozenClock } from '../helpers/clock.ts';
import { issueFor, seedUser } from '../helpers/deps.ts';
import {
  createTable,
  LOCAL_AWS,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '../helpers/dynamodb-local.ts';
import { GET_PUBLIC_KEY, SIGN, startKmsDouble } from '../helpers/kms-double.ts';
import { DynamoDbCounter } from './dynamodb-counter.ts';
import { round } from './measure.ts';

export interface ModelCalls {
  issue: {
    kmsSign: number;
    dynamodbWrites: number;
    dynamodbRequests: number;
    byOperation: Record<string, number>;
    consumedCapacityUnits: number;
  };
  verifies: number;
  verify: {
    kmsCalls: number;
    dynamodbReads: number;
    dynamodbWrites: number;
    maxDynamodbRoundTripsPerVerify: number;
    /** Verifies that waited on more than one DynamoDB request. */
    verifiesWithMoreThanOneRoundTrip: number;
    /** Writes to the token's own item: the sliding touches. */
    tokenWrites: number;
    /** Writes by kind of item: TOKEN (touches), USAGE (counters, flushed in the background), transactions. */
    writesByItem: Record<string, number>;
    /** Reads and writes of items the whole ecosystem shares (dynamodb-counter.ts ownerOf). */
    ecosystemWideTouches: number;
    byOperation: Record<string, number>;
    consumedCapacityUnits: number;
  };
  /** One refresh of the token after its verifies. */
  refresh: {
    kmsSign: number;
    dynamodbWrites: number;
    dynamodbRequests: number;
    byOperation: Record<string, number>;
    consumedCapacityUnits: number;
  };
  /** SlidingTtl only: the touch window and the most writes the target allows for these verifies. */
  windowSeconds?: number;
  maxWritesAllowed?: number;
}

export interface CallsResult {
  ttlSeconds: number;
  /** KMS calls at a container's start (the public keys, fetched once), not counted per operation. */
  coldStartKms: { getPublicKey: number };
  models: Record<ExpiryType, ModelCalls>;
}

const MODELS: readonly ExpiryType[] = ['Infinite', 'FixedTtl', 'SlidingTtl'];

/**
 * Issues one token of each expiry model and verifies it `verifies` times, one second apart on a frozen clock,
 * counting every DynamoDB and KMS request.
 *
 * @example
 * const calls = await benchCalls({ verifies: 1000, ttlSeconds: 3600 });
 */
export async function benchCalls(options: { verifies: number; ttlSeconds: number }): Promise<CallsResult> {
  const local = await startDynamoDbLocal();
  const kms = await startKmsDouble();
  const client = localDynamoDbClient(local.endpoint);
  const kmsClient = new KMSClient({ ...LOCAL_AWS, endpoint: kms.endpoint });
  try {
    const tableName = await createTable(client);
    const counter = new DynamoDbCounter(client);
    const clock = frozenClock();
    const signer = new KmsSigner({ client: kmsClient, keyIds: kms.keyIds });
    await signer.publicKeys(); // as the runtime does once per container
    const coldStartKms = { getPublicKey: kms.count(GET_PUBLIC_KEY) };
    const deps: Deps = assembleDeps({
      store: new DynamoDbStore({ client, tableName, clock }),
      signer,
      clock,
      config: { ...DEFAULT_CONFIG, accountTokenHash: '' },
    });
    await seedUser(deps);

    const models = {} as Record<ExpiryType, ModelCalls>;
    for (const model of MODELS) {
      counter.reset();
      const signsBefore = kms.count(SIGN);
      const raw =
        model === 'Infinite' ? { expiryType: model } : { expiryType: model, ttl: String(options.ttlSeconds) };
      const { token } = await issueFor(deps, raw);
      const issue = {
        kmsSign: kms.count(SIGN) - signsBefore,
        dynamodbWrites: counter.writes(),
        dynamodbRequests: counter.total(),
        byOperation: Object.fromEntries(counter.requests),
        consumedCapacityUnits: round(counter.capacityUnits, 1),
      };

      counter.reset();
      const kmsBefore = kms.count(SIGN) + kms.count(GET_PUBLIC_KEY);
      let maxRoundTrips = 0;
      let moreThanOne = 0;
      for (let i = 0; i < options.verifies; i++) {
        clock.advance(1);
        const before = counter.roundTrips;
        await verifyToken(deps, token);
        const trips = counter.roundTrips - before;
        maxRoundTrips = Math.max(maxRoundTrips, trips);
        if (trips > 1) moreThanOne++;
      }
      const writes = counter.writes();
      const verify = {
        kmsCalls: kms.count(SIGN) + kms.count(GET_PUBLIC_KEY) - kmsBefore,
        dynamodbReads: counter.total() - writes,
        dynamodbWrites: writes,
        maxDynamodbRoundTripsPerVerify: maxRoundTrips,
        verifiesWithMoreThanOneRoundTrip: moreThanOne,
        tokenWrites: counter.writesByItem.get('TOKEN') ?? 0,
        writesByItem: Object.fromEntries(counter.writesByItem),
        ecosystemWideTouches: counter.ecosystemWideTouches(),
        byOperation: Object.fromEntries(counter.requests),
        consumedCapacityUnits: round(counter.capacityUnits, 1),
      };

      counter.reset();
      const signsBeforeRefresh = kms.count(SIGN);
      await refreshToken(deps, token);
      const refresh = {
        kmsSign: kms.count(SIGN) - signsBeforeRefresh,
        dynamodbWrites: counter.writes(),
        dynamodbRequests: counter.total(),
        byOperation: Object.fromEntries(counter.requests),
        consumedCapacityUnits: round(counter.capacityUnits, 1),
      };
      models[model] = {
        issue,
        verifies: options.verifies,
        verify,
        refresh,
      };
      if (model === 'SlidingTtl') {
        const window = touchWindowSeconds(options.ttlSeconds);
        models[model].windowSeconds = window;
        models[model].maxWritesAllowed = Math.ceil(options.verifies / window);
      }
    }
    return { ttlSeconds: options.ttlSeconds, coldStartKms, models };
  } finally {
    client.destroy();
    kmsClient.destroy();
    await kms.close();
    await local.stop();
  }
}
