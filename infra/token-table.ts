// The DynamoDB table of ecosystems, users, server tokens and token state, built from the same definition
// (TABLE_SCHEMA) the adapters and the local table-creation step use.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../functions/adapters/dynamodb-table.ts';

/**
 * The DynamoDB actions each kind of function is granted, on the table only (it has no index). No request
 * path scans. Transactions need the per-item actions (`TransactWriteItems` checks PutItem, UpdateItem,
 * ConditionCheckItem; `TransactGetItems` checks GetItem).
 */
export const TABLE_ACCESS = {
  /** verify and authorizer: one read of a token with its user and ecosystem, then a conditional touch. */
  verify: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
  /** issue: the credential, ecosystem and user reads, then the new token's record. */
  issue: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem'],
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
    });
  }

  get tableName(): string {
    return this.table.tableName;
  }

  /** Grants one kind of function its actions (TABLE_ACCESS) on the table. */
  grantAccess(grantee: iam.IGrantable, access: TableAccess): iam.Grant {
    return this.table.grant(grantee, ...TABLE_ACCESS[access]);
  }
}
