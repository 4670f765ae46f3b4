/** The Step Functions context object (`$$`) as the patched engine hands it to Task handlers. */

export interface ContextObject {
  readonly Execution: {
    readonly Id: string;
    readonly Name: string;
    readonly StartTime: string;
    readonly Input: unknown;
    readonly RoleArn?: string;
    readonly RedriveCount?: number;
  };
  readonly StateMachine: { readonly Id: string; readonly Name: string };
  readonly State?: { readonly Name: string; readonly EnteredTime: string; readonly RetryCount: number };
  readonly Task?: { readonly Token: string };
  readonly Map?: { readonly Item: { readonly Index: number; readonly Value: unknown } };
}

export interface ExecutionIdentity {
  readonly executionArn: string;
  readonly executionName: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn?: string;
}

/** What we pass as the engine's `context` run option; the engine adds Input, StartTime, State and Task. */
export function initialContext(identity: ExecutionIdentity): Record<string, unknown> {
  return {
    Execution: {
      Id: identity.executionArn,
      Name: identity.executionName,
      RoleArn: identity.roleArn,
      RedriveCount: 0,
    },
    StateMachine: { Id: identity.stateMachineArn, Name: identity.stateMachineName },
  };
}

export function asContextObject(value: unknown): ContextObject {
  return value as ContextObject;
}
