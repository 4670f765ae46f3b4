/**
 * `GET /circuits`: every circuit the config declares, in name order, with its state (CLOSED with nothing counted
 * when it has no item yet) and settings; items of circuits the config no longer declares are listed too.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { initialCircuit, listCircuits } from '../../operations/circuits';
import { dynamo, requireEnv } from '../shared/clients';
import { fromAwsError } from '../shared/errors';
import { apiHandler } from '../shared/http';
import { type CircuitView, circuitView, declaredCircuits } from './circuit-view';

export interface CircuitReadDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly circuitTable: string;
  readonly circuits: ReturnType<typeof declaredCircuits>;
}

export async function listCircuitViews(deps: CircuitReadDependencies): Promise<{ circuits: CircuitView[] }> {
  let items: Awaited<ReturnType<typeof listCircuits>>;
  try {
    items = await listCircuits(deps);
  } catch (error) {
    throw fromAwsError(error, `Listing ${deps.circuitTable}`);
  }
  const stored = new Map(items.map((item) => [item.circuit, item]));
  const names = [...new Set([...Object.keys(deps.circuits), ...stored.keys()])].sort();
  return {
    circuits: names.map((name) => {
      const item = stored.get(name);
      return circuitView(item ?? initialCircuit(name), deps.circuits[name], item !== undefined);
    }),
  };
}

export const handler = apiHandler({ operation: 'list-circuits' }, async (request) => {
  const circuitTable = requireEnv('CIRCUIT_TABLE_NAME');
  request.annotate({ table: circuitTable });
  return {
    body: await listCircuitViews({ dynamo: dynamo(), circuitTable, circuits: declaredCircuits(process.env.CIRCUITS) }),
  };
});
