/** Reading the app's tables from scenarios: by their data-stack id (`runtime.tableName`). */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CircuitItem } from '../../lib/circuit-breaker/model';
import type { LocalRuntime } from '../runtime';

export async function readCircuit(runtime: LocalRuntime, circuit: string): Promise<CircuitItem | undefined> {
  const documents = DynamoDBDocumentClient.from(runtime.dynamoDbClient);
  const { Item } = await documents.send(
    new GetCommand({ TableName: runtime.tableName('circuitBreakers'), Key: { circuit }, ConsistentRead: true }),
  );
  return Item as CircuitItem | undefined;
}

export async function countItems(runtime: LocalRuntime, tableId: string): Promise<number> {
  let count = 0;
  let startKey: ScanCommand['input']['ExclusiveStartKey'];
  do {
    const page = await runtime.dynamoDbClient.send(
      new ScanCommand({ TableName: runtime.tableName(tableId), Select: 'COUNT', ExclusiveStartKey: startKey }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}
