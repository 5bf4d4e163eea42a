// The service's ES256 signature check on node:crypto, and the way a public JWK becomes its verification
// key: raw 64-byte r‖s only (no DER), and only the keys token-keys.ts accepts, which the client accepts too.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { ES256_SIGNATURE_BYTES, es256KeyFields } from './token-keys.ts';

/**
 * Checks an ES256 signature over `data`. Anything but exactly 64 bytes is refused before any crypto, so a
 * DER signature, an empty one or a padded one never reaches OpenSSL; r and s of 0 or at least n are refused
 * by OpenSSL's range check (the "psychic signature" CVE-2022-21449 class).
 *
 * @example
 * verifyEs256(key, new TextEncoder().encode(`${header}.${payload}`), Buffer.from(signaturePart, 'base64url'));
 */
export function verifyEs256(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== ES256_SIGNATURE_BYTES) return false;
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ec') return false;
  try {
    return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false; // a key or signature OpenSSL cannot use is a signature that does not verify
  }
}

/**
 * Turns a public JWK into a key for {@link verifyEs256}, or undefined when it is not a P-256 public key
 * meant for verifying ES256 signatures: another `kty`/`crv`, private material, a point off the curve, or
 * a `use`, `key_ops` or `alg` that marks it for something else (RFC 7517 §4.2-4.4).
 *
 * @example
 * importEs256PublicJwk({ kty: 'EC', crv: 'P-256', x, y, use: 'enc' }); // undefined
 */
export function importEs256PublicJwk(jwk: unknown): KeyObject | undefined {
  const key = es256KeyFields(jwk);
  if (key === undefined) return undefined;
  try {
    return createPublicKey({ key: { ...key }, format: 'jwk' });
  } catch {
    return undefined; // not a point on the curve
  }
}
