/**
 * The real cost-snapshot workflow on the synthesized app: yesterday's cost per instance from the Cost Explorer
 * stand-in (paged), the fleet totals cached with a TTL, idempotent re-runs, a backfill, a validation error not
 * retried, transient Cost Explorer throttling absorbed and persistent throttling opening the cost-explorer circuit.
 */
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { VirtualClock } from '../../local/clock';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import { LocalRuntime } from '../../local/runtime';
import { deployedCircuitSettings, readCircuit } from '../../local/scenarios/tables';
import type { ExecutionRecord } from '../../local/stepfunctions/local-state-machine';
import { retrySummary } from '../../local/stepfunctions/retry-summary';
import type { AppModel } from '../../local/template/app-model';
import { loadAppModel } from '../../local/template/synthesize';

const WORKFLOW = 'cost-snapshot';
/** The virtual clock starts here; the default snapshot is the day before. */
const START = '2026-01-01T00:00:00.000Z';
const YESTERDAY = '2025-12-31';
const PAGE_STATE = 'Get a page of RDS costs per instance';
const LIMIT_EXCEEDED = {
  target: { service: 'costexplorer', action: 'getCostAndUsageWithResources' },
  error: 'LimitExceededException',
  cause: 'You have exceeded the rate limit.',
};

let model: AppModel;
let runtime: LocalRuntime;

beforeAll(() => {
  model = loadAppModel();
});

beforeEach(async () => {
  runtime = await LocalRuntime.start({
    model,
    clock: new VirtualClock({ startAt: Date.parse(START) }),
    handlerLogLevel: 'SILENT',
  });
});

afterEach(async () => {
  await runtime.stop();
});

const documents = () => DynamoDBDocumentClient.from(runtime.dynamoDbClient);

async function snapshotItems(date: string): Promise<Record<string, unknown>[]> {
  const { Items } = await documents().send(
    new ScanCommand({
      TableName: runtime.tableName('costSnapshots'),
      FilterExpression: '#date = :date',
      ExpressionAttributeNames: { '#date': 'date' },
      ExpressionAttributeValues: { ':date': date },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

async function cached(cacheKey: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documents().send(
    new GetCommand({ TableName: runtime.tableName('metricsCache'), Key: { cacheKey }, ConsistentRead: true }),
  );
  return Item;
}

async function auditEntries(): Promise<Record<string, unknown>[]> {
  const { Items } = await documents().send(
    new QueryCommand({
      TableName: runtime.tableName('auditLog'),
      KeyConditionExpression: 'subject = :subject',
      ExpressionAttributeValues: { ':subject': 'workflow#cost-snapshot' },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

const pageCalls = () =>
  runtime.services.costExplorer.calls.filter((call) => call.action === 'getCostAndUsageWithResources').length;

const outcome = (execution: ExecutionRecord) => ({
  status: execution.status,
  error: execution.error,
  cause: execution.cause,
});
const SUCCEEDED = { status: 'SUCCEEDED', error: undefined, cause: undefined };

describe('cost-snapshot on the synthesized app', () => {
  it("snapshots yesterday's cost of every instance, page by page, and caches the exact fleet totals with a TTL", async () => {
    const fleet = runtime.services.rds.instances();
    const lines = runtime.services.costExplorer
      .dailyCosts(YESTERDAY)
      .filter((line) => line.service === 'Amazon Relational Database Service');

    const execution = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const items = await snapshotItems(YESTERDAY);
    const latest = await cached('cost#fleet#latest');

    expect(outcome(execution)).toEqual(SUCCEEDED);
    expect(pageCalls()).toBe(Math.ceil(lines.length / 20));
    expect(pageCalls()).toBeGreaterThan(1);
    expect(items.map((item) => item.instanceId).sort()).toEqual(fleet.map((instance) => instance.DbInstanceIdentifier));
    const first = lines.find((line) => line.resourceId === fleet[0]!.DbInstanceArn)!;
    expect(items.find((item) => item.instanceId === fleet[0]!.DbInstanceIdentifier)).toEqual(
      expect.objectContaining({ cost: expect.closeTo(first.amount, 8), currency: 'USD', snapshotId: execution.name }),
    );
    const total = lines.reduce((sum, line) => sum + line.amount, 0);
    expect(latest).toEqual(
      expect.objectContaining({
        date: YESTERDAY,
        instanceCount: fleet.length,
        totalCost: expect.closeTo(total, 8),
        expiresAt: Date.parse(START) / 1000 + deployedTtlHours() * 3600,
      }),
    );
    expect(await cached(`cost#fleet#${YESTERDAY}`)).toEqual(
      latest && { ...latest, cacheKey: `cost#fleet#${YESTERDAY}` },
    );
    expect(await auditEntries()).toEqual([
      expect.objectContaining({ outcome: 'SUCCEEDED', date: YESTERDAY, executionId: execution.executionArn }),
    ]);
  });

  it('replaces the day on a re-run, and a backfill of an older day leaves the latest totals alone', async () => {
    const first = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    await runtime.clock.sleep(3_600_000);
    const rerun = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const backfill = await runtime.execute(WORKFLOW, { date: '2025-12-25' });

    const items = await snapshotItems(YESTERDAY);
    expect([outcome(first), outcome(rerun), outcome(backfill)]).toEqual([SUCCEEDED, SUCCEEDED, SUCCEEDED]);
    expect(items).toHaveLength(runtime.services.rds.instances().length);
    expect(new Set(items.map((item) => item.snapshotId))).toEqual(new Set([rerun.name]));
    expect(await snapshotItems('2025-12-25')).toHaveLength(items.length);
    expect(await cached('cost#fleet#latest')).toEqual(
      expect.objectContaining({ date: YESTERDAY, snapshotId: rerun.name }),
    );
    expect(await cached('cost#fleet#2025-12-25')).toEqual(expect.objectContaining({ snapshotId: backfill.name }));
  });

  it('refuses a day Cost Explorer no longer keeps per resource, without retrying or calling it', async () => {
    const execution = await runtime.execute(WORKFLOW, { date: '2025-12-01' });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidInputError');
    expect(execution.cause).toMatch(/last 14 days only/);
    expect(retrySummary(execution.trace).retries).toBe(0);
    expect(pageCalls()).toBe(0);
    expect(await auditEntries()).toEqual([expect.objectContaining({ outcome: 'FAILED', error: 'InvalidInputError' })]);
  });

  it('absorbs two throttled Cost Explorer calls with the preset, counted in the trace, the circuit untouched', async () => {
    runtime.faults.setPlan(parseFaultPlan({ seed: 2, faults: [{ ...LIMIT_EXCEEDED, count: 2 }] }));

    const execution = await runtime.execute(WORKFLOW, { trigger: 'manual' });
    const page = retrySummary(execution.trace).states.find((state) => state.state === PAGE_STATE);

    expect(outcome(execution)).toEqual(SUCCEEDED);
    expect(page).toEqual(
      expect.objectContaining({ retries: 2, retriedErrors: { 'CostExplorer.LimitExceededException': 2 } }),
    );
    expect(await readCircuit(runtime, 'cost-explorer')).toBeUndefined();
  });

  it('opens the cost-explorer circuit under persistent throttling; the next snapshot is refused without a call', async () => {
    const { failureThreshold } = deployedCircuitSettings(runtime, 'cost-explorer');
    runtime.faults.setPlan(parseFaultPlan({ seed: 2, faults: [LIMIT_EXCEEDED] }));

    const failed: ExecutionRecord[] = [];
    for (let run = 0; run < failureThreshold; run++)
      failed.push(await runtime.execute(WORKFLOW, { trigger: 'manual' }));
    const circuit = await readCircuit(runtime, 'cost-explorer');
    const callsWhenOpened = pageCalls();
    const refused = await runtime.execute(WORKFLOW, { trigger: 'manual' });

    expect(failed.map((execution) => execution.error)).toEqual(failed.map(() => 'CostExplorer.LimitExceededException'));
    expect(circuit).toEqual(
      expect.objectContaining({ state: 'OPEN', lastError: 'CostExplorer.LimitExceededException' }),
    );
    expect(refused.error).toBe('CircuitOpenError');
    expect(pageCalls()).toBe(callsWhenOpened);
  });

  it('starts one snapshot with {"trigger":"schedule"} when its daily schedule fires', async () => {
    const machine = runtime.model.stateMachines.find((candidate) => candidate.workflow === WORKFLOW)!;
    const rule = runtime.model.rules.find((candidate) =>
      candidate.targets.some((target) => target.arn === machine.arn),
    )!;

    const fired = await runtime.fireSchedule(rule.name);

    expect(rule.scheduleExpression).toBe('cron(30 6 * * ? *)');
    expect(fired.executions.map((execution) => [execution.input, execution.status])).toEqual([
      [{ trigger: 'schedule' }, 'SUCCEEDED'],
    ]);
  });
});

/** The TTL the synthesized plan handler was given (its COST_CACHE_TTL_HOURS). */
function deployedTtlHours(): number {
  const plan = runtime.model.functions.find((fn) => fn.environment.COST_CACHE_TTL_HOURS !== undefined)!;
  return Number(plan.environment.COST_CACHE_TTL_HOURS);
}
