// What the front door's middlewares know about one invocation, in middy's `request.internal`: each
// middleware reads what an earlier one wrote, so the handler itself is only the use-case call.
import type { MiddlewareObj, Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Deps } from '../../core/deps.ts';
import type { ErrorCode } from '../../core/errors.ts';
import type { JsonObject } from '../../core/strict-json.ts';
import type { EventKind, HttpInput } from '../events.ts';
import type { EmfMembers } from '../metrics.ts';
import type { HttpRequest } from '../request.ts';
import type { RouteMatch } from '../routes.ts';

/** An HTTP answer before it is put in the event's shape. */
export interface HttpResult {
  status: number;
  body?: unknown;
  /** A body sent as it is instead of `body` as JSON (the console's static files); set its content-type. */
  text?: string;
  headers?: Record<string, string>;
}

/** A route's action, over the dependencies of the function serving it (all of them unless it says less). */
export type Action<D = Deps> = (request: HttpRequest, deps: D) => Promise<HttpResult>;

export interface FrontDoorState<D> extends Record<string, unknown> {
  /** When the invocation started (performance.now()), for the log line's latency. */
  started: number;
  kind: EventKind;
  /** The HTTP request as either payload version carries it (HTTP events only). */
  input?: HttpInput;
  /** The route's id, 'options' for an OPTIONS answer, 'unmatched' before a route is found. */
  routeId: string;
  match?: RouteMatch;
  /** The route's action, once the route is matched. */
  action?: Action<D>;
  /** The answer to OPTIONS, which asks for no route, credential or body. */
  optionsAnswer?: (deps: D) => Promise<HttpResult>;
  deps?: D;
  /** The checked request (HTTP) or the checked event (direct invocation). */
  request?: HttpRequest;
  directEvent?: JsonObject;
  /** How it ended, for the log line and the metrics. */
  status?: number;
  code?: ErrorCode;
  /** The token count as EMF members, for the log line to carry (token-metrics.ts). */
  emf?: EmfMembers | undefined;
}

export type FrontDoorRequest<D> = Request<unknown, unknown, Error, Context, FrontDoorState<D>>;
/** A middleware of the front door, in middy's own shape. */
export type FrontDoorMiddleware<D> = MiddlewareObj<unknown, unknown, Error, Context, FrontDoorState<D>>;

/**
 * What the handler receives as its event once the before-middlewares are done (middy's way: they replace
 * `request.event` with what they made of it): the use-case call, bound to the checked input and the deps.
 */
export interface PreparedCall {
  run(): Promise<unknown>;
}

/** An HTTP event, as opposed to a direct invocation (authorizer events never reach these functions). */
export function isHttp(kind: EventKind): kind is 'http-v2' | 'rest-v1' {
  return kind === 'http-v2' || kind === 'rest-v1';
}
