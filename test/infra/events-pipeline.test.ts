// The security events pipeline in the synthesized stack: the table's stream, the mapping that reads it (the
// adapters' filters, failures item by item, a DLQ), the bus and its name as an output, the alarm on the DLQ.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STREAM_FILTER_PATTERNS } from '../../functions/adapters/dynamodb-changes.ts';
import { STREAM_READING } from '../../infra/events-pipeline.ts';
import { logicalId, statementsOfRole, synthesize } from './synth.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ops';
const { template } = synthesize({ alarmTopicArn: TOPIC });
type Json = Record<string, unknown>;

const TABLE_ID = logicalId(template, 'AWS::DynamoDB::Table', 'TokenTable');
const FUNCTION_ID = logicalId(template, 'AWS::Lambda::Function', 'FunctionsEventsFunction');
const ROLE_ID = logicalId(template, 'AWS::IAM::Role', 'FunctionsEventsRole');
const BUS_ID = logicalId(template, 'AWS::Events::EventBus', 'EventsBus');
const QUEUE_ID = logicalId(template, 'AWS::SQS::Queue', 'EventsDeadLetters');
const streamArn = { 'Fn::GetAtt': [TABLE_ID, 'StreamArn'] };

describe('EventsPipeline', () => {
  it('streams every write of the token table with its old and new images', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('reads the stream into the events function through the filters, reporting failures item by item, bounded, to a DLQ', () => {
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping');
    expect(Object.keys(mappings)).toHaveLength(1);
    const props = (Object.values(mappings)[0] as { Properties: Json }).Properties;
    expect(props).toMatchObject({
      EventSourceArn: streamArn,
      FunctionName: { Ref: FUNCTION_ID },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: STREAM_READING.batchSize,
      MaximumRetryAttempts: STREAM_READING.retryAttempts,
      MaximumRecordAgeInSeconds: STREAM_READING.maxRecordAge.toSeconds(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [QUEUE_ID, 'Arn'] } } },
    });
    const filters = (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual(STREAM_FILTER_PATTERNS);
  });

  it('starts the mapping only once the role may read the stream', () => {
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))[0] as Json;
    const policies = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]) => JSON.stringify(p).includes('dynamodb:GetRecords'))
      .map(([id]) => id);
    expect(policies).toHaveLength(1);
    expect(mapping.DependsOn).toEqual(expect.arrayContaining(policies));
  });

  it('lets the events function read only this stream, put only on this bus and send only to its DLQ', () => {
    const statements = statementsOfRole(template, ROLE_ID);
    const resourcesOf = (action: string) =>
      statements.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);
    for (const action of ['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams']) {
      expect(resourcesOf(`dynamodb:${action}`)).toEqual([streamArn]);
    }
    expect(resourcesOf('events:PutEvents')).toEqual([{ 'Fn::GetAtt': [BUS_ID, 'Arn'] }]);
    expect(resourcesOf('sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': [QUEUE_ID, 'Arn'] }]);
    expect(statements.flatMap((s) => s.Action)).not.toContain('dynamodb:GetItem');
  });

  it('names the bus in the function environment and in a stack output', () => {
    const fn = template.findResources('AWS::Lambda::Function')[FUNCTION_ID] as { Properties: Json };
    expect(fn.Properties.Environment).toMatchObject({
      Variables: { TESSERA_EVENT_BUS_NAME: { Ref: BUS_ID } },
    });
    expect(template.findOutputs('EventBusName').EventBusName?.Value).toEqual({ Ref: BUS_ID });
  });

  it('keeps dead letters 14 days, encrypted, over TLS only, and alarms on the first one', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: QUEUE_ID }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [QUEUE_ID, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [TOPIC],
      OKActions: [TOPIC],
    });
  });
});
