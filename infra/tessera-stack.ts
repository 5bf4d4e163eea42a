// The deployable Tessera: signing keys, the token table, the account token, one function per job, the
// HTTP API in front, alarms, and the outputs a user needs (never the account token).
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_CONFIG } from '../functions/core/deps.ts';
import { isAudience } from '../functions/core/token-claims.ts';
import { CORS_DEFAULT_ALLOW_ORIGINS } from '../functions/http/cors.ts';
import { ROUTES } from '../functions/http/routes.ts';
import { AccountToken } from './account-token.ts';
import { TesseraAlarms } from './alarms.ts';
import { FUNCTION_NAMES, type LambdaFunctionName } from './bundle.ts';
import { EventsPipeline } from './events-pipeline.ts';
import { TesseraFunctions } from './functions.ts';
import { TesseraHttpApi } from './http-api.ts';
import { SecretsKey } from './secrets-key.ts';
import { SigningKeys } from './signing-keys.ts';
import { TokenTable } from './token-table.ts';
import { UsageDashboard } from './usage-dashboard.ts';

export interface TesseraStackProps extends StackProps {
  /** A short name for this deployment, in aliases and descriptions. @default 'prod' */
  stage?: string;
  /** The `iss` of every token. @default 'tessera' */
  issuer?: string;
  /** The largest ttl and maxTtl callers may ask for, in seconds. @default 31,536,000 (a year) */
  maxTtlSeconds?: number;
  /** @default 10 */
  refreshGraceSeconds?: number;
  /** @default 30 */
  clockSkewSeconds?: number;
  /**
   * How long a container may serve an ecosystem's state before reading it again, in seconds: the lag of an
   * ecosystem deletion and of ecosystem-level revocations (docs/API.md); 0 reads it on every verify.
   * @default 1
   */
  ecosystemCacheSeconds?: number;
  /**
   * The signing keys, the signer first: names of keys the stack creates and retains, or ARNs of keys made
   * elsewhere. See docs/deploy.md for rotation. @default ['v1']
   */
  keys?: readonly string[];
  /** Seconds API Gateway may cache an authorizer answer; 0 checks every request. @default 0 */
  authorizerCacheTtlSeconds?: number;
  /** Retention of every function's logs and of the access logs. @default one month */
  logRetention?: logs.RetentionDays;
  /**
   * Steady requests per second and burst of the API's default stage, applied to each route on its own (an
   * HTTP API's stage throttle is per route, not for the API as a whole; docs/SCALING.md). @default 100 / 200
   */
  throttle?: { rateLimit: number; burstLimit: number };
  /**
   * Origins browsers may call the API from; `[]` refuses cross-origin calls.
   * @default ['*'] (bearer credentials only: no cookie rides along)
   */
  corsAllowOrigins?: readonly string[];
  /** An SNS topic ARN the alarms notify. @default none */
  alarmTopicArn?: string;
  /**
   * The audience the Lambda authorizer requires of every token (TESSERA_AUTHORIZER_AUDIENCE): a token
   * whose `aud` lacks it is refused. 1 to 128 characters. @default none (no audience is checked)
   */
  authorizerAudience?: string;
}

/**
 * The function that answers requests no route matches (404/405 in the API's envelope): the one with the
 * fewest rights, no table and no secret.
 */
export const FALLBACK_FUNCTION: LambdaFunctionName = 'keys';

/**
 * The props with their defaults filled in; throws on a stage, an authorizer cache or an ecosystem cache it
 * cannot use.
 *
 * @example
 * withDefaults({}).keys; // ['v1']
 */
export function withDefaults(props: TesseraStackProps) {
  const seconds = props.authorizerCacheTtlSeconds ?? 0;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    throw new Error(`authorizerCacheTtlSeconds must be a whole number from 0 to 3600; it is ${seconds}.`);
  }
  const ecosystemCacheSeconds = props.ecosystemCacheSeconds ?? DEFAULT_CONFIG.ecosystemCacheSeconds;
  if (!Number.isInteger(ecosystemCacheSeconds) || ecosystemCacheSeconds < 0 || ecosystemCacheSeconds > 3600) {
    throw new Error(
      `ecosystemCacheSeconds must be a whole number from 0 to 3600; it is ${ecosystemCacheSeconds}.`,
    );
  }
  if (props.authorizerAudience !== undefined && !isAudience(props.authorizerAudience)) {
    throw new Error(`authorizerAudience must be 1 to 128 characters; it is "${props.authorizerAudience}".`);
  }
  const stage = props.stage ?? 'prod';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(
      `stage must be 1 to 20 lowercase letters, digits or "-", starting with a letter: "${stage}".`,
    );
  }
  return {
    stage,
    settings: {
      issuer: props.issuer ?? DEFAULT_CONFIG.issuer,
      maxTtlSeconds: props.maxTtlSeconds ?? DEFAULT_CONFIG.maxTtlSeconds,
      refreshGraceSeconds: props.refreshGraceSeconds ?? DEFAULT_CONFIG.refreshGraceSeconds,
      clockSkewSeconds: props.clockSkewSeconds ?? DEFAULT_CONFIG.clockSkewSeconds,
      ecosystemCacheSeconds,
    },
    keys: props.keys ?? ['v1'],
    authorizerCacheTtl: Duration.seconds(seconds),
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
    corsAllowOrigins: props.corsAllowOrigins ?? CORS_DEFAULT_ALLOW_ORIGINS,
    authorizerAudience: props.authorizerAudience,
  };
}

/**
 * @example
 * new TesseraStack(app, 'Tessera-prod', { stage: 'prod', issuer: 'https://auth.example.com' });
 */
export class TesseraStack extends Stack {
  readonly functions: TesseraFunctions;
  readonly api: TesseraHttpApi;
  readonly table: TokenTable;
  readonly keys: SigningKeys;
  /** The symmetric key provider secrets are sealed under. */
  readonly secretsKey: SecretsKey;

  constructor(scope: Construct, id: string, props: TesseraStackProps = {}) {
    super(scope, id, props);
    const config = withDefaults(props);
    const logRemovalPolicy = RemovalPolicy.DESTROY; // logs expire anyway; the table and keys are kept

    this.keys = new SigningKeys(this, 'SigningKeys', { stage: config.stage, keys: config.keys });
    this.table = new TokenTable(this, 'TokenTable');
    this.secretsKey = new SecretsKey(this, 'SecretsKey', { stage: config.stage });
    const accountToken = new AccountToken(this, 'AccountToken');
    this.functions = new TesseraFunctions(this, 'Functions', {
      stage: config.stage,
      table: this.table,
      keys: this.keys,
      secretsKey: this.secretsKey,
      accountToken,
      settings: config.settings,
      corsAllowOrigins: config.corsAllowOrigins,
      authorizerAudience: config.authorizerAudience,
      logRetention: config.logRetention,
      logRemovalPolicy,
    });
    const lambdas = this.functions.lambdas;
    this.api = new TesseraHttpApi(this, 'HttpApi', {
      routes: ROUTES,
      functions: lambdas,
      fallbackFunction: FALLBACK_FUNCTION,
      authorizer: lambdas.authorizer,
      authorizerCacheTtl: config.authorizerCacheTtl,
      throttle: config.throttle,
      corsAllowOrigins: config.corsAllowOrigins,
      logRetention: config.logRetention,
      logRemovalPolicy,
    });
    new TesseraAlarms(this, 'Alarms', {
      stage: this.api.stage,
      functions: lambdas,
      ...(props.alarmTopicArn !== undefined ? { alarmTopicArn: props.alarmTopicArn } : {}),
    });
    const eventsPipeline = new EventsPipeline(this, 'Events', {
      table: this.table,
      fn: this.functions.byName.events,
      ...(props.alarmTopicArn !== undefined ? { alarmTopicArn: props.alarmTopicArn } : {}),
    });

    new UsageDashboard(this, 'UsageDashboard', {
      // Dashboards are global to the account: the region keeps one stage deployed in two regions apart.
      dashboardName: `tessera-${config.stage}-usage-${this.region}`,
      stage: this.api.stage,
    });

    new CfnOutput(this, 'ConsoleUrl', {
      value: `${this.api.url}console`,
      description: 'The console: paste the account token or a server token',
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Tessera API' });
    new CfnOutput(this, 'JwksUrl', {
      value: `${this.api.url}.well-known/jwks.json`,
      description: 'The public keys, for verifying FixedTtl tokens offline',
    });
    new CfnOutput(this, 'EventBusName', {
      value: eventsPipeline.bus.eventBusName,
      description: 'The EventBridge bus of the security events (source "tessera"), for your rules',
    });
    for (const name of FUNCTION_NAMES) {
      const pascal = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
      new CfnOutput(this, `${pascal}FunctionArn`, {
        value: lambdas[name].functionArn,
        description: `The ${name} function, for direct invocation (lambda:InvokeFunction)`,
      });
      // CloudFormation names the functions (Tessera-<stage>-…-<suffix>): callers read the names from here.
      new CfnOutput(this, `${pascal}FunctionName`, {
        value: lambdas[name].functionName,
        description: `The ${name} function's name, the FunctionName of a direct invocation`,
      });
    }
  }
}
