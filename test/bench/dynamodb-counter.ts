// Counts what a DynamoDBClient sends, from middlewares on the real client: HTTP attempts by operation
// (retries included), the capacity DynamoDB reports (every data call asks for it), writes by kind of item,
// and every item key each command touches, sorted by whose item it is: a token's, a user's, a server
// token's, or one the whole ecosystem shares (the ecosystem item, its usage counters, anything else in its
// partition). `npm run bench` (calls.ts, hot-ecosystem.ts) and the DynamoDB Local tests count with it.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);
const DATA_CALLS = new Set([
  ...WRITES,
  'GetItemCommand',
  'BatchGetItemCommand',
  'QueryCommand',
  'TransactGetItemsCommand',
]);

type Key = { pk?: { S?: string }; sk?: { S?: string } };

/** Whose item a key names (dynamodb-table.ts has the layout). */
export type ItemOwner = 'token' | 'user' | 'serverToken' | 'ecosystemWide' | 'other';

/**
 * A token's and its family's items are its own; under `ECO#<id>` a user's and a server token's are theirs,
 * and every other item there (the ecosystem item, the usage counters, whatever comes next) is shared by
 * the whole ecosystem: the items this bench watches.
 */
export function ownerOf(key: Key): ItemOwner {
  const pk = key.pk?.S ?? '';
  const sk = key.sk?.S ?? '';
  if (pk.startsWith('TOKEN#') || pk.startsWith('FAMILY#')) return 'token';
  if (!pk.startsWith('ECO#')) return 'other';
  if (sk.startsWith('USER#')) return 'user';
  if (sk.startsWith('SRV#')) return 'serverToken';
  return 'ecosystemWide';
}

/** The item keys a command names, read or written; a Query counts as touching its partition's shared items. */
function keysOf(name: string, input: Record<string, unknown>): { key: Key; write: boolean }[] {
  const write = WRITES.has(name);
  const one = (input.Key ?? input.Item) as Key | undefined;
  if (one !== undefined) return [{ key: one, write }];
  const tables = Object.values((input.RequestItems ?? {}) as Record<string, unknown>);
  if (name === 'BatchGetItemCommand') {
    return tables.flatMap((t) => ((t as { Keys?: Key[] }).Keys ?? []).map((key) => ({ key, write })));
  }
  if (name === 'BatchWriteItemCommand') {
    return tables.flatMap((t) =>
      (t as { PutRequest?: { Item: Key }; DeleteRequest?: { Key: Key } }[]).map((r) => ({
        key: r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {},
        write,
      })),
    );
  }
  if (name === 'TransactWriteItemsCommand' || name === 'TransactGetItemsCommand') {
    return ((input.TransactItems ?? []) as Record<string, { Key?: Key; Item?: Key }>[]).map((item) => {
      const part = Object.values(item)[0];
      return { key: part?.Key ?? part?.Item ?? {}, write };
    });
  }
  if (name === 'QueryCommand') {
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, { S?: string }>;
    return [{ key: { pk: values[':pk'] ?? {}, sk: { S: '' } }, write: false }];
  }
  return [];
}

/** Touches of items by owner, reads and writes apart. */
export type Touches = Record<ItemOwner, { reads: number; writes: number }>;

const noTouches = (): Touches => ({
  token: { reads: 0, writes: 0 },
  user: { reads: 0, writes: 0 },
  serverToken: { reads: 0, writes: 0 },
  ecosystemWide: { reads: 0, writes: 0 },
  other: { reads: 0, writes: 0 },
});

/**
 * Counts one client's requests. Add it before the client's first command.
 *
 * @example
 * const counter = new DynamoDbCounter(client);
 * await verifyToken(deps, token);
 * counter.total(); // 1
 */
export class DynamoDbCounter {
  requests = new Map<string, number>();
  /** Single-item writes by the kind of item (the partition key's prefix: TOKEN, USAGE, …). */
  writesByItem = new Map<string, number>();
  capacityUnits = 0;
  touches: Touches = noTouches();
  /**
   * Round trips a caller waits for: each time a request starts while none (the usage flushes aside) is in
   * flight. Requests sent together, as verify sends its token read and a cache miss's ecosystem read, are one.
   */
  roundTrips = 0;
  #inFlight = 0;

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        const name = context.commandName ?? '';
        if (DATA_CALLS.has(name)) input.ReturnConsumedCapacity = 'TOTAL';
        if (WRITES.has(name)) {
          const item = (input.Key ?? input.Item) as Key | undefined;
          const usage = item?.sk?.S?.startsWith('USAGE#') === true;
          const kind = usage ? 'USAGE' : (item?.pk?.S?.split('#')[0] ?? name.replace('Command', ''));
          this.writesByItem.set(kind, (this.writesByItem.get(kind) ?? 0) + 1);
        }
        for (const { key, write } of keysOf(name, input)) {
          this.touches[ownerOf(key)][write ? 'writes' : 'reads'] += 1;
        }
        const flush = (input.Key as Key | undefined)?.sk?.S?.startsWith('USAGE#') === true;
        if (!flush && this.#inFlight++ === 0) this.roundTrips++;
        let answer: Awaited<ReturnType<typeof next>>;
        try {
          answer = await next(args);
        } finally {
          if (!flush) this.#inFlight--;
        }
        const consumed = (answer.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        for (const part of Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) {
          this.capacityUnits += Number((part as { CapacityUnits?: number }).CapacityUnits ?? 0);
        }
        return answer;
      },
      { step: 'initialize', name: 'benchCapacity' },
    );
    // The deserialize step runs once per HTTP attempt, retries included.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const name = context.commandName ?? 'unknown';
        this.requests.set(name, (this.requests.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'deserialize', name: 'benchRequests' },
    );
  }

  total(filter: (name: string) => boolean = () => true): number {
    let sum = 0;
    for (const [name, count] of this.requests) if (filter(name)) sum += count;
    return sum;
  }

  writes(): number {
    return this.total((name) => WRITES.has(name));
  }

  /** Reads plus writes of the items a whole ecosystem shares. */
  ecosystemWideTouches(): number {
    return this.touches.ecosystemWide.reads + this.touches.ecosystemWide.writes;
  }

  reset(): void {
    this.requests.clear();
    this.writesByItem.clear();
    this.capacityUnits = 0;
    this.touches = noTouches();
    this.roundTrips = 0;
  }
}
