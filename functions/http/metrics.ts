// Token counts as CloudWatch EMF (namespace Tessera): what was issued, verified, refreshed, revoked and
// refused (by code), carried by each request's one log line rather than a line of their own. EMF lets a log
// event hold other members beside the metadata and the metrics ("The root node MAY contain any other members
// that are not included in the requirements above", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
// so the request line's own fields and its count are one JSON object and one write.
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
  // An exchange verifies the user token as verify does (core/providers-exchange.ts).
  exchangeToken: 'TokensVerified',
  refreshToken: 'TokensRefreshed',
  revokeToken: 'TokensRevoked',
  revokeTokenById: 'TokensRevoked',
  revokeUserTokens: 'TokensRevoked',
};

/**
 * The EMF members of one count, to put at the root of the request's log line: `_aws` (the metadata and the
 * metric directive), the dimension values (`service`, and `code` for a refusal) and the metric's value.
 */
export type EmfMembers = Readonly<Record<string, unknown>>;

/** What the front doors count; each answers the EMF members of its count, or undefined for none. */
export interface TokenMetrics {
  counted(name: TokenCount, atMs: number): EmfMembers | undefined;
  /** A refusal when `code` is a token refusal; undefined for any other code (the dimension stays bounded). */
  refused(code: ErrorCode | undefined, atMs: number): EmfMembers | undefined;
}

/** Counts nothing: the default outside Lambda (local server, tests), so the log lines carry no EMF. */
export const NO_METRICS: TokenMetrics = {
  counted: () => undefined,
  refused: () => undefined,
};

type Env = Record<string, string | undefined>;

/**
 * Metrics as EMF members of the request's log line, which CloudWatch turns into metrics in a Lambda's log
 * group. Each directive names one metric under its own dimension set: [service] for the counts,
 * [service, code] for TokensRefused, so `code` never lands on the other counts. Made once per container;
 * POWERTOOLS_METRICS_DISABLED=true (read then, the variable Powertools Metrics reads) turns them off.
 *
 * @example
 * export const handler = createHandler(buildDependencies, undefined, emfMetrics());
 */
export function emfMetrics(
  props: { namespace?: string; service?: string; disabled?: boolean } = {},
  env: Env = process.env,
): TokenMetrics {
  if (props.disabled ?? env.POWERTOOLS_METRICS_DISABLED?.toLowerCase() === 'true') return NO_METRICS;
  const namespace = props.namespace ?? METRICS_NAMESPACE;
  const service = props.service ?? METRICS_SERVICE;
  const directive = (name: string, dimensions: string[]) => [
    { Namespace: namespace, Dimensions: [dimensions], Metrics: [{ Name: name, Unit: 'Count' }] },
  ];
  const counts = new Map<string, ReturnType<typeof directive>>();
  const refusedDirective = directive(REFUSED_METRIC, ['service', 'code']);
  return {
    counted: (name, atMs) => {
      let metrics = counts.get(name);
      if (metrics === undefined) {
        metrics = directive(name, ['service']);
        counts.set(name, metrics);
      }
      return { _aws: { Timestamp: atMs, CloudWatchMetrics: metrics }, service, [name]: 1 };
    },
    refused: (code, atMs) => {
      if (!isRefusal(code)) return undefined;
      return {
        _aws: { Timestamp: atMs, CloudWatchMetrics: refusedDirective },
        service,
        code,
        [REFUSED_METRIC]: 1,
      };
    },
  };
}
