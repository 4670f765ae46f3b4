import { readAppModel } from '../../local/template/app-model';
import type { CfnResource } from '../../local/template/cfn-template';
import { PROJECT_ROOT, synthesizeStacks } from '../../local/template/synthesize';
import {
  allowedPermissions,
  isAllowed,
  isUsed,
  PLATFORM_ACTIONS,
  requiredPermissions,
} from '../helpers/asl-permissions';

/**
 * A local run cannot catch AccessDenied. This proves, for every synthesized state machine, that its
 * role allows each Task's action on each Task's target, and allows nothing the definition does not use.
 */
const stacks = synthesizeStacks();
const model = readAppModel(stacks, { projectRoot: PROJECT_ROOT });

function rolePolicyStatements(stackName: string, roleArn: string) {
  const template = model.names.templateOf(stackName);
  const resources = Object.entries(template.Resources ?? {}) as [string, CfnResource][];
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

describe('state machine IAM matches the definitions', () => {
  it('synthesizes the breaker and the workflows that call it', () => {
    expect(model.stateMachines.map((machine) => machine.workflow).sort()).toEqual([
      'circuit-breaker',
      'inventory-refresh',
    ]);
  });

  it('lets a caller start only the breaker machine, synchronously', () => {
    const caller = model.stateMachines.find((machine) => machine.workflow === 'inventory-refresh')!;
    const breaker = model.stateMachines.find((machine) => machine.workflow === 'circuit-breaker')!;
    const grants = allowedPermissions(rolePolicyStatements(caller.stackName, caller.roleArn!)).filter((grant) =>
      grant.action.startsWith('states:'),
    );

    expect(grants).toEqual([{ action: 'states:StartSyncExecution', resource: breaker.arn }]);
  });

  it('conditions PutMetricData on the namespace the breaker writes, and nothing else may put metrics', () => {
    const metricGrants = model.stateMachines.flatMap((machine) =>
      allowedPermissions(rolePolicyStatements(machine.stackName, machine.roleArn!))
        .filter((grant) => grant.action === 'cloudwatch:PutMetricData')
        .map((grant) => ({ workflow: machine.workflow, ...grant })),
    );

    expect(metricGrants).toEqual([
      {
        workflow: 'circuit-breaker',
        action: 'cloudwatch:PutMetricData',
        resource: '*',
        conditions: { 'cloudwatch:namespace': 'RdsOps/CircuitBreaker' },
      },
    ]);
  });

  describe.each(model.stateMachines.map((machine) => [machine.workflow ?? machine.name, machine] as const))(
    '%s',
    (_, machine) => {
      const needed = requiredPermissions(machine.definition, model.env);
      const allowed = allowedPermissions(rolePolicyStatements(machine.stackName, machine.roleArn!));

      it('allows every Task action on its target', () => {
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
