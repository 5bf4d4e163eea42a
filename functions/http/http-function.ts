// One middy stack for every HTTP function: route and input checks, credentials, the action, and the error
// envelope of API.md, with a single structured log line per request that never holds a token or secret.
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { authenticate, authorizeEcosystem, requireAccount } from '../core/credentials.ts';
import type { Deps } from '../core/deps.ts';
import { type ErrorCode, isTesseraError } from '../core/errors.ts';
import { assertEcosystemId, assertUserId } from '../core/ids.ts';
import { type HttpRequest, readRequest } from './request.ts';
import { allowedMethods, type FunctionName } from './routes.ts';
import { STATUS_OF } from './status.ts';

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Action = (request: HttpRequest, deps: Deps) => Promise<HttpResult>;
/** The dependencies, or a way to build them once (at the first request, then reused). */
export type DepsSource = Deps | (() => Promise<Deps>);

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { status, body, headers };
}

function toResponse(result: HttpResult): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: result.status,
    headers: { ...JSON_HEADERS, ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

/** The API's error envelope for anything thrown: a 4xx says what to fix, a 5xx says nothing internal. */
export function errorResult(err: unknown, path: string): HttpResult & { code: ErrorCode } {
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

async function authorize(request: HttpRequest, deps: Deps): Promise<void> {
  const { access } = request.route;
  if (access === 'public') return;
  const principal = await authenticate(deps, request.headers.authorization);
  if (access === 'account') requireAccount(principal);
  else authorizeEcosystem(principal, request.params.ecosystemId ?? '');
  if (request.params.ecosystemId !== undefined) assertEcosystemId(request.params.ecosystemId);
  if (request.params.userId !== undefined) assertUserId(request.params.userId);
}

function memoize(source: DepsSource): () => Promise<Deps> {
  if (typeof source !== 'function') return () => Promise.resolve(source);
  let built: Promise<Deps> | undefined;
  return () => {
    built ??= source().catch((err: unknown) => {
      built = undefined; // a failed cold start is retried by the next request
      throw err;
    });
    return built;
  };
}

/**
 * A Lambda handler serving the routes of one function.
 *
 * @example
 * export const handler = createHttpFunction('verify', { verifyToken }, buildDependencies);
 */
export function createHttpFunction(
  name: FunctionName,
  actions: Record<string, Action>,
  source: DepsSource,
  logger = new Logger({ serviceName: 'tessera' }),
): HttpHandler {
  const getDeps = memoize(source);
  const base = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const started = performance.now();
    let routeId = 'unmatched';
    let result: HttpResult & { code?: ErrorCode };
    try {
      const request = readRequest(event);
      routeId = request.route.id;
      const action = actions[request.route.id];
      if (action === undefined || request.route.function !== name) {
        throw new Error(`route ${request.route.id} is not served by function ${name}`);
      }
      const deps = await getDeps();
      await authorize(request, deps);
      result = await action(request, deps);
    } catch (err) {
      result = errorResult(err, event.rawPath);
      if (result.status >= 500) logger.error('request failed', { route: routeId, error: err as Error });
    }
    logger.info('request', {
      function: name,
      method: event.requestContext.http.method,
      route: routeId,
      status: result.status,
      code: result.code,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
    });
    return toResponse(result);
  };
  return middy(base);
}
