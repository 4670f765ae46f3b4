/** Baseline design: "Get Circuit Status", a Query for an unexpired item of the service (eventually consistent). */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { type CircuitStatusRequest, dynamoDb, epochSeconds, tableName } from './circuit-status-table';

export async function handler(request: CircuitStatusRequest): Promise<{ CircuitStatus: string }> {
  const { Items = [] } = await dynamoDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'ServiceName = :service AND ExpireTimeStamp > :now',
      ExpressionAttributeValues: {
        ':service': { S: request.ServiceName },
        ':now': { N: String(epochSeconds(request)) },
      },
    }),
  );
  return { CircuitStatus: Items[0]?.CircuitStatus?.S ?? '' };
}
