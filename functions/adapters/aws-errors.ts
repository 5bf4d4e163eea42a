// Which AWS failures mean "try again shortly": they become 503 SERVICE_UNAVAILABLE with Retry-After, never a
// 500. Everything else (a missing table, a wrong or disabled key, a denied permission, a bug) stays an error
// of ours: a 500, which the stack's 5xx alarm reports.
//
// The rule: transient is every error the SDK's own retry strategy retries, plus the few a later attempt may
// not meet that it does not retry. Read from the installed SDK (re-check on an SDK upgrade; the unit test
// test/unit/adapters/aws-errors.test.ts compares against it):
// - @smithy/core/dist-es/submodules/retry/util-retry/StandardRetryStrategy.js retries THROTTLING and TRANSIENT
//   errors only; middleware-retry/retryMiddleware.js classifies with service-error-classification.js:
//   throttling = HTTP 429, a `$retryable.throttling` trait, or a name in THROTTLING_ERROR_CODES; transient =
//   a `$retryable` trait, a name in TRANSIENT_ERROR_CODES, HTTP 500/502/503/504, the Node codes in
//   NODEJS_TIMEOUT_ERROR_CODES / NODEJS_NETWORK_ERROR_CODES, or such a cause (constants.js holds the lists).
//   Those lists are SDK_RETRIED below. We also count any other 5xx: the service failed, not the request.
// - The errors our operations can answer are the `@throws` of @aws-sdk/client-dynamodb, client-kms and
//   client-secrets-manager dist-types/commands/*Command.d.ts, with their faults in dist-es/models/errors.js
//   and HTTP statuses in dist-es/schemas/schemas_0.js. Server faults there (DynamoDB InternalServerError,
//   KMS KMSInternalException 500, KeyUnavailableException 500, DependencyTimeoutException 503, Secrets
//   Manager InternalServiceError) are named as well as caught by status. ReplicatedWriteConflictException
//   carries the `$retryable` trait.
// - Not retried by the SDK, yet a later attempt may not meet them, so callAws retries them itself (bounded,
//   OWN_RETRY_ATTEMPTS) before the 503: TransactionConflictException, what a PutItem, UpdateItem or
//   DeleteItem gets when it meets a transaction on the same item (the sliding touch against a refresh), and a
//   TransactionCanceledException whose CancellationReasons hold TransactionConflict, ThrottlingError or
//   ProvisionedThroughputExceeded (the reason codes are listed on TransactionCanceledException in
//   dist-types/models/errors.d.ts). See
//   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
//   A cancellation for ConditionalCheckFailed is the domain's answer and goes back to the caller, as does a
//   ConditionalCheckFailedException.
// - Deliberately not transient: ValidationException, ResourceNotFoundException, AccessDeniedException (and
//   the other clock-skew names, which the SDK retries only once it has corrected its clock),
//   InvalidEndpointException, ItemCollectionSizeLimitExceededException (the table has no local index),
//   IdempotentParameterMismatchException, and KMS DisabledException, InvalidKeyUsageException,
//   KMSInvalidStateException and NotFoundException. KMS can answer the last two for a few seconds after
//   CreateKey (https://docs.aws.amazon.com/kms/latest/developerguide/programming-eventual-consistency.html),
//   but CloudFormation creates the key before the functions that use it; later they mean a key that was
//   disabled, scheduled for deletion or mistyped, which no retry mends.
import { serviceUnavailable } from '../core/errors.ts';

/** The names the SDK retries (THROTTLING_ERROR_CODES and TRANSIENT_ERROR_CODES of @smithy/core 3.41). */
export const SDK_RETRIED_NAMES: readonly string[] = [
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
];

/** Server faults of the services we call, by name (their 5xx status would also do). */
const SERVER_FAULT_NAMES = [
  'InternalServerError', // DynamoDB
  'InternalFailure', // any AWS JSON service
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSInternalException',
  'KeyUnavailableException', // KMS: "You can retry the request."
  'DependencyTimeoutException', // KMS
  'InternalServiceError', // Secrets Manager
  'ReplicatedWriteConflictException', // DynamoDB, retryable by trait
];

/** Answers the SDK does not retry that a later attempt may not meet: callAws retries these itself. */
const CONFLICT_NAMES = new Set(['TransactionConflictException']);

/** Cancellation reasons of a transaction that a later attempt may not meet. */
const TRANSIENT_CANCELLATION_CODES = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

const TRANSIENT_NAMES = new Set([...SDK_RETRIED_NAMES, ...SERVER_FAULT_NAMES, ...CONFLICT_NAMES]);

/** NODEJS_TIMEOUT_ERROR_CODES and NODEJS_NETWORK_ERROR_CODES of the SDK, and two more of Node's. */
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

/** Our own attempts at a conflict (the first included) before answering 503. */
export const OWN_RETRY_ATTEMPTS = 6;

type AwsError = Error & {
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  CancellationReasons?: readonly { Code?: string }[];
  cause?: unknown;
};

/** True for a TransactionCanceledException that some item's conflict or throttling cancelled. */
function isTransientCancellation(e: AwsError): boolean {
  return (
    e.name === 'TransactionCanceledException' &&
    (e.CancellationReasons ?? []).some((r) => TRANSIENT_CANCELLATION_CODES.has(r.Code ?? 'None'))
  );
}

/** True for what the SDK hands back unretried although a later attempt may succeed (see the header). */
export function isConflict(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as AwsError;
  return CONFLICT_NAMES.has(e.name) || isTransientCancellation(e);
}

/** True for an error that a later attempt may not meet: throttling, a server fault, a timeout, the network. */
export function isTransientAwsError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as AwsError;
  if (TRANSIENT_NAMES.has(e.name) || isTransientCancellation(e)) return true;
  if (e.$retryable !== undefined) return true;
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status === 429 || status >= 500)) return true;
  if (e instanceof AggregateError) return e.errors.some(isTransientAwsError);
  return e.cause !== undefined && e.cause !== err && isTransientAwsError(e.cause);
}

/**
 * A jittered exponential pause before another attempt ("full jitter": up to 25 ms × 2^round): at most
 * 775 ms over the five pauses of OWN_RETRY_ATTEMPTS.
 *
 * @example
 * await backoff(1); // somewhere between 0 and 50 ms
 */
export function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
}

/**
 * Runs one AWS call, turning a transient failure into `serviceUnavailable(what)`. A conflict is tried again
 * first, up to OWN_RETRY_ATTEMPTS in all, since the SDK does not retry it; the rest were retried by the SDK.
 *
 * @example
 * const answer = await callAws('The token store', () => client.send(new GetItemCommand(input)));
 */
export async function callAws<T>(what: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (isConflict(err) && attempt < OWN_RETRY_ATTEMPTS) {
        await backoff(attempt - 1);
        continue;
      }
      if (isTransientAwsError(err)) throw serviceUnavailable(what, err);
      throw err;
    }
  }
}
