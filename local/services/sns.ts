/** SNS stand-in: `publish` to known (or any well-formed) topics, keeping what was published for assertions. */

import type { Clock } from '../clock';
import { type RecordedCall, ServiceCallRecorder } from './call-recorder';
import { ServiceError } from './errors';
import { checkParams } from './params';
import { randomUuid, seededRandom } from './seeded-random';

export interface PublishedMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly message: string;
  readonly subject?: string;
  readonly messageAttributes?: unknown;
  readonly at: number;
}

export interface SnsStandInOptions {
  readonly clock: Clock;
  /** Topic ARNs that exist; publishing elsewhere answers NotFound. When omitted, every well-formed ARN exists. */
  readonly topics?: readonly string[];
}

export interface SnsStandIn {
  publish(params: unknown): Promise<{ MessageId: string }>;
  readonly calls: readonly RecordedCall[];
  readonly published: readonly PublishedMessage[];
}

const PUBLISH_PARAMS = [
  'TopicArn',
  'TargetArn',
  'PhoneNumber',
  'Message',
  'Subject',
  'MessageStructure',
  'MessageAttributes',
  'MessageDeduplicationId',
  'MessageGroupId',
] as const;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const MAX_MESSAGE_BYTES = 256 * 1024;

export function createSnsStandIn(options: SnsStandInOptions): SnsStandIn {
  const recorder = new ServiceCallRecorder(options.clock);
  const random = seededRandom('sns');
  const published: PublishedMessage[] = [];
  const topics = options.topics ? new Set(options.topics) : undefined;
  const fail = (code: string, message: string, statusCode = 400) =>
    new ServiceError(code, message, { statusCode, service: 'sns', requestId: randomUuid(random) });

  return {
    async publish(raw) {
      recorder.record('publish', raw);
      const params = checkParams('sns:publish', raw, PUBLISH_PARAMS);
      const topicArn = params.TopicArn ?? params.TargetArn;
      if (typeof topicArn !== 'string') {
        throw fail(
          'InvalidParameter',
          'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
        );
      }
      if (!TOPIC_ARN.test(topicArn)) throw fail('InvalidParameter', 'Invalid parameter: TopicArn');
      if (topics && !topics.has(topicArn)) throw fail('NotFound', 'Topic does not exist', 404);
      // The optimized integration serialises a JSON Message itself; a string passes through unchanged.
      const message = typeof params.Message === 'string' ? params.Message : JSON.stringify(params.Message ?? null);
      if (params.Message === undefined || message.length === 0)
        throw fail('InvalidParameter', 'Invalid parameter: Empty message');
      if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) {
        throw fail('InvalidParameter', 'Invalid parameter: Message too long');
      }
      const messageId = randomUuid(random);
      published.push({
        messageId,
        topicArn,
        message,
        ...(typeof params.Subject === 'string' ? { subject: params.Subject } : {}),
        ...(params.MessageAttributes !== undefined
          ? { messageAttributes: structuredClone(params.MessageAttributes) }
          : {}),
        at: options.clock.now(),
      });
      return { MessageId: messageId };
    },
    get calls() {
      return recorder.calls;
    },
    get published() {
      return [...published];
    },
  };
}
