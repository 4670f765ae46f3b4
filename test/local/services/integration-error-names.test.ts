import {
  EVENTBRIDGE_FAILED_ENTRY,
  explainIntegrationErrorName,
  type IntegrationKind,
  integrationCause,
  integrationErrorName,
  integrationFailure,
  sdkMemberName,
} from '../../../local/services';
import { UnsupportedIntegrationError } from '../../../local/services/errors';
import { javaPascalCase } from '../../../local/services/integration-error-names';

describe('integrationErrorName', () => {
  it.each<[IntegrationKind, string, string, string]>([
    // Documented / observed on AWS.
    ['optimized', 'dynamodb', 'ConditionalCheckFailedException', 'DynamoDB.ConditionalCheckFailedException'],
    ['aws-sdk', 'dynamodb', 'ResourceNotFoundException', 'DynamoDb.ResourceNotFoundException'],
    ['aws-sdk', 'rds', 'DBInstanceNotFound', 'Rds.DbInstanceNotFoundException'],
    ['aws-sdk', 'rds', 'InvalidDBInstanceState', 'Rds.InvalidDbInstanceStateException'],
    ['aws-sdk', 'rds', 'InvalidParameterCombination', 'Rds.RdsException'],
    ['aws-sdk', 'sfn', 'InvalidArn', 'Sfn.InvalidArnException'],
    ['optimized', 'lambda', 'TooManyRequestsException', 'Lambda.TooManyRequestsException'],
    ['optimized', 'lambda', 'SomethingUnmodeled', 'Lambda.AWSLambdaException'],
    ['optimized', 'dynamodb', 'ValidationException', 'DynamoDB.AmazonDynamoDBException'],
    // Derived from the rules.
    ['aws-sdk', 'rds', 'Throttling', 'Rds.RdsException'],
    ['aws-sdk', 'rds', 'DBClusterNotFoundFault', 'Rds.DbClusterNotFoundException'],
    ['aws-sdk', 'dynamodb', 'ThrottlingException', 'DynamoDb.ThrottlingException'],
    ['aws-sdk', 'dynamodb', 'InternalServerError', 'DynamoDb.InternalServerErrorException'],
    ['aws-sdk', 'sns', 'Throttled', 'Sns.ThrottledException'],
    ['aws-sdk', 'sns', 'ParameterValueInvalid', 'Sns.InvalidParameterValueException'],
    ['aws-sdk', 'sns', 'KMSDisabled', 'Sns.KmsDisabledException'],
    ['aws-sdk', 'cloudwatch', 'InvalidParameterValue', 'CloudWatch.InvalidParameterValueException'],
    ['aws-sdk', 'cloudwatch', 'InternalServiceError', 'CloudWatch.InternalServiceException'],
    ['aws-sdk', 'cloudwatch', 'Throttling', 'CloudWatch.CloudWatchException'],
    ['aws-sdk', 'eventbridge', 'InternalException', 'EventBridge.InternalException'],
    ['aws-sdk', 'eventbridge', 'ThrottlingException', 'EventBridge.EventBridgeException'],
    ['aws-sdk', 'costexplorer', 'LimitExceededException', 'CostExplorer.LimitExceededException'],
    ['aws-sdk', 'lambda', 'EC2ThrottledException', 'Lambda.Ec2ThrottledException'],
    ['optimized', 'sns', 'ParameterValueInvalid', 'SNS.InvalidParameterValueException'],
    ['optimized', 'sns', 'Throttling', 'SNS.AmazonSNSException'],
    ['optimized', 'events', 'InternalException', 'EventBridge.InternalException'],
  ])('%s %s %s -> %s', (integration, service, errorCode, expected) => {
    // Act
    const name = integrationErrorName({ integration, service, errorCode });

    // Assess
    expect(name).toBe(expected);
  });

  it('says whether a name came from the model or is the unmodeled base exception', () => {
    // Act
    const modeled = explainIntegrationErrorName({
      integration: 'aws-sdk',
      service: 'rds',
      errorCode: 'DBInstanceNotFound',
    });
    const unmodeled = explainIntegrationErrorName({ integration: 'aws-sdk', service: 'rds', errorCode: 'Throttling' });

    // Assess
    expect(modeled.basis).toBe('modeled');
    expect(unmodeled.basis).toBe('unmodeled');
  });

  it('refuses an optimized integration Step Functions does not have, pointing at aws-sdk', () => {
    // Act
    const act = () => integrationErrorName({ integration: 'optimized', service: 'rds', errorCode: 'Throttling' });

    // Assess
    expect(act).toThrow(UnsupportedIntegrationError);
    expect(act).toThrow(/arn:aws:states:::aws-sdk:rds/);
  });

  it('refuses a service it has no naming for instead of guessing', () => {
    // Act
    const act = () => integrationErrorName({ integration: 'aws-sdk', service: 'kinesisvideo', errorCode: 'X' });

    // Assess
    expect(act).toThrow(/No error naming is known for service 'kinesisvideo'/);
  });

  it('exports the documented error of a failed optimized putEvents', () => {
    // Assess
    expect(EVENTBRIDGE_FAILED_ENTRY).toBe('EventBridge.FailedEntry');
  });
});

describe('integrationCause', () => {
  it('formats an aws-sdk Cause as the AWS SDK for Java v2 does', () => {
    // Act
    const cause = integrationCause({
      integration: 'aws-sdk',
      service: 'rds',
      errorCode: 'Throttling',
      message: 'Rate exceeded',
      requestId: '5f1c3a52-8d0e-4d3b-9a77-0c1f2e3d4b5a',
    });

    // Assess
    expect(cause).toBe(
      'Rate exceeded (Service: Rds, Status Code: 400, Request ID: 5f1c3a52-8d0e-4d3b-9a77-0c1f2e3d4b5a)',
    );
  });

  it('formats an optimized Cause as the AWS SDK for Java v1 does', () => {
    // Act
    const cause = integrationCause({
      integration: 'optimized',
      service: 'dynamodb',
      errorCode: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      requestId: 'ABC',
    });

    // Assess
    expect(cause).toBe(
      'The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: ABC; Proxy: null)',
    );
  });

  it('turns a service error into the error and cause a Catch sees', () => {
    // Act
    const failure = integrationFailure(
      { code: 'DBInstanceNotFound', message: 'DBInstance x not found.', statusCode: 404, requestId: 'r-1' },
      'aws-sdk',
      'rds',
    );

    // Assess
    expect(failure).toEqual({
      error: 'Rds.DbInstanceNotFoundException',
      cause: 'DBInstance x not found. (Service: Rds, Status Code: 404, Request ID: r-1)',
    });
  });
});

describe('SDK for Java v2 casing', () => {
  it.each([
    ['DBInstanceIdentifier', 'DbInstanceIdentifier'],
    ['DBInstances', 'DbInstances'],
    ['MultiAZ', 'MultiAZ'],
    ['ACL', 'Acl'],
    ['DbiResourceId', 'DbiResourceId'],
    ['Marker', 'Marker'],
  ])('spells member %s as %s', (member, expected) => {
    // Assess
    expect(sdkMemberName(member)).toBe(expected);
  });

  it.each([
    ['DynamoDB', 'DynamoDb'],
    ['SFN', 'Sfn'],
    ['RDS', 'Rds'],
    ['CloudWatch Logs', 'CloudWatchLogs'],
    ['Cost Explorer', 'CostExplorer'],
    ['Elastic Load Balancing v2', 'ElasticLoadBalancingV2'],
  ])('spells service id %s as %s', (serviceId, expected) => {
    // Assess
    expect(javaPascalCase(serviceId)).toBe(expected);
  });
});
