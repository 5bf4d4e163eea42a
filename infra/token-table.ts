// The DynamoDB table of ecosystems, users, server tokens and token state, built from the same definition
// (TABLE_SCHEMA) the adapters and the local table-creation step use.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { LIST_INDEX, STREAM_SPECIFICATION, TABLE_SCHEMA } from '../functions/adapters/dynamodb-table.ts';

/**
 * The DynamoDB actions each kind of function is granted, on the table and its `lists` index. No request
 * path scans. Transactions need the per-item actions (`TransactWriteItems` checks PutItem, UpdateItem,
 * ConditionCheckItem; `TransactGetItems` checks GetItem). Every function that counts usage writes its
 * batches with UpdateItem (and a user's first activity of a month as a transaction of UpdateItems).
 */
export const TABLE_ACCESS = {
  /** verify and authorizer: one read of a token with its user and ecosystem, then a conditional touch. */
  verify: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
  /** issue: the credential, ecosystem and user reads, then the new token's record; usage batches. */
  issue: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  /** refresh: verify's reads and touch, then the rotation transaction (or a family revocation). */
  refresh: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:ConditionCheckItem',
  ],
  /** admin: everything an ecosystem holds, including the Query and batched deletes of its deletion. */
  admin: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const;

export type TableAccess = keyof typeof TABLE_ACCESS;

/**
 * On demand, TTL on `purgeAt`, point-in-time recovery, deletion protection, retained with the stack.
 *
 * @example
 * const table = new TokenTable(this, 'Table');
 * table.grantAccess(verify, 'verify');
 */
export class TokenTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TABLE_SCHEMA.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Every write with its old and new images, for the events function (infra/events-pipeline.ts).
      stream: dynamodb.StreamViewType[STREAM_SPECIFICATION.StreamViewType],
    });
    // The listings (ecosystems; a user's tokens) without a Scan: only items carrying listPk are in it, keys
    // only, so a sliding touch or a rotation of a token item never writes to the index.
    this.table.addGlobalSecondaryIndex({
      indexName: LIST_INDEX.name,
      partitionKey: { name: LIST_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: LIST_INDEX.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** The ARN of the table's stream. */
  get streamArn(): string {
    const arn = this.table.tableStreamArn;
    if (arn === undefined) throw new Error('the token table has no stream');
    return arn;
  }

  /**
   * Grants reading the table's stream, and only that stream: the four actions a Lambda event source mapping
   * uses, on the stream's ARN (the table's grantStreamRead would add ListStreams on every resource).
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-example-lamda-process-dynamodb-streams.html
   */
  grantStreamRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ],
      resourceArns: [this.streamArn],
    });
  }

  /**
   * Grants one kind of function its actions (TABLE_ACCESS) on the table; admin, which answers the
   * listings, also on the `lists` index, named exactly (no `index/*` wildcard).
   */
  grantAccess(grantee: iam.IGrantable, access: TableAccess): iam.Grant {
    const resourceArns = [this.table.tableArn];
    if (access === 'admin') resourceArns.push(`${this.table.tableArn}/index/${LIST_INDEX.name}`);
    return iam.Grant.addToPrincipal({ grantee, actions: [...TABLE_ACCESS[access]], resourceArns });
  }
}
