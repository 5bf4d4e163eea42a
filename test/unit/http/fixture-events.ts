// Real-shaped API Gateway events for tests: AWS's documented examples (test/fixtures/events) with the
// method, path, headers, query and body of the request under test put in.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'events');

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as T;
}

export interface RequestParts {
  headers?: Record<string, string>;
  /** JSON-encoded unless a string. */
  body?: unknown;
  base64?: boolean;
  bearer?: string;
}

function bodyOf(parts: RequestParts): string | null {
  if (parts.body === undefined) return null;
  const text = typeof parts.body === 'string' ? parts.body : JSON.stringify(parts.body);
  return parts.base64 === true ? Buffer.from(text).toString('base64') : text;
}

/** An HTTP API payload 2.0 proxy event; `path` may carry a query string. */
export function httpApiEvent(
  method: string,
  path: string,
  parts: RequestParts & { stage?: string; authorizer?: Record<string, unknown> } = {},
): APIGatewayProxyEventV2 {
  const event = fixture<APIGatewayProxyEventV2>('http-api-v2');
  const [rawPath = '', rawQuery = ''] = path.split('?');
  const stage = parts.stage ?? '$default';
  event.rawPath = stage === '$default' ? rawPath : `/${stage}${rawPath}`;
  event.rawQueryString = rawQuery;
  event.requestContext.http.method = method;
  event.requestContext.http.path = event.rawPath;
  event.requestContext.stage = stage;
  event.headers = { ...event.headers, ...parts.headers };
  if (parts.bearer !== undefined) event.headers.authorization = `Bearer ${parts.bearer}`;
  const body = bodyOf(parts);
  if (body !== null) event.body = body;
  event.isBase64Encoded = parts.base64 === true;
  if (parts.authorizer !== undefined) {
    (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: parts.authorizer };
  }
  return event;
}

/** A REST API payload 1.0 proxy event; query fields may repeat. */
export function restApiEvent(
  method: string,
  path: string,
  parts: RequestParts & { query?: Record<string, string[]>; authorizer?: Record<string, unknown> } = {},
): APIGatewayProxyEvent {
  const event = fixture<APIGatewayProxyEvent>('rest-api-v1');
  event.httpMethod = method;
  event.path = path;
  event.resource = path;
  event.requestContext.httpMethod = method;
  event.requestContext.path = `/prod${path}`;
  const headers: Record<string, string> = { ...parts.headers };
  if (parts.bearer !== undefined) headers.Authorization = `Bearer ${parts.bearer}`;
  for (const [name, value] of Object.entries(headers)) {
    event.headers[name] = value;
    event.multiValueHeaders[name] = [value];
  }
  if (parts.query !== undefined) {
    event.multiValueQueryStringParameters = parts.query;
    event.queryStringParameters = Object.fromEntries(
      Object.entries(parts.query).map(([name, values]) => [name, values.at(-1) ?? '']),
    );
  }
  event.body = bodyOf(parts);
  event.isBase64Encoded = parts.base64 === true;
  if (parts.authorizer !== undefined) {
    event.requestContext.authorizer = { principalId: parts.authorizer.userId, ...parts.authorizer };
  }
  return event;
}

/** An HTTP API (payload 2.0) authorizer event for GET /v1/me; no header when `authorization` is undefined. */
export function httpApiAuthorizerEvent(
  authorization: string | undefined,
): APIGatewayRequestAuthorizerEventV2 {
  const event = fixture<APIGatewayRequestAuthorizerEventV2>('authorizer-http-api-v2');
  if (authorization === undefined) {
    delete event.headers?.authorization;
    event.identitySource = [];
  } else {
    event.identitySource = [authorization];
    if (event.headers !== undefined) event.headers.authorization = authorization;
  }
  return event;
}

/** A REST API TOKEN authorizer event. */
export function tokenAuthorizerEvent(authorization: string): APIGatewayTokenAuthorizerEvent {
  return {
    ...fixture<APIGatewayTokenAuthorizerEvent>('authorizer-rest-token'),
    authorizationToken: authorization,
  };
}

/** A REST API REQUEST authorizer event; the header keeps the client's casing (`Authorization`). */
export function requestAuthorizerEvent(authorization: string | undefined): APIGatewayRequestAuthorizerEvent {
  const event = fixture<APIGatewayRequestAuthorizerEvent>('authorizer-rest-request');
  if (authorization === undefined) {
    delete event.headers?.Authorization;
    delete event.multiValueHeaders?.Authorization;
  } else {
    if (event.headers) event.headers.Authorization = authorization;
    if (event.multiValueHeaders) event.multiValueHeaders.Authorization = [authorization];
  }
  return event;
}
