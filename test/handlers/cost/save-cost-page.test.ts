/** save-cost-page with the SDK mocked: the items it writes, the totals, idempotency, error names, correlation. */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, NumberValue, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { NO_TOTALS } from '../../../handlers/cost/cost-snapshot';
import {
  handler,
  parseSaveCostPageInput,
  type SaveCostPageInput,
  saveCostPage,
} from '../../../handlers/cost/save-cost-page';
import { InvalidInputError, ThrottledError } from '../../../handlers/shared/errors';
import { type CapturedOutput, captureOutput, fakeContext } from '../../helpers/lambda';

const ddb = mockClient(DynamoDBDocumentClient);
const TABLE = 'cost-snapshots-1A2B';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:cost-snapshot:run-1';
const deps = () => ({
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })),
  costTable: TABLE,
});

const group = (resource: string, unblended: string, amortized = unblended) => ({
  Keys: [resource],
  Metrics: { UnblendedCost: { Amount: unblended, Unit: 'USD' }, AmortizedCost: { Amount: amortized, Unit: 'USD' } },
});

/** A page of GetCostAndUsageWithResources as the aws-sdk integration returns it. */
function page(overrides: Partial<SaveCostPageInput> = {}): SaveCostPageInput {
  return parseSaveCostPageInput({
    date: '2026-03-19',
    snapshotId: 'run-1',
    takenAt: '2026-03-20T06:30:00.000Z',
    resultsByTime: [
      {
        TimePeriod: { Start: '2026-03-19', End: '2026-03-20' },
        Total: {},
        Estimated: true,
        Groups: [
          group('arn:aws:rds:us-east-1:123456789012:db:Payments-Prod-PG-01', '12.3456789012', '10.5'),
          group('arn:aws:rds:us-east-1:123456789012:db:ledger-prod-my-02', '0.1'),
          group('arn:aws:rds:us-east-1:123456789012:cluster:ledger-prod-apg-cluster', '0.2'),
          group('arn:aws:rds:us-east-1:123456789012:snapshot:rds:nightly', '0.0000000417'),
        ],
      },
    ],
    totals: { ...NO_TOTALS, pages: 1, instanceCount: 20, totalCost: '100', instanceCost: '90', unattributedCost: '10' },
    correlationId: EXECUTION,
    ...overrides,
  });
}

afterEach(() => {
  ddb.reset();
  jest.restoreAllMocks();
});

describe('saveCostPage', () => {
  it('writes one conditioned item per instance, keyed by its lower-case id and the day, and skips other resources', async () => {
    ddb.on(PutCommand).resolves({});

    await saveCostPage(page(), deps());

    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: {
        instanceId: 'payments-prod-pg-01',
        date: '2026-03-19',
        cost: NumberValue.from('12.3456789012'),
        amortizedCost: NumberValue.from('10.5'),
        currency: 'USD',
        estimated: true,
        resourceArn: 'arn:aws:rds:us-east-1:123456789012:db:Payments-Prod-PG-01',
        snapshotId: 'run-1',
        takenAt: '2026-03-20T06:30:00.000Z',
      },
      ConditionExpression: 'attribute_not_exists(takenAt) OR takenAt <= :takenAt',
      ExpressionAttributeValues: { ':takenAt': '2026-03-20T06:30:00.000Z' },
    });
  });

  it('adds the page to the totals it was given, exactly, instances and the rest apart', async () => {
    ddb.on(PutCommand).resolves({});

    const totals = await saveCostPage(page(), deps());

    expect(totals).toEqual({
      pages: 2,
      instanceCount: 22,
      totalCost: '112.6456789429',
      instanceCost: '102.4456789012',
      unattributedCost: '10.2000000417',
      currency: 'USD',
      estimated: true,
      skippedStale: 0,
    });
  });

  it('answers the same totals and writes the same items when the invocation is repeated', async () => {
    ddb.on(PutCommand).resolves({});

    const first = await saveCostPage(page(), deps());
    const again = await saveCostPage(page(), deps());

    expect(again).toEqual(first);
    const items = ddb.commandCalls(PutCommand).map((call) => call.args[0].input.Item);
    expect(items.slice(2)).toEqual(items.slice(0, 2));
  });

  it('leaves an instance a later run wrote alone, and counts it', async () => {
    ddb
      .on(PutCommand)
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }))
      .resolves({});

    const totals = await saveCostPage(page(), deps());

    expect(totals.skippedStale).toBe(1);
    expect(totals.instanceCount).toBe(22);
  });

  it('fails with ThrottledError (429, retried by the workflow) when DynamoDB throttles', async () => {
    ddb.on(PutCommand).rejects(
      Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const failure = await saveCostPage(page(), deps()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ThrottledError);
    expect(failure).toEqual(expect.objectContaining({ statusCode: 429, retryable: true }));
    expect((failure as Error).message).toMatch(/Saving the 2026-03-19 cost of .* in cost-snapshots-1A2B failed/);
  });
});

describe('save-cost-page handler', () => {
  let output: CapturedOutput;
  const saved = { ...process.env };
  beforeEach(() => {
    output = captureOutput();
    Object.assign(process.env, { COST_SNAPSHOTS_TABLE_NAME: TABLE, AWS_REGION: 'us-east-1' });
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('reads its table from the environment and logs the page under the execution id', async () => {
    ddb.on(PutCommand).resolves({});

    await handler(page(), fakeContext());

    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: TABLE });
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: 'cost page saved', correlationId: EXECUTION, instances: 2, unattributed: 2 }),
    );
  });

  it('refuses a page whose amounts are not decimals with InvalidInputError naming the field, writing nothing', async () => {
    const broken = {
      ...page(),
      resultsByTime: [
        {
          TimePeriod: { Start: '2026-03-19', End: '2026-03-20' },
          Groups: [group('arn:aws:rds:us-east-1:123456789012:db:a', '1e-7')],
        },
      ],
    };

    const failure = await handler(broken, fakeContext()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(InvalidInputError);
    expect((failure as Error).message).toMatch(
      /resultsByTime.0.Groups.0.Metrics.UnblendedCost.Amount: must be a decimal amount/,
    );
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 0);
  });
});
