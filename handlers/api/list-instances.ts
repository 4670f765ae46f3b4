/**
 * `GET /instances?engine=&status=&limit=&nextToken=`: the RDS inventory, a page at a time. With `engine`, a
 * `Query` of the `byEngine` index (instances of one engine in id order); without it, a `Scan`. `status` filters
 * either (`available`, `stopped`, ..., or `MISSING` for instances the last refresh did not list).
 */
import { type DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { dynamo, requireEnv } from '../shared/clients';
import { apiHandler } from '../shared/http';
import { decodePageToken, encodePageToken } from './page-token';
import { readPage } from './paged-read';
import { DEFAULT_PAGE_SIZE, limitField, nextTokenField } from './query-fields';

export const BY_ENGINE_INDEX = 'byEngine';

export const ListInstancesQuery = z.strictObject({
  engine: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,49}$/, 'must be an RDS engine name such as postgres or aurora-mysql')
    .optional(),
  status: z
    .string()
    .regex(/^([a-z][a-z0-9-]{0,63}|MISSING)$/, 'must be an RDS instance status such as available, or MISSING')
    .optional(),
  limit: limitField,
  nextToken: nextTokenField,
});
export type ListInstancesQuery = z.output<typeof ListInstancesQuery>;

export interface InventoryDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly inventoryTable: string;
}

export interface ItemPage {
  readonly items: Record<string, unknown>[];
  /** Present while there may be more: pass it back as `nextToken` with the same filters. */
  readonly nextToken?: string;
}

export async function listInstances(query: ListInstancesQuery, deps: InventoryDependencies): Promise<ItemPage> {
  const canonical = `instances?engine=${query.engine ?? ''}&status=${query.status ?? ''}`;
  const keyAttributes = query.engine ? ['engine', 'instanceId'] : ['instanceId'];
  const startKey = query.nextToken ? decodePageToken(query.nextToken, canonical, keyAttributes) : undefined;
  const filter = query.status
    ? {
        FilterExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': query.status },
      }
    : {};
  const page = await readPage(
    ({ startKey: from, limit }) =>
      query.engine
        ? deps.dynamo.send(
            new QueryCommand({
              TableName: deps.inventoryTable,
              IndexName: BY_ENGINE_INDEX,
              KeyConditionExpression: '#engine = :engine',
              ...filter,
              ExpressionAttributeNames: { ...filter.ExpressionAttributeNames, '#engine': 'engine' },
              ExpressionAttributeValues: { ...filter.ExpressionAttributeValues, ':engine': query.engine },
              ExclusiveStartKey: from,
              Limit: limit,
            }),
          )
        : deps.dynamo.send(
            new ScanCommand({ TableName: deps.inventoryTable, ...filter, ExclusiveStartKey: from, Limit: limit }),
          ),
    { limit: query.limit ?? DEFAULT_PAGE_SIZE, ...(startKey && { startKey }), doing: `Listing ${deps.inventoryTable}` },
  );
  return { items: page.items, ...(page.nextKey && { nextToken: encodePageToken(canonical, page.nextKey) }) };
}

export const handler = apiHandler({ operation: 'list-instances', query: ListInstancesQuery }, async (request) => {
  const inventoryTable = requireEnv('INVENTORY_TABLE_NAME');
  request.annotate({ table: inventoryTable });
  return { body: await listInstances(request.query, { dynamo: dynamo(), inventoryTable }) };
});
