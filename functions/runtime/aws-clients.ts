// The AWS SDK clients, created once per container (module scope) and shared by every request. Every call
// is bounded: short connection and request timeouts, and the SDK's standard retry strategy (exponential
// backoff with jitter, throttling retried with a longer base delay) for at most `maxAttempts` attempts.
// After that the adapters answer 503 SERVICE_UNAVAILABLE with Retry-After.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The bounds of one AWS call, retries included: at most about 3 × (1 s + 2 s) plus backoff. */
export const AWS_CALL_LIMITS = { maxAttempts: 3, connectionTimeoutMs: 1000, requestTimeoutMs: 2000 };

export interface AwsClientSettings {
  /** Without one, the SDK's own lookup (AWS_REGION in Lambda). */
  region?: string | undefined;
  /** A local stand-in (DynamoDB Local, a KMS double); without one, the AWS endpoint. */
  endpoint?: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  limits?: Partial<typeof AWS_CALL_LIMITS> | undefined;
}

/** The client configuration all three clients share. */
export function clientConfig(settings: AwsClientSettings) {
  const limits = { ...AWS_CALL_LIMITS, ...settings.limits };
  return {
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    maxAttempts: limits.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without this the SDK only logs a warning when an answer outlives requestTimeout.
      throwOnRequestTimeout: true,
    },
  };
}

const clients = new Map<string, unknown>();

function memoized<T>(kind: string, settings: AwsClientSettings, make: () => T): T {
  const key = JSON.stringify([
    kind,
    settings.region,
    settings.endpoint,
    settings.credentials?.accessKeyId,
    settings.limits,
  ]);
  let client = clients.get(key) as T | undefined;
  if (client === undefined) {
    client = make();
    clients.set(key, client);
  }
  return client;
}

/**
 * The container's DynamoDB client for these settings (the same instance on every call).
 *
 * @example
 * const store = new DynamoDbStore({ client: dynamoDbClient({ endpoint }), tableName });
 */
export function dynamoDbClient(settings: AwsClientSettings = {}): DynamoDBClient {
  return memoized('dynamodb', settings, () => new DynamoDBClient(clientConfig(settings)));
}

/** The container's KMS client for these settings. */
export function kmsClient(settings: AwsClientSettings = {}): KMSClient {
  return memoized('kms', settings, () => new KMSClient(clientConfig(settings)));
}

/** The container's Secrets Manager client for these settings. */
export function secretsManagerClient(settings: AwsClientSettings = {}): SecretsManagerClient {
  return memoized('secretsmanager', settings, () => new SecretsManagerClient(clientConfig(settings)));
}
