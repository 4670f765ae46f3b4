import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { InlineCode, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import {
  INTEGRITY_METRIC_DIMENSIONS,
  INTEGRITY_METRICS,
  INTEGRITY_NAMESPACE,
} from '../../../handlers/integrity/check-table-integrity';
import { circuitStateMetric } from '../../../lib/circuit-breaker/announcement';
import { AslStateMachine } from '../../../lib/constructs/asl-state-machine';
import { OpsTable } from '../../../lib/constructs/ops-table';
import { ObservabilityRegistryError } from '../../../lib/errors';
import { ALARM_KINDS, headingAnchor } from '../../../lib/observability/alarm-kinds';
import { watchRestApi } from '../../../lib/observability/api-observability';
import {
  CUSTOM_METRICS,
  WORKFLOW_NAMESPACE_PATTERN,
  workflowMetricsNamespace,
} from '../../../lib/observability/metric-names';
import { ObservabilityRegistry } from '../../../lib/observability/registry';
import { ROUTE_HANDLERS, WORKFLOW_HANDLERS, WORKFLOW_TYPES, WORKFLOWS } from '../../helpers/app-resources';
import { scratchStack, synthApp, tempFile } from '../../helpers/cdk';
import { alarmsOf, periodOf, type TemplateAlarm, unwatchedResources } from '../../helpers/watched-resources';

const app = synthApp();
const templates = {
  data: app.data,
  workflows: app.workflows,
  monitoring: app.monitoring,
  api: app.api,
  observability: app.observability,
};
const alarms = Object.entries(templates).flatMap(([stack, template]) => alarmsOf(stack, template));
const TOPIC_IMPORT = [{ 'Fn::ImportValue': Match.stringLikeRegexp('^RdsOps-Dev-Monitoring:.*AlarmTopic') }];

function alarmsReading(metricName: string, namespace?: string): TemplateAlarm[] {
  return alarms.filter((alarm) =>
    alarm.metrics.some((metric) => metric.metricName === metricName && (!namespace || metric.namespace === namespace)),
  );
}

function workflowNames(): string[] {
  return Object.values(app.workflows.findResources('AWS::StepFunctions::StateMachine')).map(
    (machine) => machine.Properties.Tags.find((tag: { Key: string }) => tag.Key === 'rds-ops:workflow').Value,
  );
}

describe("the seed's recommended alarms", () => {
  it('Circuit breaker OPEN state: one per circuit, on transitions to OPEN, kept 15 minutes', () => {
    // Assess
    for (const circuit of ['rds-api', 'cost-explorer']) {
      app.observability.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `RdsOps-Dev-${circuit}-Open`,
        Namespace: 'RdsOps/CircuitBreaker',
        MetricName: 'CircuitStateChanged',
        Dimensions: Match.arrayWith([
          { Name: 'Circuit', Value: circuit },
          { Name: 'ToState', Value: 'OPEN' },
        ]),
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: TOPIC_IMPORT,
      });
    }
  });

  it('High retry rates (> 10%): one per workflow, retries over task attempts per hour', () => {
    // Prepare
    const names = workflowNames();
    expect(names.sort()).toEqual([...WORKFLOWS]);

    // Assess
    for (const name of names) {
      const [alarm] = alarms.filter((candidate) => candidate.properties.AlarmName === `RdsOps-Dev-${name}-RetryRate`);
      expect(alarm?.properties).toMatchObject({
        Threshold: 10,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(periodOf(alarm!)).toBe(3600);
      // The counts the metric filters on the workflow's logs publish, one namespace per workflow
      expect(alarm!.metrics.map((metric) => [metric.namespace, metric.metricName, metric.dimensions]).sort()).toEqual([
        [`RdsOps/Workflows/${name}`, 'TaskAttempts', []],
        [`RdsOps/Workflows/${name}`, 'TaskStateEntries', []],
      ]);
      app.workflows.hasResourceProperties('AWS::Logs::MetricFilter', {
        MetricTransformations: [
          Match.objectLike({ MetricNamespace: `RdsOps/Workflows/${name}`, MetricName: 'TaskAttempts' }),
        ],
      });
      expect(alarm!.properties.AlarmActions).toEqual([
        expect.objectContaining({ 'Fn::ImportValue': expect.any(String) }),
      ]);
    }
  });

  it('Error rate > 5%: per workflow over an hour of executions, per handler over 5 minutes of invocations', () => {
    // Assess: workflows
    for (const name of workflowNames()) {
      const alarm = alarms.find((candidate) => candidate.properties.AlarmName === `RdsOps-Dev-${name}-ErrorRate`)!;
      expect(alarm.properties).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' });
      expect(periodOf(alarm)).toBe(3600);
      expect(alarm.metrics.map((metric) => metric.metricName).sort()).toEqual([
        'ExecutionsAborted',
        'ExecutionsFailed',
        'ExecutionsStarted',
        'ExecutionsTimedOut',
      ]);
    }
    // Assess: handlers
    const handlerAlarms = alarmsReading('Invocations', 'AWS/Lambda');
    expect(handlerAlarms.map((alarm) => alarm.properties.AlarmName)).toEqual(
      [...WORKFLOW_HANDLERS, ...ROUTE_HANDLERS].map((name) => `RdsOps-Dev-${name}-ErrorRate`),
    );
    for (const alarm of handlerAlarms) {
      expect(alarm.properties).toMatchObject({ Threshold: 5, TreatMissingData: 'notBreaching' });
    }
    expect(periodOf(handlerAlarms[0]!)).toBe(300);
  });

  it('Error rate > 5% for the API: the 5xx share of requests, for every API that joins the registry', () => {
    // Prepare
    const stack = scratchStack();

    // Act
    watchRestApi(stack, { name: 'operations-api', apiName: 'rds-ops-operations' });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Scratch-operations-api-ServerErrorRate',
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * FILL(serverErrors, 0)' }),
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'AWS/ApiGateway',
              MetricName: '5XXError',
              Dimensions: [{ Name: 'ApiName', Value: 'rds-ops-operations' }],
            },
            Period: 300,
            Stat: 'Average',
          }),
        }),
      ]),
    });
  });

  it('DynamoDB throttling events: every table, reads and writes, 2 of 3 five-minute periods', () => {
    // Prepare
    const tables = Object.keys(app.data.findResources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(8);

    // Assess
    const throttleAlarms = alarmsReading('ReadThrottleEvents');
    expect(throttleAlarms).toHaveLength(8);
    for (const alarm of throttleAlarms) {
      expect(alarm.properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
      });
      expect(periodOf(alarm)).toBe(300);
      expect(alarm.metrics.map((metric) => metric.metricName).sort()).toEqual([
        'ReadThrottleEvents',
        'WriteThrottleEvents',
      ]);
    }
  });

  it('PITR backup failures: PITR off and failed drills on each of the five protected tables', () => {
    // Assess
    const pitr = alarmsReading('PitrEnabled', 'RdsOps/DisasterRecovery');
    const drills = alarmsReading('DrillFailed', 'RdsOps/DisasterRecovery');
    const protectedNames = ['rds-inventory', 'health-alerts', 'audit-log', 'cost-snapshots', 'rds-approvals'];
    expect(pitr.map((alarm) => alarm.properties.AlarmName).sort()).toEqual(
      protectedNames.map((name) => `RdsOps-Dev-${name}-PitrDisabled`).sort(),
    );
    expect(drills).toHaveLength(5);
    // The drill RTO alarm holds each table to restore.recoveryTimeObjectiveSeconds (2 h by default).
    const slowDrills = alarmsReading('DrillRecoveryTimeSeconds', 'RdsOps/DisasterRecovery');
    expect(slowDrills.map((alarm) => alarm.properties.Threshold)).toEqual([7200, 7200, 7200, 7200, 7200]);
    for (const alarm of pitr) {
      expect(alarm.properties).toMatchObject({
        Statistic: 'Minimum',
        Period: 3600,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'missing',
        Dimensions: [{ Name: 'TableName', Value: { Ref: expect.any(String) } }],
      });
    }
    for (const alarm of drills) {
      expect(alarm.properties).toMatchObject({ Statistic: 'Maximum', Threshold: 1, TreatMissingData: 'notBreaching' });
    }
  });
});

describe('every alarm', () => {
  const operations = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'operations.md'), 'utf8');
  const anchors = new Set([...operations.matchAll(/^#{2,3} (.+)$/gm)].map((match) => headingAnchor(match[1]!)));

  it('has a stage-prefixed name, a description linking an existing section of docs/operations.md, and the topic as action', () => {
    // Prepare
    expect(alarms.length).toBeGreaterThan(40);

    // Assess
    for (const alarm of alarms) {
      const { AlarmName, AlarmDescription, AlarmActions, TreatMissingData } = alarm.properties;
      expect(AlarmName).toMatch(/^RdsOps-Dev-[a-z0-9-]+-[A-Za-z]+$/);
      const anchor = /What to do: docs\/operations\.md#([a-z0-9-]+)/.exec(AlarmDescription)?.[1];
      expect({ alarm: AlarmName, anchor, exists: anchors.has(anchor ?? '') }).toEqual({
        alarm: AlarmName,
        anchor,
        exists: true,
      });
      expect(AlarmActions).toEqual([
        expect.objectContaining({ 'Fn::ImportValue': expect.stringMatching(/AlarmTopic/) }),
      ]);
      expect(['notBreaching', 'missing']).toContain(TreatMissingData);
    }
  });

  it('has a section in docs/operations.md for each kind of alarm', () => {
    // Assess
    const missing = Object.values(ALARM_KINDS)
      .map((kind) => headingAnchor(kind.title))
      .filter((anchor) => !anchors.has(anchor));
    expect(missing).toEqual([]);
  });
});

describe('nothing left unwatched', () => {
  it('every state machine, Lambda function, table and queue of the app has its alarms', () => {
    // Prepare
    expect(Object.keys(app.workflows.findResources('AWS::StepFunctions::StateMachine'))).toHaveLength(WORKFLOWS.length);

    // Act / Assess
    expect(unwatchedResources(templates)).toEqual([]);
  });

  it('a state machine, function, table or queue created without the project constructs is reported', () => {
    // Prepare: the real app plus one raw resource of each kind, as a careless change would add them
    const extra = synthAppWith((built) => {
      new Table(built.dataStack, 'RawTable', { partitionKey: { name: 'id', type: AttributeType.STRING } });
      new StateMachine(built.workflowsStack, 'RawMachine', {
        definitionBody: DefinitionBody.fromChainable(new Pass(built.workflowsStack, 'Nothing')),
      });
      new LambdaFunction(built.workflowsStack, 'RawFunction', {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: new InlineCode('exports.handler = async () => 1;'),
      });
      new Queue(built.workflowsStack, 'RawQueue');
    });

    // Act
    const problems = unwatchedResources(extra);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^data\/RawTable\w+ \(AWS::DynamoDB::Table\): no alarm on ReadThrottleEvents$/),
        expect.stringMatching(
          /^workflows\/RawMachine\w+ \(AWS::StepFunctions::StateMachine\): no alarm on ExecutionsFailed$/,
        ),
        expect.stringMatching(/^workflows\/RawFunction\w+ \(AWS::Lambda::Function\): no alarm on Errors$/),
        expect.stringMatching(
          /^workflows\/RawQueue\w+ \(AWS::SQS::Queue\): no alarm on ApproximateNumberOfMessagesVisible$/,
        ),
      ]),
    );
  });
});

describe('platform degraded', () => {
  it('watches every critical alarm, through one composite per area, and only the top one notifies the topic', () => {
    // Prepare
    const critical = alarms
      .filter((alarm) => {
        const anchor = /docs\/operations\.md#([a-z0-9-]+)/.exec(alarm.properties.AlarmDescription)?.[1];
        return Object.values(ALARM_KINDS).some((kind) => kind.critical && headingAnchor(kind.title) === anchor);
      })
      .map((alarm) => alarm.properties.AlarmName as string);
    expect(critical).toEqual(
      expect.arrayContaining(['RdsOps-Dev-rds-api-Open', 'RdsOps-Dev-inventory-refresh-ExecutionsFailed']),
    );
    // More critical alarms than one composite may name (100): the areas keep each rule within the quota.
    expect(critical.length).toBeGreaterThan(100);
    const namesIn = (rule: string) => [...rule.matchAll(/ALARM\("([^"]+)"\)/g)].map((match) => match[1]!);

    // Assess
    const composites = Object.values(app.observability.findResources('AWS::CloudWatch::CompositeAlarm')).map(
      (composite) => composite.Properties,
    );
    const top = composites.find((composite) => composite.AlarmName === 'RdsOps-Dev-PlatformDegraded')!;
    const areas = composites.filter((composite) => composite !== top);
    expect(top.AlarmActions).toEqual(
      TOPIC_IMPORT.map(() => expect.objectContaining({ 'Fn::ImportValue': expect.any(String) })),
    );
    expect(namesIn(top.AlarmRule).sort()).toEqual(areas.map((area) => area.AlarmName).sort());
    for (const area of areas) {
      expect(area.AlarmName).toMatch(/^RdsOps-Dev-[a-z]+\d*-PlatformDegraded$/);
      expect(area).not.toHaveProperty('AlarmActions');
      expect(namesIn(area.AlarmRule).length).toBeLessThanOrEqual(100);
      expect(area.AlarmRule).toBe(
        namesIn(area.AlarmRule)
          .map((name) => `ALARM("${name}")`)
          .join(' OR '),
      );
    }
    expect(areas.flatMap((area) => namesIn(area.AlarmRule)).sort()).toEqual([...critical].sort());
  });

  it('waits for the stacks whose alarms it names', () => {
    // Assess
    const dependencies = app.observabilityStack.dependencies.map((stack) => stack.stackName);
    expect(dependencies).toEqual(expect.arrayContaining(['RdsOps-Dev-Data', 'RdsOps-Dev-Workflows']));
  });
});

describe('recovery workflows', () => {
  it('alarm when an execution takes longer than their recovery time objective', () => {
    // Prepare
    const stack = scratchStack();
    const file = tempFile(
      'restore-table.asl.json',
      JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
    );

    // Act
    const machine = new AslStateMachine(stack, 'Restore', {
      name: 'restore-table',
      definitionFile: file,
      substitutions: {},
      recoveryTimeObjective: Duration.hours(2),
    });

    // Assess
    expect(machine.alarms.durationAboveRto).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Scratch-restore-table-DurationAboveRto',
      MetricName: 'ExecutionTime',
      Statistic: 'Maximum',
      Threshold: 7_200_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});

function synthAppWith(change: (built: ReturnType<typeof synthApp>) => void): Record<string, Template> {
  const { createApp } = require('../../../lib/app') as typeof import('../../../lib/app');
  const built = createApp({ skipBundling: true, nag: false });
  change({ ...built } as ReturnType<typeof synthApp>);
  return {
    data: Template.fromStack(built.dataStack),
    workflows: Template.fromStack(built.workflowsStack),
    observability: Template.fromStack(built.observabilityStack),
  };
}

const MACHINES_DIR = join(__dirname, '..', '..', '..', 'state-machines');

interface PublishedMetric {
  readonly file: string;
  readonly state: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: string[];
}

/**
 * Metric data a handler builds at run time and its workflow's putMetricData Task publishes (`MetricData.$`), by
 * namespace: the names and dimensions the handler exports.
 */
const BUILT_BY_HANDLERS: Record<string, readonly Record<string, unknown>[]> = {
  [INTEGRITY_NAMESPACE]: Object.values(INTEGRITY_METRICS).map((MetricName) => ({
    MetricName,
    Dimensions: INTEGRITY_METRIC_DIMENSIONS.map((Name) => ({ Name })),
  })),
};

/** Every datum of every putMetricData Task in the ASL files, Map and Parallel states included. */
function publishedByDefinitions(): PublishedMetric[] {
  const found: PublishedMetric[] = [];
  const walk = (file: string, states: Record<string, Record<string, unknown>>) => {
    for (const [state, definition] of Object.entries(states)) {
      if (String(definition.Resource).endsWith(':cloudwatch:putMetricData')) {
        const parameters = definition.Parameters as { Namespace: string; MetricData?: Record<string, unknown>[] };
        const data = parameters.MetricData ?? BUILT_BY_HANDLERS[parameters.Namespace];
        if (!data) throw new Error(`${file} "${state}": MetricData.$ of ${parameters.Namespace} has no known builder`);
        for (const datum of data) {
          found.push({
            file,
            state,
            namespace: parameters.Namespace,
            metricName: String(datum.MetricName),
            dimensions: ((datum.Dimensions as { Name: string }[] | undefined) ?? []).map((dimension) => dimension.Name),
          });
        }
      }
      const inner = (definition.ItemProcessor ?? definition.Iterator) as
        | { States: Record<string, Record<string, unknown>> }
        | undefined;
      if (inner) walk(file, inner.States);
      for (const branch of (definition.Branches as { States: Record<string, Record<string, unknown>> }[] | undefined) ??
        []) {
        walk(file, branch.States);
      }
    }
  };
  for (const file of readdirSync(MACHINES_DIR).filter((name) => name.endsWith('.asl.json'))) {
    walk(file, JSON.parse(readFileSync(join(MACHINES_DIR, file), 'utf8')).States);
  }
  return found;
}

describe('the custom metric catalog', () => {
  const published = publishedByDefinitions();

  it('lists every metric a workflow publishes, with the dimensions it publishes', () => {
    // Prepare
    expect(published.length).toBeGreaterThan(0);

    // Assess
    for (const metric of published) {
      const listed = CUSTOM_METRICS.find(
        (entry) => entry.namespace === metric.namespace && entry.metricName === metric.metricName,
      );
      expect({ ...metric, listed: listed?.dimensions }).toEqual({ ...metric, listed: metric.dimensions });
      expect(listed?.status).toBe('published');
    }
  });

  it('marks a metric published only when code in this repository publishes it', () => {
    // Prepare: what the workflows publish, what `rds-ops circuits` publishes, and the metric filters of the app
    const cliMetric = circuitStateMetric({ circuit: 'rds-api', to: 'OPEN' }).MetricData[0]!;
    const filters = Object.values(app.workflows.findResources('AWS::Logs::MetricFilter')).flatMap(
      (filter) => filter.Properties.MetricTransformations as { MetricNamespace: string; MetricName: string }[],
    );
    const workflowPrefix = workflowMetricsNamespace('');
    const producers = [
      ...published.map((metric) => `${metric.namespace} ${metric.metricName}`),
      `${circuitStateMetric({ circuit: 'x', to: 'OPEN' }).Namespace} ${cliMetric.MetricName}`,
      ...filters.map(
        (transformation) =>
          `${transformation.MetricNamespace.startsWith(workflowPrefix) ? WORKFLOW_NAMESPACE_PATTERN : transformation.MetricNamespace} ${transformation.MetricName}`,
      ),
    ];
    expect(filters.length).toBeGreaterThan(0);

    // Assess
    const claimed = CUSTOM_METRICS.filter((entry) => entry.status === 'published');
    expect(claimed.length).toBeGreaterThan(0);
    for (const entry of claimed) expect(producers).toContain(`${entry.namespace} ${entry.metricName}`);
  });
});

const tableProps = {
  partitionKey: { name: 'id', type: AttributeType.STRING },
  pointInTimeRecovery: { enabled: true as const, recoveryPeriodInDays: 35 },
};

describe('the observability registry', () => {
  it('holds every table, workflow, handler and queue of the app, each once', () => {
    // Act
    const snapshot = ObservabilityRegistry.of(app.app).peek();

    // Assess
    expect(snapshot.tables.map((table) => table.name)).toEqual([
      'rds-inventory',
      'health-alerts',
      'audit-log',
      'cost-snapshots',
      'rds-approvals',
      'metrics-cache',
      'circuit-breakers',
      'coordination',
    ]);
    expect(snapshot.workflows.map((workflow) => `${workflow.name} ${workflow.type}`).sort()).toEqual(
      WORKFLOWS.map((name) => `${name} ${WORKFLOW_TYPES[name as keyof typeof WORKFLOW_TYPES]}`),
    );
    expect(snapshot.handlers.map((handler) => handler.name)).toEqual([...WORKFLOW_HANDLERS, ...ROUTE_HANDLERS]);
    // The restore and the deleted-table recovery have an objective (the seed's 2 hours by default)
    expect(
      snapshot.workflows
        .filter((workflow) => workflow.recoveryTimeObjectiveSeconds !== undefined)
        .map((workflow) => [workflow.name, workflow.recoveryTimeObjectiveSeconds]),
    ).toEqual([
      ['restore-table', 7200],
      ['recover-deleted-table', 7200],
    ]);
    app.workflows.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'RdsOps-Dev-restore-table-DurationAboveRto',
      Threshold: 7_200_000,
    });
    for (const table of ['rds-inventory', 'health-alerts', 'audit-log', 'cost-snapshots', 'rds-approvals']) {
      app.workflows.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `RdsOps-Dev-${table}-IntegrityViolated`,
        MetricName: 'IntegrityViolations',
        Namespace: 'RdsOps/DataIntegrity',
        Dimensions: [{ Name: 'TableName', Value: table }],
        AlarmDescription: Match.stringLikeRegexp('operations.md#table-integrity-violated'),
      });
    }
    expect(snapshot.apis).toEqual([{ name: 'operations-api', apiName: 'rds-ops-dev-operations' }]);
    expect(snapshot.queues.map((queue) => queue.name)).toEqual(['rule-targets']);
  });

  it('refuses a watched resource created after the observability stack read the list', () => {
    // Prepare: the app above, whose templates were read when this file loaded
    const { dataStack } = app;

    // Act / Assess
    expect(() => new OpsTable(dataStack, 'LateTable', tableProps)).toThrow(ObservabilityRegistryError);
    expect(() => new OpsTable(dataStack, 'LateTable2', tableProps)).toThrow(
      /created after the RdsOps-Dev-Observability stack read the observability registry/,
    );
  });

  it('refuses two subjects with the same name, which would share alarm names', () => {
    // Prepare
    const stack = scratchStack();
    new OpsTable(stack, 'Audit', { ...tableProps, name: 'audit-log' });

    // Act / Assess
    expect(() => new OpsTable(stack, 'AuditAgain', { ...tableProps, name: 'audit-log' })).toThrow(
      'Two tables are named "audit-log"',
    );
  });

  it('names alarms after the stack outside an app that configured a prefix', () => {
    // Act
    const stack = scratchStack('Sandbox');
    new OpsTable(stack, 'RdsInventory', tableProps);

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Sandbox-rds-inventory-PitrDisabled',
    });
  });
});
