// AES-256-GCM as both secret boxes use it: a fresh 96-bit IV per seal, the encryption context as additional
// authenticated data (so a sealed secret opens only for the ecosystem and provider it was sealed for), and a
// 128-bit tag. The sealed form is text: a version prefix and dot-separated base64url parts.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { encryptionContext, type SecretContext } from '../core/secret-box.ts';

/** AES-256 keys are 32 bytes. */
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The encryption context as the GCM layer authenticates it: its JSON in the fixed member order. */
function aad(context: SecretContext): Buffer {
  return Buffer.from(JSON.stringify(encryptionContext(context)));
}

/**
 * Encrypts `plaintext` under `key`, bound to `context`: `<iv>.<ciphertext>.<tag>`, base64url.
 *
 * @example
 * const parts = sealWithKey(key, 'secret', { ecosystemId: 'eco1', providerId: 'chat' });
 */
export function sealWithKey(key: Uint8Array, plaintext: string, context: SecretContext): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url')).join('.');
}

/**
 * The plaintext of sealWithKey's answer; throws when the key, the context or any byte differs.
 *
 * @example
 * openWithKey(key, parts, { ecosystemId: 'eco1', providerId: 'chat' }); // 'secret'
 */
export function openWithKey(key: Uint8Array, sealed: string, context: SecretContext): string {
  const parts = sealed.split('.');
  const [iv, ciphertext, tag] = parts.map((part) => Buffer.from(part, 'base64url'));
  if (
    parts.length !== 3 ||
    iv?.length !== IV_BYTES ||
    tag?.length !== TAG_BYTES ||
    ciphertext === undefined
  ) {
    throw new Error('A sealed secret is malformed.');
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new Error('A sealed secret does not open with this key for this ecosystem and provider.', {
      cause: err,
    });
  }
}

/**
 * Splits `<prefix>.<rest>`; throws unless the prefix is the expected one (a secret sealed by the other box).
 *
 * @example
 * withoutPrefix('local1.abc.def.ghi', 'local1'); // 'abc.def.ghi'
 */
export function withoutPrefix(sealed: string, prefix: string): string {
  if (!sealed.startsWith(`${prefix}.`)) {
    throw new Error(`A sealed secret is not of this secret box (expected "${prefix}").`);
  }
  return sealed.slice(prefix.length + 1);
}
