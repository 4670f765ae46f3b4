/**
 * Runs a small ASL definition on the local engine (the patched aws-local-stepfunctions, as the runtime
 * configures it) and reports what DescribeExecution would: status, output, error, cause.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { VirtualClock } from '../../local/clock';
import { LocalFunctions } from '../../local/stepfunctions/bindings/lambda-function';
import type { ServiceAction } from '../../local/stepfunctions/bindings/service-actions';
import { parseDefinition } from '../../local/stepfunctions/definition';
import { type ExecutionRecord, LocalStateMachine } from '../../local/stepfunctions/local-state-machine';
import { TaskTokenRegistry } from '../../local/stepfunctions/task-tokens';

export interface DefinitionOutcome {
  readonly status: ExecutionRecord['status'];
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

export function localMachine(
  definition: object,
  options: { actions?: Record<string, ServiceAction>; type?: 'STANDARD' | 'EXPRESS'; clock?: VirtualClock } = {},
): LocalStateMachine {
  const clock = options.clock ?? new VirtualClock();
  return new LocalStateMachine(
    {
      name: 'conformance',
      arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:conformance',
      definition: parseDefinition(definition),
      type: options.type,
    },
    {
      clock,
      random: () => 0.5,
      bindings: {
        clock,
        functions: new LocalFunctions([], clock),
        dynamoDb: new DynamoDBClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
        serviceActions: options.actions ?? {},
        tokens: new TaskTokenRegistry(),
      },
    },
  );
}

/** Validating a definition costs ~60 ms: machines without stand-in actions are reused per definition and type. */
const reusable = new Map<string, LocalStateMachine>();

export async function runDefinition(
  definition: object,
  input: unknown = {},
  options: Parameters<typeof localMachine>[1] = {},
): Promise<DefinitionOutcome> {
  const key =
    options.actions || options.clock ? undefined : `${options.type ?? 'STANDARD'}:${JSON.stringify(definition)}`;
  let machine = key ? reusable.get(key) : undefined;
  if (!machine) {
    machine = localMachine(definition, options);
    if (key) reusable.set(key, machine);
  }
  const record = await machine.execute(input);
  return {
    status: record.status,
    ...(record.output !== undefined && { output: record.output }),
    ...(record.error !== undefined && { error: record.error }),
    ...(record.cause !== undefined && { cause: record.cause }),
  };
}

/** A one-state machine whose Pass state computes `{ "result.$": expression }`; returns `result`. */
export async function evaluate(expression: string, input: unknown = {}): Promise<DefinitionOutcome> {
  const outcome = await runDefinition(
    { StartAt: 'Evaluate', States: { Evaluate: { Type: 'Pass', Parameters: { 'result.$': expression }, End: true } } },
    input,
  );
  return outcome.status === 'SUCCEEDED'
    ? { ...outcome, output: (outcome.output as { result: unknown }).result }
    : outcome;
}

/** A Choice state with one rule: outputs 'matched' or 'default'. */
export async function choose(rule: object, input: unknown): Promise<DefinitionOutcome> {
  return runDefinition(
    {
      StartAt: 'Decide',
      States: {
        // asl-validator mistakes a state named "Default" for a missing target, so: Unmatched.
        Decide: { Type: 'Choice', Choices: [{ ...rule, Next: 'Matched' }], Default: 'Unmatched' },
        Matched: { Type: 'Pass', Result: 'matched', End: true },
        Unmatched: { Type: 'Pass', Result: 'default', End: true },
      },
    },
    input,
  );
}
