// Turning an HTTP request (from either API Gateway payload version or the local server) into a checked
// request: route, parameters, query and body, each refused with its API code before any use-case runs.
import { bearerToken } from '../core/credentials.ts';
import { TesseraError } from '../core/errors.ts';
import { type JsonObject, parseStrictJsonObject } from '../core/strict-json.ts';
import type { HttpInput } from './events.ts';
import { matchRoute, type Route, type RouteMatch } from './routes.ts';

export const MAX_BODY_BYTES = 16 * 1024;

export interface HttpRequest {
  route: Route;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The body's members; `{}` when the route takes a body and none was sent. */
  body: JsonObject;
  headers: Record<string, string | undefined>;
  /** The context a Lambda authorizer returned (routes with access 'user'). */
  authorizer: Record<string, unknown> | undefined;
}

/** The names a route takes, as a refusal lists them. */
function allowedList(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

/**
 * The query fields, each one the route declares and given once. Their values are the core's to check
 * (the expiry fields, the usage range), with the codes a direct invocation gets too.
 */
function readQuery(route: Route, fields: readonly [string, string][]): Record<string, string> {
  const query: Record<string, string> = {};
  const names: readonly string[] = route.request.query ?? [];
  for (const [name, value] of fields) {
    if (!names.includes(name)) {
      const allowed = allowedList(names);
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

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body as text, or undefined when it is not UTF-8 (Buffer#toString would swap in U+FFFD silently). */
function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The body's members, each one the route declares (a strict object). Their values are the core's to check
 * (name, metadata, claims) or presentedToken's (token), each with its own code.
 */
function readBody(route: Route, bytes: Buffer): JsonObject {
  if (bytes.length > MAX_BODY_BYTES) {
    throw new TesseraError('PAYLOAD_TOO_LARGE', `The request body is over ${MAX_BODY_BYTES} bytes.`);
  }
  const members = route.request.body;
  if (bytes.length === 0 || members === undefined) {
    if (bytes.length > 0) throw new TesseraError('BODY_INVALID', 'This route takes no request body.');
    return {};
  }
  const text = decodeUtf8(bytes);
  const body = text === undefined ? undefined : parseStrictJsonObject(text);
  if (body === undefined) {
    throw new TesseraError('BODY_INVALID', 'The body must be a JSON object (UTF-8, each member once).');
  }
  const names: readonly string[] = members;
  const unknown = Object.keys(body).find((name) => !names.includes(name));
  if (unknown !== undefined) {
    const allowed = allowedList(names);
    throw new TesseraError(
      'BODY_INVALID',
      `Body member "${unknown}" is not allowed here (allowed: ${allowed}).`,
    );
  }
  return body;
}

/**
 * The checked request. Pass the route match when the caller already made it: credentials are checked
 * between matching the route and reading the query and body, so a caller without them learns nothing else.
 */
export function readRequest(
  input: HttpInput,
  match: RouteMatch = matchRoute(input.method, input.path),
): HttpRequest {
  const { route, params } = match;
  return {
    route,
    params,
    query: readQuery(route, input.query),
    body: readBody(route, input.body),
    headers: input.headers,
    authorizer: input.authorizer,
  };
}

/**
 * The user token of a request: the body's `token` when the body has that member, else the Authorization
 * bearer value. A request with neither, or a `token` member that is not a string (`null` included, so it
 * never falls back to the header), is BODY_INVALID: it is malformed, not an invalid token.
 */
export function presentedToken(request: HttpRequest): string {
  const token = Object.hasOwn(request.body, 'token')
    ? request.body.token
    : bearerToken(request.headers.authorization);
  if (token === undefined) {
    throw new TesseraError(
      'BODY_INVALID',
      'Send the user token as {"token": "..."} or as "Authorization: Bearer".',
    );
  }
  if (typeof token !== 'string') throw new TesseraError('BODY_INVALID', 'token must be a string.');
  return token;
}
