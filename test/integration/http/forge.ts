// Tokens made by hand for the tests that need one the service would never issue: signed with the local
// server's own key from its data folder (authentic but malformed), or with a stranger's key.
import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const segment = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

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

/**
 * A fresh P-256 key the service has never seen.
 *
 * @example
 * const forged = forgeToken(header, payload, strangerKey()); // TOKEN_SIGNATURE_INVALID under our kid
 */
export function strangerKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

/**
 * A compact JWS over `header` and `payload` (objects, or raw JSON text to test the parser), ES256-signed.
 *
 * @example
 * const token = forgeToken({ alg: 'ES256', typ: 'JWT', kid }, { iss: 'tessera' }, await serverKey(dir));
 */
export function forgeToken(header: unknown, payload: unknown, key: KeyObject): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/**
 * The decoded header and payload of a compact token.
 *
 * @example
 * const { kid } = decodeParts(issued.token).header;
 */
export function decodeParts(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}
