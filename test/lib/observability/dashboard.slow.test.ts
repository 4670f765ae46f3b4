import { WORKFLOW_HANDLERS, WORKFLOWS } from '../../helpers/app-resources';
import { synthApp } from '../../helpers/cdk';
import { dashboardText } from '../../helpers/watched-resources';

const app = synthApp({
  capacity: {
    default: { mode: 'ON_DEMAND', maxReadRequestUnits: 500 },
    auditLog: { mode: 'PROVISIONED', read: { min: 5, max: 100 }, write: { min: 5, max: 50 } },
  },
});
const dashboard = dashboardText(app.observability);
const tagOf = (resource: { [key: string]: { Tags: { Key: string; Value: string }[] } }, key: string) =>
  resource.Properties!.Tags.find((tag) => tag.Key === key)!.Value;

/** The widget titles, in order. */
const titles = [...dashboard.matchAll(/"title":"([^"]+)"/g)].map((match) => match[1]!);

describe('the stage dashboard', () => {
  it('is one dashboard named after the stage', () => {
    // Assess
    app.observability.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'RdsOps-Dev' });
  });

  it('has the three widgets of every workflow, reading that workflow’s state machine', () => {
    // Prepare: the workflows of the synthesized template, independently of the registry
    const machines = Object.entries(app.workflows.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(WORKFLOWS.length);

    // Assess
    for (const [logicalId, machine] of machines) {
      const name = tagOf(machine, 'rds-ops:workflow');
      expect(titles.filter((title) => title.startsWith(`${name}: `))).toEqual([
        expect.stringMatching(/^.+: executions by status \((standard|express)\)$/),
        `${name}: error and retry rate (%)`,
        // The restore and the deleted-table recovery are drawn against their recovery time objective
        name === 'restore-table' || name === 'recover-deleted-table'
          ? `${name}: duration against its RTO`
          : `${name}: duration`,
      ]);
      expect(dashboard).toContain(`ExportsOutputRef${logicalId}`);
    }
  });

  it('has the capacity and throttle widgets of every table, with its capacity limits', () => {
    // Prepare
    const tables = Object.entries(app.data.findResources('AWS::DynamoDB::Table'));
    expect(tables).toHaveLength(8);

    // Assess
    for (const [logicalId, table] of tables) {
      const id = tagOf(table, 'rds-ops:table');
      const name = id.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
      expect(titles).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`^${name}: consumed capacity against `)),
          `${name}: throttles and system errors`,
        ]),
      );
      expect(dashboard).toContain(`ExportsOutputRef${logicalId}`);
    }
    expect(titles).toContain('audit-log: consumed capacity against provisioned capacity');
    expect(titles).toContain('rds-inventory: consumed capacity against the on-demand maximum');
    expect(dashboard).toContain('"value":100,"label":"read auto-scaling max"');
    expect(dashboard).toContain('"value":500,"label":"on-demand read max"');
  });

  it('has a row for every handler and dead-letter queue, the circuits and the recovery evidence', () => {
    // Prepare
    expect(Object.keys(app.workflows.findResources('AWS::Lambda::Function'))).toHaveLength(WORKFLOW_HANDLERS.length);
    expect(Object.keys(app.workflows.findResources('AWS::SQS::Queue'))).toHaveLength(1);

    // Assess
    expect(titles).toEqual(
      expect.arrayContaining([
        'Critical alarms',
        'Circuits: state changes',
        'Circuits: breaker blind (table unreachable)',
        'reconcile-inventory: invocations, errors and throttles',
        'reconcile-inventory: duration',
        'rule-targets: dead letters waiting',
        'Protected tables: drill recovery time against the RTO',
        'Protected tables: PITR enabled (1) and failed drills',
      ]),
    );
    for (const circuit of ['rds-api', 'cost-explorer']) {
      for (const state of ['OPEN', 'HALF_OPEN', 'CLOSED'])
        expect(dashboard).toContain(`"label":"${circuit} -> ${state}"`);
    }
    expect(dashboard).toContain('"value":7200,"label":"RTO (2 h)"');
  });

  it('shows the state of every critical alarm, by name', () => {
    // Assess
    const statusWidget =
      /"type":"alarm",[^{]*"properties":\{"title":"Critical alarms","alarms":\[(.*?)\]/.exec(dashboard)?.[1] ?? '';
    for (const name of app.observabilityStack.criticalAlarmNames) expect(statusWidget).toContain(`:alarm:${name}"`);
    expect(app.observabilityStack.criticalAlarmNames.length).toBeGreaterThan(30);
  });
});
