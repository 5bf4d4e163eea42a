// The AWS SecretBox: envelope encryption under a symmetric KMS key of the stack. Sealing (PUT, the admin
// function) asks KMS for a fresh 256-bit data key (GenerateDataKey), encrypts the secret with it locally
// (AES-256-GCM, secret-envelope.ts) and keeps only the data key as KMS encrypted it; the plain data key is
// dropped at once. Opening (the exchange function only) asks KMS to Decrypt that data key. Both calls carry
// the encryption context {purpose, ecosystemId, providerId}, which KMS binds to the ciphertext and records in
// CloudTrail, and which the exchange role's IAM condition requires: a data key moved to another provider's
// record does not decrypt. https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html
//
// A container keeps each plain data key it decrypted for at most DATA_KEY_CACHE_SECONDS (5 minutes), at most
// DATA_KEY_CACHE_ENTRIES of them, as the AWS Encryption SDK's data key caching does: without it every
// exchange would be one more KMS call, billed per request and counted against the account's shared
// per-Region quota for symmetric cryptographic operations (Decrypt, GenerateDataKey, GenerateMac, …):
// https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html (read 2026-12-01). The
// bound is what a disabled key or a withdrawn kms:Decrypt permission takes to stop a warm container. A
// provider's new secret takes effect at once regardless: each PUT seals under a new data key, and the
// record is read on every exchange, so a replaced or deleted provider is never served from the cache.
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { type Clock, systemClock } from '../core/clock.ts';
import { encryptionContext, type SecretBox, type SecretContext } from '../core/secret-box.ts';
import { callAws } from './aws-errors.ts';
import { KEY_BYTES, openWithKey, sealWithKey, withoutPrefix } from './secret-envelope.ts';

const WHAT = 'The secrets key (KMS)';
const PREFIX = 'kms1';

/** How long a container may reuse a decrypted data key. */
export const DATA_KEY_CACHE_SECONDS = 300;
/** How many decrypted data keys a container keeps at most (the oldest goes first). */
export const DATA_KEY_CACHE_ENTRIES = 1000;

export interface KmsSecretBoxProps {
  client: KMSClient;
  /** The symmetric key's id, ARN or alias. */
  keyId: string;
  clock?: Clock;
  cacheSeconds?: number;
  cacheEntries?: number;
}

interface CachedKey {
  key: Buffer;
  expiresAtMs: number;
}

/**
 * Seals under KMS data keys. Give it a client created once per container.
 *
 * @example
 * const box = new KmsSecretBox({ client: new KMSClient({}), keyId: 'alias/tessera-secrets' });
 * const sealed = await box.seal(secret, { ecosystemId, providerId }); // 'kms1.<data key>.<iv>.<ct>.<tag>'
 */
export class KmsSecretBox implements SecretBox {
  readonly #client: KMSClient;
  readonly #keyId: string;
  readonly #clock: Clock;
  readonly #cacheMs: number;
  readonly #cacheEntries: number;
  /** Decrypted data keys by their encrypted form and context; a Map keeps insertion order for eviction. */
  readonly #cache = new Map<string, CachedKey>();

  constructor(props: KmsSecretBoxProps) {
    this.#client = props.client;
    this.#keyId = props.keyId;
    this.#clock = props.clock ?? systemClock;
    this.#cacheMs = (props.cacheSeconds ?? DATA_KEY_CACHE_SECONDS) * 1000;
    this.#cacheEntries = props.cacheEntries ?? DATA_KEY_CACHE_ENTRIES;
  }

  async seal(secret: string, context: SecretContext): Promise<string> {
    const answer = await callAws(WHAT, () =>
      this.#client.send(
        new GenerateDataKeyCommand({
          KeyId: this.#keyId,
          KeySpec: 'AES_256',
          EncryptionContext: encryptionContext(context),
        }),
      ),
    );
    const { Plaintext: plaintext, CiphertextBlob: blob } = answer;
    if (plaintext?.length !== KEY_BYTES || blob === undefined) {
      throw new Error('KMS GenerateDataKey answered no 256-bit data key.');
    }
    const key = Buffer.from(plaintext);
    try {
      return `${PREFIX}.${Buffer.from(blob).toString('base64url')}.${sealWithKey(key, secret, context)}`;
    } finally {
      key.fill(0);
      plaintext.fill(0);
    }
  }

  async open(sealed: string, context: SecretContext): Promise<string> {
    const rest = withoutPrefix(sealed, PREFIX);
    const dot = rest.indexOf('.');
    if (dot <= 0) throw new Error('A sealed secret is malformed.');
    const key = await this.#dataKey(rest.slice(0, dot), context);
    try {
      return openWithKey(key, rest.slice(dot + 1), context);
    } finally {
      key.fill(0);
    }
  }

  /**
   * A copy of the plain data key (the caller overwrites it; the cached one may be evicted meanwhile): from the
   * cache while fresh, else one KMS Decrypt under the same context.
   */
  async #dataKey(encryptedKey: string, context: SecretContext): Promise<Buffer> {
    const id = `${encryptedKey}|${JSON.stringify(encryptionContext(context))}`;
    const now = this.#clock.now();
    const cached = this.#cache.get(id);
    if (cached !== undefined && cached.expiresAtMs > now) return Buffer.from(cached.key);
    if (cached !== undefined) this.#forget(id, cached);
    const answer = await callAws(WHAT, () =>
      this.#client.send(
        new DecryptCommand({
          KeyId: this.#keyId,
          CiphertextBlob: Buffer.from(encryptedKey, 'base64url'),
          EncryptionContext: encryptionContext(context),
        }),
      ),
    );
    if (answer.Plaintext?.length !== KEY_BYTES) throw new Error('KMS Decrypt answered no 256-bit data key.');
    const key = Buffer.from(answer.Plaintext);
    answer.Plaintext.fill(0);
    if (this.#cacheMs > 0 && this.#cacheEntries > 0) {
      while (this.#cache.size >= this.#cacheEntries) {
        const [oldest] = this.#cache;
        if (oldest === undefined) break;
        this.#forget(...oldest);
      }
      this.#cache.set(id, { key: Buffer.from(key), expiresAtMs: now + this.#cacheMs });
    }
    return key;
  }

  /** Drops a cached key, overwriting its bytes first. */
  #forget(id: string, cached: CachedKey): void {
    cached.key.fill(0);
    this.#cache.delete(id);
  }
}
