// The stack's props from CDK context (`cdk deploy -c stage=dev -c keys=v2,v1` or cdk.json), checked, so a
// typo stops the synth with a message rather than deploying something else.
import * as logs from 'aws-cdk-lib/aws-logs';
import type { TesseraStackProps } from './tessera-stack.ts';

type Lookup = (key: string) => unknown;

function text(get: Lookup, key: string): string | undefined {
  const value = get(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new Error(`Context "${key}" must be text.`);
  return String(value);
}

function whole(get: Lookup, key: string): number | undefined {
  const raw = text(get, key);
  if (raw === undefined) return undefined;
  if (!/^[0-9]+$/.test(raw)) throw new Error(`Context "${key}" must be a whole number; it is "${raw}".`);
  return Number(raw);
}

function list(get: Lookup, key: string): string[] | undefined {
  const value = get(key);
  if (Array.isArray(value)) return value.map(String);
  const raw = text(get, key);
  return raw?.split(',').map((item) => item.trim());
}

const RETENTIONS = new Set<number>(
  Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number'),
);

/**
 * Context keys: stage, issuer, maxTtlSeconds, refreshGraceSeconds, clockSkewSeconds, keys (comma list),
 * authorizerCacheTtlSeconds, logRetentionDays, throttleRateLimit, throttleBurstLimit, corsAllowOrigins
 * (comma list), alarmTopicArn, authorizerAudience.
 *
 * @example
 * propsFromContext((key) => app.node.tryGetContext(key)); // { stage: 'dev', keys: ['v2', 'v1'], ... }
 */
export function propsFromContext(get: Lookup): TesseraStackProps {
  const props: Record<string, unknown> = {
    stage: text(get, 'stage'),
    issuer: text(get, 'issuer'),
    maxTtlSeconds: whole(get, 'maxTtlSeconds'),
    refreshGraceSeconds: whole(get, 'refreshGraceSeconds'),
    clockSkewSeconds: whole(get, 'clockSkewSeconds'),
    keys: list(get, 'keys'),
    authorizerCacheTtlSeconds: whole(get, 'authorizerCacheTtlSeconds'),
    corsAllowOrigins: list(get, 'corsAllowOrigins'),
    alarmTopicArn: text(get, 'alarmTopicArn'),
    authorizerAudience: text(get, 'authorizerAudience'),
  };
  const retention = whole(get, 'logRetentionDays');
  if (retention !== undefined) {
    if (!RETENTIONS.has(retention)) {
      throw new Error(`Context "logRetentionDays" must be a CloudWatch retention (1, 3, 5, 7, 14, 30, …).`);
    }
    props.logRetention = retention as logs.RetentionDays;
  }
  const rateLimit = whole(get, 'throttleRateLimit');
  const burstLimit = whole(get, 'throttleBurstLimit');
  if (rateLimit !== undefined || burstLimit !== undefined) {
    props.throttle = { rateLimit: rateLimit ?? 100, burstLimit: burstLimit ?? 200 };
  }
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as TesseraStackProps;
}
