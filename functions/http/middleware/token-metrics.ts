// The token counts of functions/http/metrics.ts: a success of a counted route (or of a counted direct
// invocation), a refusal by its code; flushed once per invocation, however it ended.
import { ROUTE_COUNTS, type TokenCount, type TokenMetrics } from '../metrics.ts';
import type { FrontDoorMiddleware, FrontDoorRequest } from './state.ts';

export interface TokenMetricsOptions {
  metrics: TokenMetrics;
  /** What a successful direct invocation counts as, if anything. */
  directCount?: TokenCount | undefined;
}

/**
 * @example
 * middy(handler).use(tokenMetrics({ metrics: emfMetrics(), directCount: 'TokensVerified' }));
 */
export function tokenMetrics<D>(options: TokenMetricsOptions): FrontDoorMiddleware<D> {
  const { metrics } = options;
  return {
    after: (request: FrontDoorRequest<D>) => {
      const { input, routeId } = request.internal;
      const count = input === undefined ? options.directCount : ROUTE_COUNTS[routeId];
      if (count !== undefined) metrics.count(count);
      metrics.flush();
    },
    onError: (request: FrontDoorRequest<D>) => {
      metrics.refused(request.internal.code);
      metrics.flush();
    },
  };
}
