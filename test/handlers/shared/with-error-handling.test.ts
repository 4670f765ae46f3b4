import { ThrottledError, UnexpectedError } from '../../../handlers/shared/errors';
import { correlationIdOf, withErrorHandling } from '../../../handlers/shared/with-error-handling';
import { type CapturedOutput, captureOutput, fakeContext } from '../../helpers/lambda';

describe('withErrorHandling', () => {
  let output: CapturedOutput;
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => jest.restoreAllMocks());

  it('takes the correlation id from the input, then the execution, then the Lambda request', () => {
    expect(correlationIdOf({ correlationId: 'c-1', executionId: 'e-1' })).toBe('c-1');
    expect(correlationIdOf({ executionId: 'e-1' })).toBe('e-1');
    expect(correlationIdOf({}, { awsRequestId: 'r-1' })).toBe('r-1');
    expect(correlationIdOf(null)).toBe('uncorrelated');
  });

  it('gives the handler a logger whose every line carries the correlation id and task', async () => {
    const handler = withErrorHandling('demo', async (_input: unknown, { logger }) => {
      logger.info('working');
      return 'done';
    });

    await expect(handler({ correlationId: 'c-7' }, fakeContext())).resolves.toBe('done');
    expect(output.logs()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'working',
        correlationId: 'c-7',
        task: 'demo',
        function_request_id: 'lambda-request-1',
      }),
    ]);
  });

  it('rethrows typed errors unchanged, logs them once and counts them by name', async () => {
    const thrown = new ThrottledError('slow down');
    const handler = withErrorHandling('demo', async () => {
      throw thrown;
    });

    await expect(handler({ correlationId: 'c-9' })).rejects.toBe(thrown);
    const errors = output.logs().filter((line) => line.level === 'ERROR');
    expect(errors).toEqual([
      expect.objectContaining({
        message: 'demo failed with ThrottledError',
        errorName: 'ThrottledError',
        code: 'THROTTLED',
        retryable: true,
        countsForCircuit: true,
        correlationId: 'c-9',
      }),
    ]);
    expect(output.emf()).toEqual([
      expect.objectContaining({
        HandlerErrors: 1,
        ErrorName: 'ThrottledError',
        service: 'rds-ops',
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'RdsOps/Handlers',
              Dimensions: [['service', 'ErrorName']],
              Metrics: [{ Name: 'HandlerErrors', Unit: 'Count' }],
            },
          ],
        }),
      }),
    ]);
  });

  it('wraps anything else into UnexpectedError, keeping the original as cause', async () => {
    const original = new TypeError('undefined is not a function');
    const handler = withErrorHandling('demo', async () => {
      throw original;
    });

    const rejection = await handler({}).catch((e: unknown) => e);

    expect(rejection).toBeInstanceOf(UnexpectedError);
    expect((rejection as Error).name).toBe('UnexpectedError');
    expect((rejection as Error).cause).toBe(original);
    expect(output.emf()[0]).toMatchObject({ ErrorName: 'UnexpectedError' });
  });

  it('keeps the correlation ids of concurrent invocations apart', async () => {
    const handler = withErrorHandling('demo', async (input: { wait: number; correlationId: string }, { logger }) => {
      await new Promise((resolve) => setTimeout(resolve, input.wait));
      logger.info('finished');
    });

    await Promise.all([handler({ wait: 20, correlationId: 'slow' }), handler({ wait: 1, correlationId: 'fast' })]);

    expect(output.logs().map((line) => line.correlationId)).toEqual(['fast', 'slow']);
  });
});
