// The signing keys' permissions, read from the synthesized template during a rotation (v2 signs, v1 and an
// external key verify): the key policies name no role of the stack (KMS may not see a role created in the same
// deploy yet, and refuses such a policy), so IAM policies decide, and each role's policy carries exactly the
// KMS actions FUNCTION_NEEDS gives its function.
import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../../infra/bundle.ts';
import { FUNCTION_NEEDS } from '../../infra/functions.ts';
import { logicalId, statementsOfRole, synthesize } from './synth.ts';

const EXTERNAL = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const { template } = synthesize({ keys: ['v2', 'v1', EXTERNAL] });

type Json = Record<string, unknown>;
type Statement = { Sid?: string; Action: string | string[]; Principal: unknown; Condition?: unknown };
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const roleId = (name: string) => logicalId(template, 'AWS::IAM::Role', `Functions${pascal(name)}Role`);
const keys = template.findResources('AWS::KMS::Key') as Record<
  string,
  { Properties: Json; DependsOn?: string[] }
>;
const V2 = logicalId(template, 'AWS::KMS::Key', 'SigningKeysKeyv2');
const V1 = logicalId(template, 'AWS::KMS::Key', 'SigningKeysKeyv1');
const policyOf = (id: string) =>
  ((keys[id] as { Properties: Json }).Properties.KeyPolicy as { Statement: Statement[] }).Statement;
const actionsOf = (s: Statement) => ([] as string[]).concat(s.Action);
const ACCOUNT_ROOT = {
  AWS: {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
  },
};

describe('SigningKeys: the key policies', () => {
  it('name no role of the stack, nor depend on one: every statement is for the account', () => {
    const roles = Object.keys(template.findResources('AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThan(0);
    for (const [id, key] of Object.entries(keys)) {
      const policy = JSON.stringify(key.Properties.KeyPolicy);
      for (const role of roles) expect([id, policy.includes(role)]).toEqual([id, false]);
      expect(key.DependsOn ?? []).toEqual([]);
      for (const statement of policyOf(id)) expect(statement.Principal).toEqual(ACCOUNT_ROOT);
    }
  });

  it('let IAM policies allow kms:Sign on the signing key only, and only with ECDSA_SHA_256', () => {
    const signing = policyOf(V2).filter((s) => actionsOf(s).includes('kms:Sign'));
    expect(signing).toHaveLength(1);
    expect(actionsOf(signing[0] as Statement)).toEqual(['kms:Sign']);
    expect(signing[0]?.Condition).toEqual({ StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256' } });
    expect(JSON.stringify(policyOf(V1))).not.toContain('kms:Sign');
  });

  it('list their actions: no wildcard, no grants that would bypass the role policies, no decrypting', () => {
    for (const id of [V1, V2]) {
      for (const action of policyOf(id).flatMap(actionsOf)) {
        expect(action).not.toContain('*');
        expect(['kms:CreateGrant', 'kms:Decrypt', 'kms:Verify']).not.toContain(action);
      }
      expect(policyOf(id).flatMap(actionsOf)).toContain('kms:GetPublicKey');
    }
  });
});

describe('SigningKeys: the role policies', () => {
  const v2 = { 'Fn::GetAtt': [V2, 'Arn'] };
  const v1 = { 'Fn::GetAtt': [V1, 'Arn'] };

  for (const name of FUNCTION_NAMES) {
    const needs = FUNCTION_NEEDS[name];
    it(`give the ${name} function exactly ${needs.sign ? 'kms:Sign on the signing key and ' : ''}kms:GetPublicKey on every key`, () => {
      // The signing keys' statements: the secrets key's are test/infra/secrets-key.test.ts's.
      const kms = statementsOfRole(template, roleId(name)).filter(
        (s) =>
          s.Action.some((a) => a.startsWith('kms:')) && !JSON.stringify(s.Resource).includes('SecretsKey'),
      );
      const resourcesOf = (action: string) =>
        kms.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);
      expect([...new Set(kms.flatMap((s) => s.Action))].sort()).toEqual(
        [...(needs.publicKeys ? ['kms:GetPublicKey'] : []), ...(needs.sign ? ['kms:Sign'] : [])].sort(),
      );
      expect(resourcesOf('kms:Sign')).toEqual(needs.sign ? [v2] : []);
      expect(resourcesOf('kms:GetPublicKey')).toEqual(needs.publicKeys ? [v2, v1, EXTERNAL] : []);
    });
  }
});
