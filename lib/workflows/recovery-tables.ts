/**
 * What the recovery workflows know about the app's tables at synth time: the catalog their handlers read
 * (`TABLE_CATALOG`), which tables a restore may read from, and the one name pattern restored tables must match,
 * `<data stack>-<table>-restored-<suffix>`, which is also the only place IAM lets a restore create or change tables.
 */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import { TABLE_IDS, type TableCapacity, type TableId } from '../config';
import { wildcardFindingIds } from '../nag/iam-findings';
import { logicalTableName, PROTECTED_TABLE_IDS, TABLE_DEFINITIONS } from '../stacks/data-stack';

/** `RdsOps-Dev-Data-`: every restored table name starts with the data stack's name. */
export function restoredTablePrefix(tables: Readonly<Record<TableId, ITable>>): string {
  return `${Stack.of(tables.rdsInventory).stackName}-`;
}

/** `arn:...:table/RdsOps-Dev-Data-*-restored-*`: the tables a restore may create and configure, and nothing else. */
export function restoredTablesArn(scope: IConstruct, tables: Readonly<Record<TableId, ITable>>): string {
  return Stack.of(scope).formatArn({
    service: 'dynamodb',
    resource: 'table',
    resourceName: `${restoredTablePrefix(tables)}*-restored-*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** The tables with PITR, the only sources a restore accepts. */
export function protectedTables(tables: Readonly<Record<TableId, ITable>>): ITable[] {
  return PROTECTED_TABLE_IDS.map((tableId) => tables[tableId]);
}

/** The JSON of `TABLE_CATALOG` (handlers/restore/table-catalog.ts), tokens included. */
export function tableCatalogJson(scope: IConstruct, tables: Readonly<Record<TableId, ITable>>): string {
  return Stack.of(scope).toJsonString({
    restoredTablePrefix: restoredTablePrefix(tables),
    tables: TABLE_IDS.map((tableId) => ({
      tableId,
      logicalName: logicalTableName(tableId),
      tableName: tables[tableId].tableName,
      tableArn: tables[tableId].tableArn,
      protected: TABLE_DEFINITIONS[tableId].pitr === true,
      keyAttributes: [TABLE_DEFINITIONS[tableId].partitionKey.name, TABLE_DEFINITIONS[tableId].sortKey?.name].filter(
        (name): name is string => name !== undefined,
      ),
      indexNames: (TABLE_DEFINITIONS[tableId].globalSecondaryIndexes ?? []).map((index) => index.indexName),
      ...(TABLE_DEFINITIONS[tableId].timeToLiveAttribute && {
        ttlAttribute: TABLE_DEFINITIONS[tableId].timeToLiveAttribute,
      }),
    })),
  });
}

/** The capacity the app declares per table (`DECLARED_CAPACITY`), for re-applying auto scaling to a copy. */
export function declaredCapacityJson(capacity: Readonly<Record<TableId, TableCapacity>>): string {
  return JSON.stringify(Object.fromEntries(TABLE_IDS.map((tableId) => [tableId, capacity[tableId]])));
}

/**
 * Grants `actions` on `resources` that contain a wildcard (restored-table patterns) to a handler's role, on a
 * policy of its own whose cdk-nag acknowledgement is `reason`: the same rule as AslStateMachine.allowServiceActions.
 */
export function grantOnPattern(
  scope: Construct,
  id: string,
  role: IRole,
  actions: readonly string[],
  resources: readonly string[],
  reason: string,
): void {
  const policy = new Policy(scope, id, {
    statements: [new PolicyStatement({ actions: [...actions], resources: [...resources] })],
  });
  policy.attachToRole(role);
  for (const finding of wildcardFindingIds(scope, actions, resources))
    Validations.of(policy).acknowledge({ id: finding, reason });
}
