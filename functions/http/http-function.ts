// One middy stack for every function but the authorizer: HTTP events of either payload version (route and
// input checks, credentials, the action, the error envelope of API.md) and plain direct invocations, with
// one structured log line per call that never holds a token or secret, and the token metrics.
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { authenticate, authorizeEcosystem, requireAccount } from '../core/credentials.ts';
import type { Deps } from '../core/deps.ts';
import { type ErrorCode, isTesseraError, serviceUnavailable, TesseraError } from '../core/errors.ts';
import { assertEcosystemId, assertUserId } from '../core/ids.ts';
import type { JsonObject } from '../core/strict-json.ts';
import { CORS_DEFAULT_ALLOW_ORIGINS, corsHeaders, optionsHeaders } from './cors.ts';
import { eventKind, type HttpInput, httpInput } from './events.ts';
import { NO_METRICS, ROUTE_COUNTS, type TokenCount, type TokenMetrics } from './metrics.ts';
import { type HttpRequest, MAX_BODY_BYTES, readRequest } from './request.ts';
import { allowedMethods, type FunctionName, matchRoute, type RouteIdOf } from './routes.ts';
import { STATUS_OF } from './status.ts';

/**
 * How long before the Lambda timeout the function stops waiting and answers 503 SERVICE_UNAVAILABLE
 * itself (middy's early timeout, from `context.getRemainingTimeInMillis()`): a slow AWS dependency then
 * gets the designed answer with Retry-After, never a Lambda timeout (which API Gateway turns into a bare
 * 500 or 503 without our envelope). Enough for the answer and the log line to go out.
 */
export const TIMEOUT_MARGIN_MS = 300;

export interface HttpResult {
  status: number;
  body?: unknown;
  /** A body sent as it is instead of `body` as JSON (the console's static files); set its content-type. */
  text?: string;
  headers?: Record<string, string>;
}

/** A route's action, over the dependencies of the function serving it (all of them unless it says less). */
export type Action<D = Deps> = (request: HttpRequest, deps: D) => Promise<HttpResult>;
/** The dependencies, or a way to build them once (at the first request, then reused). */
export type DepsSource<D = Deps> = D | (() => Promise<D>);
/**
 * What the front door itself reads of a function's dependencies: the settings, the allowed origins, and the
 * server tokens, which only a function with a route for an account or server token holds (not keys).
 */
export type FrontDoorDeps = Pick<Deps, 'config' | 'corsAllowOrigins'> & Partial<Pick<Deps, 'serverTokens'>>;

/** The body of every error answer: `{"error": {"code", "message"}}`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

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
  logger?: Logger;
  metrics?: TokenMetrics;
  direct?: DirectAction<D>;
}

/** A function's Lambda handler: the answer's shape follows the event's. */
export interface HttpHandler {
  (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2>;
  (event: APIGatewayProxyEvent, context?: Context): Promise<APIGatewayProxyResult>;
  (event: unknown, context?: Context): Promise<unknown>;
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** middy's early-timeout signal, told apart from every other error by its class. */
class EarlyTimeout extends Error {
  override readonly name = 'EarlyTimeout';
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { status, body, headers };
}

/** The API's error envelope for anything thrown: a 4xx says what to fix, a 5xx says nothing internal. */
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

/** What authorizing needs of a request: its route and path, headers and the authorizer's answer. */
type Credentials = Pick<HttpRequest, 'route' | 'params' | 'headers' | 'authorizer'>;

async function authorize(request: Credentials, deps: FrontDoorDeps): Promise<void> {
  const { access } = request.route;
  if (access === 'public') return;
  if (access === 'user') {
    // API Gateway (or the local server) ran the Lambda authorizer first; without its answer, refuse.
    if (typeof request.authorizer?.userId !== 'string') {
      throw new TesseraError(
        'UNAUTHORIZED',
        'Send a valid user token as "Authorization: Bearer <token>"; this route is behind the authorizer.',
      );
    }
    return;
  }
  const { serverTokens, config } = deps;
  if (serverTokens === undefined) {
    // A function built without server tokens serves public routes only: a route table bug, so a 500.
    throw new Error(`Route ${request.route.id} takes a credential, but its function holds no server tokens.`);
  }
  const principal = await authenticate({ serverTokens, config }, request.headers.authorization);
  if (access === 'account') requireAccount(principal);
  else authorizeEcosystem(principal, request.params.ecosystemId ?? '');
  if (request.params.ecosystemId !== undefined) assertEcosystemId(request.params.ecosystemId);
  if (request.params.userId !== undefined) assertUserId(request.params.userId);
}

/**
 * Memoizes a dependency source: built at the first call and reused; a failed build is retried next call.
 *
 * @example
 * const getDeps = memoizeDeps(buildDependencies);
 * const deps = await getDeps();
 */
export function memoizeDeps<D extends object>(source: DepsSource<D>): () => Promise<D> {
  if (typeof source !== 'function') return () => Promise.resolve(source);
  const build = source as () => Promise<D>; // dependencies are plain objects, so a function is a builder
  let built: Promise<D> | undefined;
  return () => {
    built ??= build().catch((err: unknown) => {
      built = undefined; // a failed cold start is retried by the next request
      throw err;
    });
    return built;
  };
}

/** The members of a direct event, refused with BODY_INVALID or PAYLOAD_TOO_LARGE like an HTTP body. */
export function directEvent(event: unknown, members: readonly string[]): JsonObject {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new TesseraError('BODY_INVALID', 'The event must be a JSON object; see "Direct invocation".');
  }
  if (Buffer.byteLength(JSON.stringify(event), 'utf8') > MAX_BODY_BYTES) {
    throw new TesseraError('PAYLOAD_TOO_LARGE', `The event is over ${MAX_BODY_BYTES} bytes.`);
  }
  const unknown = Object.keys(event).find((name) => !members.includes(name));
  if (unknown !== undefined) {
    const allowed = members.length === 0 ? 'none' : members.join(', ');
    throw new TesseraError(
      'BODY_INVALID',
      `Event member "${unknown}" is not allowed here (allowed: ${allowed}).`,
    );
  }
  return event as JsonObject;
}

/** The `token` of a direct event: BODY_INVALID when missing or not a string, as over HTTP. */
export function directToken(event: JsonObject): string {
  const { token } = event;
  if (typeof token !== 'string') {
    throw new TesseraError('BODY_INVALID', 'Send the user token as {"token": "..."}.');
  }
  return token;
}

/** A HEAD answer is the GET answer without its body (RFC 9110 §9.3.2). */
function httpResponse(result: HttpResult, kind: 'http-v2' | 'rest-v1', head = false) {
  const body = result.text ?? (result.body === undefined ? '' : JSON.stringify(result.body));
  const response = {
    statusCode: result.status,
    headers: { ...JSON_HEADERS, ...result.headers },
    body: head ? '' : body,
  };
  return kind === 'rest-v1' ? { ...response, isBase64Encoded: false } : response;
}

/**
 * A Lambda handler serving the routes of one function over both API Gateway payload versions, and its
 * direct invocation when `options.direct` is given.
 *
 * @example
 * export const handler = createHttpFunction('verify', { verifyToken }, buildDependencies, { direct });
 */
export function createHttpFunction<Fn extends FunctionName, D extends FrontDoorDeps = Deps>(
  name: Fn,
  actions: Readonly<Record<RouteIdOf<Fn>, Action<D>>>,
  source: DepsSource<D>,
  options: FrontDoorOptions<D> = {},
): HttpHandler {
  const getDeps = memoizeDeps(source);
  const logger = options.logger ?? new Logger({ serviceName: 'tessera' });
  const metrics = options.metrics ?? NO_METRICS;
  /** The allowed origins, even when the dependencies cannot be built (the error answer still needs them). */
  const corsOrigins = () =>
    getDeps().then(
      (deps) => deps.corsAllowOrigins ?? CORS_DEFAULT_ALLOW_ORIGINS,
      () => CORS_DEFAULT_ALLOW_ORIGINS,
    );

  /** OPTIONS on any path of the API: a CORS preflight, or the path's methods. No credential is asked. */
  const answerOptions = async (input: HttpInput): Promise<HttpResult> => {
    const methods = allowedMethods(input.path);
    if (methods.length === 0) matchRoute(input.method, input.path); // throws ROUTE_NOT_FOUND
    return { status: 204, headers: optionsHeaders(await corsOrigins(), methods, input.headers) };
  };

  const serveHttp = async (input: HttpInput) => {
    let routeId = 'unmatched';
    let result: HttpResult & { code?: ErrorCode };
    try {
      if (input.method.toUpperCase() === 'OPTIONS') {
        routeId = 'options';
        return { routeId, result: await answerOptions(input) };
      }
      const match = matchRoute(input.method, input.path);
      routeId = match.route.id;
      const action = (actions as Readonly<Record<string, Action<D> | undefined>>)[routeId];
      if (action === undefined || match.route.function !== name) {
        throw new Error(`route ${routeId} is not served by function ${name}`);
      }
      const deps = await getDeps();
      // Credentials before input, as docs/API.md promises: no 400 tells a caller without them anything.
      await authorize({ ...match, headers: input.headers, authorizer: input.authorizer }, deps);
      result = await action(readRequest(input, match), deps);
      const count = ROUTE_COUNTS[routeId];
      if (count !== undefined) metrics.count(count);
    } catch (err) {
      result = errorResult(err, input.path);
      metrics.refused(result.code);
      if (result.status >= 500) logger.error('request failed', { route: routeId, error: err as Error });
    }
    return { routeId, result };
  };

  const serveDirect = async (event: unknown) => {
    const direct = options.direct;
    try {
      if (direct === undefined) {
        throw new TesseraError(
          'ROUTE_NOT_FOUND',
          `The ${name} function takes no direct events; call it over HTTPS (see the API reference).`,
        );
      }
      const answer = await direct.run(directEvent(event, direct.members), await getDeps());
      if (direct.count !== undefined) metrics.count(direct.count);
      return { status: 200, answer, code: undefined };
    } catch (err) {
      const { status, code, body } = errorResult(err, '');
      metrics.refused(code);
      if (status >= 500) logger.error('direct invocation failed', { error: err as Error });
      return { status, code, answer: direct?.failure?.(body) ?? body };
    }
  };

  const base = async (event: unknown): Promise<unknown> => {
    const started = performance.now();
    const kind = eventKind(event);
    const latency = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      if (kind === 'http-v2' || kind === 'rest-v1') {
        let input: HttpInput;
        try {
          input = httpInput(event, kind);
        } catch (err) {
          // A field of the right name but the wrong type: not a request we can route.
          logger.error('unreadable event', { kind, error: err as Error });
          return httpResponse(errorResult(err, ''), kind);
        }
        const { routeId, result } = await serveHttp(input);
        if (input.method.toUpperCase() !== 'OPTIONS') {
          result.headers = { ...result.headers, ...corsHeaders(await corsOrigins(), input.headers.origin) };
        }
        logger.info('request', {
          function: name,
          kind,
          method: input.method,
          route: routeId,
          status: result.status,
          code: (result as { code?: ErrorCode }).code,
          latencyMs: latency(),
        });
        return httpResponse(result, kind, input.method.toUpperCase() === 'HEAD');
      }
      const { status, code, answer } = await serveDirect(event);
      logger.info('request', { function: name, kind: 'direct', status, code, latencyMs: latency() });
      return answer;
    } finally {
      metrics.flush();
    }
  };
  /** The answer when the invocation is about to time out: 503 in the event's own shape. */
  const timedOut = (event: unknown) => {
    const kind = eventKind(event);
    const { status, code, headers, body } = errorResult(
      serviceUnavailable('A dependency', new Error('the invocation ran out of time')),
      '',
    );
    logger.error('request timed out', { function: name, kind, status, code });
    if (kind === 'http-v2' || kind === 'rest-v1') return httpResponse({ status, headers, body }, kind);
    return options.direct?.failure?.(body) ?? body;
  };
  const wrapped = middy(base, {
    timeoutEarlyInMillis: TIMEOUT_MARGIN_MS,
    timeoutEarlyResponse: () => {
      throw new EarlyTimeout();
    },
  }).onError(async (request) => {
    if (!(request.error instanceof EarlyTimeout)) return; // rethrown by middy: a bug of ours, a 500
    request.response = timedOut(request.event);
  });
  return ((event: unknown, context?: Context) => wrapped(event, context ?? ({} as Context))) as HttpHandler;
}
