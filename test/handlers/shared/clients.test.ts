import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  addRetryMetric,
  clientSettings,
  DEFAULT_MAX_ATTEMPTS,
  endpointFromEnv,
  requireEnv,
  sharedClient,
} from '../../../handlers/shared/clients';
import { type CapturedOutput, captureOutput } from '../../helpers/lambda';

describe('client settings', () => {
  it('take the endpoint as the SDK does: the service variable, then the global one, unless ignored', () => {
    const env = { AWS_ENDPOINT_URL_DYNAMODB: 'http://a:1', AWS_ENDPOINT_URL: 'http://b:2' };

    expect(endpointFromEnv('DynamoDB', env)).toBe('http://a:1');
    expect(endpointFromEnv('SFN', env)).toBe('http://b:2');
    expect(endpointFromEnv('Cost Explorer', { AWS_ENDPOINT_URL_COST_EXPLORER: 'http://c:3' })).toBe('http://c:3');
    expect(endpointFromEnv('DynamoDB', { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toBeUndefined();
    expect(endpointFromEnv('DynamoDB', {})).toBeUndefined();
  });

  it('use the standard retry mode with bounded attempts and timeouts', () => {
    expect(clientSettings('DynamoDB', { AWS_REGION: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      retryMode: 'standard',
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      requestHandler: { connectionTimeout: 3000, requestTimeout: 10000 },
    });
    expect(clientSettings('DynamoDB', { AWS_MAX_ATTEMPTS: '50' }).maxAttempts).toBe(5);
    expect(clientSettings('DynamoDB', { AWS_MAX_ATTEMPTS: '0' }).maxAttempts).toBe(1);
    expect(clientSettings('DynamoDB', { AWS_MAX_ATTEMPTS: 'many' }).maxAttempts).toBe(DEFAULT_MAX_ATTEMPTS);
  });

  it('make one client per service and environment, as a container keeps it', () => {
    const create = jest.fn(() => ({}));
    const first = sharedClient('Test', create, { AWS_ENDPOINT_URL: 'http://a:1' });

    expect(sharedClient('Test', create, { AWS_ENDPOINT_URL: 'http://a:1' })).toBe(first);
    expect(sharedClient('Test', create, { AWS_ENDPOINT_URL: 'http://b:2' })).not.toBe(first);
    expect(create).toHaveBeenCalledTimes(2);
  });

  it('name the missing variable and the fix', () => {
    expect(() => requireEnv('INVENTORY_TABLE_NAME', {})).toThrow(/INVENTORY_TABLE_NAME is not set; bind the table/);
  });
});

describe('the SDK retry metric', () => {
  let server: Server;
  let answers: number[];
  let output: CapturedOutput;
  let client: DynamoDBClient;

  beforeEach(async () => {
    output = captureOutput();
    answers = [];
    server = createServer((request, response) => {
      request.resume();
      const status = answers.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(status === 200 ? '{}' : '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const settings = clientSettings('DynamoDB', {
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
      AWS_REGION: 'eu-west-1',
    });
    client = addRetryMetric(
      new DynamoDBClient({ ...settings, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      'DynamoDB',
    );
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const getItem = () => client.send(new GetItemCommand({ TableName: 't', Key: { id: { S: '1' } } }));

  it('counts the retries a call needed', async () => {
    answers = [500, 500];

    await getItem();

    expect(output.emf().map((doc) => [doc.SdkRetries, doc.Dependency])).toEqual([[2, 'DynamoDB']]);
  });

  it('counts the retries of a call that failed after all attempts, and nothing for a first-try success', async () => {
    answers = [500, 500, 500];
    await expect(getItem()).rejects.toMatchObject({ name: 'InternalServerError', $metadata: { attempts: 3 } });
    await getItem();

    expect(output.emf().map((doc) => doc.SdkRetries)).toEqual([2]);
  });
});
