// Reading a table's DynamoDB Stream from DynamoDB Local, with the Streams API spoken as plain JSON over HTTP:
// GetRecords answers records in the very wire shape Lambda forwards to a stream function (eventName,
// dynamodb.Keys/OldImage/NewImage, ApproximateCreationDateTime in epoch seconds), so the events function is
// tested on what it would receive. DynamoDB Local checks that a request is signed, not the signature.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
import {
  CreateTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import {
  createTableInput,
  STREAM_SPECIFICATION,
  timeToLiveInput,
} from '../../../functions/adapters/dynamodb-table.ts';

/** Creates a table of Tessera's definition with its stream on (new and old images), as the stack does. */
export async function createStreamedTable(client: DynamoDBClient, name: string): Promise<string> {
  const answer = await client.send(
    new CreateTableCommand({ ...createTableInput(name), StreamSpecification: STREAM_SPECIFICATION }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
  await client.send(new UpdateTimeToLiveCommand(timeToLiveInput(name)));
  const arn = answer.TableDescription?.LatestStreamArn;
  if (arn === undefined) throw new Error('DynamoDB Local gave the table no stream');
  return arn;
}

async function streams(endpoint: string, operation: string, body: object): Promise<Record<string, unknown>> {
  const answer = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  const json = (await answer.json()) as Record<string, unknown>;
  if (!answer.ok) throw new Error(`${operation}: ${answer.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Every record of the stream so far, shard by shard from its start (TRIM_HORIZON), in stream order.
 *
 * @example
 * const records = await readStream(endpoint, streamArn);
 */
export async function readStream(endpoint: string, streamArn: string): Promise<DynamoDBRecord[]> {
  const described = (await streams(endpoint, 'DescribeStream', { StreamArn: streamArn })) as {
    StreamDescription: { Shards: { ShardId: string }[] };
  };
  const records: DynamoDBRecord[] = [];
  for (const { ShardId } of described.StreamDescription.Shards) {
    let iterator = (
      await streams(endpoint, 'GetShardIterator', {
        StreamArn: streamArn,
        ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      })
    ).ShardIterator as string | undefined;
    while (iterator !== undefined) {
      const page = (await streams(endpoint, 'GetRecords', { ShardIterator: iterator })) as {
        Records: DynamoDBRecord[];
        NextShardIterator?: string;
      };
      records.push(...page.Records);
      // An open shard always answers a next iterator; an empty page means we have read all there is.
      iterator = page.Records.length === 0 ? undefined : page.NextShardIterator;
    }
  }
  return records;
}

/**
 * Whether a Lambda event filter pattern matches a record, for the subset Tessera's filters use: nested
 * objects, lists of exact strings and `{ prefix }` (ORed), every named key present.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
 */
export function matchesFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((rule) =>
      typeof rule === 'string'
        ? value === rule
        : typeof value === 'string' && value.startsWith((rule as { prefix: string }).prefix),
    );
  }
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern as object).every(([key, inner]) =>
    matchesFilter(inner, (value as Record<string, unknown>)[key]),
  );
}
