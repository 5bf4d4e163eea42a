// A KMS double speaking the real KMS JSON protocol (TrentService.Sign / GetPublicKey, and Encrypt / Decrypt /
// GenerateDataKey on symmetric keys) on 127.0.0.1:0, so the real KMSClient talks to it through KMS_ENDPOINT.
// It signs with real P-256 keys via @noble/curves (node:crypto cannot sign a precomputed digest), answers DER
// signatures and SPKI public keys as KMS does, encrypts with real AES-256-GCM under each symmetric key with the
// encryption context as additional authenticated data (so a Decrypt under another context fails with
// InvalidCiphertextException, as KMS's does), counts calls and injects faults. It lives under test/: nothing
// under functions/ imports it.
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { AwsFault, type AwsJsonServer, startAwsJsonServer } from './aws-json-server.ts';

/** The DER prefix of a P-256 SubjectPublicKeyInfo; the 65-byte uncompressed point follows. */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

export const SIGN = 'TrentService.Sign';
export const GET_PUBLIC_KEY = 'TrentService.GetPublicKey';
export const ENCRYPT = 'TrentService.Encrypt';
export const DECRYPT = 'TrentService.Decrypt';
export const GENERATE_DATA_KEY = 'TrentService.GenerateDataKey';

export type KmsOperation =
  | typeof SIGN
  | typeof GET_PUBLIC_KEY
  | typeof ENCRYPT
  | typeof DECRYPT
  | typeof GENERATE_DATA_KEY;

export interface KmsDouble extends Pick<AwsJsonServer, 'endpoint' | 'failNext' | 'delayNext' | 'close'> {
  /** The ids of the signing (P-256) keys created so far, oldest first. */
  keyIds: string[];
  /** Creates one more signing key (for rotation), answering its id. */
  createKey(): string;
  /** The ids of the symmetric encryption keys (SYMMETRIC_DEFAULT) created so far, oldest first. */
  symmetricKeyIds: string[];
  /** Creates one more symmetric key, answering its id. */
  createSymmetricKey(): string;
  /** Disables a key: every cryptographic call with it then answers DisabledException, as KMS does. */
  disableKey(keyId: string): void;
  /** Calls of one operation so far. */
  count(target: KmsOperation): number;
}

type DoubleKey =
  | { kind: 'sign'; arn: string; secretKey: Uint8Array; spki: Buffer; disabled: boolean }
  | { kind: 'symmetric'; id: string; arn: string; material: Buffer; disabled: boolean };

/** KMS's own limit on an Encrypt plaintext. */
const MAX_PLAINTEXT_BYTES = 4096;

/** The encryption context as the double authenticates it: a map, so member order does not matter. */
function contextBytes(value: unknown): Buffer {
  if (value === undefined) return Buffer.alloc(0);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AwsFault('ValidationException', 'EncryptionContext must be a map of strings');
  }
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.some(([, v]) => typeof v !== 'string')) {
    throw new AwsFault('ValidationException', 'EncryptionContext values must be strings');
  }
  return Buffer.from(JSON.stringify(entries));
}

/** A ciphertext blob as the double writes it: the key id (KMS's blobs name their key too), IV, tag, data. */
function sealBlob(key: { id: string; material: Buffer }, plaintext: Buffer, context: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.material, iv);
  cipher.setAAD(context);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const id = Buffer.from(key.id);
  return Buffer.concat([Buffer.from([id.length]), id, iv, cipher.getAuthTag(), data]);
}

function blobKeyId(blob: Buffer): string {
  const length = blob[0] ?? 0;
  if (blob.length < 1 + length + 28)
    throw new AwsFault('InvalidCiphertextException', 'ciphertext is invalid');
  return blob.subarray(1, 1 + length).toString();
}

function openBlob(material: Buffer, blob: Buffer, context: Buffer): Buffer {
  const start = 1 + (blob[0] ?? 0);
  const decipher = createDecipheriv('aes-256-gcm', material, blob.subarray(start, start + 12));
  decipher.setAAD(context);
  decipher.setAuthTag(blob.subarray(start + 12, start + 28));
  try {
    return Buffer.concat([decipher.update(blob.subarray(start + 28)), decipher.final()]);
  } catch {
    // What KMS answers for a ciphertext it cannot authenticate, a different encryption context included.
    throw new AwsFault('InvalidCiphertextException', 'The ciphertext or its encryption context is invalid');
  }
}

function bytesOf(value: unknown, name: string): Uint8Array {
  if (typeof value !== 'string') throw new AwsFault('ValidationException', `${name} is required`);
  return Buffer.from(value, 'base64');
}

/**
 * Starts the double with `keys` P-256 keys (default one).
 *
 * @example
 * const kms = await startKmsDouble();
 * const client = new KMSClient({ ...LOCAL_AWS, endpoint: kms.endpoint });
 */
export async function startKmsDouble(
  options: { keys?: number; symmetricKeys?: number } = {},
): Promise<KmsDouble> {
  const keys = new Map<string, DoubleKey>();
  const keyIds: string[] = [];
  const symmetricKeyIds: string[] = [];
  const arnOf = (id: string) => `arn:aws:kms:us-east-1:000000000000:key/${id}`;
  const createKey = (): string => {
    const id = randomUUID();
    const secretKey = p256.utils.randomSecretKey();
    const spki = Buffer.concat([P256_SPKI_PREFIX, p256.getPublicKey(secretKey, false)]);
    const key: DoubleKey = { kind: 'sign', arn: arnOf(id), secretKey, spki, disabled: false };
    keys.set(id, key);
    keys.set(key.arn, key);
    keyIds.push(id);
    return id;
  };
  const createSymmetricKey = (): string => {
    const id = randomUUID();
    const key: DoubleKey = {
      kind: 'symmetric',
      id,
      arn: arnOf(id),
      material: randomBytes(32),
      disabled: false,
    };
    keys.set(id, key);
    keys.set(key.arn, key);
    symmetricKeyIds.push(id);
    return id;
  };
  const keyOf = (input: Record<string, unknown>): DoubleKey => {
    const key = keys.get(String(input.KeyId));
    if (key === undefined)
      throw new AwsFault('NotFoundException', `Key '${String(input.KeyId)}' does not exist`);
    if (key.disabled) throw new AwsFault('DisabledException', `${key.arn} is disabled.`);
    return key;
  };
  const signingKeyOf = (input: Record<string, unknown>) => {
    const key = keyOf(input);
    if (key.kind !== 'sign')
      throw new AwsFault('InvalidKeyUsageException', `${key.arn} is not a signing key`);
    return key;
  };
  const symmetricKeyOf = (input: Record<string, unknown>) => {
    const key = keyOf(input);
    if (key.kind !== 'symmetric') {
      throw new AwsFault('InvalidKeyUsageException', `${key.arn} is not a symmetric encryption key`);
    }
    return key;
  };
  for (let i = 0; i < (options.keys ?? 1); i++) createKey();
  for (let i = 0; i < (options.symmetricKeys ?? 1); i++) createSymmetricKey();

  const server = await startAwsJsonServer({
    [GET_PUBLIC_KEY]: (input) => {
      const key = signingKeyOf(input);
      return {
        KeyId: key.arn,
        PublicKey: key.spki.toString('base64'),
        KeySpec: 'ECC_NIST_P256',
        CustomerMasterKeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: ['ECDSA_SHA_256'],
      };
    },
    [SIGN]: (input) => {
      const key = signingKeyOf(input);
      if (input.SigningAlgorithm !== 'ECDSA_SHA_256') {
        throw new AwsFault('InvalidKeyUsageException', 'this key signs with ECDSA_SHA_256 only');
      }
      const message = bytesOf(input.Message, 'Message');
      const digest = input.MessageType === 'DIGEST';
      if (digest && message.length !== 32) {
        throw new AwsFault('ValidationException', 'a DIGEST message must be 32 bytes for ECDSA_SHA_256');
      }
      if (!digest && message.length > 4096)
        throw new AwsFault('ValidationException', 'Message is over 4096 bytes');
      // KMS does not normalise s to the low half, so neither does the double.
      const der = p256.sign(message, key.secretKey, { prehash: !digest, format: 'der', lowS: false });
      return {
        KeyId: key.arn,
        Signature: Buffer.from(der).toString('base64'),
        SigningAlgorithm: 'ECDSA_SHA_256',
      };
    },
    [ENCRYPT]: (input) => {
      const key = symmetricKeyOf(input);
      const plaintext = Buffer.from(bytesOf(input.Plaintext, 'Plaintext'));
      if (plaintext.length === 0 || plaintext.length > MAX_PLAINTEXT_BYTES) {
        throw new AwsFault('ValidationException', 'Plaintext must be 1 to 4096 bytes');
      }
      const blob = sealBlob(key, plaintext, contextBytes(input.EncryptionContext));
      return {
        KeyId: key.arn,
        CiphertextBlob: blob.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    [GENERATE_DATA_KEY]: (input) => {
      const key = symmetricKeyOf(input);
      const { KeySpec: spec, NumberOfBytes: bytes } = input;
      if ((spec === undefined) === (bytes === undefined)) {
        throw new AwsFault('ValidationException', 'Specify either KeySpec or NumberOfBytes');
      }
      const size = spec === 'AES_256' ? 32 : spec === 'AES_128' ? 16 : typeof bytes === 'number' ? bytes : 0;
      if (size < 1 || size > 1024)
        throw new AwsFault('ValidationException', 'KeySpec or NumberOfBytes is invalid');
      const plaintext = randomBytes(size);
      const blob = sealBlob(key, plaintext, contextBytes(input.EncryptionContext));
      return {
        KeyId: key.arn,
        Plaintext: plaintext.toString('base64'),
        CiphertextBlob: blob.toString('base64'),
      };
    },
    [DECRYPT]: (input) => {
      const blob = Buffer.from(bytesOf(input.CiphertextBlob, 'CiphertextBlob'));
      const named = symmetricKeyOf({ KeyId: blobKeyId(blob) });
      if (input.KeyId !== undefined) {
        const asked = symmetricKeyOf(input);
        if (asked.id !== named.id) {
          throw new AwsFault(
            'IncorrectKeyException',
            'The key ID in the request does not identify the key that encrypted the ciphertext',
          );
        }
      }
      const plaintext = openBlob(named.material, blob, contextBytes(input.EncryptionContext));
      return {
        KeyId: named.arn,
        Plaintext: plaintext.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
  });
  return {
    endpoint: server.endpoint,
    keyIds,
    createKey,
    symmetricKeyIds,
    createSymmetricKey,
    disableKey: (keyId) => {
      const key = keys.get(keyId);
      if (key === undefined) throw new Error(`no key ${keyId}`);
      key.disabled = true;
    },
    count: (target) => server.calls.get(target) ?? 0,
    failNext: server.failNext,
    delayNext: server.delayNext,
    close: server.close,
  };
}
