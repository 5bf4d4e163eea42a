// Cross-origin calls, defined once: the methods and headers a browser may use, and the answers to a CORS
// preflight and to an actual cross-origin request. The CDK stack configures API Gateway's CORS from these
// same constants (infra/http-api.ts), so the deployed API, the functions and the local server agree.
//
// On an HTTP API with CORS configured, API Gateway answers preflights itself and replaces the CORS headers
// of an integration's answer with its own configuration; a preflight that reaches a function (the $default
// route) is answered here the same way. https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
import { ROUTES } from './routes.ts';

/** The methods of every route, plus HEAD (answered on every GET route). */
export const CORS_ALLOW_METHODS: readonly string[] = [
  ...new Set([...ROUTES.map((route) => route.method), 'HEAD']),
];
/** Credentials are bearer headers, never cookies, so no `Access-Control-Allow-Credentials`. */
export const CORS_ALLOW_HEADERS: readonly string[] = ['authorization', 'content-type'];
/** What a browser script may read of an answer besides the safelisted headers. */
export const CORS_EXPOSE_HEADERS: readonly string[] = ['retry-after', 'www-authenticate'];
export const CORS_MAX_AGE_SECONDS = 86_400;
/** The origins allowed when nothing else is configured: any (bearer credentials only). */
export const CORS_DEFAULT_ALLOW_ORIGINS: readonly string[] = ['*'];

/** The `Access-Control-Allow-Origin` value for a request's Origin, or undefined when it is not allowed. */
function allowedOrigin(origins: readonly string[], origin: string | undefined): string | undefined {
  if (origin === undefined || origin === '') return undefined;
  if (origins.includes('*')) return '*';
  return origins.includes(origin) ? origin : undefined;
}

/** Vary on Origin whenever the answer depends on it (a list of origins, not `*`). */
function vary(origins: readonly string[]): Record<string, string> {
  return origins.includes('*') ? {} : { vary: 'origin' };
}

/**
 * The CORS headers of an actual (non-preflight) answer to a request from `origin`: none when the origin is
 * absent or not allowed.
 *
 * @example
 * corsHeaders(['*'], 'https://app.example.com'); // { 'access-control-allow-origin': '*', … }
 */
export function corsHeaders(origins: readonly string[], origin: string | undefined): Record<string, string> {
  const allow = allowedOrigin(origins, origin);
  if (allow === undefined) return origins.length === 0 ? {} : vary(origins);
  return {
    'access-control-allow-origin': allow,
    'access-control-expose-headers': CORS_EXPOSE_HEADERS.join(', '),
    ...vary(origins),
  };
}

/**
 * The headers of a 204 answer to `OPTIONS` on a path that allows `methods`: `Allow` always (the same list
 * as a 405's), and the preflight's `Access-Control-Allow-*` when the request is a preflight from an allowed origin.
 *
 * @example
 * optionsHeaders(['*'], ['GET', 'HEAD'], { origin: 'https://a.example', 'access-control-request-method': 'GET' });
 */
export function optionsHeaders(
  origins: readonly string[],
  methods: readonly string[],
  headers: Record<string, string | undefined>,
): Record<string, string> {
  const answer: Record<string, string> = { allow: methods.join(', ') };
  const allow = allowedOrigin(origins, headers.origin);
  if (allow === undefined || headers['access-control-request-method'] === undefined) {
    return { ...answer, ...(origins.length === 0 ? {} : vary(origins)) };
  }
  return {
    ...answer,
    'access-control-allow-origin': allow,
    'access-control-allow-methods': CORS_ALLOW_METHODS.join(', '),
    'access-control-allow-headers': CORS_ALLOW_HEADERS.join(', '),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    ...vary(origins),
  };
}
