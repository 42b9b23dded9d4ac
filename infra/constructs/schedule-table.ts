import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TTL_ATTRIBUTE } from '../../src/aws/table.js';
import { HISTORY_INDEX, OWNER_INDEX } from '../../src/domain/schedule-item.js';

/** Properties of {@link ScheduleTable}. */
export interface ScheduleTableProps {
  /** @default a generated name */
  readonly tableName?: string;
  /** Refuse deletion (DynamoDB deletion protection). */
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
  /** @default the AWS managed key */
  readonly encryptionKey?: IKey;
}

/**
 * The schedules table in the shape of `scheduleTableDefinition` (src/aws/table.ts): on demand,
 * point-in-time recovery, TTL on finished items, the sparse owner index and the keys-only
 * history index.
 */
export class ScheduleTable extends Construct {
  /** The DynamoDB table. */
  readonly table: Table;

  constructor(scope: Construct, id: string, props: ScheduleTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
      ...(props.encryptionKey === undefined
        ? { encryption: TableEncryption.AWS_MANAGED }
        : { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }),
    });
    this.table.addGlobalSecondaryIndex({
      indexName: OWNER_INDEX,
      partitionKey: { name: 'pendingOwner', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: HISTORY_INDEX,
      partitionKey: { name: 'owner', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
}
