// The security events pipeline: the token table's stream feeds the events function through an event source
// mapping that lets only event-bearing records through (STREAM_FILTER_PATTERNS), reports failures record by
// record and, once its retries are spent, sends the failed batch's description to a dead-letter queue, which
// an alarm watches. The function puts each event on the stack's own EventBridge bus, and may do nothing else.
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STREAM_FILTER_PATTERNS } from '../functions/adapters/dynamodb-changes.ts';
import type { TesseraFunction } from './tessera-function.ts';
import type { TokenTable } from './token-table.ts';

/**
 * How the stream is read. Retries hold up the shard they are on (records stay in order), so they are
 * bounded: after RETRY_ATTEMPTS retries, or once a record is MAX_RECORD_AGE old, the batch goes to the DLQ.
 * DynamoDB keeps stream records 24 hours, the upper bound of MAX_RECORD_AGE.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 */
export const STREAM_READING = {
  batchSize: 100,
  retryAttempts: 10,
  maxRecordAge: Duration.hours(6),
} as const;

export interface EventsPipelineProps {
  table: TokenTable;
  /** The events function (functions/events/handler.ts). */
  fn: TesseraFunction;
  /** An SNS topic the DLQ alarm notifies. */
  alarmTopicArn?: string;
}

/**
 * @example
 * const pipeline = new EventsPipeline(this, 'Events', { table, fn: functions.byName.events, alarmTopicArn });
 * new CfnOutput(this, 'EventBusName', { value: pipeline.bus.eventBusName });
 */
export class EventsPipeline extends Construct {
  readonly bus: events.EventBus;
  readonly deadLetters: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EventsPipelineProps) {
    super(scope, id);
    // CloudFormation names the bus (so two stages never collide); the stack outputs the name.
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Tessera security events (source "tessera"): docs/events/',
    });
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter destination: the stream mapping sends it the failed batches it ' +
        'gave up on; a queue behind it would have nothing to catch, and its alarm is the way out.',
    });
    const fn = props.fn.function;
    fn.addEnvironment('TESSERA_EVENT_BUS_NAME', this.bus.eventBusName);
    this.bus.grantPutEventsTo(fn);
    const streamRead = props.table.grantStreamRead(fn);
    const mapping = new lambda.EventSourceMapping(this, 'StreamMapping', {
      target: fn,
      eventSourceArn: props.table.streamArn,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      ...STREAM_READING,
      reportBatchItemFailures: true,
      onFailure: new SqsDlq(this.deadLetters),
      filters: STREAM_FILTER_PATTERNS.map((pattern) => lambda.FilterCriteria.filter({ ...pattern })),
    });
    // The mapping starts reading at once: the role must already hold the stream permissions.
    streamRead.applyBefore(mapping);

    this.alarm = new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      alarmDescription:
        'Security events were not delivered: a stream batch the events function could not read or put on ' +
        'the bus went to the dead-letter queue (each message names the shard and sequence numbers).',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopicArn !== undefined) {
      const topic = sns.Topic.fromTopicArn(this, 'Topic', props.alarmTopicArn);
      this.alarm.addAlarmAction(new actions.SnsAction(topic));
      this.alarm.addOkAction(new actions.SnsAction(topic));
    }
  }
}
