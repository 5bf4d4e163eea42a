import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbStore } from '../../../functions/adapters/dynamodb-store.ts';
import { KmsSecretBox } from '../../../functions/adapters/kms-secret-box.ts';
import { KmsSigner } from '../../../functions/adapters/kms-signer.ts';
import { systemClock } from '../../../functions/core/clock.ts';
import { assembleDeps, type Deps } from '../../../functions/core/deps.ts';
import { putProvider } from '../../../functions/core/providers.ts';
import { bundleFunctionSync } from '../../../infra/bundle.ts';
import { invokeBundle, writeBundleRunner } from '../../helpers/bundle-runner.ts';
import { issueFor, seedUser, testConfig } from '../../helpers/deps.ts';
import { createTable, LOCAL_AWS, localDynamoDbClient } from '../../helpers/dynamodb-local.ts';
import { DECRYPT, type KmsDouble, startKmsDouble } from '../../helpers/kms-double.ts';
import { providerBodies } from '../../helpers/providers.ts';
import { makeDataDir, removeDataDir } from '../../helpers/server.ts';

describe('the exchange bundle on the AWS adapters', () => {
  let dir: string;
  let runner: string;
  let file: string;
  let kms: KmsDouble;
  let kmsClient: KMSClient;
  let table: string;
  let deps: Deps;
  const endpoint = inject('dynamodbEndpoint');
  const body = providerBodies().stream;

  beforeAll(async () => {
    dir = await makeDataDir();
    runner = await writeBundleRunner(dir);
    bundleFunctionSync('exchange', join(dir, 'exchange'));
    file = join(dir, 'exchange', 'index.mjs');
    kms = await startKmsDouble();
    kmsClient = new KMSClient({ ...LOCAL_AWS, endpoint: kms.endpoint });
    const client = localDynamoDbClient(endpoint);
    table = await createTable(client);
    // The bundle's own adapters and keys, on the real clock (the bundle runs on it): the token is signed by
    // the KMS key it reads, the provider sealed under the secrets key it decrypts with.
    deps = assembleDeps({
      store: new DynamoDbStore({ client, tableName: table }),
      signer: new KmsSigner({ client: kmsClient, keyIds: kms.keyIds }),
      secretBox: new KmsSecretBox({ client: kmsClient, keyId: kms.symmetricKeyIds[0] ?? '' }),
      clock: systemClock,
      config: testConfig(),
    });
    await seedUser(deps);
    await putProvider(deps, { ecosystemId: 'eco1', providerId: 'chat', body });
  }, 120_000);

  afterAll(async () => {
    kmsClient.destroy();
    await kms.close();
    await removeDataDir(dir);
  });

  async function invoke(event: unknown) {
    const { answer } = await invokeBundle(runner, file, event, {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      TESSERA_STORE: 'dynamodb',
      TESSERA_TABLE: table,
      DYNAMODB_ENDPOINT: endpoint,
      TESSERA_SIGNER: 'kms',
      TESSERA_KMS_KEY_IDS: kms.keyIds.join(','),
      KMS_ENDPOINT: kms.endpoint,
      TESSERA_SECRETS_KEY_ID: kms.symmetricKeyIds[0] ?? '',
    });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads the bundle's JSON answer
    return answer as any;
  }

  it('answers a direct {"token","provider"} with the provider token, decrypting with the secrets key', async () => {
    const { token } = await issueFor(deps, { ttl: '600' });
    const decrypts = kms.count(DECRYPT);
    const answer = await invoke({ token, provider: 'chat' });
    expect(answer).toMatchObject({ provider: 'chat', type: 'stream', expiresAt: null });
    expect((await jwtVerify(answer.token, Buffer.from(body.apiSecret))).payload).toEqual({
      user_id: 'alice',
    });
    expect(kms.count(DECRYPT) - decrypts).toBe(1);
    expect(await invoke({ token, provider: 'none' })).toMatchObject({
      error: { code: 'PROVIDER_NOT_FOUND' },
    });
  }, 60_000);
});
