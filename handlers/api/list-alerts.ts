/**
 * `GET /alerts?status=open|resolved|all&instanceId=&severity=&limit=&nextToken=`: health alerts (item shape in
 * docs/architecture.md). With `instanceId`, a `Query` of the `byInstance` index, newest first; without it, a
 * `Scan` (one item per alarm and RDS condition: hundreds for a fleet of hundreds). `status` defaults to open.
 */
import { type DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { dynamo, requireEnv } from '../shared/clients';
import { apiHandler } from '../shared/http';
import type { ItemPage } from './list-instances';
import { decodePageToken, encodePageToken } from './page-token';
import { readPage } from './paged-read';
import { DEFAULT_PAGE_SIZE, instanceIdField, limitField, nextTokenField } from './query-fields';

export const BY_INSTANCE_INDEX = 'byInstance';
export const ALERT_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;

export const ListAlertsQuery = z.strictObject({
  status: z.enum(['open', 'resolved', 'all'], { error: 'must be open, resolved or all' }).optional(),
  instanceId: instanceIdField.optional(),
  severity: z.enum(ALERT_SEVERITIES, { error: `must be one of ${ALERT_SEVERITIES.join(', ')}` }).optional(),
  limit: limitField,
  nextToken: nextTokenField,
});
export type ListAlertsQuery = z.output<typeof ListAlertsQuery>;

export interface AlertsDependencies {
  readonly dynamo: DynamoDBDocumentClient;
  readonly alertsTable: string;
}

export async function listAlerts(query: ListAlertsQuery, deps: AlertsDependencies): Promise<ItemPage> {
  const status = query.status ?? 'open';
  const canonical = `alerts?status=${status}&instanceId=${query.instanceId ?? ''}&severity=${query.severity ?? ''}`;
  const keyAttributes = query.instanceId ? ['alertId', 'instanceId', 'raisedAt'] : ['alertId'];
  const startKey = query.nextToken ? decodePageToken(query.nextToken, canonical, keyAttributes) : undefined;
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (status !== 'all') {
    conditions.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = status.toUpperCase();
  }
  if (query.severity) {
    conditions.push('#severity = :severity');
    names['#severity'] = 'severity';
    values[':severity'] = query.severity;
  }
  const filter = conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {};
  const page = await readPage(
    ({ startKey: from, limit }) => {
      if (query.instanceId) {
        return deps.dynamo.send(
          new QueryCommand({
            TableName: deps.alertsTable,
            IndexName: BY_INSTANCE_INDEX,
            KeyConditionExpression: '#instanceId = :instanceId',
            ...filter,
            ExpressionAttributeNames: { ...names, '#instanceId': 'instanceId' },
            ExpressionAttributeValues: { ...values, ':instanceId': query.instanceId },
            ScanIndexForward: false,
            ExclusiveStartKey: from,
            Limit: limit,
          }),
        );
      }
      return deps.dynamo.send(
        new ScanCommand({
          TableName: deps.alertsTable,
          ...filter,
          ...(conditions.length > 0 && { ExpressionAttributeNames: names, ExpressionAttributeValues: values }),
          ExclusiveStartKey: from,
          Limit: limit,
        }),
      );
    },
    { limit: query.limit ?? DEFAULT_PAGE_SIZE, ...(startKey && { startKey }), doing: `Listing ${deps.alertsTable}` },
  );
  return { items: page.items, ...(page.nextKey && { nextToken: encodePageToken(canonical, page.nextKey) }) };
}

export const handler = apiHandler({ operation: 'list-alerts', query: ListAlertsQuery }, async (request) => {
  const alertsTable = requireEnv('ALERTS_TABLE_NAME');
  request.annotate({ table: alertsTable });
  return { body: await listAlerts(request.query, { dynamo: dynamo(), alertsTable }) };
});
