// The one ES256 signature check of the service, and the one way a public JWK becomes a verification key:
// raw 64-byte r‖s only (no DER), and only P-256 keys published for verifying signatures.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** An ES256 signature is r‖s, each 32 bytes big-endian (RFC 7518 §3.4). */
export const ES256_SIGNATURE_BYTES = 64;

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

const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

function marksAnotherUse(jwk: Record<string, unknown>): boolean {
  if (jwk.use !== undefined && jwk.use !== 'sig') return true;
  if (jwk.alg !== undefined && jwk.alg !== 'ES256') return true;
  if (jwk.key_ops !== undefined) {
    return !Array.isArray(jwk.key_ops) || !jwk.key_ops.includes('verify');
  }
  return false;
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
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const fields = jwk as Record<string, unknown>;
  const { kty, crv, x, y } = fields;
  if (kty !== 'EC' || crv !== 'P-256' || fields.d !== undefined) return undefined;
  if (typeof x !== 'string' || typeof y !== 'string' || !COORDINATE.test(x) || !COORDINATE.test(y)) {
    return undefined;
  }
  if (marksAnotherUse(fields)) return undefined;
  try {
    return createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
  } catch {
    return undefined; // not a point on the curve
  }
}
