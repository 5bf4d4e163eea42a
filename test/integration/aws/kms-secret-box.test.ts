// KmsSecretBox through the real KMSClient against the KMS double (real AES-256-GCM under its symmetric key,
// KMS's wire protocol): envelope encryption bound to the encryption context, the data key cache and its
// bounds, and KMS's refusals and outages.
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsSecretBox } from '../../../functions/adapters/kms-secret-box.ts';
import { isTesseraError } from '../../../functions/core/errors.ts';
import { clientConfig } from '../../../functions/runtime/aws-clients.ts';
import { frozenClock } from '../../helpers/clock.ts';
import { LOCAL_AWS } from '../../helpers/dynamodb-local.ts';
import { DECRYPT, GENERATE_DATA_KEY, type KmsDouble, startKmsDouble } from '../../helpers/kms-double.ts';

const CHAT = { ecosystemId: 'eco1', providerId: 'chat' };
const SECRET = 'a-provider-secret-0123456789abcdef';

let kms: KmsDouble;
let client: KMSClient;

beforeAll(async () => {
  kms = await startKmsDouble({ symmetricKeys: 2 });
  client = new KMSClient(clientConfig({ ...LOCAL_AWS, endpoint: kms.endpoint, limits: { maxAttempts: 1 } }));
});

afterAll(async () => {
  client.destroy();
  await kms.close();
});

const keyId = (i = 0) => kms.symmetricKeyIds[i] ?? '';
const box = (options: { cacheSeconds?: number; cacheEntries?: number } = {}) => {
  const clock = frozenClock();
  return { clock, box: new KmsSecretBox({ client, keyId: keyId(), clock, ...options }) };
};

describe('the KMS double (what KmsSecretBox relies on KMS for)', () => {
  it('refuses a Decrypt under another encryption context, as KMS does', async () => {
    const sealed = await client.send(
      new EncryptCommand({ KeyId: keyId(), Plaintext: Buffer.from('x'), EncryptionContext: { a: '1' } }),
    );
    const decrypt = (context: Record<string, string>) =>
      client.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: context }));
    expect(Buffer.from((await decrypt({ a: '1' })).Plaintext ?? []).toString()).toBe('x');
    await expect(decrypt({ a: '2' })).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
    await expect(decrypt({})).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });
});

describe('KmsSecretBox', () => {
  it('seals with one GenerateDataKey and opens with one Decrypt, the plain text nowhere in the sealed form', async () => {
    const { box: secrets } = box();
    const generated = kms.count(GENERATE_DATA_KEY);
    const sealed = await secrets.seal(SECRET, CHAT);
    expect(kms.count(GENERATE_DATA_KEY) - generated).toBe(1);
    expect(sealed.startsWith('kms1.')).toBe(true);
    for (const form of [
      SECRET,
      Buffer.from(SECRET).toString('base64'),
      Buffer.from(SECRET).toString('base64url'),
    ]) {
      expect(sealed).not.toContain(form);
    }
    const decrypts = kms.count(DECRYPT);
    expect(await secrets.open(sealed, CHAT)).toBe(SECRET);
    expect(kms.count(DECRYPT) - decrypts).toBe(1);
  });

  it('seals each secret under its own data key', async () => {
    const { box: secrets } = box();
    const [a, b] = [await secrets.seal(SECRET, CHAT), await secrets.seal(SECRET, CHAT)];
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('does not open a secret for another provider or ecosystem: KMS refuses the context', async () => {
    const { box: secrets } = box();
    const sealed = await secrets.seal(SECRET, CHAT);
    for (const other of [
      { ecosystemId: 'eco1', providerId: 'video' },
      { ecosystemId: 'eco2', providerId: 'chat' },
    ]) {
      const err = await secrets.open(sealed, other).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'InvalidCiphertextException' });
      expect(isTesseraError(err)).toBe(false); // our error, a 500: a sealed value moved between records
    }
  });

  it('does not open with the data key once the encrypted secret was altered', async () => {
    const { box: secrets } = box();
    const sealed = await secrets.seal(SECRET, CHAT);
    const parts = sealed.split('.');
    const ciphertext = Buffer.from(parts[3] ?? '', 'base64url');
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    parts[3] = ciphertext.toString('base64url');
    await expect(secrets.open(parts.join('.'), CHAT)).rejects.toThrow(/does not open/);
  });

  it('keeps a decrypted data key for five minutes, then asks KMS again', async () => {
    const { box: secrets, clock } = box();
    const sealed = await secrets.seal(SECRET, CHAT);
    const decrypts = kms.count(DECRYPT);
    for (let i = 0; i < 5; i++) expect(await secrets.open(sealed, CHAT)).toBe(SECRET);
    expect(kms.count(DECRYPT) - decrypts).toBe(1);
    clock.advance(299);
    await secrets.open(sealed, CHAT);
    expect(kms.count(DECRYPT) - decrypts).toBe(1);
    clock.advance(1);
    await secrets.open(sealed, CHAT);
    expect(kms.count(DECRYPT) - decrypts).toBe(2);
  });

  it('keeps at most the configured number of data keys, dropping the oldest', async () => {
    const { box: secrets } = box({ cacheEntries: 2 });
    const sealed = [];
    for (const providerId of ['p1', 'p2', 'p3'])
      sealed.push(await secrets.seal(SECRET, { ...CHAT, providerId }));
    const decrypts = kms.count(DECRYPT);
    for (const [i, providerId] of ['p1', 'p2', 'p3'].entries()) {
      await secrets.open(sealed[i] ?? '', { ...CHAT, providerId });
    }
    expect(kms.count(DECRYPT) - decrypts).toBe(3);
    await secrets.open(sealed[2] ?? '', { ...CHAT, providerId: 'p3' }); // cached
    await secrets.open(sealed[0] ?? '', { ...CHAT, providerId: 'p1' }); // dropped: asked again
    expect(kms.count(DECRYPT) - decrypts).toBe(4);
  });

  it('stops opening within the cache bound once the key is disabled', async () => {
    const disabled = new KmsSecretBox({ client, keyId: keyId(1), clock: frozenClock() });
    const clock = frozenClock();
    const secrets = new KmsSecretBox({ client, keyId: keyId(1), clock });
    const sealed = await disabled.seal(SECRET, CHAT);
    await secrets.open(sealed, CHAT);
    kms.disableKey(keyId(1));
    expect(await secrets.open(sealed, CHAT)).toBe(SECRET); // within the bound: the cached key
    clock.advance(300);
    await expect(secrets.open(sealed, CHAT)).rejects.toMatchObject({ name: 'DisabledException' });
    await expect(disabled.seal(SECRET, CHAT)).rejects.toMatchObject({ name: 'DisabledException' });
  });

  it('answers 503 SERVICE_UNAVAILABLE when KMS throttles, and caches nothing then', async () => {
    const { box: secrets } = box();
    const sealed = await secrets.seal(SECRET, CHAT);
    kms.failNext(DECRYPT, 1);
    const err = await secrets.open(sealed, CHAT).catch((e: unknown) => e);
    expect(isTesseraError(err) && err.code).toBe('SERVICE_UNAVAILABLE');
    expect(await secrets.open(sealed, CHAT)).toBe(SECRET);
    kms.failNext(GENERATE_DATA_KEY, 1);
    const sealErr = await secrets.seal(SECRET, CHAT).catch((e: unknown) => e);
    expect(isTesseraError(sealErr) && sealErr.code).toBe('SERVICE_UNAVAILABLE');
  });
});
