/**
 * Benchmark 1: what one protected call costs in each circuit state, for our breaker (an Express state machine
 * behind a six-state handshake), an ungated call, and the AWS sample's design that gates with Lambda functions.
 * Everything is counted from execution traces and the local DynamoDB's consumed capacity, then priced.
 */
import { DEFAULT_CIRCUIT } from '../lib/config';
import type { ExecutionRecord } from '../local/stepfunctions/local-state-machine';
import { type Benchmark, OutcomeBuilder } from './benchmark';
import {
  type CallerDesign,
  DEPENDENCY_ACTION,
  healDependency,
  startGatedCaller,
  startLambdaGatedCaller,
  startUngatedCaller,
  takeDependencyDown,
} from './callers';
import {
  allCalls,
  billedTransitions,
  DynamoDbMeter,
  dependencyCalls,
  expressRequests,
  lambdaInvocations,
} from './metering';
import { type BillableUsage, dollarsPerMillion, NO_USAGE, PRICES_AS_OF } from './prices';

/** The settings docs/circuit-breaker.md measured its figures with. */
const CONFIG = { ...DEFAULT_CIRCUIT, failureThreshold: 3, successThreshold: 2, openTimeoutSeconds: 60 };
const PAST_OPEN_TIMEOUT_MS = 61_000;

type Path = 'CLOSED, success' | 'CLOSED, counted failure' | 'OPEN, refused' | 'HALF_OPEN probe (succeeds)';
const PATHS: readonly Path[] = [
  'CLOSED, success',
  'CLOSED, counted failure',
  'OPEN, refused',
  'HALF_OPEN probe (succeeds)',
];

interface PathCost {
  readonly usage: BillableUsage;
  readonly dynamoDbReads: number;
  readonly dynamoDbWrites: number;
  readonly reachedDependency: boolean;
  readonly status: string;
}

/** Our breaker's paths as docs/circuit-breaker.md states them: caller transitions added, breaker executions (states), DynamoDB calls. */
const DOCUMENTED: Readonly<Record<string, readonly [number, number, number, number, number]>> = {
  'CLOSED, success': [3, 1, 6, 1, 0],
  'CLOSED, first counted failure (creates the item)': [3, 2, 24, 2, 3],
  'CLOSED, counted failure': [3, 2, 21, 2, 1],
  'CLOSED, failure that opens': [3, 2, 25, 2, 2],
  'OPEN, refused': [3, 1, 10, 1, 0],
  'probe succeeds (OPEN -> HALF_OPEN)': [4, 2, 22, 2, 2],
  'probe succeeds and closes': [4, 2, 23, 2, 3],
  'CLOSED, success after failures': [4, 2, 13, 2, 1],
  'probe fails (reopens)': [3, 2, 32, 2, 2],
};
const CALLER_OWN_STATES = new Set(['Call the RDS API', 'Call succeeded', 'Call failed']);

function costOf(run: ExecutionRecord, meter: DynamoDbMeter | undefined): PathCost {
  const dynamoDb = meter?.take() ?? { reads: 0, writes: 0, readUnits: 0, writeUnits: 0 };
  return {
    usage: {
      standardTransitions: billedTransitions(run.trace),
      expressRequests: expressRequests(run),
      dynamoDbReadUnits: dynamoDb.readUnits,
      dynamoDbWriteUnits: dynamoDb.writeUnits,
      lambdaInvocations: lambdaInvocations(run),
    },
    dynamoDbReads: dynamoDb.reads,
    dynamoDbWrites: dynamoDb.writes,
    reachedDependency: dependencyCalls(run, DEPENDENCY_ACTION).length > 0,
    status: run.status,
  };
}

/** Our breaker's figures in the shape of the docs table. */
function breakerFigures(run: ExecutionRecord): [number, number, number, number, number] {
  const added = run.trace.filter((e) => e.type === 'StateEntered' && !CALLER_OWN_STATES.has(e.state)).length;
  const children = run.calls.flatMap((call) => call.childExecutions ?? []);
  const breakerStates = children.reduce(
    (total, child) => total + child.trace.filter((e) => e.type === 'StateEntered').length,
    0,
  );
  const dynamoDb = allCalls(run.trace).filter((call) => call.resource.includes(':dynamodb:'));
  const reads = dynamoDb.filter((call) => /:(getItem|query)$/.test(call.resource)).length;
  return [added, children.length, breakerStates, reads, dynamoDb.length - reads];
}

type Measured = Map<string, { cost: PathCost; run: ExecutionRecord }>;

/** Starts a design on its own runtime, makes one call per step (after the step's set-up), and stops it. */
async function measure(
  start: () => Promise<CallerDesign>,
  steps: readonly { label: string; before?: (d: CallerDesign) => void }[],
): Promise<Measured> {
  const design = await start();
  try {
    const meter = design.gateTable ? new DynamoDbMeter(design.runtime, design.gateTable) : undefined;
    const results: Measured = new Map();
    for (const step of steps) {
      step.before?.(design);
      const run = await design.call();
      results.set(step.label, { cost: costOf(run, meter), run });
    }
    return results;
  } finally {
    await design.close();
  }
}

const down = (d: CallerDesign) => takeDependencyDown(d.runtime);
const healAfterTimeout = (d: CallerDesign) => {
  d.clock.advance(PAST_OPEN_TIMEOUT_MS);
  healDependency(d.runtime);
};

function row(design: string, path: string, cost: PathCost, ungated: PathCost) {
  const { usage } = cost;
  const total = dollarsPerMillion(usage);
  return [
    path,
    design,
    usage.standardTransitions,
    usage.expressRequests,
    `${cost.dynamoDbReads} / ${cost.dynamoDbWrites}`,
    `${usage.dynamoDbReadUnits} / ${usage.dynamoDbWriteUnits}`,
    usage.lambdaInvocations,
    cost.reachedDependency ? 'yes' : 'no',
    `$${total.toFixed(2)}`,
    `$${(total - dollarsPerMillion(ungated.usage)).toFixed(2)}`,
  ];
}

export const gateCost: Benchmark = {
  id: 'gate-cost',
  title: '1. Gate cost per protected call',
  question:
    'What does asking the breaker cost per protected call, in each circuit state, next to no gate and to the AWS sample that gates with Lambda functions?',
  async run() {
    const out = new OutcomeBuilder();
    const oursRuns = await measure(
      () => startGatedCaller(CONFIG),
      [
        { label: 'CLOSED, success' },
        { label: 'CLOSED, first counted failure (creates the item)', before: down },
        { label: 'CLOSED, counted failure' },
        { label: 'CLOSED, failure that opens' },
        { label: 'OPEN, refused' },
        { label: 'probe succeeds (OPEN -> HALF_OPEN)', before: healAfterTimeout },
        { label: 'probe succeeds and closes' },
        { label: 'CLOSED, counted failure after closing', before: down },
        { label: 'CLOSED, success after failures', before: (d) => healDependency(d.runtime) },
        { label: 'CLOSED, counted failure 2', before: down },
        { label: 'CLOSED, counted failure 3' },
        { label: 'CLOSED, failure that opens again' },
        {
          label: 'probe fails (reopens)',
          before: (d) => d.clock.advance(PAST_OPEN_TIMEOUT_MS),
        },
      ],
    );
    const sampleRuns = await measure(startLambdaGatedCaller, [
      { label: 'CLOSED, success' },
      { label: 'CLOSED, counted failure', before: down },
      { label: 'OPEN, refused' },
      { label: 'HALF_OPEN probe (succeeds)', before: healAfterTimeout },
    ]);
    const ungatedRuns = await measure(
      () => startUngatedCaller(),
      [
        { label: 'CLOSED, success' },
        { label: 'CLOSED, counted failure', before: down },
        { label: 'OPEN, refused' },
        { label: 'HALF_OPEN probe (succeeds)', before: (d) => healDependency(d.runtime) },
      ],
    );

    const oursByPath: Record<Path, PathCost> = {
      'CLOSED, success': oursRuns.get('CLOSED, success')!.cost,
      'CLOSED, counted failure': oursRuns.get('CLOSED, counted failure')!.cost,
      'OPEN, refused': oursRuns.get('OPEN, refused')!.cost,
      'HALF_OPEN probe (succeeds)': oursRuns.get('probe succeeds (OPEN -> HALF_OPEN)')!.cost,
    };
    const rows = PATHS.flatMap((path) => {
      const none = ungatedRuns.get(path)!.cost;
      return [
        row('ungated', path, none, none),
        row('our breaker (Express)', path, oursByPath[path], none),
        row('AWS sample (Lambda)', path, sampleRuns.get(path)!.cost, none),
      ];
    });
    out.table(
      `Per protected call; prices: us-east-1 list prices of ${PRICES_AS_OF} (bench/prices.ts)`,
      [
        'circuit state',
        'design',
        'caller transitions',
        'Express requests',
        'DynamoDB reads / writes',
        'RRU / WRU',
        'Lambda invocations',
        'reaches dependency',
        '$ per M calls',
        'gate adds $ per M',
      ],
      rows,
    );

    const documentedRows = Object.entries(DOCUMENTED).map(([label, documented]) => {
      const measured = breakerFigures(oursRuns.get(label)!.run);
      const same = measured.every((value, index) => value === documented[index]);
      out.check(
        `docs/circuit-breaker.md figures hold for "${label}"`,
        same,
        `measured ${measured.join('/')}, documented ${documented.join('/')} (caller transitions added/breaker executions/breaker states/reads/writes)`,
      );
      return [label, ...measured, same ? 'yes' : 'NO'];
    });
    out.table(
      'Our breaker on every path, against docs/circuit-breaker.md (failureThreshold 3, successThreshold 2)',
      [
        'path',
        'caller transitions added',
        'breaker executions',
        'breaker states',
        'DynamoDB reads',
        'DynamoDB writes',
        'as documented',
      ],
      documentedRows,
    );

    for (const path of PATHS) {
      const none = dollarsPerMillion(ungatedRuns.get(path)!.cost.usage);
      const oursAdded = dollarsPerMillion(oursByPath[path].usage) - none;
      const sampleAdded = dollarsPerMillion(sampleRuns.get(path)!.cost.usage) - none;
      if (path !== 'OPEN, refused') {
        out.ratio(
          `gate-cost.${slug(path)}.sample-vs-ours`,
          `${path}: what the Lambda-gated sample adds / what our breaker adds ($)`,
          sampleAdded,
          oursAdded,
          'higher',
        );
      }
    }
    out.ratio(
      'gate-cost.closed-success.ours-vs-ungated',
      'CLOSED, success: our gated call / an ungated call ($)',
      dollarsPerMillion(oursByPath['CLOSED, success'].usage),
      dollarsPerMillion(ungatedRuns.get('CLOSED, success')!.cost.usage),
      'lower',
    );
    out.check(
      'an OPEN circuit keeps the call from the dependency (ours and the sample); the ungated call reaches it',
      !oursByPath['OPEN, refused'].reachedDependency &&
        !sampleRuns.get('OPEN, refused')!.cost.reachedDependency &&
        ungatedRuns.get('OPEN, refused')!.cost.reachedDependency,
      `ours ${oursByPath['OPEN, refused'].reachedDependency}, sample ${sampleRuns.get('OPEN, refused')!.cost.reachedDependency}, ungated ${ungatedRuns.get('OPEN, refused')!.cost.reachedDependency}`,
    );
    out.check(
      'every gated path costs more than the same ungated call that reaches the dependency',
      PATHS.filter((p) => p !== 'OPEN, refused').every(
        (p) => dollarsPerMillion(oursByPath[p].usage) > dollarsPerMillion(ungatedRuns.get(p)!.cost.usage),
      ),
      'gate adds > $0 on CLOSED and HALF_OPEN paths',
    );
    const ungatedSuccess = ungatedRuns.get('CLOSED, success')!.cost.usage;
    out.check(
      'the ungated call uses no Express, DynamoDB or Lambda',
      ungatedSuccess.expressRequests === 0 &&
        ungatedSuccess.lambdaInvocations === 0 &&
        ungatedSuccess.dynamoDbReadUnits === 0,
      JSON.stringify({ ...NO_USAGE, ...ungatedSuccess }),
    );
    out.note(
      'The sample opens on the first failure (no threshold) for 20 s and has no HALF_OPEN state: after the expiry every caller calls ("probe" row). Our breaker counts to failureThreshold and lets one execution probe.',
    );
    out.note(
      'Express executions are priced at one 100 ms step of 64 MB, Lambda invocations at 50 ms of 128 MB (bench/prices.ts); logging and X-Ray are not counted.',
    );
    return out.build();
  },
};

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
