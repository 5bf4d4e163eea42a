// The exchange function: POST /v1/tokens/exchange (the user token in the body or as a bearer credential,
// an optional audience as verify takes it) and the direct event {"token","provider","audience"?} answer a
// provider token for the token's user. The only function
// whose role may decrypt provider secrets (kms:Decrypt under the encryption-context condition).
import type { Logger } from '@aws-lambda-powertools/logger';
import { exchangeToken } from '../core/providers-exchange.ts';
import { createHttpFunction, type DepsSource, directToken, json } from '../http/http-function.ts';
import { emfMetrics, type TokenMetrics } from '../http/metrics.ts';
import { presentedToken } from '../http/request.ts';
import { atColdStart } from '../runtime/cold-start.ts';
import {
  buildExchangeDependencies as buildDependencies,
  type ExchangeFunctionDeps,
} from '../runtime/dependencies.ts';

/**
 * The exchange handler with the given dependencies (tests and the local server inject theirs).
 *
 * @example
 * const handler = createHandler(deps);
 * await handler({ token, provider: 'chat' }); // { token, provider, type, expiresAt } or { error: { code } }
 */
export function createHandler(
  deps: DepsSource<ExchangeFunctionDeps> = buildDependencies,
  logger?: Logger,
  metrics?: TokenMetrics,
) {
  return createHttpFunction(
    'exchange',
    {
      exchangeToken: async (request, d) =>
        json(
          200,
          await exchangeToken(d, {
            token: presentedToken(request),
            provider: request.body.provider,
            audience: request.body.audience,
          }),
        ),
    },
    deps,
    {
      logger,
      metrics,
      direct: {
        members: ['token', 'provider', 'audience'],
        count: 'TokensVerified',
        run: (event, d) =>
          exchangeToken(d, { token: directToken(event), provider: event.provider, audience: event.audience }),
      },
    },
  );
}

export const handler = createHandler(atColdStart(buildDependencies), undefined, emfMetrics());
