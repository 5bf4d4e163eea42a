// The provider secrets in the synthesized stack: one symmetric key, rotated yearly and retained, whose key
// policy lets IAM policies allow only GenerateDataKey and Decrypt under the provider-secret purpose; the
// admin function may only seal and the exchange function only open, each under the full encryption-context
// condition; no other function touches the key; the exchange route goes to the exchange function.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SECRET_PURPOSE } from '../../functions/core/secret-box.ts';
import { FUNCTION_NAMES } from '../../infra/bundle.ts';
import { FUNCTION_NEEDS } from '../../infra/functions.ts';
import { secretsCondition } from '../../infra/secrets-key.ts';
import { logicalId, synthesize } from './synth.ts';

const { template } = synthesize({ stage: 'prod' });
const KEY_ID = logicalId(template, 'AWS::KMS::Key', 'SecretsKey');
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const roleId = (name: string) => logicalId(template, 'AWS::IAM::Role', `Functions${pascal(name)}Role`);
const functionId = (name: string) =>
  logicalId(template, 'AWS::Lambda::Function', `Functions${pascal(name)}Function`);
type Json = Record<string, unknown>;

describe('the secrets key', () => {
  it('is a symmetric encryption key with yearly rotation, an alias, retained with the stack', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/tessera-prod-secrets',
      TargetKeyId: { 'Fn::GetAtt': [KEY_ID, 'Arn'] },
    });
  });

  it('lets IAM policies allow only GenerateDataKey and Decrypt, and only for provider secrets', () => {
    const key = template.findResources('AWS::KMS::Key')[KEY_ID] as Json;
    const statements = ((key.Properties as Json).KeyPolicy as { Statement: Json[] }).Statement;
    const use = statements.filter((s) => JSON.stringify(s.Action).match(/Decrypt|GenerateDataKey|Encrypt/));
    expect(use).toEqual([
      expect.objectContaining({
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: { StringEquals: { 'kms:EncryptionContext:purpose': SECRET_PURPOSE } },
      }),
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/kms:\*|CreateGrant|ReEncrypt/);
  });
});

describe('who may seal and open provider secrets', () => {
  /** The role's statements on the secrets key, conditions included (statementsOfRole keeps none). */
  const secretsStatements = (name: string) =>
    (Object.values(template.findResources('AWS::IAM::Policy')) as Json[])
      .filter((p) => JSON.stringify((p.Properties as Json).Roles) === JSON.stringify([{ Ref: roleId(name) }]))
      .flatMap((p) => ((p.Properties as Json).PolicyDocument as { Statement: Json[] }).Statement)
      .filter((s) => JSON.stringify(s.Resource).includes(KEY_ID))
      .map((s) => ({ ...s, Action: ([] as unknown[]).concat(s.Action) }));

  it('lets the admin function seal and the exchange function open, each under the encryption-context condition', () => {
    const condition = secretsCondition();
    expect(secretsStatements('admin')).toEqual([
      expect.objectContaining({ Action: ['kms:GenerateDataKey'], Condition: condition }),
    ]);
    expect(secretsStatements('exchange')).toEqual([
      expect.objectContaining({ Action: ['kms:Decrypt'], Condition: condition }),
    ]);
    expect(condition).toEqual({
      StringEquals: { 'kms:EncryptionContext:purpose': 'tessera-provider-secret' },
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['purpose', 'ecosystemId', 'providerId'] },
      Null: { 'kms:EncryptionContext:ecosystemId': 'false', 'kms:EncryptionContext:providerId': 'false' },
    });
  });

  it('gives no other function any right on the key, nor its id', () => {
    for (const name of FUNCTION_NAMES) {
      const mine = FUNCTION_NEEDS[name].providerSecrets !== undefined;
      expect([name, secretsStatements(name).length > 0]).toEqual([name, mine]);
      const fn = template.findResources('AWS::Lambda::Function')[functionId(name)] as Json;
      const env = ((fn.Properties as Json).Environment as { Variables: Json }).Variables;
      expect([name, env.TESSERA_SECRETS_KEY_ID]).toEqual([
        name,
        mine ? { 'Fn::GetAtt': [KEY_ID, 'Arn'] } : undefined,
      ]);
    }
  });

  it('routes POST /v1/tokens/exchange to the exchange function, without a gateway authorizer', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const toExchange = Object.entries(integrations).filter(([, r]) =>
      JSON.stringify((r as Json).Properties).includes(functionId('exchange')),
    );
    expect(toExchange).toHaveLength(1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /v1/tokens/exchange',
      AuthorizationType: 'NONE',
      Target: Match.objectLike({ 'Fn::Join': ['', ['integrations/', { Ref: toExchange[0]?.[0] }]] }),
    });
  });
});
