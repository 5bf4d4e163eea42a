// Hand-made tokens for the tests that need one the service would never issue: any header and payload text,
// signed by the service's own key (a Signer, or the local server's key file), by any P-256 key, by HMAC or
// by none; the ECDSA twin of a token (s replaced by n - s); and the parts of a token read without checks.
import { createHmac, createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Signer } from '../../functions/core/ports.ts';

/** The order n of the P-256 group. */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export const b64url = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url');
export const fromB64url = (segment: string): Buffer => Buffer.from(segment, 'base64url');

/** A JSON text for a header or payload; strings are taken as written (duplicate members, odd spacing). */
export const jsonText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

/** base64url of the JSON text of `value`, or of `value` itself when it is already a string. */
export const segment = (value: unknown): string => b64url(jsonText(value));

/** `header.payload`, each encoded by `segment`: what a JWS signature covers. */
export function signingInputOf(header: unknown, payload: unknown): string {
  return `${segment(header)}.${segment(payload)}`;
}

/**
 * Signs `header.payload` (each a value to JSON-encode, or a raw JSON text) with a service Signer: a token
 * only the key holder makes.
 *
 * @example
 * const token = await forgeToken(deps.signer, { alg: 'ES256', typ: 'JWT', kid }, claims);
 */
export async function forgeToken(signer: Signer, header: unknown, payload: unknown): Promise<string> {
  return signSegments(signer, segment(header), segment(payload));
}

/** Signs two already-encoded segments, so a test can hand over a non-canonical spelling. */
export async function signSegments(signer: Signer, header: string, payload: string): Promise<string> {
  const signature = await signer.sign(new TextEncoder().encode(`${header}.${payload}`));
  return `${header}.${payload}.${b64url(signature)}`;
}

/** The header Tessera itself writes. */
export async function ourHeader(signer: Signer): Promise<{ alg: string; typ: string; kid: string }> {
  return { alg: 'ES256', typ: 'JWT', kid: await signer.kid() };
}

/**
 * Signs with any P-256 private key, raw r‖s unless `der` is asked for.
 *
 * @example
 * const forged = signWithKey(strangerKey(), { alg: 'ES256', typ: 'JWT', kid }, payload); // TOKEN_SIGNATURE_INVALID
 */
export function signWithKey(key: KeyObject, header: unknown, payload: unknown, der = false): string {
  const input = signingInputOf(header, payload);
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: der ? 'der' : 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

export function hs256(secret: string | Uint8Array, header: unknown, payload: unknown): string {
  const input = signingInputOf(header, payload);
  return `${input}.${b64url(createHmac('sha256', secret).update(input).digest())}`;
}

/**
 * The local server's signing key, read from its data folder as the local signer keeps it.
 *
 * @example
 * const key = await serverKey(server.dataDir);
 */
export async function serverKey(dataDir: string): Promise<KeyObject> {
  const jwk = JSON.parse(await readFile(join(dataDir, 'signing-key.json'), 'utf8'));
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

export const newP256Key = (): { privateKey: KeyObject; publicKey: KeyObject } =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** A fresh P-256 private key the service has never seen. */
export const strangerKey = (): KeyObject => newP256Key().privateKey;

export function withSignature(token: string, signature: string | Uint8Array): string {
  const encoded = typeof signature === 'string' ? signature : b64url(signature);
  return `${token.slice(0, token.lastIndexOf('.'))}.${encoded}`;
}

export const signatureOf = (token: string): Buffer => fromB64url(token.slice(token.lastIndexOf('.') + 1));

/**
 * The same ECDSA signature with s replaced by n - s: a different string that verifies just the same.
 *
 * @example
 * const twin = malleate(token); // twin !== token, same jti, same verdict
 */
export function malleate(token: string): string {
  const signature = signatureOf(token);
  const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
  const flipped = Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex');
  return withSignature(token, Buffer.concat([signature.subarray(0, 32), flipped]));
}

/**
 * The decoded header and payload of a compact token, without any check.
 *
 * @example
 * const { kid } = partsOf(issued.token).header;
 */
export function partsOf(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(fromB64url(header).toString('utf8')),
    payload: JSON.parse(fromB64url(payload).toString('utf8')),
  };
}

/** The decoded payload of a token, without any check. */
export const payloadOf = (token: string): Record<string, unknown> => partsOf(token).payload;
