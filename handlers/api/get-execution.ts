/**
 * `GET /executions/{arn}`: one execution of the app's workflows (a restore, a cutover, an inventory refresh), as
 * Step Functions describes it, with input and output parsed. Only executions of the state machines in
 * `DESCRIBABLE_STATE_MACHINE_ARNS` are described; any other ARN is 404 before Step Functions is asked.
 * API Gateway passes a REST path parameter as sent, so the ARN may come percent-encoded (`arn%3Aaws%3A...`).
 */
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, type SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { requireEnv, stepFunctions } from '../shared/clients';
import { fromAwsError, InvalidInputError, NotFoundError, UnexpectedError } from '../shared/errors';
import { apiHandler } from '../shared/http';

const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]{1,80}:[^\s:]{1,80}$/;

export const GetExecutionPath = z.strictObject({ arn: z.string().min(1) });

export interface ExecutionView {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate?: string;
  readonly stopDate?: string;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

export interface ExecutionDependencies {
  readonly sfn: SFNClient;
  readonly describable: readonly string[];
}

/** The ARN as sent (raw or percent-encoded), checked to be an execution ARN. */
export function executionArnOf(raw: string): string {
  let arn: string;
  try {
    arn = decodeURIComponent(raw);
  } catch {
    throw new InvalidInputError(`Invalid path parameters: path.arn: is not valid percent-encoding ("${raw}").`);
  }
  if (!EXECUTION_ARN.test(arn)) {
    throw new InvalidInputError(
      'Invalid path parameters: path.arn: must be a Step Functions execution ARN ' +
        '(arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME), percent-encoded or not.',
    );
  }
  return arn;
}

export async function describeExecution(arn: string, deps: ExecutionDependencies): Promise<ExecutionView> {
  const machineArn = arn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, '');
  const notFound = () =>
    new NotFoundError(`No execution ${arn} of the app's workflows; start one, or check the ARN the start returned.`);
  if (!deps.describable.includes(machineArn)) throw notFound();
  let described: DescribeExecutionCommandOutput;
  try {
    described = await deps.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  } catch (error) {
    if ((error as { name?: string }).name === 'ExecutionDoesNotExist') throw notFound();
    throw fromAwsError(error, `Describing ${arn}`);
  }
  return {
    executionArn: arn,
    stateMachineArn: described.stateMachineArn ?? machineArn,
    name: described.name ?? arn.split(':').pop()!,
    status: described.status ?? 'UNKNOWN',
    ...(described.startDate && { startDate: described.startDate.toISOString() }),
    ...(described.stopDate && { stopDate: described.stopDate.toISOString() }),
    ...(described.input !== undefined && { input: parsed(described.input) }),
    ...(described.output !== undefined && { output: parsed(described.output) }),
    ...(described.error !== undefined && { error: described.error }),
    ...(described.cause !== undefined && { cause: described.cause }),
  };
}

function parsed(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

export function describableFromEnv(json: string | undefined): string[] {
  const result = z.array(z.string().startsWith('arn:')).safeParse(safeJson(json));
  if (!result.success) {
    throw new UnexpectedError(
      'Environment variable DESCRIBABLE_STATE_MACHINE_ARNS does not hold a JSON list of ARNs (a deployment bug).',
    );
  }
  return result.data;
}

function safeJson(json: string | undefined): unknown {
  try {
    return JSON.parse(json ?? '');
  } catch {
    return undefined;
  }
}

export const handler = apiHandler({ operation: 'get-execution', path: GetExecutionPath }, async (request) => {
  const arn = executionArnOf(request.path.arn);
  const describable = describableFromEnv(requireEnv('DESCRIBABLE_STATE_MACHINE_ARNS'));
  return { body: await describeExecution(arn, { sfn: stepFunctions(), describable }) };
});
