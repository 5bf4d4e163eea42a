// Which AWS errors are transient (503 with Retry-After) and which stay ours (500): every error name the DynamoDB,
// KMS and Secrets Manager operations we call can answer, read from the SDK's own command declarations, checked
// against a verdict written here and against the SDK's own retry classification; and callAws's bounded retry
// of conflicts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as kms from '@aws-sdk/client-kms';
import * as secrets from '@aws-sdk/client-secrets-manager';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import {
  callAws,
  isConflict,
  isTransientAwsError,
  OWN_RETRY_ATTEMPTS,
  SDK_RETRIED_NAMES,
} from '../../../functions/adapters/aws-errors.ts';
import { isTesseraError } from '../../../functions/core/errors.ts';

/** The operations the adapters send, by client package. */
const OPERATIONS = {
  '@aws-sdk/client-dynamodb': [
    'GetItem',
    'BatchGetItem',
    'Query',
    'BatchWriteItem',
    'DeleteItem',
    'PutItem',
    'UpdateItem',
    'TransactWriteItems',
  ],
  '@aws-sdk/client-kms': ['Sign', 'GetPublicKey'],
  '@aws-sdk/client-secrets-manager': ['GetSecretValue'],
} as const;

/** The verdict for every error those operations declare: true = transient (503), false = ours (500). */
const VERDICT: Record<string, boolean> = {
  // DynamoDB
  ConditionalCheckFailedException: false, // the domain's answer, read by `conditional`
  InternalServerError: true,
  InvalidEndpointException: false,
  ItemCollectionSizeLimitExceededException: false, // the table has no local secondary index
  ProvisionedThroughputExceededException: true,
  ReplicatedWriteConflictException: true,
  RequestLimitExceeded: true,
  ResourceNotFoundException: false, // also Secrets Manager's
  ThrottlingException: true,
  TransactionConflictException: true, // a write met a transaction on its item
  IdempotentParameterMismatchException: false,
  TransactionCanceledException: false, // by its reasons: see below
  TransactionInProgressException: true,
  DynamoDBServiceException: false,
  // KMS
  DependencyTimeoutException: true,
  DisabledException: false,
  DryRunOperationException: false,
  InvalidArnException: false,
  InvalidGrantTokenException: false,
  InvalidKeyUsageException: false,
  KeyUnavailableException: true,
  KMSInternalException: true,
  KMSInvalidStateException: false,
  NotFoundException: false,
  UnsupportedOperationException: false,
  KMSServiceException: false,
  // Secrets Manager
  DecryptionFailure: false,
  InternalServiceError: true,
  InvalidParameterException: false,
  InvalidRequestException: false,
  SecretsManagerServiceException: false,
};

const require = createRequire(import.meta.url);

/** The `@throws` names of one command, as the installed SDK declares them. */
function declaredErrors(pkg: string, operation: string): string[] {
  const root = dirname(require.resolve(`${pkg}/package.json`));
  const text = readFileSync(join(root, 'dist-types', 'commands', `${operation}Command.d.ts`), 'utf8');
  return [...text.matchAll(/@throws \{@link (\w+)\}/g)].map((m) => m[1] as string);
}

type ErrorClass = new (opts: { message: string; $metadata: object }) => Error & { $fault: string };
const BASES = [
  dynamodb.DynamoDBServiceException,
  kms.KMSServiceException,
  secrets.SecretsManagerServiceException,
];
/** Every exception class the three clients export, their base classes included. */
const CLASSES: Record<string, ErrorClass> = Object.fromEntries(
  [dynamodb, kms, secrets].flatMap((module) =>
    Object.entries(module).filter(
      ([, value]) =>
        typeof value === 'function' &&
        BASES.some((base) => value === base || value.prototype instanceof base),
    ),
  ),
) as Record<string, ErrorClass>;

/** The SDK's error as its deserializer makes it: its class, and a 5xx status for a server fault. */
function sdkError(name: string): Error {
  const ErrorClass = CLASSES[name];
  if (ErrorClass === undefined) throw new Error(`no SDK class ${name}`);
  const fault = new ErrorClass({ message: name, $metadata: {} }).$fault;
  return new ErrorClass({ message: name, $metadata: { httpStatusCode: fault === 'server' ? 500 : 400 } });
}

const sdkRetries = (err: Error) => isThrottlingError(err as never) || isTransientError(err as never);

const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

const cancelled = (...codes: string[]) =>
  new dynamodb.TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('isTransientAwsError', () => {
  it('has a verdict for every error each operation we call declares', () => {
    for (const [pkg, operations] of Object.entries(OPERATIONS)) {
      for (const operation of operations) {
        for (const name of declaredErrors(pkg, operation)) {
          expect([operation, name, name in VERDICT]).toEqual([operation, name, true]);
        }
      }
    }
  });

  for (const [name, transient] of Object.entries(VERDICT)) {
    it(`calls ${name} ${transient ? 'transient (503)' : 'an error of ours (500)'}`, () => {
      expect(isTransientAwsError(sdkError(name))).toBe(transient);
    });
  }

  it('calls transient every error of the three clients that the SDK itself retries', () => {
    for (const name of Object.keys(CLASSES)) {
      const err = sdkError(name);
      if (sdkRetries(err)) expect([name, isTransientAwsError(err)]).toEqual([name, true]);
    }
  });

  it('calls transient every name of the SDK retry lists, which the SDK retries too', () => {
    for (const name of SDK_RETRIED_NAMES) {
      expect([name, sdkRetries(named(name))]).toEqual([name, true]);
      expect([name, isTransientAwsError(named(name))]).toEqual([name, true]);
    }
  });

  it('calls transient a 429 or any 5xx, a retryable trait, the network, and a transient cause', () => {
    expect(isTransientAwsError(named('Whatever', { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isTransientAwsError(named('Whatever', { $metadata: { httpStatusCode: 501 } }))).toBe(true);
    expect(isTransientAwsError(named('Whatever', { $retryable: {} }))).toBe(true);
    expect(isTransientAwsError(named('Error', { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientAwsError(new Error('wrapped', { cause: named('ThrottlingException') }))).toBe(true);
    expect(
      isTransientAwsError(new AggregateError([new Error('a'), named('Error', { code: 'EAI_AGAIN' })])),
    ).toBe(true);
  });

  it('keeps a denied permission, a bad request and a non-error as errors of ours', () => {
    expect(isTransientAwsError(named('AccessDeniedException', { $metadata: { httpStatusCode: 400 } }))).toBe(
      false,
    );
    expect(isTransientAwsError(named('ValidationException', { $metadata: { httpStatusCode: 400 } }))).toBe(
      false,
    );
    expect(isTransientAwsError(new Error('a bug'))).toBe(false);
    expect(isTransientAwsError('ThrottlingException')).toBe(false);
    expect(isTransientAwsError(undefined)).toBe(false);
  });

  it('reads a cancelled transaction by its reasons: a conflict or throttling is transient, a condition is not', () => {
    expect(isTransientAwsError(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransientAwsError(cancelled('ThrottlingError', 'None'))).toBe(true);
    expect(isTransientAwsError(cancelled('ProvisionedThroughputExceeded'))).toBe(true);
    expect(isTransientAwsError(cancelled('ConditionalCheckFailed', 'None'))).toBe(false);
    expect(isTransientAwsError(cancelled('ValidationError'))).toBe(false);
    expect(isTransientAwsError(cancelled())).toBe(false);
  });
});

describe('isConflict', () => {
  it('is what the SDK hands back unretried although a later attempt may pass', () => {
    expect(isConflict(sdkError('TransactionConflictException'))).toBe(true);
    expect(isConflict(cancelled('TransactionConflict'))).toBe(true);
    expect(isConflict(cancelled('ProvisionedThroughputExceeded'))).toBe(true);
    expect(isConflict(cancelled('ConditionalCheckFailed'))).toBe(false);
    // The SDK already retried these: no second round of ours on top.
    expect(isConflict(sdkError('ThrottlingException'))).toBe(false);
    expect(isConflict(sdkError('InternalServerError'))).toBe(false);
  });
});

describe('callAws', () => {
  /** A call failing with `failures` in turn, then answering 'done'. */
  function failing(...failures: Error[]) {
    let calls = 0;
    const call = async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return 'done';
    };
    return { call, calls: () => calls };
  }

  it('tries a conflict again and answers once it passes', async () => {
    const conflict = sdkError('TransactionConflictException');
    const { call, calls } = failing(conflict, conflict);
    await expect(callAws('The token store', call)).resolves.toBe('done');
    expect(calls()).toBe(3);
  });

  it('answers SERVICE_UNAVAILABLE with Retry-After once conflicts outlast its attempts', async () => {
    const { call, calls } = failing(
      ...Array<Error>(OWN_RETRY_ATTEMPTS).fill(cancelled('TransactionConflict')),
    );
    const err: unknown = await callAws('The token store', call).catch((e: unknown) => e);
    expect(isTesseraError(err) && [err.code, err.retryAfterSeconds]).toEqual(['SERVICE_UNAVAILABLE', 1]);
    expect(calls()).toBe(OWN_RETRY_ATTEMPTS);
  });

  it('answers SERVICE_UNAVAILABLE at once for throttling, which the SDK already retried', async () => {
    const { call, calls } = failing(sdkError('ThrottlingException'));
    const err: unknown = await callAws('The token store', call).catch((e: unknown) => e);
    expect(isTesseraError(err) && err.code).toBe('SERVICE_UNAVAILABLE');
    expect(calls()).toBe(1);
  });

  it('hands back the domain answer and errors of ours as they are, after one attempt', async () => {
    for (const err of [sdkError('ConditionalCheckFailedException'), cancelled('ConditionalCheckFailed')]) {
      const { call, calls } = failing(err);
      await expect(callAws('The token store', call)).rejects.toBe(err);
      expect(calls()).toBe(1);
    }
    const missing = sdkError('ResourceNotFoundException');
    await expect(callAws('The token store', failing(missing).call)).rejects.toBe(missing);
  });
});
