// KmsSigner through the real KMSClient against the KMS double (real P-256 keys, KMS's wire protocol):
// signatures that verify, the kid rule, key rotation, the public-key cache, retries and the 503 after them.
import { createPublicKey, verify } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { calculateJwkThumbprint } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsSigner } from '../../../functions/adapters/kms-signer.ts';
import { isTesseraError } from '../../../functions/core/errors.ts';
import { decodeToken, KeyRing, signToken } from '../../../functions/core/token-codec.ts';
import { clientConfig } from '../../../functions/runtime/aws-clients.ts';
import { LOCAL_AWS } from '../../helpers/dynamodb-local.ts';
import { GET_PUBLIC_KEY, type KmsDouble, SIGN, startKmsDouble } from '../../helpers/kms-double.ts';

const claims = (jti: string) => ({
  iss: 'tessera',
  sub: 'alice',
  jti,
  iat: 1_800_000_000,
  'tsr:eco': 'e1',
  'tsr:expiry': 'Infinite',
});

let kms: KmsDouble;
const clients: KMSClient[] = [];

function client(limits?: Parameters<typeof clientConfig>[0]['limits']): KMSClient {
  const made = new KMSClient(clientConfig({ ...LOCAL_AWS, endpoint: kms.endpoint, limits }));
  clients.push(made);
  return made;
}

beforeAll(async () => {
  kms = await startKmsDouble({ keys: 2 });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await kms.close();
});

describe('KmsSigner', () => {
  it('signs tokens that verify with the published key, hundreds in a row', async () => {
    const signer = new KmsSigner({ client: client(), keyIds: [kms.keyIds[0] ?? ''] });
    const keys = new KeyRing(signer);
    for (let i = 0; i < 200; i++) {
      const token = await signToken(signer, claims(`t${i}`));
      const decoded = await decodeToken(token, keys, 'tessera');
      expect(decoded.claims.jti).toBe(`t${i}`);
    }
  });

  it('derives kid as the RFC 7638 thumbprint of the KMS public key', async () => {
    const signer = new KmsSigner({ client: client(), keyIds: [kms.keyIds[0] ?? ''] });
    const [jwk] = await signer.publicKeys();
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    const thumbprint = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: jwk?.x, y: jwk?.y });
    expect(jwk?.kid).toBe(thumbprint);
    expect(await signer.kid()).toBe(thumbprint);
  });

  it('signs with the first key id and publishes every key, so tokens of the older key still verify', async () => {
    const [older = '', newer = ''] = kms.keyIds;
    const before = new KmsSigner({ client: client(), keyIds: [older] });
    const oldToken = await signToken(before, claims('old'));

    const after = new KmsSigner({ client: client(), keyIds: [newer, older] });
    const published = await after.publicKeys();
    expect(published.map((k) => k.kid)).toEqual([await after.kid(), await before.kid()]);
    const newToken = await signToken(after, claims('new'));
    const keys = new KeyRing(after);
    expect((await decodeToken(oldToken, keys, 'tessera')).kid).toBe(await before.kid());
    expect((await decodeToken(newToken, keys, 'tessera')).kid).toBe(published[0]?.kid);
  });

  it('asks KMS for each public key once, and verifying makes no KMS call at all once warm', async () => {
    const signer = new KmsSigner({ client: client(), keyIds: [...kms.keyIds] });
    const keys = new KeyRing(signer);
    const token = await signToken(signer, claims('warm'));
    await decodeToken(token, keys, 'tessera');
    const gets = kms.count(GET_PUBLIC_KEY);
    const signs = kms.count(SIGN);

    for (let i = 0; i < 50; i++) await decodeToken(token, keys, 'tessera');
    await signer.publicKeys();
    await signer.kid();

    expect(kms.count(GET_PUBLIC_KEY)).toBe(gets);
    expect(kms.count(SIGN)).toBe(signs);
  });

  it('signs a SHA-256 digest, so inputs over the 4,096-byte RAW limit of KMS sign too', async () => {
    const signer = new KmsSigner({ client: client(), keyIds: [kms.keyIds[0] ?? ''] });
    const input = new TextEncoder().encode('x'.repeat(10_000));
    const signature = await signer.sign(input);
    const [jwk] = await signer.publicKeys();
    const key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
    expect(verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('retries throttling with backoff and succeeds when KMS recovers', async () => {
    const signer = new KmsSigner({ client: client(), keyIds: [kms.keyIds[0] ?? ''] });
    await signer.kid();
    const before = kms.count(SIGN);
    kms.failNext(SIGN, 2);
    const signature = await signer.sign(new TextEncoder().encode('throttled'));
    expect(signature.length).toBe(64);
    expect(kms.count(SIGN) - before).toBe(3);
  });

  it('answers SERVICE_UNAVAILABLE with a retry-after once the retries are spent', async () => {
    const signer = new KmsSigner({ client: client(), keyIds: [kms.keyIds[0] ?? ''] });
    await signer.kid();
    const before = kms.count(SIGN);
    kms.failNext(SIGN, 3);
    const err: unknown = await signer.sign(new Uint8Array([1])).catch((e: unknown) => e);
    expect(isTesseraError(err) && err.code).toBe('SERVICE_UNAVAILABLE');
    expect(isTesseraError(err) && err.retryAfterSeconds).toBeGreaterThan(0);
    expect(kms.count(SIGN) - before).toBe(3);
  });

  it('gives up on slow answers within its request timeout and answers SERVICE_UNAVAILABLE', async () => {
    const signer = new KmsSigner({
      client: client({ requestTimeoutMs: 150 }),
      keyIds: [kms.keyIds[0] ?? ''],
    });
    await signer.kid();
    kms.delayNext(SIGN, 3, 1000);
    const err: unknown = await signer.sign(new Uint8Array([2])).catch((e: unknown) => e);
    expect(isTesseraError(err) && err.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('refuses to start on a key id KMS does not know, naming it', async () => {
    const signer = new KmsSigner({ client: client(), keyIds: ['alias/missing'] });
    await expect(signer.kid()).rejects.toThrow(/alias\/missing/);
  });
});
