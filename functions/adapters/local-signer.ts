// Local mode's signer: an ES256 key made on first start and kept in the data folder (mode 0600).
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { PublicJwk, Signer } from '../core/ports.ts';

export const KEY_FILE = 'signing-key.json';

/** Signs with an in-process P-256 key. Also the test double standing in for KMS where no key file is wanted. */
export class LocalSigner implements Signer {
  readonly alg = 'ES256';
  readonly #privateKey: KeyObject;
  readonly #publicJwk: PublicJwk;

  private constructor(privateKey: KeyObject, publicJwk: PublicJwk) {
    this.#privateKey = privateKey;
    this.#publicJwk = publicJwk;
  }

  /** A signer over the given private key, or a fresh one. */
  static async fromKey(privateKey?: KeyObject): Promise<LocalSigner> {
    const key = privateKey ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const { x = '', y = '' } = createPublicKey(key).export({ format: 'jwk' });
    // kid: the RFC 7638 thumbprint, so the same key always has the same id.
    const kid = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x, y });
    return new LocalSigner(key, { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' });
  }

  /** The data folder's key, made (mode 0600) on first use. */
  static async fromDataDir(dataDir: string): Promise<LocalSigner> {
    const path = join(dataDir, KEY_FILE);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    try {
      const jwk = JSON.parse(await readFile(path, 'utf8')) as JWK;
      return LocalSigner.fromKey(createPrivateKey({ key: { ...jwk }, format: 'jwk' }));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const signer = await LocalSigner.fromKey();
    const jwk = signer.#privateKey.export({ format: 'jwk' });
    await writeFile(path, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: 'wx' });
    return signer;
  }

  async kid(): Promise<string> {
    return this.#publicJwk.kid;
  }

  async sign(signingInput: Uint8Array): Promise<Uint8Array> {
    return sign('sha256', signingInput, { key: this.#privateKey, dsaEncoding: 'ieee-p1363' });
  }

  async publicKeys(): Promise<PublicJwk[]> {
    return [{ ...this.#publicJwk }];
  }
}
