// The service's side of the token format: signing a Tessera token, and reading one with the shared reader
// (token-reader.ts) over the service's own keys and node:crypto's ES256 check (es256.ts). Only ES256 and
// only the service's own keys are accepted.
import type { KeyObject } from 'node:crypto';
import { importEs256PublicJwk, verifyEs256 } from './es256.ts';
import type { PublicJwk, Signer } from './ports.ts';
import type { JsonObject } from './strict-json.ts';
import type { DecodedToken } from './token-claims.ts';
import { readToken, type SignatureVerifier } from './token-reader.ts';

export {
  CLAIM_ECOSYSTEM,
  CLAIM_EXPIRY_TYPE,
  CLAIM_TTL,
  type DecodedToken,
  type TesseraClaims,
} from './token-claims.ts';
export { MAX_TOKEN_LENGTH } from './token-reader.ts';

const encoder = new TextEncoder();

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * Signs claims as an ES256 JWS compact token with the signer's current key.
 *
 * @example
 * const token = await signToken(signer, { iss, sub: 'alice', jti, iat, 'tsr:eco': 'e1', 'tsr:expiry': 'Infinite' });
 */
export async function signToken(signer: Signer, claims: JsonObject): Promise<string> {
  const header = { alg: signer.alg, typ: 'JWT', kid: await signer.kid() };
  const signingInput = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  const signature = await signer.sign(encoder.encode(signingInput));
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
}

/**
 * The public keys tokens may be signed with, by kid, turned into KeyObjects once: the service's
 * {@link SignatureVerifier}, checking with node:crypto.
 */
export class KeyRing implements SignatureVerifier<KeyObject> {
  #keys: Promise<Map<string, KeyObject>> | undefined;
  /** The same map once loaded, so a warm verify looks its key up without waiting on a promise. */
  #loaded: Map<string, KeyObject> | undefined;
  readonly unknownKey = 'this service does not know';

  constructor(private readonly signer: Signer) {}

  async get(kid: string): Promise<KeyObject | undefined> {
    if (this.#loaded !== undefined) return this.#loaded.get(kid);
    this.#keys ??= this.signer.publicKeys().then(toKeyMap);
    try {
      this.#loaded = await this.#keys;
      return this.#loaded.get(kid);
    } catch (err) {
      this.#keys = undefined; // a failed fetch is retried on the next call, not cached
      throw err;
    }
  }

  /** The key of `kid`, synchronously once the keys are loaded. */
  keyFor(kid: string): KeyObject | undefined | Promise<KeyObject | undefined> {
    return this.#loaded === undefined ? this.get(kid) : this.#loaded.get(kid);
  }

  verify(key: KeyObject, signingInput: Uint8Array, signature: Uint8Array): boolean {
    return verifyEs256(key, signingInput, signature);
  }
}

/** Keys marked for another use than verifying ES256 signatures are left out: their kid is unknown. */
function toKeyMap(jwks: PublicJwk[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks) {
    const key = importEs256PublicJwk(jwk);
    if (key !== undefined) keys.set(jwk.kid, key);
  }
  return keys;
}

/**
 * Checks a presented token's form and signature against the service's keys (token-reader.ts's
 * readToken): length, shape, canonical base64url, the header, a known kid, the signature, then the
 * claims and issuer. Expiry and revocation are the caller's business.
 *
 * @example
 * const { kid, claims, extraClaims } = await decodeToken(token, deps.keys, deps.config.issuer);
 */
export function decodeToken(token: unknown, keys: KeyRing, issuer: string): Promise<DecodedToken> {
  return readToken(token, keys, issuer);
}
