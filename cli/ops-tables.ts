/**
 * The physical names of the app's tables for CLI commands: from flags or environment variables when given,
 * otherwise found by the `rds-ops:table` tag the Data stack puts on each table (the local runtime tags its
 * tables the same way), among the tables of this stage's Data stack. The same lookup works on AWS and locally.
 */
import {
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
} from '@aws-sdk/client-dynamodb';
import { stackName } from '../lib/config';
import { TABLE_TAG } from '../lib/stacks/data-stack';

/** Finds the tables with these ids (`circuitBreakers`, `auditLog`); ids not found are missing from the result. */
export async function findTablesByTag(
  dynamoDb: DynamoDBClient,
  stage: string,
  tableIds: readonly string[],
): Promise<Partial<Record<string, string>>> {
  const prefix = `${stackName(stage, 'Data')}-`;
  const found: Partial<Record<string, string>> = {};
  let start: string | undefined;
  do {
    const page = await dynamoDb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) {
      if (!name.startsWith(prefix)) continue;
      const { Table } = await dynamoDb.send(new DescribeTableCommand({ TableName: name }));
      if (!Table?.TableArn) continue;
      const { Tags } = await dynamoDb.send(new ListTagsOfResourceCommand({ ResourceArn: Table.TableArn }));
      const tableId = Tags?.find((tag) => tag.Key === TABLE_TAG)?.Value;
      if (tableId && tableIds.includes(tableId)) found[tableId] = name;
    }
    start = page.LastEvaluatedTableName;
  } while (start);
  return found;
}
