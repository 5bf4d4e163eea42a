// A KMS double speaking the real KMS JSON protocol (TrentService.Sign / GetPublicKey) on 127.0.0.1:0, so the
// real KMSClient talks to it through KMS_ENDPOINT. It signs with real P-256 keys via @noble/curves (node:crypto
// cannot sign a precomputed digest), answers DER signatures and SPKI public keys as KMS does, counts calls
// and injects faults. It lives under test/: nothing under functions/ imports it.
import { randomUUID } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { AwsFault, type AwsJsonServer, startAwsJsonServer } from './aws-json-server.ts';

/** The DER prefix of a P-256 SubjectPublicKeyInfo; the 65-byte uncompressed point follows. */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

export const SIGN = 'TrentService.Sign';
export const GET_PUBLIC_KEY = 'TrentService.GetPublicKey';

export interface KmsDouble extends Pick<AwsJsonServer, 'endpoint' | 'failNext' | 'delayNext' | 'close'> {
  /** The ids of the keys created so far, oldest first. */
  keyIds: string[];
  /** Creates one more key (for rotation), answering its id. */
  createKey(): string;
  /** Calls of one operation so far. */
  count(target: typeof SIGN | typeof GET_PUBLIC_KEY): number;
}

interface DoubleKey {
  arn: string;
  secretKey: Uint8Array;
  spki: Buffer;
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
export async function startKmsDouble(options: { keys?: number } = {}): Promise<KmsDouble> {
  const keys = new Map<string, DoubleKey>();
  const keyIds: string[] = [];
  const createKey = (): string => {
    const id = randomUUID();
    const secretKey = p256.utils.randomSecretKey();
    const spki = Buffer.concat([P256_SPKI_PREFIX, p256.getPublicKey(secretKey, false)]);
    const key = { arn: `arn:aws:kms:us-east-1:000000000000:key/${id}`, secretKey, spki };
    keys.set(id, key);
    keys.set(key.arn, key);
    keyIds.push(id);
    return id;
  };
  const keyOf = (input: Record<string, unknown>): DoubleKey => {
    const key = keys.get(String(input.KeyId));
    if (key === undefined)
      throw new AwsFault('NotFoundException', `Key '${String(input.KeyId)}' does not exist`);
    return key;
  };
  for (let i = 0; i < (options.keys ?? 1); i++) createKey();

  const server = await startAwsJsonServer({
    [GET_PUBLIC_KEY]: (input) => {
      const key = keyOf(input);
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
      const key = keyOf(input);
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
  });
  return {
    endpoint: server.endpoint,
    keyIds,
    createKey,
    count: (target) => server.calls.get(target) ?? 0,
    failNext: server.failNext,
    delayNext: server.delayNext,
    close: server.close,
  };
}
