/**
 * The data-protection layer: the eight tables of the operations platform. PITR on the five whose loss
 * would lose history; none on the cache, the circuit state and the coordination items, which are rebuilt
 * safely from nothing.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { AttributeType, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { type OpsConfig, TABLE_IDS, type TableId } from '../config';
import { OpsTable, type OpsTableIndex, type OpsTableProps } from '../constructs/ops-table';

export type { TableId } from '../config';

const S = AttributeType.STRING;

/** Key schema and PITR decision of each table; access patterns are in docs/architecture.md. */
interface TableDefinition extends Pick<OpsTableProps, 'partitionKey' | 'sortKey' | 'timeToLiveAttribute'> {
  readonly globalSecondaryIndexes?: readonly OpsTableIndex[];
  /** `true`, or the reason why this table needs no point-in-time recovery. */
  readonly pitr: true | { readonly reason: string };
}

/** Tag carrying a table's id in `DataStack.tables` (`rdsInventory`, `circuitBreakers`, ...). */
export const TABLE_TAG = 'rds-ops:table';

export const TABLE_DEFINITIONS: Readonly<Record<TableId, TableDefinition>> = {
  rdsInventory: {
    partitionKey: { name: 'instanceId', type: S },
    globalSecondaryIndexes: [
      { indexName: 'byEngine', partitionKey: { name: 'engine', type: S }, sortKey: { name: 'instanceId', type: S } },
    ],
    pitr: true,
  },
  healthAlerts: {
    partitionKey: { name: 'alertId', type: S },
    globalSecondaryIndexes: [
      {
        indexName: 'byInstance',
        partitionKey: { name: 'instanceId', type: S },
        sortKey: { name: 'raisedAt', type: S },
      },
    ],
    pitr: true,
  },
  auditLog: {
    partitionKey: { name: 'subject', type: S },
    sortKey: { name: 'at', type: S },
    globalSecondaryIndexes: [
      { indexName: 'byActor', partitionKey: { name: 'actor', type: S }, sortKey: { name: 'at', type: S } },
    ],
    pitr: true,
  },
  costSnapshots: {
    partitionKey: { name: 'instanceId', type: S },
    sortKey: { name: 'date', type: S },
    pitr: true,
  },
  rdsApprovals: {
    partitionKey: { name: 'requestId', type: S },
    globalSecondaryIndexes: [
      { indexName: 'byStatus', partitionKey: { name: 'status', type: S }, sortKey: { name: 'requestedAt', type: S } },
    ],
    pitr: true,
  },
  metricsCache: {
    partitionKey: { name: 'cacheKey', type: S },
    timeToLiveAttribute: 'expiresAt',
    pitr: {
      reason:
        'Ephemeral by design: every item is a cached CloudWatch/RDS reading with a TTL of minutes, refilled on ' +
        'the next miss; restoring it to a point in time would only bring back stale values.',
    },
  },
  circuitBreakers: {
    partitionKey: { name: 'circuit', type: S },
    timeToLiveAttribute: 'expiresAt',
    pitr: {
      reason:
        'Circuit state is rebuilt safely from scratch: a missing item reads as CLOSED and the breaker re-learns ' +
        'from the next failures, while a restored OPEN state from the past would block healthy calls.',
    },
  },
  coordination: {
    partitionKey: { name: 'key', type: S },
    timeToLiveAttribute: 'expiresAt',
    pitr: {
      reason:
        'Coordination items (restore locks, write holds, integrity baselines) are transient and each has an expiry: ' +
        'an empty table frees every lock safely, while a restored lock or hold from the past would block recovery.',
    },
  },
};

/** The tables with point-in-time recovery: the only ones the restore workflows accept as a source. */
export const PROTECTED_TABLE_IDS: readonly TableId[] = (Object.keys(TABLE_DEFINITIONS) as TableId[]).filter(
  (tableId) => TABLE_DEFINITIONS[tableId].pitr === true,
);

/** A table id as operators write it: `healthAlerts` -> `health-alerts`. */
export function logicalTableName(tableId: TableId): string {
  return tableId.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

export interface DataStackProps extends StackProps {
  readonly config: OpsConfig;
  /** Where the tables' throttling alarms notify. @default - no action */
  readonly alarmAction?: IAlarmAction;
}

export class DataStack extends Stack {
  /** The tables by id, for grants and `${XxxTableName}` substitutions in other stacks. */
  readonly tables: Readonly<Record<TableId, ITable>>;
  /** The constructs behind `tables` (index names, throttling alarms). */
  readonly opsTables: Readonly<Record<TableId, OpsTable>>;
  /** The table key when `encryption` is `CUSTOMER_MANAGED`. */
  readonly encryptionKey?: Key;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (config.encryption === 'CUSTOMER_MANAGED') {
      this.encryptionKey = new Key(this, 'TableKey', {
        description: `Encrypts the RDS ops ${config.stage} tables at rest`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }

    const opsTables = {} as Record<TableId, OpsTable>;
    const tables = {} as Record<TableId, ITable>;
    for (const tableId of TABLE_IDS) {
      const { pitr, ...schema } = TABLE_DEFINITIONS[tableId];
      const construct = new OpsTable(this, pascalCase(tableId), {
        ...schema,
        pointInTimeRecovery:
          pitr === true
            ? { enabled: true, recoveryPeriodInDays: config.pitr.recoveryPeriodInDays }
            : { enabled: false, reason: pitr.reason },
        capacity: config.capacity[tableId],
        recoveryTimeObjective: Duration.seconds(config.restore.recoveryTimeObjectiveSeconds),
        ...(this.encryptionKey ? { encryptionKey: this.encryptionKey } : {}),
        ...(props.alarmAction ? { alarmAction: props.alarmAction } : {}),
      });
      // The table's id (`circuitBreakers`), for operators and the local runtime, since names are generated.
      Tags.of(construct.table).add(TABLE_TAG, tableId);
      opsTables[tableId] = construct;
      tables[tableId] = construct.table;
      this.output(tableId, construct);
    }
    this.opsTables = opsTables;
    this.tables = tables;
  }

  private output(tableId: TableId, construct: OpsTable): void {
    const name = pascalCase(tableId);
    new CfnOutput(this, `${name}TableName`, {
      value: construct.table.tableName,
      exportName: `${this.stackName}-${name}TableName`,
    });
    new CfnOutput(this, `${name}TableArn`, {
      value: construct.table.tableArn,
      exportName: `${this.stackName}-${name}TableArn`,
    });
  }
}

function pascalCase(id: string): string {
  return id[0]!.toUpperCase() + id.slice(1);
}
