// The AWS event path on real stream records: the story's changes written by the DynamoDB store to a table
// with its stream on, read back from DynamoDB Local's Streams API, handed to the events function as Lambda
// would (filters applied), and put on an EventBridge double over the real SDK client.
import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  changeOfStreamRecord,
  STREAM_FILTER_PATTERNS,
} from '../../../functions/adapters/dynamodb-changes.ts';
import { keyItem, revocationItem } from '../../../functions/adapters/dynamodb-items.ts';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb-store.ts';
import { itemKey } from '../../../functions/adapters/dynamodb-table.ts';
import {
  EVENT_SOURCE,
  EventBridgePublisher,
  PUBLISH_ROUNDS,
} from '../../../functions/adapters/eventbridge-publisher.ts';
import { eventOf, type TesseraEvent } from '../../../functions/core/events.ts';
import { createHandler } from '../../../functions/events/handler.ts';
import { type AwsJsonServer, startAwsJsonServer } from '../../helpers/aws-json-server.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { testDeps } from '../../helpers/deps.ts';
import { LOCAL_AWS, localDynamoDbClient } from '../../helpers/dynamodb-local.ts';
import { expectStoryEvents, GRACE_SECONDS, runStory, type Story } from '../events/scenario.ts';
import { createStreamedTable, matchesFilter, readStream } from './stream-records.ts';

const PUT_EVENTS = 'AWSEvents.PutEvents';
const BUS = 'tessera-test-events';
const quiet = new Logger({ serviceName: 'tessera', logLevel: 'SILENT' });

type Entry = { EventBusName: string; Source: string; DetailType: string; Detail: string };

/** An EventBridge double: takes every entry unless `refuse` names a reason for it. */
async function startBus(refuse: (entry: Entry, call: number) => string | undefined = () => undefined) {
  const taken: Entry[] = [];
  let call = 0;
  const server = await startAwsJsonServer({
    [PUT_EVENTS]: (input) => {
      call++;
      const entries = input.Entries as Entry[];
      const answers = entries.map((entry, i) => {
        const reason = refuse(entry, call);
        if (reason !== undefined) return { ErrorCode: reason, ErrorMessage: 'refused by the double' };
        taken.push(entry);
        return { EventId: `event-${call}-${i}` };
      });
      return { FailedEntryCount: answers.filter((a) => 'ErrorCode' in a).length, Entries: answers };
    },
  });
  return { server, taken };
}

function eventsHandler(bus: AwsJsonServer) {
  const client = new EventBridgeClient({ ...LOCAL_AWS, endpoint: bus.endpoint, maxAttempts: 1 });
  const publisher = new EventBridgePublisher({ client, busName: BUS, sleep: async () => undefined });
  return createHandler(async () => ({ publisher }), quiet);
}

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';
const eventsOf = (records: DynamoDBRecord[]) =>
  records.flatMap((r) => {
    const change = changeOfStreamRecord(r);
    const event = change === undefined ? undefined : eventOf(change);
    return event === undefined ? [] : [event];
  });

let client: DynamoDBClient;
let records: DynamoDBRecord[];
let story: Story;

beforeAll(async () => {
  const endpoint = inject('dynamodbEndpoint');
  client = localDynamoDbClient(endpoint);
  const tableName = `tessera-events-${randomBytes(6).toString('hex')}`;
  const streamArn = await createStreamedTable(client, tableName);
  const clock = frozenClock();
  const store = new DynamoDbStore({ client, tableName, clock });
  const deps = await testDeps({ store, clock, config: { refreshGraceSeconds: GRACE_SECONDS } });
  // The revocation items as the store writes them (dynamodb-items.ts); the port to write them comes later.
  story = await runStory(deps, {
    put: async (r) => {
      await client.send(new PutItemCommand({ TableName: tableName, Item: revocationItem(r) }));
    },
    delete: async (r) => {
      const Key = keyItem(itemKey.revocation(r.ecosystemId, r.revocationId));
      await client.send(new DeleteItemCommand({ TableName: tableName, Key }));
    },
  });
  records = await readStream(endpoint, streamArn);
});

afterAll(() => client.destroy());

describe('the events function on DynamoDB Local stream records', () => {
  it('puts exactly the events of the changes on the bus: source tessera, the type as detail-type', async () => {
    const bus = await startBus();
    try {
      const answer = await eventsHandler(bus.server)({ Records: records });
      expect(answer).toEqual({ batchItemFailures: [] });
      for (const entry of bus.taken) {
        expect(entry).toMatchObject({ EventBusName: BUS, Source: EVENT_SOURCE });
        expect(entry.DetailType).toBe((JSON.parse(entry.Detail) as TesseraEvent).type);
      }
      expectStoryEvents(
        bus.taken.map((entry) => JSON.parse(entry.Detail) as TesseraEvent),
        story,
      );
    } finally {
      await bus.server.close();
    }
  });

  it('gives the same event ids when the same records come again (a retried batch)', () => {
    expect(eventsOf(records)).toEqual(eventsOf(structuredClone(records)));
  });

  it('lets the stream filters through every record with an event, and not issues, touches or rotations', () => {
    const kept = records.filter((r) => STREAM_FILTER_PATTERNS.some((p) => matchesFilter(p, r)));
    const dropped = records.filter((r) => !kept.includes(r));
    expect(eventsOf(kept)).toEqual(eventsOf(records));
    expect(eventsOf(dropped)).toEqual([]);
    const tokenWrites = dropped.filter((r) => r.dynamodb?.Keys?.sk?.S === 'TOKEN');
    const kinds = new Set(tokenWrites.map((r) => `${r.eventName} ${r.dynamodb?.NewImage?.status?.S}`));
    expect(kinds).toEqual(new Set(['INSERT active', 'MODIFY active', 'MODIFY rotated']));
    expect(dropped.some((r) => r.dynamodb?.Keys?.sk?.S === 'FAMILY')).toBe(true);
  });

  it('reports an unreadable record and every one after it, and publishes what came before', async () => {
    const broken = structuredClone(records);
    const at = broken.findIndex(
      (r) => r.dynamodb?.Keys?.sk?.S?.startsWith('USER#') && r.eventName === 'MODIFY',
    );
    delete broken[at]?.dynamodb?.NewImage?.generation;
    const bus = await startBus();
    try {
      const answer = await eventsHandler(bus.server)({ Records: broken });
      expect(answer.batchItemFailures).toEqual(
        broken.slice(at).map((r) => ({ itemIdentifier: sequenceOf(r) })),
      );
      expect(bus.taken.map((e) => JSON.parse(e.Detail).id)).toEqual(
        eventsOf(records.slice(0, at)).map((e) => e.id),
      );
    } finally {
      await bus.server.close();
    }
  });

  it('sends refused entries again, and reports the records of events the bus never took', async () => {
    // The first request refuses everything; after that, token.reused is refused every time.
    const bus = await startBus((entry, call) =>
      call === 1
        ? 'ThrottlingException'
        : entry.DetailType === 'token.reused'
          ? 'InternalFailure'
          : undefined,
    );
    try {
      const answer = await eventsHandler(bus.server)({ Records: records });
      const reusedRecord = records.find((r) => eventsOf([r])[0]?.type === 'token.reused');
      expect(answer.batchItemFailures).toEqual([
        { itemIdentifier: sequenceOf(reusedRecord as DynamoDBRecord) },
      ]);
      const taken = bus.taken.map((e) => (JSON.parse(e.Detail) as TesseraEvent).type);
      expect(taken).not.toContain('token.reused');
      expect(taken).toHaveLength(story.expected.length - 1);
      const reusedTries = bus.server.calls.get(PUT_EVENTS) ?? 0;
      expect(reusedTries).toBeGreaterThanOrEqual(PUBLISH_ROUNDS);
    } finally {
      await bus.server.close();
    }
  });
});
