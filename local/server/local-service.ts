/**
 * `rds-ops local serve` as a function: the runtime behind the edge port, started in the order that reports
 * problems first (the port, then the data directory, then the app), and stopped gracefully (no new requests, running
 * executions ABORTED, executions and tables saved, the lock released).
 */
import type { Clock } from '../clock';
import type { FaultPlan } from '../faults/fault-plan';
import { LocalRuntime } from '../runtime';
import type { AppModel } from '../template/app-model';
import { type DataDirLock, lockDataDir } from './data-dir-lock';
import { createEdgeRouter } from './edge-router';
import { listenEdge } from './edge-server';

export interface LocalServiceOptions {
  /** Called once the port and the data directory are secured (synthesizing the app takes seconds). */
  readonly loadModel: () => AppModel;
  /** 0 picks a free port. */
  readonly port: number;
  readonly dataDir?: string;
  /** @default real time */
  readonly clock?: Clock;
  readonly faultPlan?: FaultPlan;
  readonly handlerLogLevel?: string;
  /** Run scheduled rules on their schedules, as EventBridge would, and evaluate the alarms every minute. @default true */
  readonly runSchedules?: boolean;
  /** How many finished executions stay listed (and saved). @default 1000 */
  readonly executionHistoryLimit?: number;
  readonly onInternalError?: (target: string, error: unknown) => void;
}

export interface LocalService {
  /** `http://127.0.0.1:<port>`: the value of `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  readonly port: number;
  readonly runtime: LocalRuntime;
  /** Stops serving; resolves with how many executions were still running (they end ABORTED). */
  stop(): Promise<{ readonly abortedExecutions: number }>;
}

export async function startLocalService(options: LocalServiceOptions): Promise<LocalService> {
  const edge = await listenEdge(options.port);
  let lock: DataDirLock | undefined;
  try {
    if (options.dataDir) lock = await lockDataDir(options.dataDir, `rds-ops local serve on ${edge.endpoint}`);
    const runtime = await LocalRuntime.start({
      model: options.loadModel(),
      ...(options.clock && { clock: options.clock }),
      ...(options.faultPlan && { faultPlan: options.faultPlan }),
      ...(options.dataDir && { dataDir: options.dataDir }),
      ...(options.handlerLogLevel && { handlerLogLevel: options.handlerLogLevel }),
      executionHistoryLimit: options.executionHistoryLimit ?? 1000,
    });
    const router = createEdgeRouter(runtime, { endpoint: edge.endpoint, onInternalError: options.onInternalError });
    edge.attach(router);
    if (options.runSchedules ?? true) {
      runtime.bus.startSchedules();
      // CloudWatch evaluates alarms every minute: a metric the schedules (or a client) publish can raise one.
      runtime.alarms.start();
    }
    let stopped: Promise<{ abortedExecutions: number }> | undefined;
    return {
      endpoint: edge.endpoint,
      port: edge.port,
      runtime,
      stop() {
        stopped ??= (async () => {
          await edge.close();
          router.close();
          const abortedExecutions = runtime.runningExecutions().length;
          await runtime.stop();
          await lock?.release();
          return { abortedExecutions };
        })();
        return stopped;
      },
    };
  } catch (error) {
    await edge.close();
    await lock?.release();
    throw error;
  }
}
