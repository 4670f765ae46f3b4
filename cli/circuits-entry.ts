/**
 * `rds-ops circuits ...` through the AWS SDK: against AWS (the SDK's credentials and region), or against the
 * local service (`--endpoint URL`, `AWS_ENDPOINT_URL`, or `--local` for `rds-ops local serve` on its default
 * port). Tables come from flags, the environment, or their `rds-ops:table` tags. A manual change records the
 * caller's identity (STS GetCallerIdentity) as its actor, with `--actor` (default $USER) as a label beside it.
 */

import { userInfo } from 'node:os';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { loadConfig } from '../lib/app';
import { circuitStateChangedEntry, circuitStateMetric } from '../lib/circuit-breaker/announcement';
import { withoutPolicy } from '../lib/circuit-breaker/settings';
import { DEFAULT_CIRCUIT } from '../lib/config';
import { type AwsClients, createAwsClients, DEFAULT_LOCAL_ENDPOINT } from './aws-clients';
import { runCircuitsCommand } from './circuits/circuits-command';
import type { CliIo } from './cli-io';
import { EndpointUnreachableError, UsageError } from './errors';
import { findTablesByTag } from './ops-tables';

interface TargetFlags {
  local: boolean;
  endpoint?: string;
  circuitTable?: string;
  auditTable?: string;
}

const NAMED_VERBS = new Set(['show', 'open', 'close', 'reset']);
const CHANGING_VERBS = new Set(['open', 'close', 'reset']);

export async function runCircuitsEntry(argv: readonly string[], io: CliIo): Promise<number> {
  const { flags, rest } = takeTargetFlags(argv);
  const config = loadConfig();
  assertDeclaredCircuit(rest, Object.keys(config.circuits));
  const settingsOf = (circuit: string) => withoutPolicy(config.circuits[circuit] ?? DEFAULT_CIRCUIT);
  const endpoint = flags.endpoint ?? (flags.local ? DEFAULT_LOCAL_ENDPOINT : undefined);
  const clients = createAwsClients({ ...(endpoint && { endpoint }) });
  try {
    const { circuitTable, auditTable } = await tablesOf(flags, clients, config.stage);
    // Only a change needs to know who makes it; reading circuits makes no STS call.
    const identity = CHANGING_VERBS.has(rest[0] ?? '') ? await callerIdentity(clients) : undefined;
    return await runCircuitsCommand([...rest], {
      dynamo: clients.dynamo,
      circuitTable,
      auditTable,
      now: () => Date.now(),
      defaultActor: process.env.USER ?? userInfo().username,
      ...(identity && { identity }),
      settingsOf,
      announce: async (change) => {
        await clients.events.send(new PutEventsCommand({ Entries: [circuitStateChangedEntry(change)] }));
        await clients.cloudwatch.send(new PutMetricDataCommand(circuitStateMetric(change)));
      },
      out: (line) => io.out(line),
      err: (line) => io.err(line),
    });
  } finally {
    clients.destroy();
  }
}

async function tablesOf(
  flags: TargetFlags,
  clients: AwsClients,
  stage: string,
): Promise<{ circuitTable: string; auditTable: string }> {
  let circuitTable = flags.circuitTable ?? process.env.RDS_OPS_CIRCUIT_TABLE;
  let auditTable = flags.auditTable ?? process.env.RDS_OPS_AUDIT_TABLE;
  if (!circuitTable || !auditTable) {
    const found = await findTablesByTag(clients.dynamoDb, stage, ['circuitBreakers', 'auditLog']).catch(
      (error: NodeJS.ErrnoException) => {
        const where = clients.endpoint ?? process.env.AWS_ENDPOINT_URL;
        if (where && (error.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(error.message))) {
          throw new EndpointUnreachableError(
            `nothing answers at ${where}: start the local service first (rds-ops local serve), or check --endpoint.`,
            { cause: error },
          );
        }
        throw new UsageError(
          `could not look the tables up by their rds-ops:table tag (${error.name}: ${error.message}); ${TABLES_HINT}`,
        );
      },
    );
    circuitTable ??= found.circuitBreakers;
    auditTable ??= found.auditLog;
  }
  if (!circuitTable || !auditTable) {
    const where = clients.endpoint ?? process.env.AWS_ENDPOINT_URL ?? 'AWS';
    throw new UsageError(
      `no circuit-breakers and audit-log tables of stage "${stage}" found at ${where}; ${TABLES_HINT}`,
    );
  }
  return { circuitTable, auditTable };
}

const TABLES_HINT =
  'name them with --circuit-table and --audit-table (or RDS_OPS_CIRCUIT_TABLE / RDS_OPS_AUDIT_TABLE, from the ' +
  'Data stack outputs), or start the local service (rds-ops local serve) and add --local.';

/** Who the credentials belong to: the IAM ARN STS reports (locally, the local service's user). */
async function callerIdentity(clients: AwsClients): Promise<string> {
  const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
  if (!identity.Arn) throw new Error('STS GetCallerIdentity returned no Arn.');
  return identity.Arn;
}

/** A circuit the config does not declare is a typo: nothing gates on it, so changing it would change nothing. */
function assertDeclaredCircuit(argv: readonly string[], declared: readonly string[]): void {
  const [verb, name] = argv;
  if (!NAMED_VERBS.has(verb) || name === undefined || name.startsWith('--') || declared.includes(name)) return;
  throw new UsageError(`no circuit named "${name}" in the config; circuits: ${declared.join(', ')}.`);
}

/** Pulls out the flags that choose where circuits live; the rest goes to the circuits command. */
function takeTargetFlags(argv: readonly string[]): { flags: TargetFlags; rest: string[] } {
  const flags: TargetFlags = { local: false };
  const rest: string[] = [];
  const flagValue = (flag: string, index: number): string => {
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
    return value;
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--local') flags.local = true;
    else if (argument === '--endpoint') flags.endpoint = flagValue(argument, index++);
    else if (argument === '--circuit-table') flags.circuitTable = flagValue(argument, index++);
    else if (argument === '--audit-table') flags.auditTable = flagValue(argument, index++);
    else if (argument === '--data-dir') {
      throw new UsageError(
        '--data-dir belongs to the local service now: run "rds-ops local serve --data-dir DIR", then circuits --local.',
      );
    } else rest.push(argument);
  }
  return { flags, rest };
}
