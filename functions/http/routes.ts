// Every route of the API, gathered from its declarations (routes-*.ts): the local server, the handlers, the
// OpenAPI document and the CDK stack all read this table, and requests are matched against it here.
import { TesseraError } from '../core/errors.ts';
import type { FunctionName, Method, Route } from './route-definition.ts';
import { ECOSYSTEM_ROUTES, USAGE_ROUTES, USER_ROUTES } from './routes-directory.ts';
import { EXCHANGE_ROUTES, PROVIDER_ROUTES } from './routes-providers.ts';
import { REVOCATION_ROUTES } from './routes-revocations.ts';
import { STATIC_ROUTES } from './routes-static.ts';
import { ISSUE_ROUTES, PRESENTED_TOKEN_ROUTES, USER_TOKEN_ROUTES } from './routes-tokens.ts';

export type { Access, FunctionName, Method, Route } from './route-definition.ts';

/**
 * The groups as one table. A call esbuild may leave out of a bundle that matches no route (the
 * authorizer's), where a spread (`[...a, ...b]`) would count as a side effect and stay.
 */
/* @__NO_SIDE_EFFECTS__ */
function table<const Groups extends readonly (readonly Route[])[]>(...groups: Groups) {
  return groups.flat() as readonly Groups[number][number][];
}

/**
 * Every route, in the order the API lists them; on a path with several methods, this order is the order
 * of the Allow header.
 */
export const ROUTES = table(
  ECOSYSTEM_ROUTES,
  USER_ROUTES,
  ISSUE_ROUTES,
  USER_TOKEN_ROUTES,
  USAGE_ROUTES,
  PRESENTED_TOKEN_ROUTES,
  REVOCATION_ROUTES,
  PROVIDER_ROUTES,
  EXCHANGE_ROUTES,
  STATIC_ROUTES,
);

/** A route id of the table. */
export type RouteId = (typeof ROUTES)[number]['id'];

/**
 * The ids of the routes a function serves: a handler's table of actions must have exactly these keys, so
 * a route added to the table without its action is a compile error, not a 500.
 *
 * @example
 * type VerifyRoutes = RouteIdOf<'verify'>; // 'verifyToken' | 'me'
 */
export type RouteIdOf<Fn extends FunctionName> = Extract<(typeof ROUTES)[number], { function: Fn }>['id'];

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

/** A path's fixed part as a pattern; a `;` between two parameters may arrive percent-encoded. */
function literal(part: string): string {
  return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replaceAll(';', '(?:;|%3[Bb])');
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split(/(\{[a-zA-Z]+\})/)
    .map((part, i, parts) => {
      const name = /^\{([a-zA-Z]+)\}$/.exec(part)?.[1];
      if (name === undefined) return literal(part);
      names.push(name);
      // A ';' ends a parameter only where the template puts one right after it (the compatible route's
      // `{ecosystemId};{userId}`); elsewhere it is part of the id, which the id rules refuse with a 400.
      return parts[i + 1]?.startsWith(';') ? '([^/;]+)' : '([^/]+)';
    })
    .join('');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

// Pure: a bundle that matches no route (the authorizer's) leaves the table and its schemas out.
const COMPILED = /* @__PURE__ */ ROUTES.map(compile);

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // left as sent: it fails the id rules with a 400
  }
}

/** HEAD is GET without the body (RFC 9110 §9.3.2): it matches the GET routes. */
function routeMethodOf(method: string): string {
  const upper = method.toUpperCase();
  return upper === 'HEAD' ? 'GET' : upper;
}

/**
 * The route for a method and path, with its decoded parameters (HEAD matches the GET route). Throws
 * ROUTE_NOT_FOUND, or METHOD_NOT_ALLOWED (naming the allowed methods) when the path exists with other
 * methods. OPTIONS is answered before any route is matched (http-function.ts).
 */
export function matchRoute(method: string, path: string, routes = COMPILED): RouteMatch {
  const allowed: Method[] = [];
  const wanted = routeMethodOf(method);
  for (const { route, pattern, names } of routes) {
    const match = pattern.exec(path);
    if (match === null) continue;
    if (route.method !== wanted) {
      allowed.push(route.method);
      continue;
    }
    const params = Object.fromEntries(names.map((name, i) => [name, decode(match[i + 1] ?? '')]));
    return { route, params };
  }
  if (allowed.length > 0) {
    throw new TesseraError('METHOD_NOT_ALLOWED', `Use ${withHead(allowed).join(' or ')} on this path.`);
  }
  throw new TesseraError(
    'ROUTE_NOT_FOUND',
    `No route ${method.toUpperCase()} ${path}; see the API reference.`,
  );
}

/** The methods with HEAD after GET, since every GET route answers HEAD too. */
function withHead(methods: readonly string[]): string[] {
  return methods.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method]));
}

/** The methods a path allows, HEAD included (for the Allow header of a 405 or an OPTIONS answer). */
export function allowedMethods(path: string): string[] {
  return withHead(COMPILED.filter((c) => c.pattern.test(path)).map((c) => c.route.method));
}
