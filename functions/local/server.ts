// The local front door: plain HTTP on loopback, each request turned into the API Gateway 2.0 event the
// deployed functions receive and handed to the same handler, chosen by the shared route table. Routes with
// access 'user' first go through the authorizer function, as API Gateway's Lambda authorizer would.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createHandler as admin } from '../admin/handler.ts';
import type { AuthorizerContext } from '../authorizer/answers.ts';
import { createHandler as authorizer } from '../authorizer/handler.ts';
import type { Deps } from '../core/deps.ts';
import { createHandler as exchange } from '../exchange/handler.ts';
import type { HttpHandler } from '../http/http-function.ts';
import { MAX_BODY_BYTES } from '../http/request.ts';
import { type FunctionName, matchRoute, type Route } from '../http/routes.ts';
import { createHandler as issue } from '../issue/handler.ts';
import { createHandler as keys } from '../keys/handler.ts';
import { createHandler as refresh } from '../refresh/handler.ts';
import { createHandler as verify } from '../verify/handler.ts';

export interface LocalServer {
  url: string;
  server: Server;
  /** Stops accepting connections, waits for requests in flight, then writes the usage counts held. */
  close(): Promise<void>;
}

/**
 * Reads at most one byte past the limit, so an oversized body is refused without being buffered whole.
 * The rest of such a body stays unread (the socket is kept for the answer, then closed).
 */
async function readBody(request: IncomingMessage): Promise<{ bytes: Buffer; oversized: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.iterator({ destroyOnReturn: false })) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) break;
  }
  return { bytes: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES + 1), oversized: size > MAX_BODY_BYTES };
}

/**
 * The URL a request target names (RFC 9112 §3.2), or undefined for one that names no path of ours. The
 * origin form `/path?query` is what clients send; a leading '//' is a path here, never a host. The
 * absolute form `http://host/path?query` is served by its path, as RFC 9112 §3.2.2 asks of a server
 * ("MUST accept the absolute-form") and as Node's own servers do; its host may not be empty. Anything
 * else Node's parser lets through (`*`, `http://[`, `http://a:99999/`, `http://a%20b/`) is undefined.
 * https://www.rfc-editor.org/rfc/rfc9112#section-3.2
 */
function targetUrl(target: string): URL | undefined {
  const absolute = /^https?:\/\/[^/?#\\]/i.test(target);
  if (!absolute && !target.startsWith('/')) return undefined;
  const text = absolute ? target : `http://localhost${target}`;
  return URL.canParse(text) ? new URL(text) : undefined;
}

export function toEvent(request: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const target = request.url ?? '/';
  // A target that names no path (see targetUrl) is passed on whole as the path, which no route matches
  // (every route starts with '/'), so it gets the contract's answer for a path Tessera does not serve,
  // 404 ROUTE_NOT_FOUND with the usual error body and headers: API.md has no code for a malformed target,
  // and it is neither a body nor an id. Building a URL from it threw here before: a 500.
  const url = targetUrl(target) ?? { pathname: target, search: '', host: 'localhost' };
  const method = request.method ?? 'GET';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${now}-${Math.random().toString(16).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    body: body.length === 0 ? undefined : body.toString('base64'),
    isBase64Encoded: body.length > 0,
  };
}

function lambdaContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `tessera-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:tessera-${name}`,
    memoryLimitInMB: '256',
    awsRequestId: `local-${Date.now()}`,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The route of a request, or undefined: unmatched requests go to admin, which answers the 404 or 405. */
function routeFor(method: string, path: string): Route | undefined {
  try {
    return matchRoute(method, path).route;
  } catch {
    return undefined;
  }
}

/**
 * The HTTP API (payload 2.0) authorizer event API Gateway would send for a request, with the identity
 * source `$request.header.Authorization`.
 */
export function toAuthorizerEvent(event: APIGatewayProxyEventV2, route: Route) {
  const { requestContext } = event;
  const authorization = event.headers.authorization;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:local:000000000000:${requestContext.apiId}/${requestContext.stage}/${route.method}${route.path}`,
    identitySource: authorization === undefined ? [] : [authorization],
    routeKey: `${route.method} ${route.path}`,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    headers: event.headers,
    requestContext,
  };
}

/**
 * Serves every route on `host:port` (port 0 picks a free one) with the given dependencies.
 *
 * @example
 * const server = await startLocalServer({ deps, port: 0 });
 * await fetch(`${server.url}/.well-known/jwks.json`);
 */
export async function startLocalServer(options: {
  deps: Deps;
  port: number;
  host?: string;
}): Promise<LocalServer> {
  const handlers: Record<FunctionName, HttpHandler> = {
    issue: issue(options.deps),
    verify: verify(options.deps),
    refresh: refresh(options.deps),
    keys: keys(options.deps),
    admin: admin(options.deps),
    exchange: exchange(options.deps),
  };
  const authorize = authorizer(options.deps);
  /**
   * API Gateway's part, as an HTTP API does it: with no Authorization header the authorizer is not called
   * and the answer is 401 {"message":"Unauthorized"}; a refusal is 403 {"message":"Forbidden"}. Neither can
   * be remapped on an HTTP API, so the local server answers exactly these (docs/front-doors.md).
   */
  const gatewayRefusal = async (event: APIGatewayProxyEventV2, route: Route) => {
    if (event.headers.authorization === undefined) {
      return { status: 401, message: 'Unauthorized', context: undefined } as const;
    }
    const answer = await authorize(toAuthorizerEvent(event, route), lambdaContext('authorizer'));
    if ('isAuthorized' in answer && answer.isAuthorized) return { context: answer.context };
    return { status: 403, message: 'Forbidden', context: undefined } as const;
  };
  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const event = toEvent(request, body.bytes);
    if (body.oversized) response.setHeader('connection', 'close');
    // Local mode only: a browser opening the server's root lands on the console. The deployed API keeps
    // its 404 ROUTE_NOT_FOUND on '/', which no route of the table names.
    if (event.rawPath === '/' && ['GET', 'HEAD'].includes(event.requestContext.http.method)) {
      response.writeHead(302, { location: '/console/', 'cache-control': 'no-store' });
      response.end();
      return;
    }
    const route = routeFor(event.requestContext.http.method, event.rawPath);
    if (route?.access === 'user') {
      const gate = await gatewayRefusal(event, route);
      if (gate.context === undefined) {
        response.writeHead(gate.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: gate.message }));
        return;
      }
      const context: AuthorizerContext = gate.context;
      (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: context };
    }
    const name = route?.function ?? 'admin';
    const result = await handlers[name](event, lambdaContext(name));
    response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    response.end(result.statusCode === 204 ? undefined : result.body);
  };
  const server = createServer((request, response) => {
    serve(request, response).catch(() => {
      if (!response.headersSent)
        response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      response.end(
        JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' } }),
      );
    });
  });
  // A request Node's HTTP parser refuses (a space in the target, a bad header) never reaches `serve`; it
  // still gets the API's error body instead of Node's bare 400. https://nodejs.org/api/http.html#event-clienterror
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      error: tooLarge
        ? { code: 'PAYLOAD_TOO_LARGE', message: 'The request headers are too large.' }
        : { code: 'BODY_INVALID', message: 'The request is not valid HTTP/1.1.' },
    });
    socket.end(
      // The one table from code to status (functions/http/status.ts): PAYLOAD_TOO_LARGE is 413.
      `HTTP/1.1 ${tooLarge ? '413 Content Too Large' : '400 Bad Request'}\r\n` +
        'content-type: application/json; charset=utf-8\r\ncache-control: no-store\r\nconnection: close\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      });
      await options.deps.usage.flush(); // the usage counts the requests left in memory
    },
  };
}
