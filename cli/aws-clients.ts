/**
 * The AWS SDK clients of every rds-ops command that reads or changes state. The same clients reach AWS (the
 * default credential chain and region) or the local service (`--endpoint URL`, `--local`, or
 * `AWS_ENDPOINT_URL` in the environment, which the SDK reads itself): only the endpoint differs.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UsageError } from './errors';

/** Where `rds-ops local serve` listens by default: what `--local` means. */
export const DEFAULT_LOCAL_ENDPOINT = 'http://127.0.0.1:8083';

export interface AwsClients {
  /** The endpoint given on the command line, if any (otherwise AWS, or AWS_ENDPOINT_URL). */
  readonly endpoint?: string;
  readonly dynamoDb: DynamoDBClient;
  readonly dynamo: DynamoDBDocumentClient;
  readonly events: EventBridgeClient;
  readonly cloudwatch: CloudWatchClient;
  readonly stepFunctions: SFNClient;
  readonly sts: STSClient;
  destroy(): void;
}

export function createAwsClients(options: { readonly endpoint?: string } = {}): AwsClients {
  const endpoint = options.endpoint === undefined ? undefined : endpointUrl(options.endpoint);
  const config = endpoint === undefined ? {} : localServiceConfig(endpoint);
  const dynamoDb = new DynamoDBClient(config);
  const events = new EventBridgeClient(config);
  const cloudwatch = new CloudWatchClient(config);
  const stepFunctions = new SFNClient(config);
  const sts = new STSClient(config);
  return {
    ...(endpoint !== undefined && { endpoint }),
    dynamoDb,
    dynamo: DynamoDBDocumentClient.from(dynamoDb),
    events,
    cloudwatch,
    stepFunctions,
    sts,
    destroy() {
      for (const client of [dynamoDb, events, cloudwatch, stepFunctions, sts]) client.destroy();
    },
  };
}

/**
 * An explicit endpoint: the region and credentials come from the environment when it has them (as the
 * export line of `local serve` sets them), else the local service's (`us-east-1`, `local`/`local`).
 */
function localServiceConfig(endpoint: string) {
  const hasKeys = Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);
  return {
    endpoint,
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(!hasKeys && { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
}

function endpointUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--endpoint takes a URL such as ${DEFAULT_LOCAL_ENDPOINT}, got "${text}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be an http(s) URL, got "${text}".`);
  }
  return text.replace(/\/+$/, '');
}
