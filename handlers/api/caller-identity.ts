/**
 * Who is calling: the IAM identity API Gateway verified (IAM authorization puts it in
 * `requestContext.identity`). It is what the audit log records as the actor of a change.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { UnauthorizedError } from '../shared/errors';

/**
 * The caller's ARN (`arn:aws:sts::123456789012:assumed-role/dashboard/session`, `arn:aws:iam::...:user/alice`).
 * IAM authorization always sets it; a request without one did not come through the API's IAM check.
 */
export function callerArn(event: Pick<APIGatewayProxyEvent, 'requestContext'>): string {
  const identity = event.requestContext?.identity;
  const arn = identity?.userArn ?? identity?.caller;
  if (!arn) {
    throw new UnauthorizedError(
      'The request carries no IAM identity; call the API with a SigV4-signed request (awscurl, the AWS SDK).',
    );
  }
  return arn;
}
