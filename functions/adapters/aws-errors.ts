// Which AWS failures mean "try again shortly": once the SDK's own retries (backoff with jitter) are spent,
// throttling, 5xx answers, timeouts and refused connections become 503 SERVICE_UNAVAILABLE with Retry-After.
// Everything else (a missing table, a wrong key id, a bug) stays an error of ours: a 500.
import { serviceUnavailable } from '../core/errors.ts';

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** True for an error that a later attempt may not meet: throttling, a server fault, a timeout, the network. */
export function isTransientAwsError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: string; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  if (TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (e instanceof AggregateError) return e.errors.some(isTransientAwsError);
  return e.cause !== undefined && e.cause !== err && isTransientAwsError(e.cause);
}

/**
 * Runs one AWS call, turning a transient failure into `serviceUnavailable(what)`.
 *
 * @example
 * const answer = await callAws('The token store', () => client.send(new GetItemCommand(input)));
 */
export async function callAws<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isTransientAwsError(err)) throw serviceUnavailable(what, err);
    throw err;
  }
}
