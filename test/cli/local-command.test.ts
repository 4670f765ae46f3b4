/**
 * The `rds-ops local ...` contract: what each subcommand prints and its exit code (0 success, 1 an execution
 * failed, 2 bad usage or input, in one line on stderr).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppModel } from '../../local/template/app-model';
import { loadAppModel } from '../../local/template/synthesize';
import { runCli } from '../helpers/cli';

// Every CLI call synthesizes the app (~3 s); the app is the same for every call here, so synthesize it once.
jest.mock('../../local/template/synthesize', () => {
  const actual = jest.requireActual('../../local/template/synthesize');
  let model: AppModel | undefined;
  return { ...actual, loadAppModel: () => (model ??= actual.loadAppModel()) };
});

const THROTTLE_PLAN = JSON.stringify({
  seed: 1,
  faults: [
    {
      target: { service: 'rds', action: 'describeDBInstances' },
      error: 'Throttling',
      cause: 'Rate exceeded',
      rate: 1,
    },
  ],
});

interface ExecutionJson {
  readonly status: string;
  readonly output?: Record<string, unknown>;
  readonly error?: string;
  readonly cause?: string;
  readonly historyEventCount: number;
  readonly trace: {
    type: string;
    state?: string;
    call?: {
      params: Record<string, unknown>;
      childExecutions?: { stateMachineArn: string; status: string; output?: unknown; trace: { type: string }[] }[];
    };
  }[];
}

interface ExecuteJson {
  readonly executions: ExecutionJson[];
  readonly summary: {
    readonly total: number;
    readonly byStatus: Record<string, number>;
    readonly callsByResource: Record<string, number>;
    readonly callsByState: Record<string, number>;
  };
}

const DESCRIBE = 'arn:aws:states:::aws-sdk:rds:describeDBInstances';

let dir: string;
let model: AppModel;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rds-ops-local-cli-'));
  model = loadAppModel();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, content: string | object): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function scheduleRuleName(): string {
  return model.rules.find((rule) => rule.scheduleExpression !== undefined)!.name;
}

/** An exit code with one line on stderr: what the README promises for bad usage or input. */
function usageFailure(result: { code: number; err: string; out: string }) {
  return { code: result.code, errLines: result.err.trim().split('\n').length, out: result.out };
}

describe('rds-ops local execute', () => {
  it('prints every execution and a summary as JSON with --json, and exits 0 when all succeeded', async () => {
    const result = await runCli([
      'local',
      'execute',
      'inventory-refresh',
      '--input',
      '{"trigger":"manual"}',
      '--virtual',
      '--json',
    ]);
    const printed = JSON.parse(result.out) as ExecuteJson;
    const [execution] = printed.executions;

    expect({ code: result.code, err: result.err }).toEqual({ code: 0, err: '' });
    expect(printed.executions).toHaveLength(1);
    // error and cause are undefined on success, so JSON leaves them out (the failing run below prints them).
    expect(Object.keys(execution)).toEqual(expect.arrayContaining(['status', 'output', 'trace']));
    expect({ status: execution.status, error: execution.error, cause: execution.cause }).toEqual({
      status: 'SUCCEEDED',
    });
    expect(execution.output).toEqual(expect.objectContaining({ trigger: 'manual' }));
    expect(execution.trace[0]).toEqual(expect.objectContaining({ type: 'ExecutionStarted' }));
    // Every state entered is at least an Entered and an Exited event in the AWS history, plus start and end.
    const statesEntered = execution.trace.filter((event) => event.type === 'StateEntered').length;
    expect(execution.historyEventCount).toBeGreaterThanOrEqual(2 * statesEntered + 2);
    expect(printed.summary).toEqual(
      expect.objectContaining({
        total: 1,
        byStatus: { SUCCEEDED: 1 },
        callsByResource: expect.objectContaining({ [DESCRIBE]: 2 }),
        callsByState: expect.objectContaining({ 'List RDS instances': 2, 'Check the RDS API circuit': 2 }),
      }),
    );
  });

  it('shows the breaker execution behind each circuit check, nested under the Task, with --json', async () => {
    const result = await runCli(['local', 'execute', 'inventory-refresh', '--virtual', '--json']);
    const [execution] = (JSON.parse(result.out) as ExecuteJson).executions;
    const checks = execution!.trace.filter(
      (event) => event.type === 'StateExited' && event.state === 'Check the RDS API circuit',
    );
    const children = checks.flatMap((event) => event.call?.childExecutions ?? []);

    expect(checks).toHaveLength(2);
    expect(children).toHaveLength(2);
    for (const child of children) {
      expect(child).toEqual(
        expect.objectContaining({
          stateMachineArn: expect.stringContaining('CircuitBreaker'),
          status: 'SUCCEEDED',
          output: expect.objectContaining({ decision: 'CALL', reportSuccess: false }),
        }),
      );
      expect(child.trace.map((event) => event.type)).toEqual(
        expect.arrayContaining(['ExecutionStarted', 'StateEntered', 'ExecutionSucceeded']),
      );
    }
  });

  it('runs --count executions --concurrency at a time on one shared runtime', async () => {
    const result = await runCli([
      'local',
      'execute',
      'inventory-refresh',
      '--input',
      '{"trigger":"manual"}',
      '--count',
      '5',
      '--concurrency',
      '5',
      '--virtual',
      '--json',
    ]);
    const printed = JSON.parse(result.out) as ExecuteJson;

    expect(printed.summary.total).toBe(5);
    expect(printed.executions).toHaveLength(5);
    expect(printed.executions.map((execution) => [execution.status, execution.error])).toEqual(
      Array(5).fill(['SUCCEEDED', undefined]),
    );
    expect(printed.summary.byStatus).toEqual({ SUCCEEDED: 5 });
    expect(printed.summary.callsByResource[DESCRIBE]).toBe(10);
    expect(result.code).toBe(0);
  });

  it('runs a raw ASL file, filling its placeholders with the values the synthesized app uses', async () => {
    const passOnly = writeFile('pass-only.asl.json', {
      StartAt: 'Say hello',
      States: { 'Say hello': { Type: 'Pass', Result: { hello: 'world' }, ResultPath: '$.greeting', End: true } },
    });
    const withPlaceholders = writeFile('read-circuit.asl.json', {
      StartAt: 'Read the RDS API circuit',
      States: {
        'Read the RDS API circuit': {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder, filled from the app's substitutions
          Parameters: { TableName: '${CircuitTableName}', Key: { circuit: { S: 'rds-api' } }, ConsistentRead: true },
          ResultPath: '$.circuit',
          End: true,
        },
      },
    });
    const circuitTable = model.tables.find((table) => table.logicalId.startsWith('CircuitBreakersTable'))!.tableName;

    const pass = await runCli(['local', 'execute', passOnly, '--input', '{"n":1}', '--virtual', '--json']);
    const read = await runCli(['local', 'execute', withPlaceholders, '--virtual', '--json']);
    const [passed] = (JSON.parse(pass.out) as ExecuteJson).executions;
    const [readCircuit] = (JSON.parse(read.out) as ExecuteJson).executions;
    const call = readCircuit.trace.find((event) => event.type === 'StateExited' && event.call)?.call;

    expect(pass.code).toBe(0);
    expect(passed.output).toEqual({ n: 1, greeting: { hello: 'world' } });
    expect(read.code).toBe(0);
    expect(readCircuit.status).toBe('SUCCEEDED');
    expect(call?.params.TableName).toBe(circuitTable);
  });

  it('writes each execution as a self-contained HTML report with --report, the same view as the console', async () => {
    // Prepare
    const passOnly = writeFile('report-me.asl.json', {
      StartAt: 'Say hello',
      States: {
        'Say hello': { Type: 'Pass', Result: { note: '</script><b>x</b>' }, ResultPath: '$.greeting', End: true },
      },
    });
    const file = path.join(dir, 'one.html');
    const reportsDir = path.join(dir, 'reports');

    // Act
    const one = await runCli(['local', 'execute', passOnly, '--virtual', '--report', file]);
    const two = await runCli(['local', 'execute', passOnly, '--virtual', '--count', '2', '--report', reportsDir]);

    // Assess
    expect(one.code).toBe(0);
    expect(one.out).toContain(`Report: ${file}`);
    const html = readFileSync(file, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="execution-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(data.execution.status).toBe('SUCCEEDED');
    expect(data.layout.nodes.map((node: { id: string }) => node.id)).toContain('Say hello');
    expect(html).not.toContain('</script><b>');
    expect(two.code).toBe(0);
    expect(readdirSync(reportsDir)).toHaveLength(2);
    expect(readdirSync(reportsDir).every((name) => /^report-me-[\w-]+\.html$/.test(name))).toBe(true);
  });

  it('exits 2 with one line naming the problem for an ASL file that is not JSON, not ASL, not valid or not fillable', async () => {
    const notJson = writeFile('not-json.asl.json', 'StartAt: Nope\nStates: {}\n');
    const notAsl = writeFile('not-asl.asl.json', { Comment: 'a config file, not a state machine', pages: 2 });
    const dangling = writeFile('dangling.asl.json', {
      StartAt: 'First',
      States: { First: { Type: 'Pass', Next: 'Nowhere' } },
    });
    const unknownPlaceholder = writeFile('unknown-placeholder.asl.json', {
      StartAt: 'First',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL placeholder the app does not define
      States: { First: { Type: 'Pass', Result: '${NoSuchTableName}', End: true } },
    });

    const results = [
      await runCli(['local', 'execute', notJson, '--virtual']),
      await runCli(['local', 'execute', notAsl, '--virtual']),
      await runCli(['local', 'execute', dangling, '--virtual']),
      await runCli(['local', 'execute', unknownPlaceholder, '--virtual']),
    ];

    for (const result of results) expect(usageFailure(result)).toEqual({ code: 2, errLines: 1, out: '' });
    expect(results[0].err).toMatch(/InvalidDefinitionError: .*not-json\.asl\.json is not valid JSON/);
    expect(results[1].err).toMatch(/InvalidDefinitionError: .*not-asl\.asl\.json is not an ASL definition/);
    expect(results[2].err).toMatch(/InvalidDefinitionError: .*Nowhere/);
    expect(results[3].err).toMatch(
      /InvalidDefinitionError: .*placeholders the app does not define: \$\{NoSuchTableName\}/,
    );
  });

  it('exits 2 for an unknown state machine, input that is not JSON, and a fault plan that does not parse', async () => {
    const unknown = await runCli(['local', 'execute', 'inventory-refersh', '--input', '{}', '--virtual']);
    const badInput = await runCli(['local', 'execute', 'inventory-refresh', '--input', '{trigger:manual}']);
    const badPlan = await runCli([
      'local',
      'execute',
      'inventory-refresh',
      '--faults',
      JSON.stringify({ seed: 1, faults: [{ target: { service: 'rds' }, error: 'Throttling', rate: 2 }] }),
      '--virtual',
    ]);

    expect(usageFailure(unknown)).toEqual({ code: 2, errLines: 1, out: '' });
    expect(unknown.err).toMatch(/No state machine named "inventory-refersh".*inventory-refresh/);
    expect(usageFailure(badInput)).toEqual({ code: 2, errLines: 1, out: '' });
    expect(badInput.err).toMatch(/--input: .*not valid JSON/);
    expect(usageFailure(badPlan)).toEqual({ code: 2, errLines: 1, out: '' });
    expect(badPlan.err).toMatch(/InvalidFaultPlanError: .*faults\[0\]\.rate: must be between 0 and 1/);
  });

  it('exits 1 when an execution fails, here on an RDS throttled by a fault plan', async () => {
    const planFile = writeFile('throttle.json', THROTTLE_PLAN);

    const result = await runCli([
      'local',
      'execute',
      'inventory-refresh',
      '--input',
      '{}',
      '--faults',
      `@${planFile}`,
      '--virtual',
      '--json',
    ]);
    const [execution] = (JSON.parse(result.out) as ExecuteJson).executions;

    expect(result.code).toBe(1);
    expect(Object.keys(execution)).toEqual(expect.arrayContaining(['status', 'error', 'cause', 'trace']));
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Rds.RdsException');
    expect(execution.cause).toContain('Rate exceeded');
  });
});

describe('rds-ops local send-event, list and fire-schedule', () => {
  it('says that no rule matched an event that matches none, and exits 0', async () => {
    const event = { source: 'rds-ops.app', 'detail-type': 'Nobody Listens', detail: { table: 'orders' } };

    const result = await runCli(['local', 'send-event', '--event', JSON.stringify(event), '--virtual']);

    expect(result.code).toBe(0);
    expect(result.out).toContain('No rule matched the event.');
  });

  it('lists the inventory-refresh machine, its schedule rule and the eight tables', async () => {
    const machine = model.stateMachines.find((candidate) => candidate.workflow === 'inventory-refresh')!;

    const result = await runCli(['local', 'list']);
    const tablesSection = result.out.slice(result.out.indexOf('Tables:'));

    expect(result.code).toBe(0);
    expect(result.out).toMatch(/State machines:\n {2}circuit-breaker {2}\(EXPRESS, /);
    expect(result.out).toMatch(/\n {2}inventory-refresh {2}\(STANDARD, /);
    expect(result.out).toContain(`${scheduleRuleName()}  rate(15 minutes)  -> ${machine.arn}`);
    expect(tablesSection.trim().split('\n').slice(1)).toHaveLength(8);
    expect(model.tables).toHaveLength(8);
    for (const table of model.tables) expect(tablesSection).toContain(`  ${table.tableName}  (`);
  });

  it('fires a schedule rule now, which runs the inventory refresh with the scheduled input', async () => {
    const result = await runCli(['local', 'fire-schedule', scheduleRuleName(), '--virtual', '--json']);
    const { executions } = JSON.parse(result.out) as { executions: ExecutionJson[] };

    expect(executions).toHaveLength(1);
    expect({ status: executions[0].status, error: executions[0].error }).toEqual({ status: 'SUCCEEDED' });
    expect(executions[0].output).toEqual(expect.objectContaining({ trigger: 'schedule' }));
    expect(result.code).toBe(0);
  });

  it('exits 2 with one line naming the known rules when fire-schedule names a rule that does not exist', async () => {
    const result = await runCli(['local', 'fire-schedule', 'InventoryRefreshSchedule', '--virtual']);

    expect(usageFailure(result)).toEqual({ code: 2, errLines: 1, out: '' });
    expect(result.err).toContain(scheduleRuleName());
  });
});
