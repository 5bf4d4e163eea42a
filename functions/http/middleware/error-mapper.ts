// Turns anything thrown into the API's error envelope, in the event's own shape: a 4xx says what to fix, a
// 5xx says nothing internal (its cause goes to the log, never to the caller). The one table from code to
// status is functions/http/status.ts.
import type { Logger } from '@aws-lambda-powertools/logger';
import { type ErrorCode, isTesseraError } from '../../core/errors.ts';
import { allowedMethods } from '../routes.ts';
import { STATUS_OF } from '../status.ts';
import { type FrontDoorMiddleware, type FrontDoorRequest, type HttpResult, isHttp } from './state.ts';

/** The body of every error answer: `{"error": {"code", "message"}}`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/**
 * The API's error envelope for anything thrown, with the headers its code calls for.
 *
 * @example
 * errorResult(new TesseraError('TOKEN_EXPIRED', 'The token expired.'), '/v1/tokens/verify').status; // 401
 */
export function errorResult(err: unknown, path: string): HttpResult & { code: ErrorCode; body: ErrorBody } {
  const known = isTesseraError(err) ? err : undefined;
  const code: ErrorCode = known?.code ?? 'INTERNAL_ERROR';
  const status = STATUS_OF[code];
  const message =
    known !== undefined && (status < 500 || code === 'SERVICE_UNAVAILABLE')
      ? known.message
      : 'Something went wrong on our side; the request was not applied. Try again.';
  const headers: Record<string, string> = {};
  if (code === 'METHOD_NOT_ALLOWED') headers.allow = allowedMethods(path).join(', ');
  if (code === 'UNAUTHORIZED') headers['www-authenticate'] = 'Bearer';
  if (code === 'SERVICE_UNAVAILABLE') headers['retry-after'] = String(known?.retryAfterSeconds ?? 1);
  return { status, code, headers, body: { error: { code, message } } };
}

export interface ErrorMapperOptions {
  logger: Logger;
  /** The answer to a refused direct invocation; `{"error": {...}}` unless given. */
  directFailure?: ((body: ErrorBody) => unknown) | undefined;
}

/**
 * @example
 * middy(handler).use(errorMapper({ logger, directFailure: (body) => ({ valid: false, ...body }) }));
 */
export function errorMapper<D>(options: ErrorMapperOptions): FrontDoorMiddleware<D> {
  return {
    onError: (request: FrontDoorRequest<D>) => {
      const state = request.internal;
      const result = errorResult(request.error, state.input?.path ?? '');
      state.status = result.status;
      state.code = result.code;
      if (result.status >= 500) {
        options.logger.error('request failed', { route: state.routeId, error: request.error as Error });
      }
      request.response = isHttp(state.kind) ? result : (options.directFailure?.(result.body) ?? result.body);
    },
  };
}
