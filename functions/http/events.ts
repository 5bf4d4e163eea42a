// The one place that tells Lambda events apart by shape (HTTP API 2.0, REST 1.0, authorizer events, direct
// invocation) and reads an HTTP event of either payload version into the same plain request.
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * What invoked a function: an API Gateway proxy event of either payload version, an authorizer event of
 * either API kind, or a plain JSON event from another Lambda (anything else).
 */
export type EventKind =
  | 'http-v2'
  | 'rest-v1'
  | 'authorizer-http-v2'
  | 'authorizer-token'
  | 'authorizer-request'
  | 'direct';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The kind of a Lambda event, by shape alone.
 *
 * @example
 * eventKind({ version: '2.0', rawPath: '/v1/me', requestContext: { http: { method: 'GET' } } }); // 'http-v2'
 * eventKind({ token: 'eyJ…' }); // 'direct'
 */
export function eventKind(event: unknown): EventKind {
  if (!isObject(event)) return 'direct';
  const context = event.requestContext;
  if (event.type === 'TOKEN' && typeof event.methodArn === 'string') return 'authorizer-token';
  if (event.type === 'REQUEST' && event.version === '2.0' && typeof event.routeArn === 'string') {
    return 'authorizer-http-v2';
  }
  if (event.type === 'REQUEST' && typeof event.methodArn === 'string') return 'authorizer-request';
  if (
    event.version === '2.0' &&
    typeof event.rawPath === 'string' &&
    isObject(context) &&
    isObject(context.http) &&
    typeof context.http.method === 'string'
  ) {
    return 'http-v2';
  }
  if (typeof event.httpMethod === 'string' && typeof event.path === 'string' && isObject(context)) {
    return 'rest-v1';
  }
  return 'direct';
}

/** An HTTP request as both payload versions carry it, before any check. */
export interface HttpInput {
  method: string;
  /** The path after the stage, still percent-encoded where the client encoded it. */
  path: string;
  /** Query fields in the order sent, repeated names kept (so a repeat can be refused). */
  query: [string, string][];
  /** Lower-cased names; repeated headers joined with a comma. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The context a Lambda authorizer returned for this request, when one ran. */
  authorizer: Record<string, unknown> | undefined;
}

function lowerCaseHeaders(headers: Record<string, unknown> | null | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') result[name.toLowerCase()] = value;
  }
  return result;
}

function bodyBytes(body: string | null | undefined, isBase64Encoded: boolean | undefined): Buffer {
  const raw = body ?? '';
  return isBase64Encoded === true ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

/** HTTP API puts a named stage in front of rawPath; `$default` adds nothing. */
function pathAfterStage(rawPath: string, stage: string | undefined): string {
  if (stage === undefined || stage === '$default') return rawPath;
  const prefix = `/${stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
}

function fromHttpV2(event: APIGatewayProxyEventV2): HttpInput {
  const authorizer = (event.requestContext as { authorizer?: { lambda?: unknown } }).authorizer;
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: pathAfterStage(event.rawPath, event.requestContext.stage),
    query: [...new URLSearchParams(event.rawQueryString ?? '')],
    headers: lowerCaseHeaders(event.headers),
    body: bodyBytes(event.body, event.isBase64Encoded),
    authorizer: isObject(authorizer?.lambda) ? authorizer.lambda : undefined,
  };
}

function fromRestV1(event: APIGatewayProxyEvent): HttpInput {
  const headers = lowerCaseHeaders(event.headers);
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (Array.isArray(values) && values.length > 0) headers[name.toLowerCase()] = values.join(',');
  }
  const query: [string, string][] = [];
  const multi = event.multiValueQueryStringParameters;
  if (multi !== null && multi !== undefined) {
    for (const [name, values] of Object.entries(multi)) {
      for (const value of values ?? []) query.push([name, value]);
    }
  } else {
    for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
      if (value !== undefined) query.push([name, value]);
    }
  }
  const authorizer = event.requestContext.authorizer as Record<string, unknown> | null | undefined;
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path,
    query,
    headers,
    body: bodyBytes(event.body, event.isBase64Encoded),
    // REST APIs flatten the authorizer's context into requestContext.authorizer (with principalId).
    authorizer: isObject(authorizer) && typeof authorizer.userId === 'string' ? authorizer : undefined,
  };
}

/**
 * The request an HTTP event of either payload version carries.
 *
 * @example
 * const input = httpInput(event, 'rest-v1'); // { method: 'POST', path: '/v1/tokens/verify', … }
 */
export function httpInput(event: unknown, kind: 'http-v2' | 'rest-v1'): HttpInput {
  return kind === 'http-v2'
    ? fromHttpV2(event as APIGatewayProxyEventV2)
    : fromRestV1(event as APIGatewayProxyEvent);
}
