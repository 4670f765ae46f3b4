/**
 * The local service in-process on a free port, with the AWS SDK pointed at it only through the environment
 * (`AWS_ENDPOINT_URL` and the credentials `rds-ops local serve` prints), as a user's shell would be.
 */
import type { Clock } from '../../local/clock';
import { type LocalService, startLocalService } from '../../local/server/local-service';
import type { AppModel } from '../../local/template/app-model';

const SDK_ENVIRONMENT = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

export async function startTestService(
  model: AppModel,
  options: { dataDir?: string; clock?: Clock; port?: number } = {},
): Promise<LocalService> {
  return startLocalService({
    loadModel: () => model,
    port: options.port ?? 0,
    runSchedules: false,
    handlerLogLevel: 'SILENT',
    ...(options.dataDir && { dataDir: options.dataDir }),
    ...(options.clock && { clock: options.clock }),
  });
}

/** Points the SDK's default configuration at `endpoint`; returns what puts the environment back. */
export function useEndpoint(endpoint: string): () => void {
  const saved = Object.fromEntries(SDK_ENVIRONMENT.map((name) => [name, process.env[name]]));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  return () => {
    for (const name of SDK_ENVIRONMENT) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  };
}
