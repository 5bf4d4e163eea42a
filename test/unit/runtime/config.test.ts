// readConfig: local defaults, the AWS adapters' settings, and a clear refusal naming the variable for
// every missing or contradictory one.
import { describe, expect, it } from 'vitest';
import { hashSecret } from '../../../functions/core/credentials.ts';
import { readConfig } from '../../../functions/runtime/config.ts';

const dynamodb = { TESSERA_STORE: 'dynamodb', TESSERA_TABLE: 'tessera' };
const kms = { TESSERA_SIGNER: 'kms', TESSERA_KMS_KEY_IDS: 'alias/new, alias/old' };

describe('readConfig', () => {
  it('defaults to local mode: the embedded store and the local key', () => {
    const config = readConfig({});
    expect(config.store).toEqual({ kind: 'embedded' });
    expect(config.signer).toEqual({ kind: 'local' });
    expect(config.dummyCredentials).toBe(false);
  });

  it('reads the ecosystem cache bound: 1 s by default, 0 to turn it off', () => {
    expect(readConfig({}).ecosystemCacheSeconds).toBe(1);
    expect(readConfig({ TESSERA_ECOSYSTEM_CACHE_SECONDS: '0' }).ecosystemCacheSeconds).toBe(0);
    expect(readConfig({ TESSERA_ECOSYSTEM_CACHE_SECONDS: '5' }).ecosystemCacheSeconds).toBe(5);
    expect(() => readConfig({ TESSERA_ECOSYSTEM_CACHE_SECONDS: '0.5' })).toThrow(
      /^TESSERA_ECOSYSTEM_CACHE_SECONDS must be a whole number of at least 0/,
    );
  });

  it('reads the audience the authorizer requires: none by default, one audience of up to 128 characters', () => {
    expect(readConfig({}).authorizerAudience).toBeUndefined();
    expect(readConfig({ TESSERA_AUTHORIZER_AUDIENCE: 'chat-api' }).authorizerAudience).toBe('chat-api');
    expect(readConfig({ TESSERA_AUTHORIZER_AUDIENCE: '😀'.repeat(128) }).authorizerAudience).toHaveLength(
      256,
    );
    expect(() => readConfig({ TESSERA_AUTHORIZER_AUDIENCE: 'a'.repeat(129) })).toThrow(
      /^TESSERA_AUTHORIZER_AUDIENCE must be one audience/,
    );
  });

  it('reads the CORS origins: any by default, a comma list, or none', () => {
    expect(readConfig({}).corsAllowOrigins).toEqual(['*']);
    expect(
      readConfig({ TESSERA_CORS_ALLOW_ORIGINS: 'https://app.example.com, http://localhost:5173' })
        .corsAllowOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(readConfig({ TESSERA_CORS_ALLOW_ORIGINS: 'none' }).corsAllowOrigins).toEqual([]);
    for (const bad of ['https://app.example.com/', 'app.example.com', 'https://a.example,', 'ftp://x']) {
      expect(() => readConfig({ TESSERA_CORS_ALLOW_ORIGINS: bad })).toThrow(/TESSERA_CORS_ALLOW_ORIGINS/);
    }
  });

  it('reads the DynamoDB table and KMS key list, the signing key first', () => {
    const config = readConfig({ ...dynamodb, ...kms, AWS_REGION: 'eu-west-1' });
    expect(config.store).toEqual({ kind: 'dynamodb', table: 'tessera', endpoint: undefined });
    expect(config.signer).toEqual({ kind: 'kms', keyIds: ['alias/new', 'alias/old'], endpoint: undefined });
    expect(config.awsRegion).toBe('eu-west-1');
    expect(config.dummyCredentials).toBe(false);
  });

  it('uses dummy credentials and a default region only for local stand-ins without AWS credentials', () => {
    const local = readConfig({ ...dynamodb, DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' });
    expect(local).toMatchObject({ dummyCredentials: true, awsRegion: 'us-east-1' });
    const withKeys = readConfig({
      ...dynamodb,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      AWS_ACCESS_KEY_ID: 'AKIA',
    });
    expect(withKeys).toMatchObject({ dummyCredentials: false, awsRegion: undefined });
  });

  it('reads the account token secret and its optional endpoint', () => {
    const config = readConfig({
      TESSERA_ACCOUNT_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:t',
      SECRETS_MANAGER_ENDPOINT: 'http://127.0.0.1:4566',
    });
    expect(config.accountTokenSecretArn).toBe('arn:aws:secretsmanager:eu-west-1:1:secret:t');
    expect(config.secretsManagerEndpoint).toBe('http://127.0.0.1:4566');
  });

  const refusals: [string, Record<string, string>, RegExp][] = [
    [
      'an unknown store',
      { TESSERA_STORE: 'redis' },
      /^TESSERA_STORE must be "embedded" or "dynamodb"; it is "redis"/,
    ],
    [
      'DynamoDB without a table',
      { TESSERA_STORE: 'dynamodb' },
      /^TESSERA_TABLE is required when TESSERA_STORE=dynamodb/,
    ],
    [
      'a malformed table name',
      { ...dynamodb, TESSERA_TABLE: 'a b' },
      /^TESSERA_TABLE must be a DynamoDB table name/,
    ],
    [
      'a table for the embedded store',
      { TESSERA_TABLE: 'tessera' },
      /^TESSERA_TABLE is set, but TESSERA_STORE is "embedded"/,
    ],
    [
      'a DynamoDB endpoint for the embedded store',
      { DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' },
      /^DYNAMODB_ENDPOINT is set, but TESSERA_STORE is "embedded"/,
    ],
    [
      'a malformed endpoint',
      { ...dynamodb, DYNAMODB_ENDPOINT: 'localhost:8000' },
      /^DYNAMODB_ENDPOINT must be an http\(s\) URL/,
    ],
    ['an unknown signer', { TESSERA_SIGNER: 'hsm' }, /^TESSERA_SIGNER must be "local" or "kms"; it is "hsm"/],
    [
      'KMS without key ids',
      { TESSERA_SIGNER: 'kms' },
      /^TESSERA_KMS_KEY_IDS is required when TESSERA_SIGNER=kms/,
    ],
    [
      'an empty key id',
      { ...kms, TESSERA_KMS_KEY_IDS: 'alias/a,,alias/b' },
      /^TESSERA_KMS_KEY_IDS has an empty entry/,
    ],
    [
      'key ids for the local signer',
      { TESSERA_KMS_KEY_IDS: 'alias/a' },
      /^TESSERA_KMS_KEY_IDS is set, but TESSERA_SIGNER is "local"/,
    ],
    [
      'a KMS endpoint for the local signer',
      { KMS_ENDPOINT: 'http://127.0.0.1:1' },
      /^KMS_ENDPOINT is set, but TESSERA_SIGNER is "local"/,
    ],
    [
      'two account token sources',
      { TESSERA_ACCOUNT_TOKEN_SECRET_ARN: 'arn:x', TESSERA_ACCOUNT_TOKEN: 'tsa_x' },
      /^TESSERA_ACCOUNT_TOKEN_SECRET_ARN is set together with TESSERA_ACCOUNT_TOKEN/,
    ],
    [
      'a token and a hash that disagree',
      { TESSERA_ACCOUNT_TOKEN: 'tsa_x', TESSERA_ACCOUNT_TOKEN_HASH: hashSecret('tsa_y') },
      /^TESSERA_ACCOUNT_TOKEN and TESSERA_ACCOUNT_TOKEN_HASH are both set and disagree/,
    ],
    [
      'a Secrets Manager endpoint without a secret',
      { SECRETS_MANAGER_ENDPOINT: 'http://127.0.0.1:1' },
      /^SECRETS_MANAGER_ENDPOINT is set, but TESSERA_ACCOUNT_TOKEN_SECRET_ARN is not/,
    ],
  ];
  for (const [what, env, message] of refusals) {
    it(`refuses ${what}, naming the variable`, () => {
      expect(() => readConfig(env)).toThrow(message);
    });
  }
});
