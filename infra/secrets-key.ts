// The symmetric KMS key that keeps token providers' secrets (envelope encryption, functions/adapters/
// kms-secret-box.ts): the admin function asks it for data keys when a provider is put (kms:GenerateDataKey),
// the exchange function alone asks it to decrypt them (kms:Decrypt), and both only under an encryption
// context that names a provider secret: {purpose: "tessera-provider-secret", ecosystemId, providerId} and
// nothing else. https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
//
// As for the signing keys (signing-keys.ts), the key policy names no role of this stack, only the account,
// whose IAM policies may then allow those two actions, and only with that purpose: an IAM policy with kms:*
// on this key still cannot decrypt a data key without it. Each role's policy carries the whole condition.
// KMS rotates the key material every year; older material keeps decrypting what it sealed.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SECRET_PURPOSE } from '../functions/core/secret-box.ts';
import { KEY_ADMIN_ACTIONS } from './signing-keys.ts';

/** What the account's IAM policies may allow to administer the key (nothing that reads a secret). */
export const SECRETS_KEY_ADMIN_ACTIONS = [
  ...KEY_ADMIN_ACTIONS.filter((action) => action !== 'kms:GetPublicKey'),
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:GetKeyRotationStatus',
] as const;

/** The encryption-context members every use of the key carries, purpose first. */
export const SECRETS_CONTEXT_KEYS = ['purpose', 'ecosystemId', 'providerId'] as const;

/**
 * The condition of each use: the purpose, both ids present, and no other member. (ForAllValues holds for an
 * empty set too, hence the Null checks.)
 */
export function secretsCondition(): Record<string, Record<string, unknown>> {
  return {
    StringEquals: { 'kms:EncryptionContext:purpose': SECRET_PURPOSE },
    'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [...SECRETS_CONTEXT_KEYS] },
    Null: { 'kms:EncryptionContext:ecosystemId': 'false', 'kms:EncryptionContext:providerId': 'false' },
  };
}

export interface SecretsKeyProps {
  /** Part of the alias: `alias/tessera-<stage>-secrets`. */
  stage: string;
}

/**
 * @example
 * const secrets = new SecretsKey(this, 'SecretsKey', { stage: 'prod' });
 * secrets.grantSeal(admin); // kms:GenerateDataKey
 * secrets.grantOpen(exchange); // kms:Decrypt
 */
export class SecretsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: SecretsKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Tessera ${props.stage} token providers' secrets (envelope encryption)`,
      keySpec: kms.KeySpec.SYMMETRIC_DEFAULT,
      keyUsage: kms.KeyUsage.ENCRYPT_DECRYPT,
      enableKeyRotation: true,
      alias: `alias/tessera-${props.stage}-secrets`,
      // Deleting it would make every stored provider secret unreadable: it stays with the table.
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AdministerFromTheAccount',
            principals: [new iam.AccountRootPrincipal()],
            actions: [...SECRETS_KEY_ADMIN_ACTIONS],
            resources: ['*'], // in a key policy, "*" is this key
          }),
          new iam.PolicyStatement({
            sid: 'ProviderSecretsWhereAnIamPolicyOfTheAccountAllows',
            principals: [new iam.AccountRootPrincipal()],
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: ['*'],
            conditions: { StringEquals: { 'kms:EncryptionContext:purpose': SECRET_PURPOSE } },
          }),
        ],
      }),
    });
  }

  /** The value of TESSERA_SECRETS_KEY_ID. */
  get environmentValue(): string {
    return this.key.keyArn;
  }

  /** Lets a function seal provider secrets: kms:GenerateDataKey on this key, under the condition. */
  grantSeal(grantee: iam.IGrantable): void {
    this.#allow(grantee, 'kms:GenerateDataKey');
  }

  /** Lets a function open provider secrets: kms:Decrypt on this key, under the condition. */
  grantOpen(grantee: iam.IGrantable): void {
    this.#allow(grantee, 'kms:Decrypt');
  }

  #allow(grantee: iam.IGrantable, action: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [action],
        resources: [this.key.keyArn],
        conditions: secretsCondition(),
      }),
    );
  }
}
