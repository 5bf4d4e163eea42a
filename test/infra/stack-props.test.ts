// What a user sets: the key list (rotation), token settings, authorizer cache, log retention, and the
// context parsing of `cdk deploy -c ...`. A bad value stops the synth with a message.
import { describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../../infra/bundle.ts';
import { propsFromContext } from '../../infra/context.ts';
import { FUNCTION_NEEDS } from '../../infra/functions.ts';
import { logicalId, statementsOfRole, synthesize } from './synth.ts';

const EXTERNAL = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('TesseraStack props', () => {
  describe('during a key rotation (keys: v2, v1 and an older external key)', () => {
    const { template } = synthesize({ stage: 'dev', keys: ['v2', 'v1', EXTERNAL] });
    const v2 = logicalId(template, 'AWS::KMS::Key', 'SigningKeysKeyv2');
    const v1 = logicalId(template, 'AWS::KMS::Key', 'SigningKeysKeyv1');
    const role = (name: string) =>
      logicalId(template, 'AWS::IAM::Role', `Functions${name.charAt(0).toUpperCase()}${name.slice(1)}Role`);
    const resourcesFor = (name: string, action: string) =>
      statementsOfRole(template, role(name))
        .filter((s) => s.Action.includes(action))
        .flatMap((s) => s.Resource);

    it('creates the two managed keys with their aliases', () => {
      template.resourceCountIs('AWS::KMS::Key', 3); // v2, v1 and the provider secrets key
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/tessera-dev-v2' });
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/tessera-dev-v1' });
    });

    it('hands the functions every key, the signing key first', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            TESSERA_KMS_KEY_IDS: {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [v2, 'Arn'] }, ',', { 'Fn::GetAtt': [v1, 'Arn'] }, `,${EXTERNAL}`],
              ],
            },
          },
        },
      });
    });

    it('signs with the first key only, and reads the public half of all three', () => {
      expect(resourcesFor('issue', 'kms:Sign')).toEqual([{ 'Fn::GetAtt': [v2, 'Arn'] }]);
      expect(resourcesFor('refresh', 'kms:Sign')).toEqual([{ 'Fn::GetAtt': [v2, 'Arn'] }]);
      for (const name of FUNCTION_NAMES.filter((n) => FUNCTION_NEEDS[n].publicKeys)) {
        expect(resourcesFor(name, 'kms:GetPublicKey')).toEqual([
          { 'Fn::GetAtt': [v2, 'Arn'] },
          { 'Fn::GetAtt': [v1, 'Arn'] },
          EXTERNAL,
        ]);
      }
    });

    it('names no signer in the key policy of a key that only verifies', () => {
      const policy = JSON.stringify(
        (template.findResources('AWS::KMS::Key')[v1] as { Properties: { KeyPolicy: unknown } }).Properties
          .KeyPolicy,
      );
      expect(policy).not.toContain('kms:Sign');
    });
  });

  it('signs with an external key when it comes first, through the role policy', () => {
    const { template } = synthesize({ keys: [EXTERNAL, 'v1'] });
    const issue = logicalId(template, 'AWS::IAM::Role', 'FunctionsIssueRole');
    const signing = statementsOfRole(template, issue).filter((s) => s.Action.includes('kms:Sign'));
    expect(signing.flatMap((s) => s.Resource)).toEqual([EXTERNAL]);
  });

  it('passes the token settings, the authorizer cache and the log retention through', () => {
    const { template } = synthesize({
      issuer: 'https://auth.example.com',
      maxTtlSeconds: 86_400,
      authorizerCacheTtlSeconds: 60,
      ecosystemCacheSeconds: 0,
      logRetention: 7,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          TESSERA_ISSUER: 'https://auth.example.com',
          TESSERA_MAX_TTL_SECONDS: '86400',
          TESSERA_ECOSYSTEM_CACHE_SECONDS: '0',
        },
      },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerResultTtlInSeconds: 60 });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('refuses a key list that is empty, repeats a key or holds something else', () => {
    expect(() => synthesize({ keys: [] })).toThrow(/at least one key/);
    expect(() => synthesize({ keys: ['v1', 'v1'] })).toThrow(/"v1" is listed twice/);
    expect(() => synthesize({ keys: ['my key'] })).toThrow(/"my key" is neither a key name/);
  });

  it('sets TESSERA_AUTHORIZER_AUDIENCE on the authorizer function alone, and none by default', () => {
    const environmentOf = (template: ReturnType<typeof synthesize>['template'], name: string) => {
      const id = logicalId(
        template,
        'AWS::Lambda::Function',
        `Functions${name.charAt(0).toUpperCase()}${name.slice(1)}Function`,
      );
      const fn = template.findResources('AWS::Lambda::Function')[id] as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      };
      return fn.Properties.Environment.Variables;
    };
    const { template } = synthesize({ authorizerAudience: 'chat-api' });
    for (const name of FUNCTION_NAMES) {
      const audience = environmentOf(template, name).TESSERA_AUTHORIZER_AUDIENCE;
      expect({ name, audience }).toEqual({ name, audience: name === 'authorizer' ? 'chat-api' : undefined });
    }
    const plain = synthesize({}).template;
    expect(environmentOf(plain, 'authorizer').TESSERA_AUTHORIZER_AUDIENCE).toBeUndefined();
    expect(() => synthesize({ authorizerAudience: 'x'.repeat(129) })).toThrow(/authorizerAudience must be/);
    expect(propsFromContext((key) => ({ authorizerAudience: 'chat-api' })[key])).toEqual({
      authorizerAudience: 'chat-api',
    });
  });

  it('refuses a stage name or an authorizer cache it cannot use', () => {
    expect(() => synthesize({ stage: 'Prod' })).toThrow(/stage must be/);
    expect(() => synthesize({ authorizerCacheTtlSeconds: 3601 })).toThrow(/from 0 to 3600/);
    expect(() => synthesize({ ecosystemCacheSeconds: 0.5 })).toThrow(/ecosystemCacheSeconds must be/);
  });
});

describe('propsFromContext', () => {
  const from = (context: Record<string, unknown>) => propsFromContext((key) => context[key]);

  it('reads `-c` strings into typed props and leaves unset ones out', () => {
    expect(
      from({
        stage: 'dev',
        keys: 'v2, v1',
        maxTtlSeconds: '3600',
        authorizerCacheTtlSeconds: '0',
        logRetentionDays: '14',
        throttleRateLimit: '50',
      }),
    ).toEqual({
      stage: 'dev',
      keys: ['v2', 'v1'],
      maxTtlSeconds: 3600,
      authorizerCacheTtlSeconds: 0,
      logRetention: 14,
      throttle: { rateLimit: 50, burstLimit: 200 },
    });
    expect(from({})).toEqual({});
  });

  it('takes lists from cdk.json as arrays', () => {
    expect(from({ keys: ['v3', 'v2'] })).toEqual({ keys: ['v3', 'v2'] });
  });

  it('stops on a number that is not whole or a retention CloudWatch does not offer', () => {
    expect(() => from({ maxTtlSeconds: '1h' })).toThrow(/"maxTtlSeconds" must be a whole number/);
    expect(() => from({ logRetentionDays: '31' })).toThrow(/logRetentionDays/);
  });
});
