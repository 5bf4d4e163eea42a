// The events function: a batch of the table's DynamoDB Stream records in, one security event per change that
// has one (core/events.ts), put on the stack's EventBridge bus. It runs after the writes, off every request's
// path. A record it cannot read, or whose event the bus did not take after the publisher's retries, is
// reported failed (ReportBatchItemFailures): Lambda retries the batch from the first failed record, and after
// the mapping's retries gives up to the dead-letter queue. Records retried after a partial success give the
// same events with the same ids again; consumers deduplicate on `id`.
// https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { changeOfStreamRecord } from '../adapters/dynamodb-changes.ts';
import { EventBridgePublisher, type EventPublisher } from '../adapters/eventbridge-publisher.ts';
import { eventOf, type TesseraEvent } from '../core/events.ts';
import { clientConfig } from '../runtime/aws-clients.ts';
import { atColdStart } from '../runtime/cold-start.ts';
import { readConfig } from '../runtime/config.ts';

/** What the events function runs on: where events go. */
export interface EventsDeps {
  publisher: EventPublisher;
}

/** The container's publisher: the bus TESSERA_EVENT_BUS_NAME names, through one client made at cold start. */
export async function buildEventsDependencies(): Promise<EventsDeps> {
  const config = readConfig(process.env);
  if (config.eventBusName === undefined) {
    throw new Error('TESSERA_EVENT_BUS_NAME is required by the events function: the EventBridge bus name.');
  }
  const client = new EventBridgeClient(clientConfig({ region: config.awsRegion }));
  return { publisher: new EventBridgePublisher({ client, busName: config.eventBusName }) };
}

const failure = (sequence: string) => ({ itemIdentifier: sequence });

/**
 * The events handler with the given dependencies (tests inject a publisher over a double).
 *
 * @example
 * const handler = createHandler(async () => ({ publisher }));
 * await handler(streamEvent); // { batchItemFailures: [] } once every event is on the bus
 */
export function createHandler(
  deps: () => Promise<EventsDeps>,
  logger: Logger = new Logger({ serviceName: 'tessera' }),
) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const { publisher } = await deps();
    const built: { sequence: string; event: TesseraEvent }[] = [];
    const failed: string[] = [];
    for (const record of event.Records) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      // Past an unreadable record nothing is published: Lambda sends the rest again from that record.
      if (failed.length > 0) {
        failed.push(sequence);
        continue;
      }
      try {
        const change = changeOfStreamRecord(record);
        const made = change === undefined ? undefined : eventOf(change);
        if (made !== undefined) built.push({ sequence, event: made });
      } catch (err) {
        // The error names the item's key and attribute, never a value of it.
        logger.error('unreadable stream record', {
          eventID: record.eventID,
          sequence,
          error: err instanceof Error ? err.message : String(err),
        });
        failed.push(sequence);
      }
    }
    const undelivered = await publisher.publish(built.map((b) => b.event));
    const lost = new Set(undelivered.map((u) => u.event));
    for (const { sequence, event: e } of built) if (lost.has(e)) failed.push(sequence);
    logger.info('events', {
      records: event.Records.length,
      events: built.length,
      undelivered: undelivered.map((u) => ({ id: u.event.id, type: u.event.type, reason: u.reason })),
      failedRecords: failed.length,
    });
    return { batchItemFailures: [...new Set(failed)].map(failure) };
  };
}

export const handler = createHandler(atColdStart(buildEventsDependencies));
