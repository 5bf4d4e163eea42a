// Turning an API Gateway HTTP API (payload 2.0) event into a checked request: route, parameters, query
// and body, each refused with its API code before any use-case runs.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { bearerToken } from '../core/credentials.ts';
import { TesseraError } from '../core/errors.ts';
import { type JsonObject, parseStrictJsonObject } from '../core/strict-json.ts';
import { matchRoute, type Route } from './routes.ts';

export const MAX_BODY_BYTES = 16 * 1024;

export interface HttpRequest {
  route: Route;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The body's members; `{}` when the route takes a body and none was sent. */
  body: JsonObject;
  headers: Record<string, string | undefined>;
}

function readQuery(route: Route, rawQuery: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    if (!route.query.includes(name)) {
      const allowed = route.query.length === 0 ? 'none' : route.query.join(', ');
      throw new TesseraError(
        'QUERY_FIELD_NOT_ALLOWED',
        `Query field "${name}" is not allowed here (allowed: ${allowed}).`,
      );
    }
    if (Object.hasOwn(query, name)) {
      throw new TesseraError('QUERY_FIELD_NOT_ALLOWED', `Query field "${name}" is given more than once.`);
    }
    query[name] = value;
  }
  return query;
}

function readBody(route: Route, event: APIGatewayProxyEventV2): JsonObject {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new TesseraError('PAYLOAD_TOO_LARGE', `The request body is over ${MAX_BODY_BYTES} bytes.`);
  }
  if (bytes.length === 0 || route.body === null) {
    if (bytes.length > 0) throw new TesseraError('BODY_INVALID', 'This route takes no request body.');
    return {};
  }
  const body = parseStrictJsonObject(bytes.toString('utf8'));
  if (body === undefined) {
    throw new TesseraError('BODY_INVALID', 'The body must be a JSON object (UTF-8, each member once).');
  }
  const unknown = Object.keys(body).find((name) => !route.body?.includes(name));
  if (unknown !== undefined) {
    const allowed = route.body.length === 0 ? 'none' : route.body.join(', ');
    throw new TesseraError(
      'BODY_INVALID',
      `Body member "${unknown}" is not allowed here (allowed: ${allowed}).`,
    );
  }
  return body;
}

/** Lower-cased header names, as API Gateway 2.0 sends them and as the local server makes them. */
function lowerCaseHeaders(
  headers: APIGatewayProxyEventV2['headers'] | undefined,
): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

export function readRequest(event: APIGatewayProxyEventV2): HttpRequest {
  const { route, params } = matchRoute(event.requestContext.http.method, event.rawPath);
  return {
    route,
    params,
    query: readQuery(route, event.rawQueryString ?? ''),
    body: readBody(route, event),
    headers: lowerCaseHeaders(event.headers),
  };
}

/**
 * The user token of a request: the body's `token`, else the Authorization bearer value. A request with
 * neither is BODY_INVALID: it is malformed, not an invalid token.
 */
export function presentedToken(request: HttpRequest): string {
  const token = request.body.token ?? bearerToken(request.headers.authorization);
  if (token === undefined) {
    throw new TesseraError(
      'BODY_INVALID',
      'Send the user token as {"token": "..."} or as "Authorization: Bearer".',
    );
  }
  if (typeof token !== 'string') throw new TesseraError('BODY_INVALID', 'token must be a string.');
  return token;
}
