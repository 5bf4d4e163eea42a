// The Tessera functions, each with its configuration and only the permissions its job needs: the one place
// to read who may sign, who may read the public keys, who touches the table, who reads the account token's
// secret and who may seal or open provider secrets.
import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AccountToken } from './account-token.ts';
import { FUNCTION_NAMES, type LambdaFunctionName } from './bundle.ts';
import type { SecretsKey } from './secrets-key.ts';
import type { SigningKeys } from './signing-keys.ts';
import { TesseraFunction } from './tessera-function.ts';
import type { TableAccess, TokenTable } from './token-table.ts';

/** What a function may do, beyond writing its own logs. */
export interface FunctionNeeds {
  /** Its DynamoDB actions (TABLE_ACCESS), or none. */
  table: TableAccess | undefined;
  /** kms:Sign on the signing key. */
  sign: boolean;
  /** kms:GetPublicKey on every key (everything that verifies a token or publishes the JWKS). */
  publicKeys: boolean;
  /** Reads the account token secret (functions that authenticate account credentials). */
  accountToken: boolean;
  /**
   * Provider secrets under the secrets key: 'seal' (kms:GenerateDataKey, the admin function's PUT) or
   * 'open' (kms:Decrypt, the exchange function alone), each under the encryption-context condition.
   */
  providerSecrets: 'seal' | 'open' | undefined;
}

export const FUNCTION_NEEDS: Readonly<Record<LambdaFunctionName, FunctionNeeds>> = {
  issue: { table: 'issue', sign: true, publicKeys: true, accountToken: true, providerSecrets: undefined },
  verify: { table: 'verify', sign: false, publicKeys: true, accountToken: false, providerSecrets: undefined },
  refresh: {
    table: 'refresh',
    sign: true,
    publicKeys: true,
    accountToken: false,
    providerSecrets: undefined,
  },
  authorizer: {
    table: 'verify',
    sign: false,
    publicKeys: true,
    accountToken: false,
    providerSecrets: undefined,
  },
  keys: { table: undefined, sign: false, publicKeys: true, accountToken: false, providerSecrets: undefined },
  // Logout (POST /v1/tokens/revoke) checks the presented token's signature, hence the public keys.
  admin: { table: 'admin', sign: false, publicKeys: true, accountToken: true, providerSecrets: 'seal' },
  // verify's reads and touch (the exchange verifies the user token as verify does), plus the provider's item.
  exchange: { table: 'verify', sign: false, publicKeys: true, accountToken: false, providerSecrets: 'open' },
  // Reads the table's stream and puts on the bus, both granted by infra/events-pipeline.ts: nothing here.
  events: {
    table: undefined,
    sign: false,
    publicKeys: false,
    accountToken: false,
    providerSecrets: undefined,
  },
};

/** Token settings every function reads (TESSERA_*). */
export interface TokenSettings {
  issuer: string;
  maxTtlSeconds: number;
  refreshGraceSeconds: number;
  clockSkewSeconds: number;
  /** How stale a container's ecosystem state may be, in seconds (0: read on every check). */
  ecosystemCacheSeconds: number;
}

export interface TesseraFunctionsProps {
  stage: string;
  table: TokenTable;
  keys: SigningKeys;
  secretsKey: SecretsKey;
  accountToken: AccountToken;
  settings: TokenSettings;
  /** The origins browsers may call from, as the HTTP API's CORS configuration has them. */
  corsAllowOrigins: readonly string[];
  /** The audience the authorizer function requires of every token (TESSERA_AUTHORIZER_AUDIENCE), if any. */
  authorizerAudience?: string | undefined;
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * @example
 * const fns = new TesseraFunctions(this, 'Functions', { stage, table, keys, accountToken, settings, ... });
 * fns.byName.verify.function.functionArn;
 */
export class TesseraFunctions extends Construct {
  readonly byName: Readonly<Record<LambdaFunctionName, TesseraFunction>>;

  constructor(scope: Construct, id: string, props: TesseraFunctionsProps) {
    super(scope, id);
    const base: Record<string, string> = {
      TESSERA_STORE: 'dynamodb',
      TESSERA_TABLE: props.table.tableName,
      TESSERA_SIGNER: 'kms',
      TESSERA_KMS_KEY_IDS: props.keys.environmentValue,
      TESSERA_ISSUER: props.settings.issuer,
      TESSERA_MAX_TTL_SECONDS: String(props.settings.maxTtlSeconds),
      TESSERA_REFRESH_GRACE_SECONDS: String(props.settings.refreshGraceSeconds),
      TESSERA_CLOCK_SKEW_SECONDS: String(props.settings.clockSkewSeconds),
      TESSERA_ECOSYSTEM_CACHE_SECONDS: String(props.settings.ecosystemCacheSeconds),
      TESSERA_CORS_ALLOW_ORIGINS:
        props.corsAllowOrigins.length === 0 ? 'none' : props.corsAllowOrigins.join(','),
      POWERTOOLS_METRICS_NAMESPACE: 'Tessera',
      // The service the code names its logs and metrics with (functions/http): one service, six functions;
      // each log line names its function, and each function has its own log group.
      POWERTOOLS_SERVICE_NAME: 'tessera',
    };
    const entries = FUNCTION_NAMES.map((name) => {
      const needs = FUNCTION_NEEDS[name];
      const environment = {
        ...base,
        ...(needs.accountToken
          ? { TESSERA_ACCOUNT_TOKEN_SECRET_ARN: props.accountToken.secret.secretArn }
          : {}),
        ...(needs.providerSecrets === undefined
          ? {}
          : { TESSERA_SECRETS_KEY_ID: props.secretsKey.environmentValue }),
        ...(name === 'authorizer' && props.authorizerAudience !== undefined
          ? { TESSERA_AUTHORIZER_AUDIENCE: props.authorizerAudience }
          : {}),
      };
      const fn = new TesseraFunction(this, pascal(name), {
        name,
        environment,
        logRetention: props.logRetention,
        logRemovalPolicy: props.logRemovalPolicy,
      });
      if (needs.table !== undefined) props.table.grantAccess(fn, needs.table);
      if (needs.publicKeys) props.keys.grantPublicKeys(fn);
      if (needs.sign) props.keys.grantSign(fn);
      if (needs.accountToken) props.accountToken.secret.grantRead(fn);
      if (needs.providerSecrets === 'seal') props.secretsKey.grantSeal(fn);
      if (needs.providerSecrets === 'open') props.secretsKey.grantOpen(fn);
      return [name, fn] as const;
    });
    this.byName = Object.fromEntries(entries) as Record<LambdaFunctionName, TesseraFunction>;
  }

  /** The Lambda functions by name, for the API and the alarms. */
  get lambdas(): Record<LambdaFunctionName, lambda.IFunction> {
    const byName = this.byName;
    return {
      issue: byName.issue.function,
      verify: byName.verify.function,
      refresh: byName.refresh.function,
      authorizer: byName.authorizer.function,
      keys: byName.keys.function,
      admin: byName.admin.function,
      exchange: byName.exchange.function,
      events: byName.events.function,
    };
  }
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
