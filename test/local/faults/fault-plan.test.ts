import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidFaultPlanError, loadFaultPlan, parseFaultPlan } from '../../../local/faults';

const EXAMPLE = {
  seed: 42,
  faults: [
    {
      target: { state: 'List RDS instances' },
      error: 'Rds.RdsException',
      cause: 'Rate exceeded',
      rate: 1.0,
      window: { from: '+0s', to: '+5m' },
    },
    { target: { resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances' }, latencyMs: 2000, rate: 0.5 },
    { target: { service: 'rds', action: 'describeDBInstances' }, error: 'Throttling', count: 3 },
  ],
};

function problemOf(plan: unknown): string {
  try {
    parseFaultPlan(plan);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidFaultPlanError);
    return (error as Error).message;
  }
  throw new Error('the plan was accepted');
}

const withFault = (fault: Record<string, unknown>) => ({
  seed: 1,
  faults: [{ target: { state: 'S' }, error: 'E.X', ...fault }],
});

describe('parseFaultPlan', () => {
  it('reads a valid plan into normalized faults', () => {
    // Act
    const plan = parseFaultPlan(EXAMPLE, 'plans/throttle.json');

    // Assess
    expect(plan.seed).toBe(42);
    expect(plan.source).toBe('plans/throttle.json');
    expect(plan.faults[0]).toEqual({
      id: 'faults[0]',
      target: { kind: 'state', state: 'List RDS instances' },
      error: 'Rds.RdsException',
      cause: 'Rate exceeded',
      rate: 1,
      window: { from: { kind: 'relative', ms: 0, text: '+0s' }, to: { kind: 'relative', ms: 300_000, text: '+5m' } },
    });
    expect(plan.faults[1]).toEqual({
      id: 'faults[1]',
      target: { kind: 'resource', resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances' },
      latencyMs: 2000,
      rate: 0.5,
    });
    expect(plan.faults[2]).toMatchObject({ error: 'Throttling', code: 'Throttling', count: 3, rate: 1 });
  });

  it('accepts absolute ISO-8601 window bounds and an explicit raw code', () => {
    // Act
    const plan = parseFaultPlan(
      withFault({ code: 'Throttling', window: { from: '2026-01-01T00:00:00Z', to: '2026-01-01T02:00:00+01:00' } }),
    );

    // Assess
    expect(plan.faults[0].code).toBe('Throttling');
    expect(plan.faults[0].window?.from).toEqual({
      kind: 'absolute',
      epochMs: Date.parse('2026-01-01T00:00:00Z'),
      text: '2026-01-01T00:00:00Z',
    });
  });

  it.each<[string, unknown, string]>([
    ['not an object', [], '(plan): must be an object with seed and faults, got []'],
    ['seed', { seed: 1.5, faults: [] }, 'seed: must be a whole number, got 1.5'],
    ['faults', { seed: 1 }, 'faults: must be a list of faults, got nothing'],
    [
      'unknown plan field',
      { seed: 1, faults: [], fault: [] },
      'fault: unknown field; expected one of seed, faults, description',
    ],
    ['rate', withFault({ rate: 2 }), 'faults[0].rate: must be between 0 and 1, got 2'],
    ['negative rate', withFault({ rate: -0.1 }), 'faults[0].rate: must be between 0 and 1, got -0.1'],
    ['count', withFault({ count: 0 }), 'faults[0].count: must be a whole number >= 1, got 0'],
    [
      'latencyMs',
      withFault({ latencyMs: '2s' }),
      'faults[0].latencyMs: must be a number of milliseconds >= 0, got "2s"',
    ],
    [
      'nothing injected',
      { seed: 1, faults: [{ target: { state: 'S' } }] },
      'faults[0]: must inject something: give error, latencyMs, or both',
    ],
    ['empty error', withFault({ error: '' }), 'faults[0].error: must be a non-empty string, got ""'],
    ['States.ALL', withFault({ error: 'States.ALL' }), 'faults[0].error: States.ALL is a Retry/Catch wildcard'],
    ['cause type', withFault({ cause: 42 }), 'faults[0].cause: must be a string, got 42'],
    [
      'cause alone',
      { seed: 1, faults: [{ target: { state: 'S' }, latencyMs: 5, cause: 'x' }] },
      'faults[0].cause: needs an error to go with it',
    ],
    ['typo field', withFault({ latency: 5 }), 'faults[0].latency: unknown field; expected one of'],
    [
      'no target',
      { seed: 1, faults: [{ error: 'E.X' }] },
      'faults[0].target: must be an object with one of state, resource or service, got nothing',
    ],
    [
      'two targets',
      withFault({ target: { state: 'S', service: 'rds' } }),
      'faults[0].target: give exactly one of state, resource or service (with optional action), got state and service',
    ],
    [
      'action without service',
      withFault({ target: { state: 'S', action: 'publish' } }),
      'faults[0].target.action: only goes with service',
    ],
    [
      'resource not an ARN',
      withFault({ target: { resource: 'rds:describeDBInstances' } }),
      'faults[0].target.resource: must be a resource ARN',
    ],
    [
      'window from',
      withFault({ window: { from: '5 minutes' } }),
      'faults[0].window.from: must be relative to the plan\'s start ("+30s"',
    ],
    ['window to', withFault({ window: { to: '+5x' } }), 'faults[0].window.to: must be relative'],
    [
      'window order',
      withFault({ window: { from: '+5m', to: '+30s' } }),
      'faults[0].window: from (+5m) must be before to (+30s)',
    ],
    ['empty window', withFault({ window: {} }), 'faults[0].window: give from, to, or both'],
    [
      'status code',
      withFault({ statusCode: 200 }),
      'faults[0].statusCode: must be an HTTP error status, a whole number from 400 to 599, got 200',
    ],
    ['status code type', withFault({ statusCode: '500' }), 'faults[0].statusCode: must be an HTTP error status'],
    [
      'status code alone',
      { seed: 1, faults: [{ target: { state: 'S' }, latencyMs: 5, statusCode: 500 }] },
      'faults[0].statusCode: needs an error to go with it',
    ],
    [
      'duplicate id',
      {
        seed: 1,
        faults: [
          { id: 'a', target: { state: 'S' }, error: 'E.X' },
          { id: 'a', target: { state: 'S' }, latencyMs: 1 },
        ],
      },
      'faults[1].id: "a" is used by an earlier fault',
    ],
  ])('rejects a bad %s, naming the field', (_label, plan, expected) => {
    // Act
    const message = problemOf(plan);

    // Assess
    expect(message).toContain(expected);
  });

  it('names the source file in the message and keeps path and problem apart', () => {
    // Act
    let caught: unknown;
    try {
      parseFaultPlan(withFault({ rate: 2 }), 'plans/bad.json');
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toMatchObject({
      name: 'InvalidFaultPlanError',
      path: 'faults[0].rate',
      source: 'plans/bad.json',
      message: 'plans/bad.json: faults[0].rate: must be between 0 and 1, got 2',
    });
  });
});

describe('fault statusCode', () => {
  it('is kept on the plan and carried by the injected error', async () => {
    const { FaultInjector } = await import('../../../local/faults');
    const { VirtualClock } = await import('../../../local/clock');
    const plan = parseFaultPlan({
      seed: 1,
      faults: [{ target: { service: 'rds' }, error: 'InternalFailure', statusCode: 503 }],
    });

    const call = new FaultInjector(plan, new VirtualClock()).beforeCall({
      service: 'rds',
      action: 'describeDBInstances',
    });

    expect(plan.faults[0]).toEqual(expect.objectContaining({ code: 'InternalFailure', statusCode: 503 }));
    await expect(call).rejects.toMatchObject({ name: 'InternalFailure', statusCode: 503 });
  });
});

describe('loadFaultPlan', () => {
  it('loads a plan from a file and from inline JSON', () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'fault-plan-')), 'plan.json');
    writeFileSync(file, JSON.stringify(EXAMPLE));

    // Act
    const fromFile = loadFaultPlan(file);
    const inline = loadFaultPlan(JSON.stringify(EXAMPLE));

    // Assess
    expect(fromFile.source).toBe(file);
    expect(fromFile.faults).toEqual(inline.faults);
  });

  it('reports a missing file and broken JSON as plan errors, not stack traces', () => {
    // Act
    const missing = () => loadFaultPlan('/nonexistent/plan.json');
    const broken = () => loadFaultPlan('{ "seed": 1, ');

    // Assess
    expect(missing).toThrow(InvalidFaultPlanError);
    expect(missing).toThrow('/nonexistent/plan.json: (file): cannot be read (ENOENT)');
    expect(broken).toThrow(/^\(plan\): is not valid JSON/);
  });
});
