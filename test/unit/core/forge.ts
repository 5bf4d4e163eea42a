// Hand-made tokens for the core tests: any header and payload, signed with the service's real key, and the
// ECDSA twin of a token (s replaced by n - s), so each decoding rule can be hit on its own.
import type { Signer } from '../../../functions/core/ports.ts';

/** The order n of the P-256 group. */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** base64url of the JSON text of `value`, or of `value` itself when it is already a string. */
export function segment(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * Signs `header.payload` (each a value to JSON-encode, or a raw JSON text) with the signer's real key.
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
  return `${header}.${payload}.${Buffer.from(signature).toString('base64url')}`;
}

/** The header Tessera itself writes. */
export async function ourHeader(signer: Signer): Promise<{ alg: string; typ: string; kid: string }> {
  return { alg: 'ES256', typ: 'JWT', kid: await signer.kid() };
}

/** The same token with its signature's s replaced by n - s: a different string that still verifies. */
export function malleate(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const raw = Buffer.from(signature, 'base64url');
  const s = BigInt(`0x${raw.subarray(32).toString('hex')}`);
  const twin = Buffer.from((P256_ORDER - s).toString(16).padStart(64, '0'), 'hex');
  const malleated = Buffer.concat([raw.subarray(0, 32), twin]).toString('base64url');
  return `${header}.${payload}.${malleated}`;
}

/** The decoded payload of a token, without any check. */
export function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}
