/** Parses a Task `Resource` into the integration it names. */

export type IntegrationPattern = 'request-response' | 'sync' | 'wait-for-task-token';

export type ParsedResource =
  | {
      readonly kind: 'optimized';
      readonly service: string;
      readonly action: string;
      readonly pattern: IntegrationPattern;
    }
  | {
      readonly kind: 'aws-sdk';
      readonly service: string;
      readonly action: string;
      readonly pattern: IntegrationPattern;
    }
  | { readonly kind: 'lambda-function'; readonly functionName: string; readonly qualifier?: string }
  | { readonly kind: 'unknown'; readonly resource: string };

const SERVICE_INTEGRATION =
  /^arn:aws[a-z-]*:states:::(?:(aws-sdk):)?([a-z0-9-]+):([A-Za-z0-9]+)(?:\.(sync(?::2)?|waitForTaskToken))?$/;
const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:[a-z0-9-]*:\d*:function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9$_-]+))?$/;

export function parseResource(resource: string): ParsedResource {
  const integration = SERVICE_INTEGRATION.exec(resource);
  if (integration) {
    const [, sdk, service, action, suffix] = integration;
    const pattern: IntegrationPattern =
      suffix === 'waitForTaskToken' ? 'wait-for-task-token' : suffix ? 'sync' : 'request-response';
    return { kind: sdk ? 'aws-sdk' : 'optimized', service, action, pattern };
  }
  const lambda = LAMBDA_FUNCTION.exec(resource);
  if (lambda) return { kind: 'lambda-function', functionName: lambda[1], ...(lambda[2] && { qualifier: lambda[2] }) };
  return { kind: 'unknown', resource };
}
