// Local mode's SecretBox: AES-256-GCM (secret-envelope.ts) under a 256-bit key made on first use and kept
// in the data folder (mode 0600, beside the signing key), so the store file holds provider secrets only
// sealed. Whoever reads the data folder reads the key too: locally, the folder's permissions are the
// boundary, as they are for the signing key; in AWS the key never leaves KMS (kms-secret-box.ts).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretBox, SecretContext } from '../core/secret-box.ts';
import { KEY_BYTES, openWithKey, sealWithKey, withoutPrefix } from './secret-envelope.ts';

export const SECRETS_KEY_FILE = 'secrets-key.json';
const PREFIX = 'local1';

/**
 * Seals under one in-process key.
 *
 * @example
 * const box = await LocalSecretBox.fromDataDir('.tessera');
 * const sealed = await box.seal(secret, { ecosystemId, providerId });
 */
export class LocalSecretBox implements SecretBox {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`A secrets key is ${KEY_BYTES} bytes.`);
    this.#key = key;
  }

  /** A box over a fresh key held in memory only (tests; what it sealed dies with it). */
  static inMemory(): LocalSecretBox {
    return new LocalSecretBox(randomBytes(KEY_BYTES));
  }

  /** The data folder's key, made (mode 0600, never overwritten) on first use. */
  static async fromDataDir(dataDir: string): Promise<LocalSecretBox> {
    const path = join(dataDir, SECRETS_KEY_FILE);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    try {
      const stored = JSON.parse(await readFile(path, 'utf8')) as { key?: unknown };
      if (typeof stored.key !== 'string') throw new Error(`${path} holds no key.`);
      return new LocalSecretBox(Buffer.from(stored.key, 'base64url'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const key = randomBytes(KEY_BYTES);
    const text = `${JSON.stringify({ alg: 'A256GCM', key: key.toString('base64url') })}\n`;
    await writeFile(path, text, { mode: 0o600, flag: 'wx' });
    return new LocalSecretBox(key);
  }

  async seal(secret: string, context: SecretContext): Promise<string> {
    return `${PREFIX}.${sealWithKey(this.#key, secret, context)}`;
  }

  async open(sealed: string, context: SecretContext): Promise<string> {
    return openWithKey(this.#key, withoutPrefix(sealed, PREFIX), context);
  }
}
