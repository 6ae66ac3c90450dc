import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  INDEXES,
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
} from '../../shared/adapters/dynamodb/table-schema.js';

/** Props of `Storage`. */
export interface StorageProps {
  removalPolicy: RemovalPolicy;
}

const string = (name: string): dynamodb.Attribute => ({
  name,
  type: dynamodb.AttributeType.STRING,
});

/**
 * The single Converge table, built from `table-schema.ts` so the deployed
 * table and the contract-tested one cannot drift: on-demand billing,
 * point-in-time recovery, TTL clean-up, and with RETAIN (prod) deletion
 * protection too.
 */
export class Storage extends Construct {
  /** The table every store adapter call goes to. */
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const retain = props.removalPolicy === RemovalPolicy.RETAIN;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: string(PARTITION_KEY),
      sortKey: string(SORT_KEY),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: retain,
      removalPolicy: props.removalPolicy,
    });
    for (const spec of Object.values(INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: spec.name,
        partitionKey: string(spec.pk),
        sortKey: string(spec.sk),
        projectionType:
          spec.projection === 'ALL'
            ? dynamodb.ProjectionType.ALL
            : dynamodb.ProjectionType.KEYS_ONLY,
      });
    }
  }
}
