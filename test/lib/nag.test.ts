import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OpsTable } from '../../lib/constructs/ops-table';
import { NO_BUNDLING, nagFindings, scratchStack } from '../helpers/cdk';

/** The whole app under every documented config is checked in config-matrix.slow.test.ts; these test the wiring. */
describe('cdk-nag AwsSolutions', () => {
  it('reports a table without PITR', () => {
    // Prepare
    const stack = scratchStack('Careless');
    new Table(stack, 'Orders', { partitionKey: { name: 'id', type: AttributeType.STRING } });

    // Act
    const findings = nagFindings(stack);

    // Assess
    expect(findings).toContain('AwsSolutions-DDB3 @ Careless/Orders/Resource');
  });

  it('fails synth when a violation is not acknowledged, and says where in the report', () => {
    // Prepare
    const app = new App({ context: NO_BUNDLING });
    new Table(new Stack(app, 'Careless'), 'Orders', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act
    let error: Error | undefined;
    try {
      app.synth();
    } catch (thrown) {
      error = thrown as Error;
    }

    // Assess
    expect(error?.message).toMatch(/Point-in-time Recovery[\s\S]*Careless\/Orders\/Resource/);
    const report = readFileSync(join(app.outdir, 'validation-report.json'), 'utf8');
    expect(JSON.parse(report)).toMatchObject({
      pluginReports: [
        {
          pluginName: 'AwsSolutions',
          conclusion: 'failure',
          violations: [
            { ruleName: 'AwsSolutions-DDB3', violatingConstructs: [{ constructPath: 'Careless/Orders/Resource' }] },
          ],
        },
      ],
    });
  });

  it('accepts a table without PITR only together with the written reason, next to the table', () => {
    // Prepare
    const stack = scratchStack('Cache');

    // Act
    new OpsTable(stack, 'Sessions', {
      partitionKey: { name: 'id', type: AttributeType.STRING },
      pointInTimeRecovery: { enabled: false, reason: 'Sessions expire within an hour and are recreated on login.' },
    });

    // Assess
    expect(nagFindings(stack)).toEqual([]);
    expect(
      () =>
        new OpsTable(stack, 'Lazy', {
          partitionKey: { name: 'id', type: AttributeType.STRING },
          pointInTimeRecovery: { enabled: false, reason: 'n/a' },
        }),
    ).toThrow(/needs a real reason/);
  });
});
