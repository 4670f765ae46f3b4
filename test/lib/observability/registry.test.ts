import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { OpsTable } from '../../../lib/constructs/ops-table';
import { ObservabilityRegistryError } from '../../../lib/errors';
import { ObservabilityRegistry } from '../../../lib/observability/registry';
import { scratchStack, synthApp } from '../../helpers/cdk';

const tableProps = {
  partitionKey: { name: 'id', type: AttributeType.STRING },
  pointInTimeRecovery: { enabled: true as const, recoveryPeriodInDays: 35 },
};

describe('the observability registry', () => {
  it('holds every table, workflow, handler and queue of the app, each once', () => {
    // Act
    const { app } = synthApp();
    const snapshot = ObservabilityRegistry.of(app).peek();

    // Assess
    expect(snapshot.tables.map((table) => table.name)).toEqual([
      'rds-inventory',
      'health-alerts',
      'audit-log',
      'cost-snapshots',
      'rds-approvals',
      'metrics-cache',
      'circuit-breakers',
    ]);
    expect(snapshot.workflows.map((workflow) => `${workflow.name} ${workflow.type}`).sort()).toEqual([
      'circuit-breaker EXPRESS',
      'inventory-refresh STANDARD',
    ]);
    expect(snapshot.handlers.map((handler) => handler.name)).toEqual(['reconcile-inventory']);
    expect(snapshot.queues.map((queue) => queue.name)).toEqual(['rule-targets']);
  });

  it('refuses a watched resource created after the observability stack read the list', () => {
    // Prepare
    const { dataStack } = synthApp();

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
