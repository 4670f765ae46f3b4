/**
 * `rds-ops local serve` as an operator runs it, in its own process: the export line to paste, one service per
 * data directory, a port in use named, SIGTERM stopping it gracefully with exit code 0 and the state saved.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { LOCK_FILE_NAME } from '../../local/server/data-dir-lock';

const ROOT = path.join(__dirname, '..', '..');
const EXPORT_LINE =
  /^export AWS_ENDPOINT_URL=(http:\/\/127\.0\.0\.1:(\d+)) AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local$/m;

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every process a test started, killed after the suite even when a test failed halfway. */
const started: ChildProcessWithoutNullStreams[] = [];

function rdsOps(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['cli/bin.cjs', ...args], { cwd: ROOT, env: { ...process.env } });
  started.push(child);
  return child;
}

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function collect(child: ChildProcessWithoutNullStreams): { output: () => string; exited: Promise<Finished> } {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return {
    output: () => stdout,
    exited: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))),
  };
}

async function until<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out');
}

describe('rds-ops local serve', () => {
  let dataDir: string;
  let serve: ChildProcessWithoutNullStreams | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rds-ops-serve-cli-'));
  });
  afterAll(() => {
    serve?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the export line, refuses a second service and a taken port, and stops on SIGTERM with exit 0', async () => {
    serve = rdsOps(['local', 'serve', '--port', '0', '--data-dir', dataDir]);
    const served = collect(serve);
    const [, endpoint, port] = await until(() => EXPORT_LINE.exec(served.output()) ?? undefined, 60_000);

    const second = collect(rdsOps(['local', 'serve', '--port', '0', '--data-dir', dataDir])).exited;
    const samePort = collect(rdsOps(['local', 'serve', '--port', port])).exited;
    const sfn = new SFNClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const machines = await sfn.send(new ListStateMachinesCommand({}));
    // Not its Express page saver (InventoryRefreshSavePage...)
    const refresh = machines.stateMachines!.find((machine) => machine.name?.includes('InventoryRefreshStateMachine'))!;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: refresh.stateMachineArn }));
    let status: string | undefined;
    for (let attempt = 0; attempt < 200 && (status === undefined || status === 'RUNNING'); attempt++) {
      status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
      if (status === 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    sfn.destroy();
    const [refused, portTaken] = await Promise.all([second, samePort]);
    serve.kill('SIGTERM');
    const stopped = await served.exited;
    serve = undefined;

    expect(stopped.stdout).toMatch(/^export RDS_OPS_CIRCUIT_TABLE=\S+ RDS_OPS_AUDIT_TABLE=\S+$/m);
    expect(stopped.stdout).toContain(`inventory-refresh  (STANDARD, ${refresh.stateMachineArn})`);
    expect(status).toBe('SUCCEEDED');
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^rds-ops: DataDirInUseError: ${dataDir} is in use by rds-ops local serve on ${endpoint} \\(pid \\d+\\)`,
        ),
      ),
    ]);
    expect(portTaken.code).toBe(1);
    expect(portTaken.stderr.trim()).toMatch(
      new RegExp(`^rds-ops: PortUnavailableError: port ${port} on 127\\.0\\.0\\.1 is already in use\\.`),
    );
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toBe('');
    expect(stopped.stdout).toMatch(
      new RegExp(`Stopped: 0 running execution\\(s\\) aborted; state saved in ${dataDir}\\.`),
    );
    expect(existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'executions.json'), 'utf8')) as { executions: unknown[] };
    expect(saved.executions).toEqual([expect.objectContaining({ executionArn, status: 'SUCCEEDED' })]);
  }, 120_000);
});
