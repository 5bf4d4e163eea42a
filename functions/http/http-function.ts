// The front door of every function but the authorizer, as a middy stack: HTTP events of either payload
// version and plain direct invocations go through the middlewares of functions/http/middleware (event
// normalisation, route, dependencies, credentials, request checks, CORS, the answer's shape, the error
// envelope, one log line, the token metrics), so the handler itself is only the use-case call.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { Deps } from '../core/deps.ts';
import { serviceUnavailable, TesseraError } from '../core/errors.ts';
import type { JsonObject } from '../core/strict-json.ts';
import { withDeadline } from './deadline.ts';
import { eventKind } from './events.ts';
import { NO_METRICS, type TokenCount, type TokenMetrics } from './metrics.ts';
import { corsHeaders } from './middleware/cors-headers.ts';
import { type CredentialDeps, credentials } from './middleware/credentials.ts';
import { type DepsSource, dependencies, memoizeDeps } from './middleware/dependencies.ts';
import { type ErrorBody, errorMapper, errorResult } from './middleware/error-mapper.ts';
import { httpAnswer, httpResponse } from './middleware/http-answer.ts';
import { normalizeEvent } from './middleware/normalize-event.ts';
import { requestLog } from './middleware/request-log.ts';
import { requestParser } from './middleware/request-parser.ts';
import { routeMatch } from './middleware/route-match.ts';
import { type Action, type HttpResult, isHttp, type PreparedCall } from './middleware/state.ts';
import { tokenMetrics } from './middleware/token-metrics.ts';
import type { FunctionName, RouteIdOf } from './routes.ts';

export { TIMEOUT_MARGIN_MS } from './deadline.ts';
export { type DepsSource, memoizeDeps } from './middleware/dependencies.ts';
export { type ErrorBody, errorResult } from './middleware/error-mapper.ts';
export { directEvent } from './middleware/request-parser.ts';
export type { Action, HttpResult } from './middleware/state.ts';

/** What the front door itself reads of a function's dependencies: the settings, origins, server tokens. */
export type FrontDoorDeps = CredentialDeps & Pick<Deps, 'corsAllowOrigins'>;

/** How a function answers a plain JSON event from another Lambda (API.md "Direct invocation"). */
export interface DirectAction<D = Deps> {
  /** The event's allowed members; any other is BODY_INVALID. */
  members: readonly string[];
  run(event: JsonObject, deps: D): Promise<unknown>;
  /** Counted when `run` succeeds. */
  count?: TokenCount;
  /** The answer to a refused call; `{"error": {...}}` unless given. */
  failure?: (body: ErrorBody) => unknown;
}

export interface FrontDoorOptions<D = Deps> {
  logger?: Logger | undefined;
  metrics?: TokenMetrics | undefined;
  direct?: DirectAction<D>;
}

/** A function's Lambda handler: the answer's shape follows the event's. */
export interface HttpHandler {
  (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2>;
  (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult>;
  (event: unknown, context?: Context): Promise<unknown>;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { status, body, headers };
}

/** The `token` of a direct event: BODY_INVALID when missing or not a string, as over HTTP. */
export function directToken(event: JsonObject): string {
  const { token } = event;
  if (typeof token !== 'string') {
    throw new TesseraError('BODY_INVALID', 'Send the user token as {"token": "..."}.');
  }
  return token;
}

/**
 * A Lambda handler serving the routes of one function over both API Gateway payload versions, and its
 * direct invocation when `options.direct` is given. The compiler checks that `actions` names exactly the
 * routes of the function (RouteIdOf).
 *
 * @example
 * export const handler = createHttpFunction('verify', { verifyToken, me }, buildDependencies, { direct });
 */
export function createHttpFunction<Fn extends FunctionName, D extends FrontDoorDeps = Deps>(
  name: Fn,
  actions: Readonly<Record<RouteIdOf<Fn>, Action<D>>>,
  source: DepsSource<D>,
  options: FrontDoorOptions<D> = {},
): HttpHandler {
  const logger = options.logger ?? new Logger({ serviceName: 'tessera' });
  const direct = options.direct;

  /** Only the use-case call: everything around it is a middleware. */
  const handler = (call: PreparedCall) => call.run();
  const stack = middy(handler as (event: unknown) => Promise<unknown>, { timeoutEarlyInMillis: 0 })
    .use(normalizeEvent<D>())
    .use(injectLambdaContext(logger))
    .use(requestLog<D>({ logger, name }))
    .use(tokenMetrics<D>({ metrics: options.metrics ?? NO_METRICS, directCount: direct?.count }))
    .use(httpAnswer<D>())
    .use(corsHeaders<D>())
    .use(errorMapper<D>({ logger, directFailure: direct?.failure }))
    .use(routeMatch<D>({ name, actions }))
    .use(dependencies<D>({ getDeps: memoizeDeps(source) }))
    .use(credentials<D>())
    .use(requestParser<D>({ name, direct }));

  /** The answer when the invocation is about to time out: 503 in the event's own shape. */
  const timedOut = (event: unknown) => {
    const kind = eventKind(event);
    const { status, code, headers, body } = errorResult(
      serviceUnavailable('A dependency', new Error('the invocation ran out of time')),
      '',
    );
    logger.error('request timed out', { function: name, kind, status, code });
    if (isHttp(kind)) return httpResponse({ status, headers, body }, kind);
    return direct?.failure?.(body) ?? body;
  };
  const bounded = withDeadline((event: unknown, context: Context) => stack(event, context), timedOut);
  return ((event: unknown, context?: Context) => bounded(event, context ?? ({} as Context))) as HttpHandler;
}
