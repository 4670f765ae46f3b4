/** The HTTP status in a service error's Cause is the one AWS answers with, so 5xx-counting circuit rules can match. */
import { ServiceError } from '../../../local/services/errors';
import { httpStatusOf } from '../../../local/services/http-status';
import { explainIntegrationErrorName, integrationCause } from '../../../local/services/integration-error-names';

describe('HTTP status of service errors', () => {
  it.each([
    ['InternalFailure', 500],
    ['ServiceUnavailable', 503],
    ['InternalServerError', 500],
    ['Throttling', 400],
    ['ThrottlingException', 400],
    ['TooManyRequestsException', 429],
    ['DBInstanceNotFound', 404],
    ['InvalidParameterValue', 400],
  ])('%s is answered with %d', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
    expect(new ServiceError(code, 'x').statusCode).toBe(status);
  });

  it('puts the status AWS uses in the aws-sdk Cause: an RDS InternalFailure reads Status Code: 500', () => {
    const cause = integrationCause({
      integration: 'aws-sdk',
      service: 'rds',
      errorCode: 'InternalFailure',
      message: 'An internal error has occurred.',
    });

    expect(cause).toMatch(/^An internal error has occurred\. \(Service: Rds, Status Code: 500, Request ID: /);
  });

  it('keeps a status given explicitly', () => {
    const cause = integrationCause({
      integration: 'optimized',
      service: 'dynamodb',
      errorCode: 'InternalServerError',
      message: 'boom',
      statusCode: 503,
    });

    expect(cause).toContain('Status Code: 503;');
  });
});

describe('modeled errors read from the installed SDK clients', () => {
  it.each([
    ['dynamodb', '@aws-sdk/client-dynamodb', 'DynamoDBServiceException'],
    ['lambda', '@aws-sdk/client-lambda', 'LambdaServiceException'],
    ['sfn', '@aws-sdk/client-sfn', 'SFNServiceException'],
  ])('%s: every exception class %s exports is a modeled error', (service, client, base) => {
    const module = require(client) as Record<string, unknown>;
    const Base = module[base] as abstract new (...args: never[]) => Error;
    const exceptions = Object.entries(module)
      .filter(([name, value]) => name !== base && typeof value === 'function' && value.prototype instanceof Base)
      .map(([name]) => name);

    expect(exceptions.length).toBeGreaterThan(10);
    for (const errorCode of exceptions) {
      expect(explainIntegrationErrorName({ integration: 'aws-sdk', service, errorCode }).basis).toBe('modeled');
    }
    expect(explainIntegrationErrorName({ integration: 'aws-sdk', service, errorCode: 'NotAModeledError' }).basis).toBe(
      'unmodeled',
    );
  });
});
