/**
 * `rds-ops circuits ...` against AWS (the default: the SDK's credentials and region, table names from
 * flags or environment) or against the local runtime (`--local`, state kept in `--data-dir`).
 */

import { userInfo } from 'node:os';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../lib/app';
import { circuitStateChangedEntry, circuitStateMetric } from '../lib/circuit-breaker/announcement';
import { withoutPolicy } from '../lib/circuit-breaker/settings';
import { DEFAULT_CIRCUIT } from '../lib/config';
import { ScaledClock } from '../local/clock';
import { LocalRuntime } from '../local/runtime';
import { loadAppModel } from '../local/template/synthesize';
import { runCircuitsCommand } from './circuits/circuits-command';
import type { CliIo } from './cli-io';
import { UsageError } from './errors';
import { assertUsableDataDir } from './runtime-boot';

export const DEFAULT_LOCAL_DATA_DIR = '.local-data';

interface TargetFlags {
  local: boolean;
  dataDir: string;
  circuitTable?: string;
  auditTable?: string;
}

export async function runCircuitsEntry(argv: readonly string[], io: CliIo): Promise<number> {
  const { flags, rest } = takeTargetFlags(argv);
  const out = (line: string) => io.out(line);
  const err = (line: string) => io.err(line);
  const config = loadConfig();
  assertDeclaredCircuit(rest, Object.keys(config.circuits));
  const settingsOf = (circuit: string) => withoutPolicy(config.circuits[circuit] ?? DEFAULT_CIRCUIT);
  const defaultActor = process.env.USER ?? userInfo().username;
  if (flags.local) {
    assertUsableDataDir(flags.dataDir);
    const runtime = await LocalRuntime.start({
      model: loadAppModel(),
      clock: new ScaledClock(1),
      dataDir: flags.dataDir,
    });
    try {
      return await runCircuitsCommand([...rest], {
        dynamo: DynamoDBDocumentClient.from(runtime.dynamoDbClient),
        circuitTable: runtime.tableName('circuitBreakers'),
        auditTable: runtime.tableName('auditLog'),
        now: () => runtime.clock.now(),
        defaultActor,
        settingsOf,
        // Locally the event goes to the runtime's bus, as the workflows' events do.
        announce: async (change) => {
          await runtime.services.eventbridge.putEvents({ Entries: [circuitStateChangedEntry(change)] });
          await runtime.services.cloudwatch.putMetricData(circuitStateMetric(change));
        },
        out,
        err,
      });
    } finally {
      await runtime.stop();
    }
  }
  const circuitTable = flags.circuitTable ?? process.env.RDS_OPS_CIRCUIT_TABLE;
  const auditTable = flags.auditTable ?? process.env.RDS_OPS_AUDIT_TABLE;
  if (!circuitTable || !auditTable) {
    throw new UsageError(
      'name the tables with --circuit-table and --audit-table (or RDS_OPS_CIRCUIT_TABLE / RDS_OPS_AUDIT_TABLE, ' +
        'from the Data stack outputs), or add --local for the local runtime.',
    );
  }
  const dynamo = new DynamoDBClient({});
  const events = new EventBridgeClient({});
  const cloudwatch = new CloudWatchClient({});
  try {
    return await runCircuitsCommand([...rest], {
      dynamo: DynamoDBDocumentClient.from(dynamo),
      circuitTable,
      auditTable,
      now: () => Date.now(),
      defaultActor,
      settingsOf,
      announce: async (change) => {
        await events.send(new PutEventsCommand({ Entries: [circuitStateChangedEntry(change)] }));
        await cloudwatch.send(new PutMetricDataCommand(circuitStateMetric(change)));
      },
      out,
      err,
    });
  } finally {
    for (const client of [dynamo, events, cloudwatch]) client.destroy();
  }
}

const NAMED_VERBS = new Set(['show', 'open', 'close', 'reset']);

/** A circuit the config does not declare is a typo: nothing gates on it, so changing it would change nothing. */
function assertDeclaredCircuit(argv: readonly string[], declared: readonly string[]): void {
  const [verb, name] = argv;
  if (!NAMED_VERBS.has(verb) || name === undefined || name.startsWith('--') || declared.includes(name)) return;
  throw new UsageError(`no circuit named "${name}" in the config; circuits: ${declared.join(', ')}.`);
}

/** Pulls out the flags that choose where circuits live; the rest goes to the circuits command. */
function takeTargetFlags(argv: readonly string[]): { flags: TargetFlags; rest: string[] } {
  const flags: TargetFlags = { local: false, dataDir: DEFAULT_LOCAL_DATA_DIR };
  const rest: string[] = [];
  const flagValue = (flag: string, index: number): string => {
    const value = argv[index + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value.`);
    return value;
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--local') flags.local = true;
    else if (argument === '--data-dir') flags.dataDir = flagValue(argument, index++);
    else if (argument === '--circuit-table') flags.circuitTable = flagValue(argument, index++);
    else if (argument === '--audit-table') flags.auditTable = flagValue(argument, index++);
    else rest.push(argument);
  }
  return { flags, rest };
}
