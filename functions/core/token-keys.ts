// Which public keys and signatures a Tessera token is checked with, written once for the service (which
// imports keys with node:crypto) and the client (which imports them with jose and WebCrypto): a P-256 JWK
// published for verifying ES256 signatures, and a 64-byte r‖s signature. No node: import, so that a
// browser or an edge runtime reads the same rules.

/** An ES256 signature is r‖s, each 32 bytes big-endian (RFC 7518 §3.4). */
export const ES256_SIGNATURE_BYTES = 64;

/** The members that make up a P-256 public key, as both key importers want them. */
export interface Es256KeyFields {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** A coordinate of P-256: 32 bytes, 43 base64url characters. */
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
 * The key members of a JWK when it is a P-256 public key meant for verifying ES256 signatures, or
 * undefined: another `kty`/`crv`, private material (`d`), coordinates of the wrong length, or a `use`,
 * `key_ops` or `alg` that marks it for something else (RFC 7517 §4.2-4.4). Whether the point lies on the
 * curve is the importer's check.
 *
 * @example
 * es256KeyFields({ kty: 'EC', crv: 'P-256', x, y, key_ops: ['encrypt'] }); // undefined
 */
export function es256KeyFields(jwk: unknown): Es256KeyFields | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const fields = jwk as Record<string, unknown>;
  const { kty, crv, x, y } = fields;
  if (kty !== 'EC' || crv !== 'P-256' || fields.d !== undefined) return undefined;
  if (typeof x !== 'string' || typeof y !== 'string' || !COORDINATE.test(x) || !COORDINATE.test(y)) {
    return undefined;
  }
  if (marksAnotherUse(fields)) return undefined;
  return { kty, crv, x, y };
}
