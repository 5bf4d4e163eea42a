// The KMS keys that sign and verify user tokens: an ordered list whose first key signs and whose others only
// verify, so a new key can be published before it signs and an old one kept until its tokens have expired.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface SigningKeysProps {
  /** Part of the key aliases: `alias/tessera-<stage>-<name>`. */
  stage: string;
  /**
   * The keys, the signing key first. An entry is either the name of a key this stack creates and keeps
   * (`v1`, `v2`…) or the ARN of a P-256 signing key created elsewhere (its key policy must let this account
   * grant `kms:GetPublicKey`, and `kms:Sign` when it signs).
   */
  keys: readonly string[];
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[A-Za-z0-9-]+$/;

/**
 * What the account may do with a managed key without being named in its key policy: administer it and read
 * its public half. Signing is not in the list: only the roles `grantSign` names may sign.
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetPublicKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:UpdateKeyDescription',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

/**
 * Throws a message naming the bad entry unless `keys` is a usable key list.
 *
 * @example
 * assertKeyList(['v2', 'v1']); // fine
 * assertKeyList(['v1', 'v1']); // throws 'keys: "v1" is listed twice.'
 */
export function assertKeyList(keys: readonly string[]): void {
  if (keys.length === 0) throw new Error('keys must name at least one key: the first one signs.');
  for (const key of keys) {
    if (!KEY_NAME.test(key) && !KEY_ARN.test(key)) {
      throw new Error(
        `keys: "${key}" is neither a key name (letters, digits, "-", at most 32) nor a KMS key ARN.`,
      );
    }
  }
  const twice = keys.find((key, i) => keys.indexOf(key) !== i);
  if (twice !== undefined) throw new Error(`keys: "${twice}" is listed twice.`);
}

/**
 * The signing and verifying keys. Managed keys are ECC_NIST_P256 / SIGN_VERIFY, retained when removed
 * from the list or the stack, with a key policy that lets only the named signers sign.
 *
 * @example
 * const keys = new SigningKeys(this, 'Keys', { stage: 'prod', keys: ['v2', 'v1'] }); // v2 signs, v1 verifies
 * keys.grantSign(issue);
 * keys.grantPublicKeys(verify);
 */
export class SigningKeys extends Construct {
  /** The keys this stack manages, by name. */
  readonly managed: ReadonlyMap<string, kms.Key>;
  /** Every key, the signing key first. */
  readonly keys: readonly kms.IKey[];

  constructor(scope: Construct, id: string, props: SigningKeysProps) {
    super(scope, id);
    assertKeyList(props.keys);
    const managed = new Map<string, kms.Key>();
    this.keys = props.keys.map((entry, i) => {
      if (KEY_ARN.test(entry)) return kms.Key.fromKeyArn(this, `External${i}`, entry);
      const key = new kms.Key(this, `Key-${entry}`, {
        description: `Tessera ${props.stage} token signing key ${entry} (ES256)`,
        keySpec: kms.KeySpec.ECC_NIST_P256,
        keyUsage: kms.KeyUsage.SIGN_VERIFY,
        alias: `alias/tessera-${props.stage}-${entry}`,
        removalPolicy: RemovalPolicy.RETAIN,
        policy: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'AdministerAndReadPublicKeyFromTheAccount',
              principals: [new iam.AccountRootPrincipal()],
              actions: [...KEY_ADMIN_ACTIONS],
              resources: ['*'], // in a key policy, "*" is this key
            }),
          ],
        }),
      });
      managed.set(entry, key);
      return key;
    });
    this.managed = managed;
  }

  /** The signing key. */
  get signingKey(): kms.IKey {
    const [first] = this.keys;
    if (first === undefined) throw new Error('keys must name at least one key.');
    return first;
  }

  /** The value of TESSERA_KMS_KEY_IDS: every key ARN, comma separated, the signing key first. */
  get environmentValue(): string {
    return this.keys.map((key) => key.keyArn).join(',');
  }

  /** Lets a function read every key's public half (to verify, or to publish the JWKS). */
  grantPublicKeys(grantee: iam.IGrantable): void {
    for (const key of this.keys) key.grant(grantee, 'kms:GetPublicKey');
  }

  /**
   * Lets a function sign with the signing key, ES256 only: in its role's policy and, for a managed key,
   * in the key policy, since the account itself is not allowed to sign.
   */
  grantSign(grantee: iam.IGrantable): void {
    const key = this.signingKey;
    key.grant(grantee, 'kms:Sign');
    if (key instanceof kms.Key) {
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [grantee.grantPrincipal],
          actions: ['kms:Sign'],
          resources: ['*'],
          conditions: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256' } },
        }),
      );
    }
  }
}
