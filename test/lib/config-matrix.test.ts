import { createApp } from '../../lib/app';
import { parseScheduleExpression } from '../../lib/schedule/schedule-expression';
import { type AppModel, readAppModel } from '../../local/template/app-model';
import type { CfnResource, CfnTemplate } from '../../local/template/cfn-template';
import { PROJECT_ROOT } from '../../local/template/synthesize';
import {
  allowedPermissions,
  isAllowed,
  isUsed,
  PLATFORM_ACTIONS,
  requiredPermissions,
  tableKeysOf,
} from '../helpers/asl-permissions';
import { nagFindings } from '../helpers/cdk';
import { CONFIG_MATRIX } from '../helpers/config-matrix';
import { runtimePermissions } from '../helpers/runtime-permissions';

/**
 * Every documented config option synthesizes an app that cdk-nag accepts and whose state machine roles allow
 * exactly what their definitions use: each Task's action on its target, the key of an encrypted table it
 * reads or writes, and nothing else. A local run cannot catch AccessDenied; this is where it is caught.
 */
function rolePolicyStatements(model: AppModel, stackName: string, roleArn: string) {
  const resources = Object.entries(model.names.templateOf(stackName).Resources ?? {}) as [string, CfnResource][];
  const roleId = resources.find(
    ([id, resource]) => resource.Type === 'AWS::IAM::Role' && model.names.attribute(stackName, id, 'Arn') === roleArn,
  )?.[0];
  if (!roleId) throw new Error(`no role ${roleArn} in ${stackName}`);
  return resources
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy')
    .filter(([, resource]) =>
      ((resource.Properties?.Roles as { Ref: string }[]) ?? []).some((role) => role.Ref === roleId),
    )
    .flatMap(([id, resource]) => {
      const document = model.names.resolve(stackName, resource.Properties?.PolicyDocument, id) as { Statement: [] };
      return document.Statement;
    });
}

describe.each(Object.entries(CONFIG_MATRIX))('%s', (_, context) => {
  const { app, config } = createApp({ context, skipBundling: true, nag: false });
  const stacks = app
    .synth()
    .stacks.map((stack) => ({ stackName: stack.stackName, template: stack.template as CfnTemplate }));
  const model = readAppModel(stacks, { projectRoot: PROJECT_ROOT });
  const tableKeys = tableKeysOf(model);

  it('finds nothing unacknowledged with cdk-nag', () => {
    expect(nagFindings(app)).toEqual([]);
  });

  it('gives every scheduled rule an expression EventBridge accepts', () => {
    const schedules = model.rules.flatMap((rule) => (rule.scheduleExpression ? [rule.scheduleExpression] : []));
    expect(schedules).toContain(config.inventoryRefreshSchedule);
    for (const schedule of schedules) expect(() => parseScheduleExpression(schedule)).not.toThrow();
  });

  it('has state machines to check, and a key on every table exactly when encryption is customer-managed', () => {
    expect(model.stateMachines.length).toBeGreaterThan(0);
    expect(tableKeys.size).toBe(config.encryption === 'CUSTOMER_MANAGED' ? model.tables.length : 0);
  });

  it('synthesizes the circuit breaker and the workflows that call it', () => {
    expect(model.stateMachines.map((machine) => machine.workflow)).toEqual(
      expect.arrayContaining(['circuit-breaker', 'inventory-refresh']),
    );
  });

  it('lets the inventory refresh start only the breaker machine and its page saver, synchronously', () => {
    const caller = model.stateMachines.find((machine) => machine.workflow === 'inventory-refresh')!;
    const children = ['circuit-breaker', 'save-inventory-page'].map(
      (workflow) => model.stateMachines.find((machine) => machine.workflow === workflow)!,
    );
    const grants = allowedPermissions(rolePolicyStatements(model, caller.stackName, caller.roleArn!)).filter((grant) =>
      grant.action.startsWith('states:'),
    );

    expect(children.map((child) => child.type)).toEqual(['EXPRESS', 'EXPRESS']);
    expect(grants).toEqual(children.map((child) => ({ action: 'states:StartSyncExecution', resource: child.arn })));
  });

  it('conditions every PutMetricData grant on the namespace its machine writes', () => {
    const metricGrants = model.stateMachines.flatMap((machine) =>
      allowedPermissions(rolePolicyStatements(model, machine.stackName, machine.roleArn!))
        .filter((grant) => grant.action === 'cloudwatch:PutMetricData')
        .map((grant) => ({ workflow: machine.workflow, ...grant })),
    );

    expect(metricGrants).toContainEqual({
      workflow: 'circuit-breaker',
      action: 'cloudwatch:PutMetricData',
      resource: '*',
      conditions: { 'cloudwatch:namespace': 'RdsOps/CircuitBreaker' },
    });
    for (const grant of metricGrants) expect(grant.conditions).toHaveProperty(['cloudwatch:namespace']);
  });

  describe.each(model.stateMachines.map((machine) => [machine.workflow ?? machine.name, machine] as const))(
    'state machine %s',
    (_name, machine) => {
      const needed = requiredPermissions(
        machine.definition,
        model.env,
        tableKeys,
        runtimePermissions(model, machine, tableKeys),
      );
      const allowed = allowedPermissions(rolePolicyStatements(model, machine.stackName, machine.roleArn!));

      it('allows every Task action on its target, and the key of each encrypted table it uses', () => {
        const missing = needed.filter((permission) => !isAllowed(permission, allowed));
        expect(missing).toEqual([]);
      });

      it('allows nothing the definition does not use', () => {
        const unused = allowed.filter((grant) => !PLATFORM_ACTIONS.has(grant.action) && !isUsed(grant, needed));
        expect(unused).toEqual([]);
      });
    },
  );
});
