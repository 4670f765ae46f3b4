/** Reading the app's tables and circuits from scenarios: by their data-stack id (`runtime.tableName`). */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { BreakerCircuitSettings } from '../../lib/circuit-breaker/breaker-settings';
import { type CircuitItem, fromStoredItem } from '../../lib/circuit-breaker/model';
import { settingsPlaceholder } from '../../lib/circuit-breaker/protected-calls';
import type { LocalRuntime } from '../runtime';

export async function readCircuit(runtime: LocalRuntime, circuit: string): Promise<CircuitItem | undefined> {
  const item = await readItem(runtime, 'circuitBreakers', { circuit });
  return item === undefined ? undefined : fromStoredItem(item);
}

/** The settings the synthesized app hands the breaker for a circuit (from its callers' substitutions). */
export function deployedCircuitSettings(runtime: LocalRuntime, circuit: string): BreakerCircuitSettings {
  const placeholder = settingsPlaceholder(circuit);
  const value = runtime.model.stateMachines.find((machine) => placeholder in machine.substitutions)?.substitutions[
    placeholder
  ];
  if (value === undefined) throw new Error(`No state machine of the app protects a call with circuit "${circuit}".`);
  // The value is JSON text escaped to sit inside a JSON string in the definition.
  return JSON.parse(JSON.parse(`"${value}"`)) as BreakerCircuitSettings;
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

/** One item of an app table by its key, read consistently. */
export async function readItem(
  runtime: LocalRuntime,
  tableId: string,
  key: Record<string, string>,
): Promise<Record<string, unknown> | undefined> {
  const documents = DynamoDBDocumentClient.from(runtime.dynamoDbClient);
  const { Item } = await documents.send(
    new GetCommand({ TableName: runtime.tableName(tableId), Key: key, ConsistentRead: true }),
  );
  return Item;
}
