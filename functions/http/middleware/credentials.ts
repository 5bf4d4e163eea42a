// Checks the route's credential before any input is read, as docs/API.md promises: no 400 about the path or
// body tells a caller without a credential anything. 'user' routes rely on the Lambda authorizer that API
// Gateway (or the local server) ran first; account and ecosystem routes check the bearer token here.
import { authenticate, authorizeEcosystem, requireAccount } from '../../core/credentials.ts';
import type { Deps } from '../../core/deps.ts';
import { TesseraError } from '../../core/errors.ts';
import { assertEcosystemId, assertUserId } from '../../core/ids.ts';
import type { FrontDoorMiddleware, FrontDoorRequest } from './state.ts';

/**
 * What checking a credential reads of the dependencies: the settings, and the server tokens, which only a
 * function with a route for an account or server token holds (not keys).
 */
export type CredentialDeps = Pick<Deps, 'config'> & Partial<Pick<Deps, 'serverTokens'>>;

/**
 * @example
 * middy(handler).use(credentials());
 */
export function credentials<D extends CredentialDeps>(): FrontDoorMiddleware<D> {
  return {
    before: async (request: FrontDoorRequest<D>) => {
      const { match, input, deps } = request.internal;
      if (match === undefined || input === undefined || deps === undefined) return;
      const { route, params } = match;
      if (route.access === 'public') return;
      if (route.access === 'user') {
        if (typeof input.authorizer?.userId !== 'string') {
          throw new TesseraError(
            'UNAUTHORIZED',
            'Send a valid user token as "Authorization: Bearer <token>"; this route is behind the authorizer.',
          );
        }
        return;
      }
      const { serverTokens, config } = deps;
      if (serverTokens === undefined) {
        // A function built without server tokens serves public routes only: a route table bug, so a 500.
        throw new Error(`Route ${route.id} takes a credential, but its function holds no server tokens.`);
      }
      const principal = await authenticate({ serverTokens, config }, input.headers.authorization);
      if (route.access === 'account') requireAccount(principal);
      else authorizeEcosystem(principal, params.ecosystemId ?? '');
      if (params.ecosystemId !== undefined) assertEcosystemId(params.ecosystemId);
      if (params.userId !== undefined) assertUserId(params.userId);
    },
  };
}
