/**
 * One DynamoDB table of the operations platform with the project's data-protection defaults:
 * retained on stack deletion, deletion protection, encryption at rest, an explicit PITR decision,
 * on-demand or auto-scaled provisioned capacity, and its alarms (throttling, system errors, PITR compliance,
 * drills) in the stage's observability registry.
 */
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { type Attribute, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableCapacity } from '../config';
import { InvalidConstructPropsError } from '../errors';
import { type TableAlarms, watchTable } from '../observability/table-observability';

export interface OpsTableIndex {
  readonly indexName: string;
  readonly partitionKey: Attribute;
  /** @default - no sort key */
  readonly sortKey?: Attribute;
}

/** PITR is a decision per table: on with a recovery period, or off with the reason written down. */
export type OpsTablePitr =
  | { readonly enabled: true; readonly recoveryPeriodInDays: number }
  | { readonly enabled: false; readonly reason: string };

export interface OpsTableProps {
  readonly partitionKey: Attribute;
  /** @default - no sort key */
  readonly sortKey?: Attribute;
  /** Global secondary indexes, projecting all attributes. @default - none */
  readonly globalSecondaryIndexes?: readonly OpsTableIndex[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes expired items. @default - no TTL */
  readonly timeToLiveAttribute?: string;
  /** Required: every table states whether it can be restored to a point in time. */
  readonly pointInTimeRecovery: OpsTablePitr;
  /** @default - on-demand without a throughput cap */
  readonly capacity?: TableCapacity;
  /** Customer-managed KMS key. @default - the AWS managed key `aws/dynamodb` */
  readonly encryptionKey?: IKey;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Where the alarms notify. @default - the app's alarm topic (the observability registry's action) */
  readonly alarmAction?: IAlarmAction;
  /** Kebab-case name in alarm names and dashboard widgets. @default the construct id, kebab-cased (`rds-inventory`) */
  readonly name?: string;
  /** The recovery time objective its restore drills are held to (the drill RTO alarm). @default the alarm kind's (2 h) */
  readonly recoveryTimeObjective?: Duration;
}

export class OpsTable extends Construct {
  readonly table: Table;
  /** Names of the table's global secondary indexes, for least-privilege grants (`.../index/<name>`). */
  readonly indexNames: readonly string[];
  /** Fires when reads or writes were throttled in 2 of the last 3 five-minute periods. */
  readonly throttleAlarm: Alarm;
  /** Throttles, system errors and, with PITR, compliance and drills (see lib/observability/alarm-kinds.ts). */
  readonly alarms: TableAlarms;

  constructor(scope: Construct, id: string, props: OpsTableProps) {
    super(scope, id);
    const capacity: TableCapacity = props.capacity ?? { mode: 'ON_DEMAND' };
    const pitr = props.pointInTimeRecovery;
    if (
      pitr.enabled &&
      !(
        Number.isInteger(pitr.recoveryPeriodInDays) &&
        pitr.recoveryPeriodInDays >= 1 &&
        pitr.recoveryPeriodInDays <= 35
      )
    ) {
      throw new InvalidConstructPropsError(
        `${this.node.path}: recoveryPeriodInDays must be an integer from 1 to 35, got ${pitr.recoveryPeriodInDays}.`,
      );
    }
    if (!pitr.enabled && pitr.reason.trim().length < 20) {
      throw new InvalidConstructPropsError(
        `${this.node.path}: a table without PITR needs a real reason (at least a sentence), got "${pitr.reason}".`,
      );
    }

    this.table = new Table(this, 'Table', {
      partitionKey: props.partitionKey,
      ...(props.sortKey ? { sortKey: props.sortKey } : {}),
      ...(props.timeToLiveAttribute ? { timeToLiveAttribute: props.timeToLiveAttribute } : {}),
      pointInTimeRecoverySpecification: pitr.enabled
        ? { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: pitr.recoveryPeriodInDays }
        : { pointInTimeRecoveryEnabled: false },
      ...(props.encryptionKey
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: TableEncryption.AWS_MANAGED }),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      deletionProtection: props.deletionProtection ?? true,
      ...tableThroughput(capacity),
    });

    for (const index of props.globalSecondaryIndexes ?? []) {
      this.table.addGlobalSecondaryIndex({ ...index, ...indexThroughput(capacity) });
    }
    this.indexNames = (props.globalSecondaryIndexes ?? []).map((index) => index.indexName);
    if (capacity.mode === 'PROVISIONED') this.enableAutoScaling(capacity);

    if (!pitr.enabled) {
      Validations.of(this.table).acknowledge({ id: 'AwsSolutions-DDB3', reason: pitr.reason });
    }
    // Joins the stage's observability registry: alarms here, widgets and the composite alarm from the list.
    this.alarms = watchTable(
      this,
      {
        name: props.name ?? kebabCase(id),
        table: this.table,
        capacity,
        protected: pitr.enabled,
        ...(props.recoveryTimeObjective && {
          recoveryTimeObjectiveSeconds: props.recoveryTimeObjective.toSeconds(),
        }),
      },
      props.alarmAction,
    );
    this.throttleAlarm = this.alarms.throttles;
  }

  private enableAutoScaling(capacity: Extract<TableCapacity, { mode: 'PROVISIONED' }>): void {
    const target = { targetUtilizationPercent: capacity.targetUtilizationPercent };
    const read = { minCapacity: capacity.read.min, maxCapacity: capacity.read.max };
    const write = { minCapacity: capacity.write.min, maxCapacity: capacity.write.max };
    this.table.autoScaleReadCapacity(read).scaleOnUtilization(target);
    this.table.autoScaleWriteCapacity(write).scaleOnUtilization(target);
    for (const indexName of this.indexNames) {
      this.table.autoScaleGlobalSecondaryIndexReadCapacity(indexName, read).scaleOnUtilization(target);
      this.table.autoScaleGlobalSecondaryIndexWriteCapacity(indexName, write).scaleOnUtilization(target);
    }
  }
}

function tableThroughput(capacity: TableCapacity) {
  if (capacity.mode === 'PROVISIONED') {
    // Auto-scaling moves capacity between min and max; the table starts at the minimum.
    return {
      billingMode: BillingMode.PROVISIONED,
      readCapacity: capacity.read.min,
      writeCapacity: capacity.write.min,
    };
  }
  return { billingMode: BillingMode.PAY_PER_REQUEST, ...onDemandMaxima(capacity) };
}

function indexThroughput(capacity: TableCapacity) {
  if (capacity.mode === 'PROVISIONED') {
    return { readCapacity: capacity.read.min, writeCapacity: capacity.write.min };
  }
  return onDemandMaxima(capacity);
}

function onDemandMaxima(capacity: Extract<TableCapacity, { mode: 'ON_DEMAND' }>) {
  return {
    ...(capacity.maxReadRequestUnits ? { maxReadRequestUnits: capacity.maxReadRequestUnits } : {}),
    ...(capacity.maxWriteRequestUnits ? { maxWriteRequestUnits: capacity.maxWriteRequestUnits } : {}),
  };
}

function kebabCase(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
