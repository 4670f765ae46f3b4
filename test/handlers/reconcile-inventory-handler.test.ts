/** The deployed entry of reconcile-inventory: wrapper, clients and errors together, with the SDK mocked. */
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../handlers/inventory/reconcile-inventory';
import { type CapturedOutput, captureOutput, fakeContext } from '../helpers/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const ENV = { INVENTORY_TABLE_NAME: 'rds-inventory-1A2B', AWS_REGION: 'eu-west-1' };
const input = {
  refreshId: 'refresh-2',
  startedAt: '2026-01-01T00:00:00.000Z',
  instancesSeen: 1,
  correlationId: 'arn:aws:states:eu-west-1:123456789012:execution:inventory-refresh:refresh-2',
};
const throttling = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
  name: 'ProvisionedThroughputExceededException',
  $fault: 'client',
  $metadata: { httpStatusCode: 400, attempts: 3 },
});

describe('reconcile-inventory handler', () => {
  let output: CapturedOutput;
  const saved = { ...process.env };
  beforeEach(() => {
    output = captureOutput();
    Object.assign(process.env, ENV);
  });
  afterEach(() => {
    ddb.reset();
    jest.restoreAllMocks();
    process.env = { ...saved };
  });

  it('reads the table from its environment and logs the result under the execution id', async () => {
    ddb.on(ScanCommand).resolves({ Items: [{ instanceId: 'db-a', lastSeenAt: '2025-12-31T00:00:00.000Z' }] });
    ddb.on(UpdateCommand).resolves({});

    await expect(handler(input, fakeContext())).resolves.toEqual({ scanned: 1, markedMissing: 1, alreadyMissing: 0 });
    expect(ddb).toHaveReceivedCommandWith(ScanCommand, { TableName: 'rds-inventory-1A2B' });
    expect(output.logs()).toContainEqual(
      expect.objectContaining({
        message: 'inventory reconciled',
        correlationId: input.correlationId,
        markedMissing: 1,
      }),
    );
  });

  it('fails with the name the workflow retries on, the correlation id on the log line and the error counted', async () => {
    ddb.on(ScanCommand).rejects(throttling);

    const error = (await handler(input, fakeContext()).catch((thrown: unknown) => thrown)) as Error;

    expect(error).toMatchObject({ name: 'ThrottledError', code: 'THROTTLED', statusCode: 429, retryable: true });
    expect(error.message).toContain('Scanning rds-inventory-1A2B failed: ProvisionedThroughputExceededException');
    expect(output.logs()).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        errorName: 'ThrottledError',
        correlationId: input.correlationId,
        task: 'reconcile-inventory',
      }),
    );
    expect(output.emf()).toContainEqual(expect.objectContaining({ HandlerErrors: 1, ErrorName: 'ThrottledError' }));
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('refuses bad input with InvalidInputError naming each field, before touching the table', async () => {
    const error = (await handler({ refreshId: '', instancesSeen: -1 }, fakeContext()).catch(
      (e: unknown) => e,
    )) as Error;

    expect(error.name).toBe('InvalidInputError');
    expect(error.message).toMatch(/refreshId: must be a non-empty string.*startedAt: .*instancesSeen: /);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it('reports a missing table binding as a deployment bug', async () => {
    delete process.env.INVENTORY_TABLE_NAME;

    await expect(handler(input, fakeContext())).rejects.toMatchObject({
      name: 'UnexpectedError',
      message: expect.stringContaining('INVENTORY_TABLE_NAME is not set'),
    });
  });
});
