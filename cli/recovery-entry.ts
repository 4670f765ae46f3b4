/**
 * `rds-ops restore ...` and `rds-ops approvals ...` with the AWS SDK: on AWS (the default credential chain and
 * region) or on the local service (`--endpoint URL`, or AWS_ENDPOINT_URL, which the SDK reads itself). Names come
 * from flags or the environment; the restore state machine is otherwise found by its `rds-ops:workflow` tag.
 */
import { userInfo } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WORKFLOW_TAG } from '../lib/constructs/asl-state-machine';
import type { TaskCallbacks } from '../operations/approvals';
import type { CliIo } from './cli-io';
import { UsageError } from './errors';
import { runApprovalsCommand } from './restore/approvals-command';
import { runRestoreCommand } from './restore/restore-command';

interface Targets {
  endpoint?: string;
  stateMachine?: string;
  approvalsTable?: string;
  auditTable?: string;
}

const TARGET_FLAGS: Readonly<Record<string, keyof Targets>> = {
  '--endpoint': 'endpoint',
  '--state-machine': 'stateMachine',
  '--approvals-table': 'approvalsTable',
  '--audit-table': 'auditTable',
};

export async function runRestoreEntry(argv: readonly string[], io: CliIo): Promise<number> {
  const { targets, rest } = takeTargets(argv);
  const stepFunctions = new SFNClient(clientConfig(targets));
  const aborter = new AbortController();
  const onInterrupt = () => aborter.abort();
  process.once('SIGINT', onInterrupt);
  let statusShown = false;
  const out = (line: string) => {
    if (statusShown) process.stdout.write('\r\x1b[K');
    statusShown = false;
    io.out(line);
  };
  try {
    return await runRestoreCommand(rest, {
      stepFunctions,
      stateMachineArn: () => restoreStateMachine(stepFunctions, targets.stateMachine),
      out,
      err: (line) => io.err(line),
      defaultActor: process.env.USER ?? userInfo().username,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      signal: aborter.signal,
      ...(process.stdout.isTTY && {
        status: (line: string) => {
          process.stdout.write(`\r\x1b[K${line}`);
          statusShown = true;
        },
      }),
    });
  } finally {
    process.off('SIGINT', onInterrupt);
    stepFunctions.destroy();
  }
}

export async function runApprovalsEntry(argv: readonly string[], io: CliIo): Promise<number> {
  const { targets, rest } = takeTargets(argv);
  const approvalsTable = targets.approvalsTable ?? process.env.RDS_OPS_APPROVALS_TABLE;
  const auditTable = targets.auditTable ?? process.env.RDS_OPS_AUDIT_TABLE;
  if (!approvalsTable || !auditTable) {
    throw new UsageError(
      'name the tables with --approvals-table and --audit-table (or RDS_OPS_APPROVALS_TABLE / RDS_OPS_AUDIT_TABLE, ' +
        'from the Data stack outputs).',
    );
  }
  const dynamoDb = new DynamoDBClient(clientConfig(targets));
  const stepFunctions = new SFNClient(clientConfig(targets));
  try {
    return await runApprovalsCommand(rest, {
      store: {
        dynamo: DynamoDBDocumentClient.from(dynamoDb),
        approvalsTable,
        auditTable,
        callbacks: sdkCallbacks(stepFunctions),
        now: () => Date.now(),
      },
      out: (line) => io.out(line),
      defaultActor: process.env.USER ?? userInfo().username,
    });
  } finally {
    dynamoDb.destroy();
    stepFunctions.destroy();
  }
}

/** SendTaskSuccess / SendTaskFailure through the SDK. */
export function sdkCallbacks(stepFunctions: SFNClient): TaskCallbacks {
  return {
    async succeed(taskToken, output) {
      await stepFunctions.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    },
    async fail(taskToken, error, cause) {
      await stepFunctions.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    },
  };
}

/** The restore-table state machine: the given ARN, or the one tagged `rds-ops:workflow=restore-table`. */
export async function restoreStateMachine(stepFunctions: SFNClient, given: string | undefined): Promise<string> {
  const named = given ?? process.env.RDS_OPS_RESTORE_STATE_MACHINE;
  if (named) return named;
  let nextToken: string | undefined;
  do {
    const page = await stepFunctions.send(new ListStateMachinesCommand({ nextToken }));
    for (const machine of page.stateMachines ?? []) {
      const { tags } = await stepFunctions.send(
        new ListTagsForResourceCommand({ resourceArn: machine.stateMachineArn }),
      );
      if (tags?.some((tag) => tag.key === WORKFLOW_TAG && tag.value === 'restore-table'))
        return machine.stateMachineArn!;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  throw new UsageError(
    'no state machine tagged rds-ops:workflow=restore-table here; pass --state-machine ARN ' +
      '(or RDS_OPS_RESTORE_STATE_MACHINE), from the Workflows stack.',
  );
}

function clientConfig(targets: Targets) {
  return targets.endpoint ? { endpoint: targets.endpoint } : {};
}

function takeTargets(argv: readonly string[]): { targets: Targets; rest: string[] } {
  const targets: Targets = {};
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const key = TARGET_FLAGS[argv[index]!];
    if (!key) {
      rest.push(argv[index]!);
      continue;
    }
    const value = argv[++index];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${argv[index - 1]} needs a value.`);
    targets[key] = value;
  }
  return { targets, rest };
}
