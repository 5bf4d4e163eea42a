// The production signer: ES256 with keys that never leave AWS KMS. Each signature is one KMS Sign call over
// a SHA-256 computed here (MessageType DIGEST); the public keys are fetched once per container and cached,
// so verifying never calls KMS once warm.
//
// kid: the RFC 7638 JWK thumbprint of the key's public half (the same rule as LocalSigner), so a key has
// the same kid in every region, alias and container, and anyone holding the JWKS can recompute it.
// Rotation: `keyIds` lists the signing key first, then older keys whose tokens may still be valid; all
// are published in the JWKS.
import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { calculateJwkThumbprint } from 'jose';
import type { PublicJwk, Signer } from '../core/ports.ts';
import { callAws } from './aws-errors.ts';
import { derToJose } from './ecdsa-der.ts';

const WHAT = 'The signing service (KMS)';

export interface KmsSignerProps {
  client: KMSClient;
  /** Key ids, ARNs or aliases: the first signs, all verify. */
  keyIds: readonly string[];
}

/**
 * Signs with KMS. Give it a client created once per container.
 *
 * @example
 * const signer = new KmsSigner({ client: new KMSClient({}), keyIds: ['alias/tessera-2026', 'alias/tessera-2025'] });
 * const token = await signToken(signer, claims);
 */
export class KmsSigner implements Signer {
  readonly alg = 'ES256';
  readonly #client: KMSClient;
  readonly #keyIds: readonly string[];
  #keys: Promise<PublicJwk[]> | undefined;

  constructor(props: KmsSignerProps) {
    if (props.keyIds.length === 0) throw new Error('KmsSigner needs at least one key id.');
    this.#client = props.client;
    this.#keyIds = props.keyIds;
  }

  async #publicJwk(keyId: string): Promise<PublicJwk> {
    const answer = await callAws(WHAT, () => this.#client.send(new GetPublicKeyCommand({ KeyId: keyId })));
    if (
      answer.KeySpec !== 'ECC_NIST_P256' ||
      answer.KeyUsage !== 'SIGN_VERIFY' ||
      answer.PublicKey === undefined
    ) {
      throw new Error(
        `KMS key ${keyId} is ${answer.KeySpec ?? 'unknown'}/${answer.KeyUsage ?? 'unknown'}; Tessera needs an ECC_NIST_P256 SIGN_VERIFY key.`,
      );
    }
    const spki = createPublicKey({ key: Buffer.from(answer.PublicKey), format: 'der', type: 'spki' });
    const { x = '', y = '' } = spki.export({ format: 'jwk' });
    const kid = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x, y });
    return { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' };
  }

  async #load(): Promise<PublicJwk[]> {
    const jwks = await Promise.all(this.#keyIds.map((keyId) => this.#publicJwk(keyId)));
    // One key listed twice (say by alias and by id) is published once.
    return jwks.filter((jwk, i) => jwks.findIndex((other) => other.kid === jwk.kid) === i);
  }

  /** Every configured key, the signing key first; fetched once, a failed fetch retried on the next call. */
  async publicKeys(): Promise<PublicJwk[]> {
    this.#keys ??= this.#load().catch((err: unknown) => {
      this.#keys = undefined;
      throw err;
    });
    return (await this.#keys).map((jwk) => ({ ...jwk }));
  }

  async kid(): Promise<string> {
    const [signing] = await this.publicKeys();
    if (signing === undefined) throw new Error('no signing key');
    return signing.kid;
  }

  async sign(signingInput: Uint8Array): Promise<Uint8Array> {
    const digest = createHash('sha256').update(signingInput).digest();
    const answer = await callAws(WHAT, () =>
      this.#client.send(
        new SignCommand({
          KeyId: this.#keyIds[0],
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    if (answer.Signature === undefined) throw new Error('KMS answered no signature');
    return derToJose(answer.Signature);
  }
}
