// The authorizer function: a Lambda authorizer in front of API Gateway routes that checks a user token.
import type { Logger } from '@aws-lambda-powertools/logger';
import { bearerToken } from '../core/credentials.ts';
import type { Deps } from '../core/deps.ts';
import { verifyToken } from '../core/verify-token.ts';
import type { DepsSource } from '../http/http-function.ts';
import { buildDependencies } from '../runtime/dependencies.ts';

interface AuthorizerEvent {
  headers?: Record<string, string | undefined>;
}

/**
 * The authorizer's Lambda handler: an HTTP API (payload 2.0) simple response for now.
 *
 * @example
 * const handler = createHandler(deps);
 * await handler({ headers: { authorization: `Bearer ${token}` } }); // { isAuthorized: true, context }
 */
export function createHandler(deps: DepsSource = buildDependencies, _logger?: Logger) {
  let built: Promise<Deps> | undefined;
  const getDeps = () => {
    built ??= typeof deps === 'function' ? deps() : Promise.resolve(deps);
    return built;
  };
  return async (event: AuthorizerEvent) => {
    const token = bearerToken(event.headers?.authorization);
    if (token === undefined) return { isAuthorized: false };
    try {
      const verified = await verifyToken(await getDeps(), token);
      return {
        isAuthorized: true,
        context: {
          userId: verified.userId,
          ecosystemId: verified.ecosystemId,
          tokenId: verified.tokenId,
          expiryType: verified.expiryType,
          claims: JSON.stringify(verified.claims),
        },
      };
    } catch {
      return { isAuthorized: false };
    }
  };
}

export const handler = createHandler();
