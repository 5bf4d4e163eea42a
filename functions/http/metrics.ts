// Token counts as CloudWatch EMF lines (namespace Tessera): what was issued, verified, refreshed, revoked
// and refused (by code), emitted from every front door and flushed once per invocation.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ErrorCode } from '../core/errors.ts';
import { isRefusal, REFUSALS, type Refusal } from '../core/usage.ts';

export const METRICS_NAMESPACE = 'Tessera';
export const METRICS_SERVICE = 'tessera';

/** The counters; each is emitted with the dimension `service`. */
export type TokenCount = 'TokensIssued' | 'TokensVerified' | 'TokensRefreshed' | 'TokensRevoked';
/** Emitted with the dimensions `service` and `code`, one of REFUSAL_CODES. */
export const REFUSED_METRIC = 'TokensRefused';

/**
 * The codes a presented user token is refused with: the `code` dimension takes only these (bounded). The
 * same list the usage counts keep a series for.
 */
export const REFUSAL_CODES = REFUSALS;
export type RefusalCode = Refusal;

/** The HTTP routes that count a success, by route id. */
export const ROUTE_COUNTS: Readonly<Record<string, TokenCount>> = {
  issueToken: 'TokensIssued',
  issueTokenCompat: 'TokensIssued',
  verifyToken: 'TokensVerified',
  refreshToken: 'TokensRefreshed',
  revokeToken: 'TokensRevoked',
  revokeTokenById: 'TokensRevoked',
  revokeUserTokens: 'TokensRevoked',
};

/** What the front doors record; `flush` ends each invocation. */
export interface TokenMetrics {
  count(name: TokenCount): void;
  /** Counts a refusal when `code` is a token refusal; ignores any other code. */
  refused(code: ErrorCode | undefined): void;
  flush(): void;
}

/** Records nothing: the default outside Lambda (local server, tests), so stdout stays readable. */
export const NO_METRICS: TokenMetrics = {
  count: () => undefined,
  refused: () => undefined,
  flush: () => undefined,
};

/**
 * Metrics written as EMF to stdout, which CloudWatch turns into metrics in a Lambda's log group. Set
 * POWERTOOLS_METRICS_DISABLED=true to silence them.
 *
 * @example
 * export const handler = createHandler(buildDependencies, undefined, emfMetrics());
 */
export function emfMetrics(props: { metrics?: Metrics } = {}): TokenMetrics {
  const metrics =
    props.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  return {
    count: (name) => {
      metrics.addMetric(name, MetricUnit.Count, 1);
    },
    refused: (code) => {
      if (!isRefusal(code)) return;
      const single = metrics.singleMetric(); // its own EMF line, so `code` never lands on the other counts
      single.addDimension('code', code);
      single.addMetric(REFUSED_METRIC, MetricUnit.Count, 1);
    },
    flush: () => {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    },
  };
}
