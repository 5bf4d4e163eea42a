// The error taxonomy of API.md: one class, one typed code, so a `switch (err.code)` narrows.

/** Every stable code a Tessera client can meet. The HTTP status of each lives in `http/status.ts`. */
export type ErrorCode =
  | 'PAYLOAD_TOO_LARGE'
  | 'BODY_INVALID'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'QUERY_FIELD_NOT_ALLOWED'
  | 'ECOSYSTEM_INVALID'
  | 'USER_INVALID'
  | 'METADATA_INVALID'
  | 'CLAIMS_INVALID'
  | 'TOKEN_DURATION_INVALID'
  | 'TOKEN_EXPIRATION_TYPE_INVALID'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'ECOSYSTEM_NOT_FOUND'
  | 'USER_NOT_FOUND'
  | 'SERVER_TOKEN_NOT_FOUND'
  | 'TOKEN_NOT_FOUND'
  | 'REVOCATION_NOT_FOUND'
  | 'REVOCATION_LIMIT_REACHED'
  | 'PROVIDER_INVALID'
  | 'PROVIDER_NOT_FOUND'
  | 'TOKEN_STRUCTURE_INVALID'
  | 'TOKEN_SIGNATURE_INVALID'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'TOKEN_AUDIENCE_INVALID'
  | 'TOKEN_REVOKED'
  | 'TOKEN_REUSED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

/** The codes a token check can end in: verify, refresh and the authorizer answer only these (or a 5xx). */
export type TokenErrorCode = Extract<ErrorCode, `TOKEN_${string}`>;

/**
 * The one error type the core throws for anything a caller can act on.
 *
 * @example
 * throw new TesseraError('USER_NOT_FOUND', `No user "${userId}" in ecosystem "${ecosystemId}".`);
 */
export class TesseraError extends Error {
  override readonly name = 'TesseraError';
  readonly code: ErrorCode;
  /** Seconds a client should wait before trying again (SERVICE_UNAVAILABLE only). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** True for a TesseraError, also across module copies (bundles may hold two). */
export function isTesseraError(err: unknown): err is TesseraError {
  return (
    err instanceof TesseraError || (err instanceof Error && err.name === 'TesseraError' && 'code' in err)
  );
}

/** The error a dependency outage turns into: the client may retry after a short wait. */
export function serviceUnavailable(what: string, cause: unknown, retryAfterSeconds = 1): TesseraError {
  return new TesseraError('SERVICE_UNAVAILABLE', `${what} is unavailable right now; retry shortly.`, {
    cause,
    retryAfterSeconds,
  });
}
