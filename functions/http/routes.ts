// Every route of the API, once: the local server, the handlers and the CDK stack all read this table.
import { TesseraError } from '../core/errors.ts';

/** The Lambda function that serves a route. */
export type FunctionName = 'issue' | 'verify' | 'refresh' | 'keys' | 'admin';
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
/**
 * Who may call: the account token only, the account or the ecosystem's server token, anyone, or the
 * holder of a valid user token as checked by the Lambda authorizer in front of the route ('user').
 */
export type Access = 'account' | 'ecosystem' | 'public' | 'user';

export interface Route {
  id: string;
  method: Method;
  /** An API Gateway style template: `{name}` matches one path segment (or the part of it before/after `;`). */
  path: string;
  function: FunctionName;
  access: Access;
  /** The query fields the route accepts; any other is QUERY_FIELD_NOT_ALLOWED. */
  query: readonly string[];
  /** The body members the route accepts, or null when it takes no body. */
  body: readonly string[] | null;
}

const ECO = '/v1/ecosystems/{ecosystemId}';
const USER = `${ECO}/users/{userId}`;
const EXPIRY_QUERY = ['expiryType', 'ttl', 'maxTtl'] as const;

/** A route whose id and function are kept as literal types, so each function's route ids are known. */
function route<const Id extends string, const Fn extends FunctionName>(
  id: Id,
  method: Method,
  path: string,
  fn: Fn,
  access: Access,
  body: readonly string[] | null = null,
  query: readonly string[] = [],
): Route & { id: Id; function: Fn } {
  return { id, method, path, function: fn, access, query, body };
}

export const ROUTES = [
  route('createEcosystem', 'POST', '/v1/ecosystems', 'admin', 'account', ['name']),
  route('listEcosystems', 'GET', '/v1/ecosystems', 'admin', 'account'),
  route('getEcosystem', 'GET', ECO, 'admin', 'ecosystem'),
  route('deleteEcosystem', 'DELETE', ECO, 'admin', 'account'),
  route('createServerToken', 'POST', `${ECO}/server-tokens`, 'admin', 'ecosystem', []),
  route('listServerTokens', 'GET', `${ECO}/server-tokens`, 'admin', 'ecosystem'),
  route('deleteServerToken', 'DELETE', `${ECO}/server-tokens/{serverTokenId}`, 'admin', 'ecosystem'),
  route('createUser', 'POST', `${ECO}/users`, 'admin', 'ecosystem', ['metadata']),
  route('putUser', 'PUT', USER, 'admin', 'ecosystem', ['metadata']),
  route('getUser', 'GET', USER, 'admin', 'ecosystem'),
  route('deleteUser', 'DELETE', USER, 'admin', 'ecosystem'),
  route('issueToken', 'POST', `${USER}/tokens`, 'issue', 'ecosystem', ['claims'], EXPIRY_QUERY),
  route(
    'issueTokenCompat',
    'POST',
    '/api/users/{ecosystemId};{userId}/tokens',
    'issue',
    'ecosystem',
    ['claims'],
    EXPIRY_QUERY,
  ),
  route('listUserTokens', 'GET', `${USER}/tokens`, 'admin', 'ecosystem'),
  route('revokeUserTokens', 'DELETE', `${USER}/tokens`, 'admin', 'ecosystem'),
  route('revokeTokenById', 'DELETE', `${USER}/tokens/{tokenId}`, 'admin', 'ecosystem'),
  route('getUsage', 'GET', `${ECO}/usage`, 'admin', 'ecosystem', null, ['from', 'to']),
  route('verifyToken', 'POST', '/v1/tokens/verify', 'verify', 'public', ['token']),
  route('refreshToken', 'POST', '/v1/tokens/refresh', 'refresh', 'public', ['token']),
  route('revokeToken', 'POST', '/v1/tokens/revoke', 'admin', 'public', ['token']),
  route('jwks', 'GET', '/.well-known/jwks.json', 'keys', 'public'),
  route('openapi', 'GET', '/openapi.json', 'keys', 'public'),
  // The console's static page (functions/console); it calls the routes above with a pasted credential.
  // API Gateway cannot route a path that ends in '/' (the stack prints the console URL as '…/console'),
  // so '/console' redirects to '/console/', where the page's relative links resolve.
  route('consoleRedirect', 'GET', '/console', 'keys', 'public'),
  route('console', 'GET', '/console/', 'keys', 'public'),
  route('consoleHtml', 'GET', '/console/index.html', 'keys', 'public'),
  route('consoleCss', 'GET', '/console/console.css', 'keys', 'public'),
  route('consoleJs', 'GET', '/console/console.js', 'keys', 'public'),
  // The protected example: the verify function answers from the authorizer's context, no store call.
  route('me', 'GET', '/v1/me', 'verify', 'user'),
] as const satisfies readonly Route[];

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

const COMPILED = ROUTES.map(compile);

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
