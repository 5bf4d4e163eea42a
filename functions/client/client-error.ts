// The one error a Tessera client throws: the API.md code and HTTP status of the answer, or a client-side
// code when there was no usable answer at all.
import { type ErrorCode, isTesseraError } from '../core/errors.ts';
import { STATUS_OF } from '../http/status.ts';

/**
 * Codes only a client produces, never the service:
 * - `NETWORK_ERROR`: no answer (connection refused, DNS, timeout);
 * - `RESPONSE_INVALID`: an answer that is not Tessera's (a proxy's HTML page, a body of the wrong shape);
 * - `OFFLINE_VERIFY_UNSUPPORTED`: a `SlidingTtl` or `Infinite` token given to the offline verifier.
 */
export type ClientOnlyCode = 'NETWORK_ERROR' | 'RESPONSE_INVALID' | 'OFFLINE_VERIFY_UNSUPPORTED';

export type ClientErrorCode = ErrorCode | ClientOnlyCode;

const API_CODES = new Set<string>(Object.keys(STATUS_OF));

/**
 * True when `code` is one of the stable codes of API.md (and not a client-only one).
 *
 * @example
 * isApiCode('TOKEN_EXPIRED'); // true
 * isApiCode('NETWORK_ERROR'); // false
 */
export function isApiCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && API_CODES.has(code);
}

/**
 * A refusal or failure met by a Tessera client. `switch (err.code)` narrows on the API.md codes.
 *
 * @example
 * try {
 *   await client.verifyToken(token);
 * } catch (err) {
 *   if (err instanceof TesseraClientError && err.code === 'TOKEN_EXPIRED') await signInAgain();
 *   else throw err;
 * }
 */
export class TesseraClientError extends Error {
  override readonly name = 'TesseraClientError';
  readonly code: ClientErrorCode;
  /** The HTTP status answered (or the one the HTTP API answers for this code); undefined without an answer. */
  readonly status: number | undefined;
  /** Seconds to wait before retrying; set for `SERVICE_UNAVAILABLE`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ClientErrorCode,
    message: string,
    options: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** True when a retry later may succeed: no answer, a 5xx, or a 503 with Retry-After. */
  get retryable(): boolean {
    return this.code === 'NETWORK_ERROR' || (this.status !== undefined && this.status >= 500);
  }

  /** The API.md envelope of this error, as the service would have answered it. */
  toJSON(): { error: { code: ClientErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * True for a TesseraClientError, also across module copies (bundles may hold two).
 *
 * @example
 * if (isTesseraClientError(err) && err.retryable) await retryLater();
 */
export function isTesseraClientError(err: unknown): err is TesseraClientError {
  return (
    err instanceof TesseraClientError ||
    (err instanceof Error && err.name === 'TesseraClientError' && 'code' in err)
  );
}

/** What a bare status means when the body is not Tessera's envelope (API Gateway answers some itself). */
const CODE_OF_BARE_STATUS: Record<number, ErrorCode> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'SERVICE_UNAVAILABLE',
  500: 'INTERNAL_ERROR',
  502: 'SERVICE_UNAVAILABLE',
  503: 'SERVICE_UNAVAILABLE',
  504: 'SERVICE_UNAVAILABLE',
};

/**
 * Turns an error answer (`{"error":{"code","message"}}`, or anything else) into a TesseraClientError.
 *
 * @example
 * throw errorFromAnswer(401, { error: { code: 'TOKEN_EXPIRED', message: 'The token passed its fixed deadline.' } });
 */
export function errorFromAnswer(
  status: number | undefined,
  body: unknown,
  retryAfterSeconds?: number,
): TesseraClientError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (isApiCode(code)) {
    const text = typeof message === 'string' && message !== '' ? message : `Tessera answered ${code}.`;
    const retry = retryAfterSeconds ?? (code === 'SERVICE_UNAVAILABLE' ? 1 : undefined);
    return new TesseraClientError(code, text, {
      status: status ?? STATUS_OF[code],
      retryAfterSeconds: retry,
    });
  }
  const bare = status === undefined ? undefined : CODE_OF_BARE_STATUS[status];
  if (bare !== undefined) {
    return new TesseraClientError(
      bare,
      `The endpoint answered HTTP ${status} without a Tessera error body.`,
      {
        status,
        retryAfterSeconds: retryAfterSeconds ?? (bare === 'SERVICE_UNAVAILABLE' ? 1 : undefined),
      },
    );
  }
  const what = status === undefined ? 'an answer' : `an HTTP ${status} answer`;
  return new TesseraClientError('RESPONSE_INVALID', `The endpoint gave ${what} that is not Tessera's.`, {
    status,
  });
}

/** A refusal of the core (a TesseraError) as the client's error, with the status HTTP answers its code with. */
function clientRefusal(err: unknown): never {
  if (!isTesseraError(err)) throw err;
  throw new TesseraClientError(err.code, err.message, { status: STATUS_OF[err.code] });
}

/**
 * Runs a check of the core's token reader, synchronous or not, and rethrows its refusal (a TesseraError)
 * as a TesseraClientError with the status the HTTP API answers that code with; other errors pass unchanged.
 *
 * @example
 * const decoded = asClientRefusal(() => readUnverifiedToken(token)); // throws TesseraClientError
 */
export function asClientRefusal<T>(check: () => T): T {
  try {
    const result = check();
    return (result instanceof Promise ? result.catch(clientRefusal) : result) as T;
  } catch (err) {
    return clientRefusal(err);
  }
}
