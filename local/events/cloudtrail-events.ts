/**
 * CloudTrail management events as EventBridge delivers them (`detail-type: "AWS API Call via CloudTrail"`), for the
 * API calls the local runtime records: the local DynamoDB reports each DeleteTable, and the runtime puts this event
 * on the default bus, as a trail logging management events does on AWS. Failed calls are recorded too, with
 * `errorCode` and `errorMessage`, as CloudTrail records them.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from './types';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** One API call, as the local service that answered it saw it. */
export interface RecordedApiCall {
  /** `dynamodb` */
  readonly service: string;
  /** `DeleteTable` */
  readonly operation: string;
  /** When the call was answered, clock epoch ms. */
  readonly at: number;
  readonly requestParameters: Readonly<Record<string, unknown>>;
  readonly responseElements?: Readonly<Record<string, unknown>> | null;
  /** The resource the call acted on, e.g. the table ARN. */
  readonly resourceArn?: string;
  readonly resourceType?: string;
  /** From the request's SigV4 Authorization header (`Credential=<key>/...`), when signed. */
  readonly accessKeyId?: string;
  readonly userAgent?: string;
  readonly requestId: string;
  /** The AWS error code when the call failed (`ValidationException`). */
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface CloudTrailContext {
  readonly account: string;
  readonly region: string;
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
}

/** The EventBridge event CloudTrail delivers for the call (envelope and `detail` in AWS's shape). */
export function cloudTrailEvent(call: RecordedApiCall, context: CloudTrailContext): EventBridgeEvent {
  const newId = context.newId ?? randomUUID;
  const time = new Date(call.at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const accessKeyId = call.accessKeyId ?? 'local';
  return {
    version: '0',
    id: newId(),
    'detail-type': CLOUDTRAIL_DETAIL_TYPE,
    source: `aws.${call.service}`,
    account: context.account,
    time,
    region: context.region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `LOCAL:${accessKeyId}`,
        arn: `arn:aws:sts::${context.account}:assumed-role/local/${accessKeyId}`,
        accountId: context.account,
        accessKeyId,
      },
      eventTime: time,
      eventSource: `${call.service}.amazonaws.com`,
      eventName: call.operation,
      awsRegion: context.region,
      sourceIPAddress: '127.0.0.1',
      userAgent: call.userAgent ?? 'unknown',
      requestParameters: call.requestParameters,
      responseElements: call.errorCode ? null : (call.responseElements ?? null),
      ...(call.errorCode && { errorCode: call.errorCode, errorMessage: call.errorMessage ?? '' }),
      requestID: call.requestId,
      eventID: newId(),
      readOnly: false,
      ...(call.resourceArn && {
        resources: [{ accountId: context.account, type: call.resourceType ?? 'AWS::Resource', ARN: call.resourceArn }],
      }),
      eventType: 'AwsApiCall',
      apiVersion: '2012-08-10',
      managementEvent: true,
      recipientAccountId: context.account,
      eventCategory: 'Management',
    },
  };
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20261201/us-east-1/dynamodb/aws4_request, ...` -> `AKID`. */
export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}
