/**
 * `rds-ops local serve`: the synthesized app behind one local AWS endpoint until Ctrl-C or SIGTERM. The port
 * and the data directory are checked before the CDK app is loaded, so those errors come at once.
 */
import { parseArgs } from 'node:util';
import type { LocalRuntime } from '../local/runtime';
import { startLocalService } from '../local/server/local-service';
import { printAppInventory } from './app-inventory';
import { type CliIo, EXIT } from './cli-io';
import { UsageError } from './errors';
import { assertFaultPlanTargets, clockFromFlags, dataDirOf, faultPlanOf, handlerLogLevelOf } from './runtime-boot';

/**
 * `local serve`: the app behind one local AWS endpoint until Ctrl-C or SIGTERM, which stop it gracefully
 * (running executions end ABORTED, the data directory is saved and unlocked) with exit code 0.
 */
export async function runServeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      speed: { type: 'string' },
      faults: { type: 'string' },
      'handler-log-level': { type: 'string' },
    },
  });
  const port = portNumber(values.port ?? String(DEFAULT_SERVE_PORT));
  const clock = clockFromFlags(values);
  const faultPlan = faultPlanOf(values);
  const handlerLogLevel = handlerLogLevelOf(values);
  const dataDir = dataDirOf(values);
  const stopRequested = waitForStopSignal();
  const service = await startLocalService({
    // Loaded on demand (require: the CLI runs as CommonJS under tsx): the CDK takes seconds to load.
    loadModel: () =>
      (require('../local/template/synthesize') as typeof import('../local/template/synthesize')).loadAppModel(),
    port,
    clock,
    handlerLogLevel,
    ...(faultPlan && { faultPlan }),
    ...(dataDir && { dataDir }),
    onInternalError: (target, error) =>
      io.err(`rds-ops local serve: ${target} failed inside the service: ${(error as Error)?.stack ?? String(error)}`),
  }).catch((error) => {
    stopRequested.dispose();
    throw error;
  });
  try {
    assertFaultPlanTargets(service.runtime);
  } catch (error) {
    stopRequested.dispose();
    await service.stop();
    throw error;
  }
  printServiceBanner(service.runtime, service.endpoint, { dataDir, speed: values.speed }, io);
  await stopRequested.signal;
  const { abortedExecutions } = await service.stop();
  io.out(`Stopped: ${abortedExecutions} running execution(s) aborted${dataDir ? `; state saved in ${dataDir}` : ''}.`);
  return EXIT.ok;
}

const DEFAULT_SERVE_PORT = 8083;

/** Resolves on the first Ctrl-C or SIGTERM; `dispose` stops listening. */
function waitForStopSignal(): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let stop: (signal: NodeJS.Signals) => void = () => undefined;
  const dispose = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    stop = (received) => {
      dispose();
      resolve(received);
    };
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { signal, dispose };
}

function printServiceBanner(
  runtime: LocalRuntime,
  endpoint: string,
  options: { dataDir?: string; speed?: string },
  io: CliIo,
): void {
  const clock = options.speed ? `${options.speed}x real time` : 'real time';
  io.out(
    `rds-ops local service on ${endpoint} (${clock}; ${options.dataDir ? `data in ${options.dataDir}` : 'data in memory'})`,
  );
  io.out('Paste this into another terminal to use it with the AWS SDK, the AWS CLI and rds-ops:');
  io.out(
    `export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${runtime.model.env.region} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`,
  );
  const tables = tableExports(runtime);
  if (tables) io.out(`export ${tables}`);
  printAppInventory(runtime, io);
  io.out('Ctrl-C (or SIGTERM) stops it: running executions end ABORTED, the data directory is saved.');
}

/** RDS_OPS_CIRCUIT_TABLE / RDS_OPS_AUDIT_TABLE, as `rds-ops circuits` reads them. */
function tableExports(runtime: LocalRuntime): string | undefined {
  const names = runtime.model.tables;
  const circuit = names.find((table) => table.tableId === 'circuitBreakers')?.tableName;
  const audit = names.find((table) => table.tableId === 'auditLog')?.tableName;
  return circuit && audit ? `RDS_OPS_CIRCUIT_TABLE=${circuit} RDS_OPS_AUDIT_TABLE=${audit}` : undefined;
}

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be a port number (0-65535; 0 picks a free one), got "${value}".`);
  return port;
}
