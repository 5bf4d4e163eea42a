// The token counts of functions/http/metrics.ts: a success of a counted route (or of a counted direct
// invocation), a refusal by its code. They are handed to the request's log line (request-log.ts), which
// carries them as EMF members: one line per request, metrics included.
import { ROUTE_COUNTS, type TokenCount, type TokenMetrics } from '../metrics.ts';
import type { FrontDoorMiddleware, FrontDoorRequest } from './state.ts';

export interface TokenMetricsOptions {
  metrics: TokenMetrics;
  /** What a successful direct invocation counts as, if anything. */
  directCount?: TokenCount | undefined;
}

/**
 * Registered after requestLog, so its `after` and `onError` run first (middy runs them in reverse order)
 * and the line finds the count in `request.internal.emf`.
 *
 * @example
 * middy(handler).use(requestLog({ logger, name })).use(tokenMetrics({ metrics: emfMetrics(), directCount: 'TokensVerified' }));
 */
export function tokenMetrics<D>(options: TokenMetricsOptions): FrontDoorMiddleware<D> {
  const { metrics } = options;
  return {
    after: (request: FrontDoorRequest<D>) => {
      const { input, routeId } = request.internal;
      const count = input === undefined ? options.directCount : ROUTE_COUNTS[routeId];
      if (count !== undefined) request.internal.emf = metrics.counted(count, Date.now());
    },
    onError: (request: FrontDoorRequest<D>) => {
      request.internal.emf = metrics.refused(request.internal.code, Date.now());
    },
  };
}
