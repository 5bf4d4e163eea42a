// A CloudWatch dashboard over the token metrics every function emits as EMF (namespace Tessera): outcomes,
// refusals by code, and the API's traffic and errors, so an operator sees usage without querying the table.
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  REFUSAL_CODES,
  REFUSED_METRIC,
  type TokenCount,
} from '../functions/http/metrics.ts';

export interface UsageDashboardProps {
  /**
   * The dashboard's name, unique in the whole account: "All dashboards in your account are global, not
   * region-specific" (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-dashboard.html),
   * so a stack deployed to two regions needs the region in it.
   */
  dashboardName: string;
  stage: apigw.HttpStage;
}

const COUNTS: readonly TokenCount[] = ['TokensIssued', 'TokensVerified', 'TokensRefreshed', 'TokensRevoked'];
const PERIOD = Duration.hours(1);

/**
 * One EMF counter, summed per hour, with the dimensions the functions emit it with.
 *
 * @example
 * tokenMetric('TokensRefused', { code: 'TOKEN_EXPIRED' });
 */
export function tokenMetric(name: string, dimensions: Record<string, string> = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: METRICS_SERVICE, ...dimensions },
    statistic: 'Sum',
    period: PERIOD,
  });
}

/**
 * @example
 * new UsageDashboard(this, 'Dashboard', { dashboardName: `tessera-prod-usage-${Stack.of(this).region}`, stage: api.stage });
 */
export class UsageDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: UsageDashboardProps) {
    super(scope, id);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(7),
    });
    const refused = REFUSAL_CODES.map((code) => tokenMetric(REFUSED_METRIC, { code }).with({ label: code }));
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# Tessera usage\nToken outcomes from the EMF metrics (namespace `Tessera`). Monthly active identities ' +
          'per ecosystem: `tessera usage` or the console at `/console`.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Tokens issued, verified, refreshed, revoked (per hour)',
        left: COUNTS.map((name) => tokenMetric(name).with({ label: name.replace('Tokens', '') })),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Tokens refused, by code (per hour)',
        left: refused,
        stacked: true,
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({
        title: 'Last 24 hours',
        metrics: [
          ...COUNTS.map((name) => tokenMetric(name).with({ label: name, period: Duration.days(1) })),
          new cloudwatch.MathExpression({
            label: 'TokensRefused',
            expression: refused.map((_, i) => `r${i}`).join(' + '),
            usingMetrics: Object.fromEntries(
              refused.map((m, i) => [`r${i}`, m.with({ period: Duration.days(1) })]),
            ),
            period: Duration.days(1),
          }),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [props.stage.metricCount({ period: PERIOD, statistic: 'Sum' })],
        right: [
          props.stage.metricClientError({ period: PERIOD, statistic: 'Sum' }),
          props.stage.metricServerError({ period: PERIOD, statistic: 'Sum' }),
        ],
        width: 12,
      }),
    );
  }
}
