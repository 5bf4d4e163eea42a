// The deployable stack, read from its synthesized template: the table, the keys, the functions and exactly
// the permissions each one needs, the routes of the route table, the authorizer, the stage and the outputs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LIST_INDEX, TABLE_SCHEMA } from '../../functions/adapters/dynamodb-table.ts';
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
} from '../../functions/http/cors.ts';
import { REFUSAL_CODES } from '../../functions/http/metrics.ts';
import { ROUTES } from '../../functions/http/routes.ts';
import { FUNCTION_NAMES, type LambdaFunctionName } from '../../infra/bundle.ts';
import { apiGatewayPath } from '../../infra/http-api.ts';
import { logicalId, statementsOfRole, synthesize } from './synth.ts';

const { template, outdir } = synthesize({}, { bundle: true });

type Json = Record<string, unknown>;
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const functionId = (name: string) =>
  logicalId(template, 'AWS::Lambda::Function', `Functions${pascal(name)}Function`);
const roleId = (name: string) => logicalId(template, 'AWS::IAM::Role', `Functions${pascal(name)}Role`);
const propsOf = (type: string, id: string) => (template.findResources(type)[id] as Json).Properties as Json;
const envOf = (name: LambdaFunctionName) =>
  (propsOf('AWS::Lambda::Function', functionId(name)).Environment as { Variables: Record<string, unknown> })
    .Variables;

const TABLE_ID = logicalId(template, 'AWS::DynamoDB::Table', 'TokenTable');
const KEY_ID = logicalId(template, 'AWS::KMS::Key', 'SigningKeysKeyv1');
const SECRET_ID = logicalId(template, 'AWS::SecretsManager::Secret', 'AccountToken');
const BUS_ID = logicalId(template, 'AWS::Events::EventBus', 'EventsBus');
const DEAD_LETTERS_ID = logicalId(template, 'AWS::SQS::Queue', 'EventsDeadLetters');
const SECRETS_KEY_ID = logicalId(template, 'AWS::KMS::Key', 'SecretsKey');

describe('TesseraStack: storage and keys', () => {
  it('keeps token state in an on-demand table built from TABLE_SCHEMA, with TTL, PITR and deletion protection', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: TABLE_SCHEMA.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_SCHEMA.sortKey, AttributeType: 'S' },
          { AttributeName: LIST_INDEX.partitionKey, AttributeType: 'S' },
          { AttributeName: LIST_INDEX.sortKey, AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: LIST_INDEX.name,
            KeySchema: [
              { AttributeName: LIST_INDEX.partitionKey, KeyType: 'HASH' },
              { AttributeName: LIST_INDEX.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'purgeAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('creates a retained P-256 signing key with an alias', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/tessera-prod-v1',
      TargetKeyId: { 'Fn::GetAtt': [KEY_ID, 'Arn'] },
    });
  });

  it('generates the account token into Secrets Manager: 64 letters and digits', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
  });
});

describe('TesseraStack: functions', () => {
  it('runs one function per job on Node.js 22, arm64, from index.handler', () => {
    for (const name of FUNCTION_NAMES) {
      expect(propsOf('AWS::Lambda::Function', functionId(name))).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
  });

  it('bundles each function from its own handler through the shared build definition', () => {
    const keys = FUNCTION_NAMES.map(
      (name) => (propsOf('AWS::Lambda::Function', functionId(name)).Code as { S3Key: string }).S3Key,
    );
    expect(new Set(keys).size).toBe(FUNCTION_NAMES.length);
    for (const key of keys) {
      const bundle = join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
      expect(existsSync(bundle)).toBe(true);
      expect(readFileSync(bundle, 'utf8')).toMatch(/export\s*\{[^}]*as handler/);
    }
  });

  it('gives every function its own log group with a retention', () => {
    for (const name of FUNCTION_NAMES) {
      const logs = logicalId(template, 'AWS::Logs::LogGroup', `Functions${pascal(name)}Logs`);
      expect(propsOf('AWS::Logs::LogGroup', logs).RetentionInDays).toBe(30);
      expect(propsOf('AWS::Lambda::Function', functionId(name)).LoggingConfig).toEqual({
        LogGroup: { Ref: logs },
      });
    }
  });

  it('configures the functions through the environment, the account token only by its secret ARN', () => {
    for (const name of FUNCTION_NAMES) {
      const env = envOf(name);
      expect(env).toMatchObject({
        TESSERA_STORE: 'dynamodb',
        TESSERA_TABLE: { Ref: TABLE_ID },
        TESSERA_SIGNER: 'kms',
        TESSERA_KMS_KEY_IDS: { 'Fn::GetAtt': [KEY_ID, 'Arn'] },
        TESSERA_ISSUER: 'tessera',
        TESSERA_MAX_TTL_SECONDS: '31536000',
        TESSERA_REFRESH_GRACE_SECONDS: '10',
        TESSERA_CLOCK_SKEW_SECONDS: '30',
        TESSERA_ECOSYSTEM_CACHE_SECONDS: '1',
        POWERTOOLS_METRICS_NAMESPACE: 'Tessera',
        POWERTOOLS_SERVICE_NAME: 'tessera',
      });
      const withSecret = name === 'issue' || name === 'admin';
      expect(env.TESSERA_ACCOUNT_TOKEN_SECRET_ARN).toEqual(withSecret ? { Ref: SECRET_ID } : undefined);
      expect(
        Object.keys(env).filter((k) => /TOKEN/.test(k) && k !== 'TESSERA_ACCOUNT_TOKEN_SECRET_ARN'),
      ).toEqual([]);
    }
  });
});

describe('TesseraStack: least privilege', () => {
  const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
  const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem'];
  const SECRET = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
  const STREAM = ['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'].map(
    (a) => `dynamodb:${a}`,
  );
  const expected: Record<LambdaFunctionName, string[]> = {
    verify: [...LOGS, ...READ, 'dynamodb:UpdateItem', 'kms:GetPublicKey'],
    authorizer: [...LOGS, ...READ, 'dynamodb:UpdateItem', 'kms:GetPublicKey'],
    keys: [...LOGS, 'kms:GetPublicKey'],
    issue: [
      ...LOGS,
      ...READ,
      'dynamodb:PutItem',
      'dynamodb:UpdateItem', // usage batches
      'kms:GetPublicKey',
      'kms:Sign',
      ...SECRET,
    ],
    refresh: [
      ...LOGS,
      ...READ,
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
      'kms:GetPublicKey',
      'kms:Sign',
    ],
    admin: [
      ...LOGS,
      ...READ,
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:ConditionCheckItem',
      'kms:GetPublicKey',
      'kms:GenerateDataKey', // seals a provider's secret (PUT …/providers/{providerId})
      ...SECRET,
    ],
    exchange: [...LOGS, ...READ, 'dynamodb:UpdateItem', 'kms:GetPublicKey', 'kms:Decrypt'],
    // The table's stream (read by its event source mapping), the bus, the dead-letter queue.
    events: [
      ...LOGS,
      ...STREAM,
      'events:PutEvents',
      'sqs:SendMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
    ],
  };

  for (const name of FUNCTION_NAMES) {
    it(`grants the ${name} function exactly what its job needs`, () => {
      const statements = statementsOfRole(template, roleId(name));
      expect(statements.flatMap((s) => s.Action).sort()).toEqual([...expected[name]].sort());
    });
  }

  it('names a resource in every statement of every function role, and never a wildcard action', () => {
    for (const name of FUNCTION_NAMES) {
      const owner = (resource: unknown) => JSON.stringify(resource);
      for (const statement of statementsOfRole(template, roleId(name))) {
        expect(statement.Action.filter((a) => a.includes('*'))).toEqual([]);
        expect(statement.Resource).not.toContain('*');
        const service = statement.Action[0]?.split(':')[0];
        const named = {
          logs: `Functions${pascal(name)}Logs`,
          dynamodb: TABLE_ID,
          kms: KEY_ID,
          events: BUS_ID,
          sqs: DEAD_LETTERS_ID,
        };
        const providerSecrets = ['kms:GenerateDataKey', 'kms:Decrypt'].includes(statement.Action[0] ?? '');
        const want =
          service === 'secretsmanager'
            ? SECRET_ID
            : providerSecrets
              ? SECRETS_KEY_ID
              : named[service as keyof typeof named];
        expect(statement.Resource.map(owner).every((r) => r.includes(want))).toBe(true);
      }
    }
  });

  it('lets only the admin function read the lists index, named exactly', () => {
    for (const name of FUNCTION_NAMES) {
      const resources = JSON.stringify(statementsOfRole(template, roleId(name)).map((s) => s.Resource));
      expect([name, resources.includes(`/index/${LIST_INDEX.name}`)]).toEqual([name, name === 'admin']);
      expect(resources).not.toContain('/index/*');
    }
  });

  it('attaches no managed policy to any function role', () => {
    for (const name of FUNCTION_NAMES) {
      expect(propsOf('AWS::IAM::Role', roleId(name)).ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('TesseraStack: HTTP API', () => {
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as { Properties: Json }[];
  const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
  const targetFunction = (route: Json) => {
    const target = route.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integration = integrations[target['Fn::Join'][1][1].Ref] as { Properties: Json };
    return (integration.Properties.IntegrationUri as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  };

  // Every GET route also answers HEAD (API Gateway matches methods exactly); '/console' and '/console/'
  // are one API Gateway path.
  const keysOf = (route: (typeof ROUTES)[number]) =>
    (route.method === 'GET' ? ['GET', 'HEAD'] : [route.method]).map(
      (method) => `${method} ${apiGatewayPath(route.path)}`,
    );

  it('serves every route of the route table and its HEAD, each by its function, and nothing else', () => {
    const keys = routes.map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual([...new Set([...ROUTES.flatMap(keysOf), '$default'])].sort());
    expect(keys).toContain('HEAD /.well-known/jwks.json');
    for (const route of ROUTES) {
      for (const key of keysOf(route)) {
        const found = routes.find((r) => r.Properties.RouteKey === key);
        expect(found && targetFunction(found.Properties)).toBe(functionId(route.function));
      }
    }
  });

  it('answers unmatched requests through the keys function, for the API error envelope of 404 and 405', () => {
    const fallback = routes.find((r) => r.Properties.RouteKey === '$default');
    expect(fallback && targetFunction(fallback.Properties)).toBe(functionId('keys'));
    expect(fallback?.Properties.AuthorizationType).toBe('NONE');
  });

  it('puts the Lambda authorizer on user-token routes only', () => {
    const authorizerId = logicalId(template, 'AWS::ApiGatewayV2::Authorizer', 'HttpApiUserTokenAuthorizer');
    for (const route of ROUTES) {
      const found = routes.find(
        (r) => r.Properties.RouteKey === `${route.method} ${apiGatewayPath(route.path)}`,
      );
      const user = (route.access as string) === 'user';
      expect(found?.Properties.AuthorizationType).toBe(user ? 'CUSTOM' : 'NONE');
      expect(found?.Properties.AuthorizerId).toEqual(user ? { Ref: authorizerId } : undefined);
    }
  });

  it('runs the authorizer with simple responses on the Authorization header, uncached by default', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 0,
      AuthorizerUri: {
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [functionId('authorizer'), 'Arn'] }])],
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [functionId('authorizer'), 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it('throttles the default stage and writes JSON access logs that hold no header', () => {
    const logs = logicalId(template, 'AWS::Logs::LogGroup', 'HttpApiAccessLogs');
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [logs, 'Arn'] } },
    });
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
      Properties: Json;
    };
    const format = JSON.parse((stage.Properties.AccessLogSettings as { Format: string }).Format);
    expect(format.requestId).toBe('$context.requestId');
    expect(JSON.stringify(format)).not.toMatch(/header|authorization/i);
  });

  it('answers CORS preflights for bearer-token callers, without credentials, as the functions do', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowMethods: [...CORS_ALLOW_METHODS],
        AllowHeaders: [...CORS_ALLOW_HEADERS],
        ExposeHeaders: [...CORS_EXPOSE_HEADERS],
        MaxAge: CORS_MAX_AGE_SECONDS,
        AllowCredentials: false,
      },
    });
    // The same origins reach every function, which answers preflights that get past API Gateway.
    for (const name of FUNCTION_NAMES) {
      expect(propsOf('AWS::Lambda::Function', functionId(name)).Environment).toMatchObject({
        Variables: { TESSERA_CORS_ALLOW_ORIGINS: '*' },
      });
    }
  });
});

describe('TesseraStack: outputs and alarms', () => {
  it('outputs the API URL, the JWKS URL and every function ARN and name, never the account token', () => {
    const outputs = template.findOutputs('*');
    const perFunction = FUNCTION_NAMES.flatMap((n) => [
      `${pascal(n)}FunctionArn`,
      `${pascal(n)}FunctionName`,
    ]);
    expect(Object.keys(outputs).sort()).toEqual(
      ['ApiUrl', 'JwksUrl', 'ConsoleUrl', 'EventBusName', ...perFunction].sort(),
    );
    expect(JSON.stringify(outputs.JwksUrl)).toContain('/.well-known/jwks.json');
    for (const name of FUNCTION_NAMES) {
      expect(outputs[`${pascal(name)}FunctionArn`]?.Value).toEqual({
        'Fn::GetAtt': [functionId(name), 'Arn'],
      });
    }
    expect(JSON.stringify(outputs)).not.toContain(SECRET_ID);
  });

  it('draws a usage dashboard over the EMF token metrics: every outcome and every refusal code', () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(Object.values(dashboards)[0]);
    expect(body).toContain('tessera-prod-usage');
    for (const metric of [
      'TokensIssued',
      'TokensVerified',
      'TokensRefreshed',
      'TokensRevoked',
      'TokensRefused',
    ]) {
      expect(body).toContain(`\\"Tessera\\",\\"${metric}\\"`);
    }
    for (const code of REFUSAL_CODES) expect(body).toContain(`\\"code\\",\\"${code}\\"`);
  });

  it('alarms on API 5xx answers and on every function’s errors and throttles', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Threshold: 1,
    });
    for (const name of FUNCTION_NAMES) {
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(name) } }],
        });
      }
    }
  });
});
