// `npm run dev:aws-local` as a developer runs it, here on the run's DynamoDB Local (DYNAMODB_ENDPOINT) and
// its own KMS double, on a free port: it creates the table, serves the API, and stops cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { localDynamoDbClient } from '../../helpers/dynamodb-local.ts';

const TOKEN = 'tsa_dev-aws-local-test-token-of-some-length-0000000';
let child: ChildProcess | undefined;

afterAll(() => {
  if (child?.exitCode === null) child.kill();
});

/** Starts the script and resolves with the URL it prints. */
function start(env: Record<string, string>): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', 'test/dev/aws-local.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child?.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url !== undefined) resolve(url);
    });
    child?.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child?.once('exit', (code) => reject(new Error(`dev:aws-local exited (${code}):\n${output}`)));
  });
}

describe('npm run dev:aws-local', () => {
  it('creates the table on the given DynamoDB, serves the API on the KMS double, and stops on SIGTERM', async () => {
    const endpoint = inject('dynamodbEndpoint');
    const table = `tessera-dev-${randomBytes(4).toString('hex')}`;
    const url = await start({
      PORT: '0',
      DYNAMODB_ENDPOINT: endpoint,
      TESSERA_TABLE: table,
      TESSERA_ACCOUNT_TOKEN: TOKEN,
    });

    const client = localDynamoDbClient(endpoint);
    const described = await client.send(new DescribeTableCommand({ TableName: table }));
    client.destroy();
    expect(described.Table?.TableStatus).toBe('ACTIVE');

    const created = await fetch(`${url}/v1/ecosystems`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(created.status).toBe(201);
    const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys).toHaveLength(1);

    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child?.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
