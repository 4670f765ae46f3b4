/**
 * `GET /costs?from=YYYY-MM-DD&to=YYYY-MM-DD&instanceId=&limit=&nextToken=`: daily cost snapshots (one item per
 * instance and day, shape in docs/architecture.md) between two days, both included. With `instanceId`, a `Query`
 * of that instance's days in date order; without it, a `Scan` of the fleet filtered on the date.
 */
import { type DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { dynamo, requireEnv } from '../shared/clients';
import { apiHandler } from '../shared/http';
import type { ItemPage } from './list-instances';
import { decodePageToken, encodePageToken } from './page-token';
import { readPage } from './paged-read';
import { DEFAULT_PAGE_SIZE, dayField, instanceIdField, limitField, nextTokenField } from './query-fields';

/** The longest range one request may ask for, in days (both ends included). */
export const MAX_COST_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

export const ListCostsQuery = z
  .strictObject({
    from: dayField,
    to: dayField,
    instanceId: instanceIdField.optional(),
    limit: limitField,
    nextToken: nextTokenField,
  })
  .superRefine((query, context) => {
    const days = (Date.parse(query.to) - Date.parse(query.from)) / DAY_MS + 1;
    if (days < 1) {
      context.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${query.from})` });
    } else if (days > MAX_COST_RANGE_DAYS) {
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `must be at most ${MAX_COST_RANGE_DAYS} days after from (asked for ${days}); ask in several ranges`,
      });
    }
  });
export type ListCostsQuery = z.output<typeof ListCostsQuery>;

export interface CostsDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly costsTable: string;
}

export async function listCosts(query: ListCostsQuery, deps: CostsDependencies): Promise<ItemPage> {
  const canonical = `costs?from=${query.from}&to=${query.to}&instanceId=${query.instanceId ?? ''}`;
  const startKey = query.nextToken ? decodePageToken(query.nextToken, canonical, ['instanceId', 'date']) : undefined;
  const between = {
    ExpressionAttributeNames: { '#date': 'date' },
    ExpressionAttributeValues: { ':from': query.from, ':to': query.to },
  };
  const page = await readPage(
    ({ startKey: from, limit }) =>
      query.instanceId
        ? deps.dynamo.send(
            new QueryCommand({
              TableName: deps.costsTable,
              KeyConditionExpression: 'instanceId = :instanceId AND #date BETWEEN :from AND :to',
              ExpressionAttributeNames: between.ExpressionAttributeNames,
              ExpressionAttributeValues: { ...between.ExpressionAttributeValues, ':instanceId': query.instanceId },
              ExclusiveStartKey: from,
              Limit: limit,
            }),
          )
        : deps.dynamo.send(
            new ScanCommand({
              TableName: deps.costsTable,
              FilterExpression: '#date BETWEEN :from AND :to',
              ...between,
              ExclusiveStartKey: from,
              Limit: limit,
            }),
          ),
    { limit: query.limit ?? DEFAULT_PAGE_SIZE, ...(startKey && { startKey }), doing: `Listing ${deps.costsTable}` },
  );
  return { items: page.items, ...(page.nextKey && { nextToken: encodePageToken(canonical, page.nextKey) }) };
}

export const handler = apiHandler({ operation: 'list-costs', query: ListCostsQuery }, async (request) => {
  const costsTable = requireEnv('COSTS_TABLE_NAME');
  request.annotate({ table: costsTable });
  return {
    body: {
      from: request.query.from,
      to: request.query.to,
      ...(await listCosts(request.query, { dynamo: dynamo(), costsTable })),
    },
  };
});
