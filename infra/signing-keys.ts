// The KMS keys that sign and verify user tokens: an ordered list whose first key signs and whose others only
// verify, so a new key can be published before it signs and an old one kept until its tokens have expired.
//
// Who may use a key is decided by IAM policies alone: the key policy names only the account, never a role of
// this stack. KMS refuses a key policy naming a principal it cannot see yet ("The principals in the key policy
// must exist and be visible to KMS. When you create a new AWS principal, you might need to enforce a delay
// before including the new principal in a key policy", https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html,
// also in @aws-sdk/client-kms CreateKeyCommand's Policy doc), a MalformedPolicyDocumentException that
// CloudFormation does not retry, so naming the roles created in the same deploy can fail it. A key policy
// statement for the account root "gives the AWS account that owns the KMS key permission to use IAM policies
// to allow access" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html); `key.grant`
// then writes each function's role policy (CDK's keys trust account identities), and that policy is what
// holds least privilege: kms:Sign on the signing key for the functions that sign, kms:GetPublicKey on every
// key for those FUNCTION_NEEDS lists (infra/functions.ts). Unlike the default key policy (kms:*), this one
// lists its actions: no kms:CreateGrant (a grant would bypass the role policies), kms:Sign only with
// ECDSA_SHA_256 and only on the key that signs.
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
 * What the account's IAM policies may allow on a managed key: administer it and read its public half. Signing
 * is not in the list: only the signing key's policy lets IAM policies allow kms:Sign (SIGN_STATEMENT).
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

/** The key policy statement of the signing key that lets IAM policies allow ES256 signing. */
function signStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'SignWhereAnIamPolicyOfTheAccountAllows',
    principals: [new iam.AccountRootPrincipal()],
    actions: ['kms:Sign'],
    resources: ['*'], // in a key policy, "*" is this key
    conditions: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256' } },
  });
}

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
 * from the list or the stack, with a key policy that leaves who may use them to IAM policies (see above).
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
            ...(i === 0 ? [signStatement()] : []),
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
   * Lets a function sign with the signing key: kms:Sign on that key in its role's policy (the managed key's
   * policy allows it to IAM policies, ES256 only; an external key's policy must allow it to this account).
   */
  grantSign(grantee: iam.IGrantable): void {
    this.signingKey.grant(grantee, 'kms:Sign');
  }
}
