/** Reading the app's tables from scenarios: by their data-stack id, as an operator would name them. */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CircuitItem } from '../../lib/circuit-breaker/model';
import type { LocalRuntime } from '../runtime';

/** The local name of a table from its data-stack id (`CircuitBreakers`, `RdsInventory`, ...). */
export function tableName(runtime: LocalRuntime, id: string): string {
  const table = runtime.model.tables.find((candidate) => candidate.logicalId.startsWith(`${id}Table`));
  if (!table) throw new Error(`No ${id} table in the synthesized app.`);
  return table.tableName;
}

export async function readCircuit(runtime: LocalRuntime, circuit: string): Promise<CircuitItem | undefined> {
  const documents = DynamoDBDocumentClient.from(runtime.dynamoDbClient);
  const { Item } = await documents.send(
    new GetCommand({ TableName: tableName(runtime, 'CircuitBreakers'), Key: { circuit }, ConsistentRead: true }),
  );
  return Item as CircuitItem | undefined;
}

export async function countItems(runtime: LocalRuntime, id: string): Promise<number> {
  let count = 0;
  let startKey: ScanCommand['input']['ExclusiveStartKey'];
  do {
    const page = await runtime.dynamoDbClient.send(
      new ScanCommand({ TableName: tableName(runtime, id), Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}
