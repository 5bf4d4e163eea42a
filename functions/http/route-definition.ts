// What a route declaration holds, and what follows from one: the error codes it can answer. The routes
// themselves are declared in routes-*.ts and gathered in routes.ts. A declaration is plain data that names
// its schemas (schemas.ts), so matching a request needs no schema library in the functions' bundles.
import type { ErrorCode } from '../core/errors.ts';
import type { AnswerName, BodyMember, QueryField } from './schemas.ts';

/** The Lambda function that serves a route. */
export type FunctionName = 'issue' | 'verify' | 'refresh' | 'keys' | 'admin' | 'exchange';
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
/**
 * Who may call: the account token only, the account or the ecosystem's server token, anyone, or the
 * holder of a valid user token as checked by the Lambda authorizer in front of the route ('user').
 */
export type Access = 'account' | 'ecosystem' | 'public' | 'user';

export interface RouteRequest {
  /** The query fields it takes (their schemas: QUERY_FIELDS); any other is QUERY_FIELD_NOT_ALLOWED. */
  readonly query?: readonly QueryField[];
  /**
   * The JSON body's members (their schemas: BODY_MEMBERS), a strict object: any other member is
   * BODY_INVALID. Absent when the route takes no body at all; `[]` for a body that may only be `{}`.
   */
  readonly body?: readonly BodyMember[];
  /** The user token may come as `Authorization: Bearer` instead of the body's `token` (verify, refresh, revoke). */
  readonly bearer?: 'userToken';
}

/** Each status a route answers itself, with the name of its JSON body's schema (null: no JSON body). */
export type RouteAnswers = Readonly<Record<number, AnswerName | null>>;

export interface Route {
  readonly id: string;
  readonly method: Method;
  /** An API Gateway style template: `{name}` matches one path segment (or the part of it before/after `;`). */
  readonly path: string;
  readonly function: FunctionName;
  readonly access: Access;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  readonly request: RouteRequest;
  /** What a call that goes right answers (and, for a route behind the authorizer, API Gateway's own refusals). */
  readonly answers: RouteAnswers;
  /**
   * The codes the route's own work can answer. Those every route of its kind can answer (credentials, ids
   * in the path, a malformed request, an outage) follow from the rest of the declaration: `errorCodesOf`.
   */
  readonly errors: readonly ErrorCode[];
  /** Served, but not part of the API: left out of the OpenAPI document (the console's static files). */
  readonly internal?: true;
}

/** The `{name}` parameters of a path template, in order. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([a-zA-Z]+)\}/g)].map((match) => match[1] ?? '');
}

/**
 * Every code a route can answer (but INTERNAL_ERROR, which any can): its own, then those that follow from
 * the declaration, as http-function.ts and request.ts answer them.
 *
 * @example
 * errorCodesOf(getUser); // ['ECOSYSTEM_NOT_FOUND', 'USER_NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'ECOSYSTEM_INVALID', …]
 */
export function errorCodesOf(route: Route): ErrorCode[] {
  const codes: ErrorCode[] = [...route.errors];
  const credential = route.access === 'account' || route.access === 'ecosystem';
  if (credential) codes.push('UNAUTHORIZED', 'FORBIDDEN');
  // Without the authorizer's answer (the route deployed without it) the function refuses itself.
  if (route.access === 'user') codes.push('UNAUTHORIZED');
  // Ids in the path are checked with the credential, before anything else is read.
  const params = pathParameters(route.path);
  if (credential && params.includes('ecosystemId')) codes.push('ECOSYSTEM_INVALID');
  if (credential && params.includes('userId')) codes.push('USER_INVALID');
  // Any request may carry a query field the route does not take, a body it cannot read or one too large;
  // any call may outlive its dependencies (503 before the Lambda timeout).
  codes.push('QUERY_FIELD_NOT_ALLOWED', 'BODY_INVALID', 'PAYLOAD_TOO_LARGE', 'SERVICE_UNAVAILABLE');
  return [...new Set(codes)];
}
