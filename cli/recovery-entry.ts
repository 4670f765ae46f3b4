/**
 * `rds-ops restore ...` and `rds-ops approvals ...` through the AWS SDK: against AWS (the SDK's credentials and
 * region), or against the local service (`--endpoint URL`, `AWS_ENDPOINT_URL`, or `--local` for
 * `rds-ops local serve` on its default port). The restore state machine is found by its `rds-ops:workflow` tag
 * and the tables by their `rds-ops:table` tags unless flags or RDS_OPS_* variables name them. A decision or a
 * restore request records the caller's identity (STS GetCallerIdentity), with `--actor` (default $USER) as the
 * label beside it.
 */
import { userInfo } from 'node:os';
import {
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { loadConfig } from '../lib/app';
import { WORKFLOW_TAG } from '../lib/constructs/asl-state-machine';
import type { TaskCallbacks } from '../operations/approvals';
import { type AwsClients, createAwsClients, DEFAULT_LOCAL_ENDPOINT } from './aws-clients';
import type { CliIo } from './cli-io';
import { runDrillsCommand } from './drills-command';
import { EndpointUnreachableError, UsageError } from './errors';
import { findTablesByTag } from './ops-tables';
import { runApprovalsCommand } from './restore/approvals-command';
import { runRestoreCommand } from './restore/restore-command';

interface Targets {
  local: boolean;
  endpoint?: string;
  stateMachine?: string;
  approvalsTable?: string;
  auditTable?: string;
}

const VALUE_FLAGS: Readonly<Record<string, 'endpoint' | 'stateMachine' | 'approvalsTable' | 'auditTable'>> = {
  '--endpoint': 'endpoint',
  '--state-machine': 'stateMachine',
  '--approvals-table': 'approvalsTable',
  '--audit-table': 'auditTable',
};
/** STS identities longer than this do not fit a restore request's requestedBy; the name is used instead. */
const MAX_REQUESTER = 200;

export async function runRestoreEntry(argv: readonly string[], io: CliIo): Promise<number> {
  const { targets, rest } = takeTargets(argv);
  const clients = clientsFor(targets);
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
      stepFunctions: clients.stepFunctions,
      stateMachineArn: () => restoreStateMachine(clients, targets.stateMachine),
      out,
      err: (line) => io.err(line),
      // Only a new restore without --requested-by asks STS who is calling; following or listing does not.
      requester: async () => {
        const identity = await callerIdentity(clients);
        return identity.length <= MAX_REQUESTER ? identity : (process.env.USER ?? userInfo().username);
      },
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
    clients.destroy();
  }
}

export async function runApprovalsEntry(argv: readonly string[], io: CliIo): Promise<number> {
  const { targets, rest } = takeTargets(argv);
  const clients = clientsFor(targets);
  try {
    const { approvalsTable, auditTable } = await tablesOf(targets, clients);
    return await runApprovalsCommand(rest, {
      store: {
        dynamo: clients.dynamo,
        approvalsTable,
        auditTable,
        callbacks: sdkCallbacks(clients.stepFunctions),
        now: () => Date.now(),
      },
      out: (line) => io.out(line),
      defaultActor: process.env.USER ?? userInfo().username,
      identity: () => callerIdentity(clients),
    });
  } finally {
    clients.destroy();
  }
}

/** `rds-ops drills run|report`: dr-drill found by its workflow tag, audit-log by its table tag. */
export async function runDrillsEntry(argv: readonly string[], io: CliIo): Promise<number> {
  const { targets, rest } = takeTargets(argv);
  const clients = clientsFor(targets);
  const aborter = new AbortController();
  const onInterrupt = () => aborter.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await runDrillsCommand(rest, {
      stepFunctions: clients.stepFunctions,
      documents: clients.dynamo,
      stateMachineArn: () =>
        workflowStateMachine(clients, 'dr-drill', targets.stateMachine ?? process.env.RDS_OPS_DRILL_STATE_MACHINE),
      auditTable: async () => (await tablesOf(targets, clients, ['auditLog'])).auditTable!,
      requester: async () => {
        const identity = await callerIdentity(clients);
        return identity.length <= MAX_REQUESTER ? identity : (process.env.USER ?? userInfo().username);
      },
      out: (line) => io.out(line),
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      signal: aborter.signal,
    });
  } finally {
    process.off('SIGINT', onInterrupt);
    clients.destroy();
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
export async function restoreStateMachine(clients: AwsClients, given: string | undefined): Promise<string> {
  return workflowStateMachine(clients, 'restore-table', given ?? process.env.RDS_OPS_RESTORE_STATE_MACHINE);
}

/** A workflow's state machine: the given ARN, or the one tagged `rds-ops:workflow=<workflow>`. */
export async function workflowStateMachine(
  clients: AwsClients,
  workflow: string,
  named: string | undefined,
): Promise<string> {
  if (named) return named;
  const { stepFunctions } = clients;
  let nextToken: string | undefined;
  try {
    do {
      const page = await stepFunctions.send(new ListStateMachinesCommand({ nextToken }));
      for (const machine of page.stateMachines ?? []) {
        const { tags } = await stepFunctions.send(
          new ListTagsForResourceCommand({ resourceArn: machine.stateMachineArn }),
        );
        if (tags?.some((tag) => tag.key === WORKFLOW_TAG && tag.value === workflow)) return machine.stateMachineArn!;
      }
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    throw unreachable(clients, error) ?? error;
  }
  throw new UsageError(
    `no state machine tagged ${WORKFLOW_TAG}=${workflow} at ${where(clients)}; pass --state-machine ARN ` +
      `(or RDS_OPS_${workflow === 'dr-drill' ? 'DRILL' : 'RESTORE'}_STATE_MACHINE), from the Workflows stack, or ` +
      'start the local service and add --local.',
  );
}

async function tablesOf(
  targets: Targets,
  clients: AwsClients,
  needed: readonly ('rdsApprovals' | 'auditLog')[] = ['rdsApprovals', 'auditLog'],
): Promise<{ approvalsTable: string; auditTable: string }> {
  let approvalsTable =
    targets.approvalsTable ??
    process.env.RDS_OPS_APPROVALS_TABLE ??
    (needed.includes('rdsApprovals') ? undefined : '-');
  let auditTable = targets.auditTable ?? process.env.RDS_OPS_AUDIT_TABLE;
  if (!approvalsTable || !auditTable) {
    const stage = loadConfig().stage;
    const found = await findTablesByTag(clients.dynamoDb, stage, [...needed]).catch((error: Error) => {
      throw (
        unreachable(clients, error) ??
        new UsageError(
          `could not look the tables up by their rds-ops:table tag (${error.name}: ${error.message}); ${TABLES_HINT}`,
        )
      );
    });
    approvalsTable ??= found.rdsApprovals;
    auditTable ??= found.auditLog;
    if (!approvalsTable || !auditTable) {
      throw new UsageError(
        `no rds-approvals and audit-log tables of stage "${stage}" at ${where(clients)}; ${TABLES_HINT}`,
      );
    }
  }
  return { approvalsTable, auditTable };
}

const TABLES_HINT =
  'name them with --approvals-table and --audit-table (or RDS_OPS_APPROVALS_TABLE / RDS_OPS_AUDIT_TABLE, from ' +
  'the Data stack outputs), or start the local service (rds-ops local serve) and add --local.';

/** Who the credentials belong to: the IAM ARN STS reports (locally, the local service's user). */
async function callerIdentity(clients: AwsClients): Promise<string> {
  try {
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Arn) throw new Error('STS GetCallerIdentity returned no Arn.');
    return identity.Arn;
  } catch (error) {
    throw unreachable(clients, error) ?? error;
  }
}

/** A refused connection to an explicit endpoint means the local service is not running: say so in one line. */
function unreachable(clients: AwsClients, error: unknown): EndpointUnreachableError | undefined {
  const endpoint = clients.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const { code, message } = error as NodeJS.ErrnoException;
  if (!endpoint || !(code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message ?? ''))) return undefined;
  return new EndpointUnreachableError(
    `nothing answers at ${endpoint}: start the local service first (rds-ops local serve), or check --endpoint.`,
    { cause: error },
  );
}

function where(clients: AwsClients): string {
  return clients.endpoint ?? process.env.AWS_ENDPOINT_URL ?? 'AWS';
}

function clientsFor(targets: Targets): AwsClients {
  const endpoint = targets.endpoint ?? (targets.local ? DEFAULT_LOCAL_ENDPOINT : undefined);
  return createAwsClients({ ...(endpoint && { endpoint }) });
}

/** Pulls out the flags that choose where the workflows and tables live; the rest goes to the command. */
function takeTargets(argv: readonly string[]): { targets: Targets; rest: string[] } {
  const targets: Targets = { local: false };
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === '--local') {
      targets.local = true;
      continue;
    }
    const key = VALUE_FLAGS[argument];
    if (!key) {
      rest.push(argument);
      continue;
    }
    const value = argv[++index];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${argument} needs a value.`);
    targets[key] = value;
  }
  if (targets.local && targets.endpoint) throw new UsageError('give --local or --endpoint URL, not both.');
  return { targets, rest };
}
