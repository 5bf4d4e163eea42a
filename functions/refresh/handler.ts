// The refresh function: POST /v1/tokens/refresh and the direct event {"token"} rotate the presented token.
import type { Logger } from '@aws-lambda-powertools/logger';
import { refreshToken } from '../core/refresh-token.ts';
import { createHttpFunction, type DepsSource, directToken, json } from '../http/http-function.ts';
import { emfMetrics, type TokenMetrics } from '../http/metrics.ts';
import { presentedToken } from '../http/request.ts';
import { atColdStart } from '../runtime/cold-start.ts';
import {
  buildTokenDependencies as buildDependencies,
  type TokenFunctionDeps,
} from '../runtime/dependencies.ts';

/**
 * The refresh handler with the given dependencies (tests and the local server inject theirs).
 *
 * @example
 * const handler = createHandler(deps);
 * await handler({ token }); // the successor: { token, tokenId, … }, or { error: { code: 'TOKEN_…' } }
 */
export function createHandler(
  deps: DepsSource<TokenFunctionDeps> = buildDependencies,
  logger?: Logger,
  metrics?: TokenMetrics,
) {
  return createHttpFunction(
    'refresh',
    { refreshToken: async (request, d) => json(200, await refreshToken(d, presentedToken(request))) },
    deps,
    {
      logger,
      metrics,
      direct: {
        members: ['token'],
        count: 'TokensRefreshed',
        run: (event, d) => refreshToken(d, directToken(event)),
      },
    },
  );
}

export const handler = createHandler(atColdStart(buildDependencies), undefined, emfMetrics());
