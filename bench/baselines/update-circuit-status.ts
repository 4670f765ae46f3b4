/** Baseline design: "Update Circuit Status", opens the circuit for OPEN_SECONDS unless an open item exists. */
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { type CircuitStatusRequest, dynamoDb, epochSeconds, OPEN_SECONDS, tableName } from './circuit-status-table';

export async function handler(request: CircuitStatusRequest): Promise<{ CircuitStatus: string }> {
  const now = epochSeconds(request);
  const { Count = 0 } = await dynamoDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'ServiceName = :service AND ExpireTimeStamp > :now',
      ExpressionAttributeValues: { ':service': { S: request.ServiceName }, ':now': { N: String(now) } },
      ConsistentRead: true,
    }),
  );
  if (Count === 0) {
    await dynamoDb().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: {
          ServiceName: { S: request.ServiceName },
          CircuitStatus: { S: 'OPEN' },
          ExpireTimeStamp: { N: String(now + OPEN_SECONDS) },
        },
      }),
    );
  }
  return { CircuitStatus: 'OPEN' };
}
