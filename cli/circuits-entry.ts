/**
 * `rds-ops circuits ...` against AWS (the default: the SDK's credentials and region, table names from
 * flags or environment) or against the local runtime (`--local`, state kept in `--data-dir`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScaledClock } from '../local/clock';
import { LocalRuntime } from '../local/runtime';
import { tableName } from '../local/scenarios/tables';
import { loadAppModel } from '../local/template/synthesize';
import { runCircuitsCommand } from './circuits/circuits-command';
import type { CliIo } from './cli-io';
import { UsageError } from './errors';

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
  if (flags.local) {
    const runtime = await LocalRuntime.start({
      model: loadAppModel(),
      clock: new ScaledClock(1),
      dataDir: flags.dataDir,
    });
    try {
      return await runCircuitsCommand([...rest], {
        dynamo: DynamoDBDocumentClient.from(runtime.dynamoDbClient),
        circuitTable: tableName(runtime, 'CircuitBreakers'),
        auditTable: tableName(runtime, 'AuditLog'),
        now: () => runtime.clock.now(),
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
  const client = new DynamoDBClient({});
  try {
    return await runCircuitsCommand([...rest], {
      dynamo: DynamoDBDocumentClient.from(client),
      circuitTable,
      auditTable,
      now: () => Date.now(),
      out,
      err,
    });
  } finally {
    client.destroy();
  }
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
