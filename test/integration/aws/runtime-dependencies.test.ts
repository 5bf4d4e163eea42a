// Building dependencies from the environment on the AWS adapters: the account token read once from Secrets
// Manager, a function with no account-token source that still starts, a KMS key that is not there, and
// DynamoDB out of reach answering 503.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb-store.ts';
import { KmsSigner } from '../../../functions/adapters/kms-signer.ts';
import { startLocalServer } from '../../../functions/local/server.ts';
import { dynamoDbClient } from '../../../functions/runtime/aws-clients.ts';
import { readConfig } from '../../../functions/runtime/config.ts';
import { buildRuntimeDependencies, NO_ACCOUNT } from '../../../functions/runtime/dependencies.ts';
import {
  type AwsLocal,
  GET_SECRET_VALUE,
  startAwsLocal,
  startSecretsManagerDouble,
} from '../../helpers/aws.ts';
import type { AwsJsonServer } from '../../helpers/aws-json-server.ts';
import { TEST_ACCOUNT_TOKEN } from '../../helpers/deps.ts';
import { freePort } from '../../helpers/dynamodb-local.ts';
import { startTestServer } from '../../helpers/server.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:tessera-account-AbCdEf';
const SECRET = 'Generated-by-Secrets-Manager-with-no-prefix-0123456789';

let aws: AwsLocal;
let secrets: AwsJsonServer;

beforeAll(async () => {
  aws = await startAwsLocal();
  secrets = await startSecretsManagerDouble({ [SECRET_ARN]: SECRET });
});

afterAll(async () => {
  await aws.close();
  await secrets.close();
});

describe('buildRuntimeDependencies on the AWS adapters', () => {
  it('builds the DynamoDB store and the KMS signer the environment names', async () => {
    const { deps, store } = await buildRuntimeDependencies(readConfig(aws.env));
    expect(store).toBeInstanceOf(DynamoDbStore);
    const { tokens, directory, serverTokens, usageCounters } = store;
    expect(deps).toMatchObject({ tokens, directory, serverTokens, usageCounters });
    expect(deps.signer).toBeInstanceOf(KmsSigner);
  });

  it('reads the account token from Secrets Manager once, keeping only its SHA-256', async () => {
    const before = secrets.calls.get(GET_SECRET_VALUE) ?? 0;
    const { deps } = await buildRuntimeDependencies(
      readConfig({
        ...aws.env,
        TESSERA_ACCOUNT_TOKEN_SECRET_ARN: SECRET_ARN,
        SECRETS_MANAGER_ENDPOINT: secrets.endpoint,
      }),
    );
    expect(deps.config.accountTokenHash).toBe(createHash('sha256').update(SECRET).digest('hex'));
    expect((secrets.calls.get(GET_SECRET_VALUE) ?? 0) - before).toBe(1);
  });

  it('accepts the secret, used as it is with no prefix, as the account token through the API', async () => {
    const config = readConfig({
      ...aws.env,
      TESSERA_ACCOUNT_TOKEN_SECRET_ARN: SECRET_ARN,
      SECRETS_MANAGER_ENDPOINT: secrets.endpoint,
    });
    const { deps } = await buildRuntimeDependencies(config);
    const server = await startLocalServer({ deps, port: 0 });
    try {
      const created = await fetch(`${server.url}/v1/ecosystems`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}` },
      });
      expect(created.status).toBe(201);
      const refused = await fetch(`${server.url}/v1/ecosystems`, {
        method: 'POST',
        headers: { authorization: `Bearer tsa_${SECRET}` },
      });
      expect(refused.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('starts without any account-token source; the account then cannot authenticate', async () => {
    const { deps } = await buildRuntimeDependencies(readConfig(aws.env));
    expect(deps.config.accountTokenHash).toBe(NO_ACCOUNT);
    const server = await startTestServer({ env: { ...aws.env, TESSERA_ACCOUNT_TOKEN: '' } });
    try {
      const result = await server.call('POST', '/v1/ecosystems', { bearer: '' });
      expect(result.status).toBe(401);
      const jwks = await server.call('GET', '/.well-known/jwks.json');
      expect(jwks.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('refuses to start on a KMS key that does not exist, naming it', async () => {
    const env = { ...aws.env, TESSERA_KMS_KEY_IDS: 'alias/not-there' };
    await expect(buildRuntimeDependencies(readConfig(env))).rejects.toThrow(/alias\/not-there/);
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when DynamoDB cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const server = await startTestServer({ env: { ...aws.env, DYNAMODB_ENDPOINT: closed } });
    try {
      const result = await server.call('POST', '/v1/tokens/verify', { body: { token: 'x.y.z' } });
      expect(result.status).toBe(401); // a malformed token never reaches the store
      const down = await server.call('POST', '/v1/ecosystems', { bearer: TEST_ACCOUNT_TOKEN, body: {} });
      expect([down.status, down.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });

  it('creates each AWS client once per container', () => {
    const settings = { region: 'us-east-1', endpoint: 'http://127.0.0.1:1' };
    expect(dynamoDbClient(settings)).toBe(dynamoDbClient({ ...settings }));
  });
});
