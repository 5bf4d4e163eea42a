import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientsIn, type BuiltFunction, buildAll } from '../../infra/build.ts';
import { invokeBundle, writeBundleRunner } from '../helpers/bundle-runner.ts';
import { freePort } from '../helpers/dynamodb-local.ts';
import { type KmsDouble, startKmsDouble } from '../helpers/kms-double.ts';
import { makeDataDir, removeDataDir } from '../helpers/server.ts';

describe('the function bundles', () => {
  let dir: string;
  let runner: string;
  let built: BuiltFunction[];
  let kms: KmsDouble;

  beforeAll(async () => {
    dir = await makeDataDir();
    runner = await writeBundleRunner(dir);
    built = buildAll(join(dir, 'dist'));
    kms = await startKmsDouble();
  }, 120_000);
  afterAll(async () => {
    await kms.close();
    await removeDataDir(dir);
  });

  /** Invokes a bundle in a fresh process in AWS mode: the KMS double, and nothing listening anywhere else. */
  async function invokeOnAws(name: string, event: unknown, env: Record<string, string> = {}) {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const file = built.find((b) => b.name === name)?.file ?? '';
    const { answer } = await invokeBundle(runner, file, event, {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      TESSERA_STORE: 'dynamodb',
      TESSERA_TABLE: 'tessera-unreachable',
      DYNAMODB_ENDPOINT: closed,
      TESSERA_SIGNER: 'kms',
      TESSERA_KMS_KEY_IDS: kms.keyIds.join(','),
      KMS_ENDPOINT: kms.endpoint,
      ...env,
    });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads the bundle's JSON answer
    return answer as any;
  }

  it('carries per function the code of only the AWS clients it calls', () => {
    const clients = Object.fromEntries(built.map((b) => [b.name, awsClientsIn(b.metafile)]));
    const all = ['client-dynamodb', 'client-kms', 'client-secrets-manager'];
    const tokensOnly = ['client-dynamodb', 'client-kms'];
    expect(clients).toEqual({
      issue: all,
      verify: tokensOnly,
      refresh: tokensOnly,
      authorizer: tokensOnly,
      keys: ['client-kms'],
      admin: all,
      exchange: tokensOnly, // KMS for the public keys and the secrets key's Decrypt
      events: ['client-eventbridge'], // the stream's records in, the bus out: no table or key client
    });
  });

  it('serves the JWKS from the keys function, which has no DynamoDB client, on KMS', async () => {
    const answer = await invokeOnAws('keys', {});
    expect(answer.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256' })]);
  }, 30_000);

  it('signs its AWS calls with credentials from the environment, as in Lambda, without the lazy providers', async () => {
    // Built into a folder with no node_modules above it, the credential providers left external cannot
    // resolve: the environment's credentials, which Lambda always sets, must be all the SDK reaches for.
    const lambdaCredentials = {
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example-secret',
      AWS_SESSION_TOKEN: 'example-session',
      AWS_REGION: 'us-east-1',
    };
    const answer = await invokeOnAws('keys', {}, lambdaCredentials);
    expect(answer.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256' })]);
  }, 30_000);

  it('starts verify without reading the account secret it has no use for', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const secret = {
      TESSERA_ACCOUNT_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:tessera-x',
      SECRETS_MANAGER_ENDPOINT: closed,
    };
    expect(await invokeOnAws('verify', { token: 'x.y.z' }, secret)).toMatchObject({
      valid: false,
      error: { code: 'TOKEN_STRUCTURE_INVALID' },
    });
    // The issue function needs the account token, so the unreachable secret stops its start.
    const issued = await invokeOnAws('issue', { ecosystemId: 'e', userId: 'u' }, secret);
    expect(issued).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
  }, 60_000);
});
