/** `GET /instances/{id}`: one instance of the RDS inventory, 404 when the inventory does not hold it. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { dynamo, requireEnv } from '../shared/clients';
import { fromAwsError, NotFoundError } from '../shared/errors';
import { apiHandler } from '../shared/http';
import type { InventoryDependencies } from './list-instances';
import { instanceIdField } from './query-fields';

export const GetInstancePath = z.strictObject({ id: instanceIdField });

export async function getInstance(instanceId: string, deps: InventoryDependencies): Promise<Record<string, unknown>> {
  let item: Record<string, unknown> | undefined;
  try {
    ({ Item: item } = await deps.dynamo.send(new GetCommand({ TableName: deps.inventoryTable, Key: { instanceId } })));
  } catch (error) {
    throw fromAwsError(error, `Reading ${instanceId} from ${deps.inventoryTable}`);
  }
  if (!item) {
    throw new NotFoundError(
      `No RDS instance "${instanceId}" in the inventory. List the known ones with GET /instances; an instance created in the last refresh interval appears after the next inventory refresh.`,
    );
  }
  return item;
}

export const handler = apiHandler({ operation: 'get-instance', path: GetInstancePath }, async (request) => {
  const inventoryTable = requireEnv('INVENTORY_TABLE_NAME');
  request.annotate({ table: inventoryTable });
  return { body: await getInstance(request.path.id, { dynamo: dynamo(), inventoryTable }) };
});
