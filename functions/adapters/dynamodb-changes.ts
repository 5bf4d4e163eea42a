// DynamoDB Stream records (new and old images) as the change records core/events.ts builds events from,
// read with the same item readers the store uses, so a stream image means what the store means by it.
import type { DynamoDBRecord } from 'aws-lambda';
import type { ChangeKind, ChangeKinds, ChangeRecord } from '../core/events.ts';
import { ecosystemOf, type Item, revocationOf, serverTokenOf, tokenOf, userOf } from './dynamodb-items.ts';
import { itemKey, SORT_PREFIX } from './dynamodb-table.ts';

const READERS: { [K in ChangeKind]: (item: Item) => ChangeKinds[K] } = {
  token: tokenOf,
  user: userOf,
  ecosystem: ecosystemOf,
  serverToken: serverTokenOf,
  revocation: revocationOf,
};

const TOKEN_SK = itemKey.token('').sk;
const ECOSYSTEM_SK = itemKey.ecosystem('').sk;

/** The kind of record an item key names, or undefined for items no event is about (families, usage…). */
export function changeKindOf(keys: Item): ChangeKind | undefined {
  const sk = keys.sk?.S;
  if (sk === undefined) return undefined;
  if (sk === TOKEN_SK) return 'token';
  if (sk === ECOSYSTEM_SK) return 'ecosystem';
  if (sk.startsWith(SORT_PREFIX.revocation)) return 'revocation';
  if (sk.startsWith(SORT_PREFIX.serverToken)) return 'serverToken';
  if (sk.startsWith(SORT_PREFIX.user)) return 'user';
  return undefined;
}

/**
 * True for a deletion DynamoDB made itself (TTL): the record was forgotten past its purgeAt, which no one
 * asked for, so it is no change of state.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html (userIdentity)
 */
function isTtlDeletion(record: DynamoDBRecord): boolean {
  const identity = record.userIdentity as { type?: string; principalId?: string } | undefined;
  return identity?.type === 'Service' && identity.principalId === 'dynamodb.amazonaws.com';
}

function readImage<K extends ChangeKind>(kind: K, image: unknown): ChangeKinds[K] | undefined {
  return image === undefined ? undefined : READERS[kind](image as Item);
}

/**
 * The change record of one stream record, or undefined when it is about no record an event can be of.
 * Throws on an image the item readers cannot read (a bug: the events function reports that record failed).
 *
 * @example
 * const change = changeOfStreamRecord(record); // { kind: 'user', before, after, at } | undefined
 */
export function changeOfStreamRecord(record: DynamoDBRecord): ChangeRecord | undefined {
  const stream = record.dynamodb;
  const kind = stream?.Keys === undefined ? undefined : changeKindOf(stream.Keys as Item);
  if (stream === undefined || kind === undefined || isTtlDeletion(record)) return undefined;
  const at = stream.ApproximateCreationDateTime;
  if (typeof at !== 'number') throw new Error(`stream record ${record.eventID} has no creation time`);
  return {
    kind,
    before: readImage(kind, stream.OldImage),
    after: readImage(kind, stream.NewImage),
    at: Math.floor(at),
  } as ChangeRecord;
}

/**
 * The Lambda event filters of the stream (ORed; at most five per event source mapping, on the `dynamodb` key
 * only): the records that can carry an event, so token issues, touches, rotations, families and usage
 * counters never invoke the events function. https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
 */
export const STREAM_FILTER_PATTERNS = [
  // A token revoked, by a logout, by id or by a reuse (status is final, so every later write says revoked).
  { dynamodb: { Keys: { sk: { S: [TOKEN_SK] } }, NewImage: { status: { S: ['revoked'] } } } },
  // Ecosystems, server tokens, users and revocations: rare writes, every kind of which has events.
  {
    dynamodb: {
      Keys: {
        sk: {
          S: [
            ECOSYSTEM_SK,
            { prefix: SORT_PREFIX.serverToken },
            { prefix: SORT_PREFIX.user },
            { prefix: SORT_PREFIX.revocation },
          ],
        },
      },
    },
  },
] as const;
