// Alarms that say the service is failing its callers: API Gateway 5xx answers, and each function's
// errors and throttles. They notify an SNS topic when one is given.
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface TesseraAlarmsProps {
  stage: apigw.HttpStage;
  /** Every function, by its name. */
  functions: Readonly<Record<string, lambda.IFunction>>;
  /** An SNS topic to notify on alarm and recovery. */
  alarmTopicArn?: string;
}

const PERIOD = Duration.minutes(5);

/**
 * @example
 * new TesseraAlarms(this, 'Alarms', { stage: api.stage, functions, alarmTopicArn });
 */
export class TesseraAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: TesseraAlarmsProps) {
    super(scope, id);
    this.add(
      'Api5xx',
      props.stage.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      'The API answered 5xx: a function failed or timed out.',
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(
        `${name}-Errors`,
        fn.metricErrors({ period: PERIOD, statistic: 'Sum' }),
        `The ${name} function threw or timed out.`,
      );
      this.add(
        `${name}-Throttles`,
        fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
        `The ${name} function was throttled: the account's concurrency is exhausted.`,
      );
    }
    if (props.alarmTopicArn !== undefined) {
      const topic = sns.Topic.fromTopicArn(this, 'Topic', props.alarmTopicArn);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(new actions.SnsAction(topic));
        alarm.addOkAction(new actions.SnsAction(topic));
      }
    }
  }

  private add(id: string, metric: cloudwatch.IMetric, description: string): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, {
        metric,
        alarmDescription: description,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
