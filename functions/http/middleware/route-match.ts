// Picks what answers an HTTP request: the route of the route table and its action, or the answer to OPTIONS,
// which any function gives for any path of the API from the route table alone (no credential asked).
import { CORS_DEFAULT_ALLOW_ORIGINS, optionsHeaders } from '../cors.ts';
import { allowedMethods, type FunctionName, matchRoute } from '../routes.ts';
import type { Action, FrontDoorMiddleware, FrontDoorRequest, HttpResult } from './state.ts';

export interface RouteMatchOptions<D> {
  /** The function being served: a route of another function here is a bug of the stack, a 500. */
  name: FunctionName;
  actions: Readonly<Record<string, Action<D> | undefined>>;
}

/** OPTIONS: a CORS preflight from an allowed origin, or the path's methods (`Allow`). */
function optionsAnswer<D extends { corsAllowOrigins?: readonly string[] }>(
  methods: string[],
  headers: Record<string, string | undefined>,
) {
  return async (deps: D): Promise<HttpResult> => ({
    status: 204,
    headers: optionsHeaders(deps.corsAllowOrigins ?? CORS_DEFAULT_ALLOW_ORIGINS, methods, headers),
  });
}

/**
 * @example
 * middy(handler).use(routeMatch({ name: 'verify', actions: { verifyToken, me } }));
 */
export function routeMatch<D extends { corsAllowOrigins?: readonly string[] }>(
  options: RouteMatchOptions<D>,
): FrontDoorMiddleware<D> {
  return {
    before: (request: FrontDoorRequest<D>) => {
      const state = request.internal;
      const input = state.input;
      if (input === undefined) return;
      if (input.method === 'OPTIONS') {
        const methods = allowedMethods(input.path);
        if (methods.length === 0) matchRoute(input.method, input.path); // throws ROUTE_NOT_FOUND
        state.routeId = 'options';
        state.optionsAnswer = optionsAnswer<D>(methods, input.headers);
        return;
      }
      const match = matchRoute(input.method, input.path);
      state.routeId = match.route.id;
      const action = options.actions[match.route.id];
      if (action === undefined || match.route.function !== options.name) {
        throw new Error(`route ${match.route.id} is not served by function ${options.name}`);
      }
      state.match = match;
      state.action = action;
    },
  };
}
