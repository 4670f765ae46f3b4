/** GET /executions/{arn} with the SDK mocked: only the app's machines, percent-encoded ARNs, SDK errors mapped. */
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../../handlers/api/get-execution';
import { apiEvent, type CapturedOutput, captureOutput, fakeContext } from '../../helpers/lambda';

const sfn = mockClient(SFNClient);
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:RestoreTable-1A2B';
const EXECUTION = 'arn:aws:states:eu-west-1:123456789012:execution:RestoreTable-1A2B:health-alerts-20260301';
const body = (response: { body: string }) => JSON.parse(response.body);

const get = (arn: string, headers: Record<string, string> = {}) =>
  handler(
    apiEvent({
      path: `/executions/${arn}`,
      resource: '/executions/{arn}',
      pathParameters: { arn },
      headers,
      requestId: 'apigw-1',
    }),
    fakeContext(),
  );

let output: CapturedOutput;
const saved = { ...process.env };
beforeEach(() => {
  output = captureOutput();
  process.env.DESCRIBABLE_STATE_MACHINE_ARNS = JSON.stringify([MACHINE]);
});
afterEach(() => {
  sfn.reset();
  jest.restoreAllMocks();
  process.env = { ...saved };
});

describe('GET /executions/{arn}', () => {
  it('describes an execution of a known machine, the ARN percent-encoded, input and output parsed', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      name: 'health-alerts-20260301',
      status: 'SUCCEEDED',
      startDate: new Date('2026-03-01T10:00:00Z'),
      stopDate: new Date('2026-03-01T10:20:00Z'),
      input: '{"tableName":"health-alerts"}',
      output: '{"recoveryTimeSeconds":1200}',
    });

    const response = await get(encodeURIComponent(EXECUTION));

    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      name: 'health-alerts-20260301',
      status: 'SUCCEEDED',
      startDate: '2026-03-01T10:00:00.000Z',
      stopDate: '2026-03-01T10:20:00.000Z',
      input: { tableName: 'health-alerts' },
      output: { recoveryTimeSeconds: 1200 },
    });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: EXECUTION });
  });

  it('answers 404 for an execution of another machine, without asking Step Functions', async () => {
    const response = await get(EXECUTION.replace('RestoreTable-1A2B', 'SomeoneElses'));

    expect(response.statusCode).toBe(404);
    expect(sfn).not.toHaveReceivedAnyCommand();
  });

  it('answers 404 when Step Functions does not know the execution', async () => {
    sfn.on(DescribeExecutionCommand).rejects(Object.assign(new Error('gone'), { name: 'ExecutionDoesNotExist' }));

    expect((await get(EXECUTION)).statusCode).toBe(404);
  });

  it('answers 503 DEPENDENCY_UNAVAILABLE for a Step Functions 5xx, logging the request id beside the correlation id', async () => {
    sfn.on(DescribeExecutionCommand).rejects(
      Object.assign(new Error('internal'), {
        name: 'InternalServerError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      }),
    );

    const response = await get(EXECUTION, { 'x-correlation-id': 'dash-9' });

    expect(response.statusCode).toBe(503);
    expect(body(response).error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', correlationId: 'dash-9' });
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', correlationId: 'dash-9', apiRequestId: 'apigw-1' }),
    );
  });

  it.each([
    ['not an ARN', 'db-a'],
    ['a state machine ARN', encodeURIComponent(MACHINE)],
    ['broken percent-encoding', 'arn%3Aaws%3'],
  ])('refuses %s with 400 naming path.arn', async (_name, arn) => {
    const response = await get(arn);

    expect(response.statusCode).toBe(400);
    expect(body(response).error.message).toContain('path.arn');
    expect(sfn).not.toHaveReceivedAnyCommand();
  });
});
