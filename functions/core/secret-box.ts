// The SecretBox port: where a provider's secret is kept encrypted. In AWS it is envelope encryption under a
// KMS key of the stack (adapters/kms-secret-box.ts), locally AES-256-GCM under a key file in the data folder
// (adapters/local-secret-box.ts). Each sealed secret is bound to its ecosystem and provider: opened under any
// other ids it fails, so a sealed value copied to another provider's record is useless there.

/** The ids a secret is sealed for. */
export interface SecretContext {
  ecosystemId: string;
  providerId: string;
}

/**
 * Seals and opens provider secrets. The admin function only seals (PUT); only the exchange opens.
 * A sealed secret is opaque text, safe to store: it holds no plain text of the secret.
 */
export interface SecretBox {
  seal(secret: string, context: SecretContext): Promise<string>;
  /** The secret back; throws when `sealed` was not sealed by this box's key for this very context. */
  open(sealed: string, context: SecretContext): Promise<string>;
}

/** The `purpose` member of every encryption context: the IAM condition of the exchange's kms:Decrypt. */
export const SECRET_PURPOSE = 'tessera-provider-secret';

/**
 * The encryption context of a secret, in one fixed member order: the KMS EncryptionContext, and (as JSON)
 * the additional authenticated data of the AES-GCM layer.
 *
 * @example
 * encryptionContext({ ecosystemId: 'eco1', providerId: 'chat' });
 * // { purpose: 'tessera-provider-secret', ecosystemId: 'eco1', providerId: 'chat' }
 */
export function encryptionContext(context: SecretContext): Record<string, string> {
  return { purpose: SECRET_PURPOSE, ecosystemId: context.ecosystemId, providerId: context.providerId };
}

/**
 * The box of a deployment with none configured (a function built without TESSERA_SECRETS_KEY_ID on the
 * DynamoDB store, such as verify in AWS): it refuses, so a secret is never kept unencrypted or under a
 * key the next container cannot read. A 500 if ever reached: it is a deployment mistake, not a request's.
 */
export const NO_SECRET_BOX: SecretBox = {
  seal: () => Promise.reject(new Error('No secret box is configured (TESSERA_SECRETS_KEY_ID).')),
  open: () => Promise.reject(new Error('No secret box is configured (TESSERA_SECRETS_KEY_ID).')),
};
