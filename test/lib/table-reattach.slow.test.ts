/**
 * The "stack deleted" path of the runbook on the synthesized Data stack: every table (and the key) is retained, and
 * the import template and resources-to-import built from the template adopt exactly the retained tables by name.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/app';
import { TABLE_IDS } from '../../lib/config';
import { importTemplate, ReattachError, resourcesToImport } from '../../operations/table-reattach';

const { dataStack } = createApp({ context: { encryption: 'CUSTOMER_MANAGED' }, skipBundling: true, nag: false });
const template = Template.fromStack(dataStack).toJSON();
const retained = Object.fromEntries(TABLE_IDS.map((tableId) => [tableId, `RdsOps-Dev-Data-${tableId}-retained`]));

describe('re-attaching the retained tables after the Data stack was deleted', () => {
  it('keeps every table and the key on a stack deletion (DeletionPolicy and UpdateReplacePolicy Retain)', () => {
    const stateful = Object.values(template.Resources as Record<string, Record<string, unknown>>).filter((resource) =>
      ['AWS::DynamoDB::Table', 'AWS::KMS::Key'].includes(resource.Type as string),
    );
    expect(stateful).toHaveLength(TABLE_IDS.length + 1);
    for (const resource of stateful)
      expect(resource).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('builds an import template of only the retained resources, self-contained', () => {
    const imported = importTemplate(template);

    const types = Object.values(imported.Resources ?? {}).map((resource) => resource.Type);
    expect(types.filter((type) => type === 'AWS::DynamoDB::Table')).toHaveLength(TABLE_IDS.length);
    expect(types.filter((type) => type !== 'AWS::DynamoDB::Table')).toEqual(['AWS::KMS::Key']);
    expect(imported).not.toHaveProperty('Outputs');
  });

  it('maps each table of the template to the retained table with its rds-ops:table tag', () => {
    const mapping = resourcesToImport(template, retained, '1234abcd-12ab-34cd-56ef-1234567890ab');

    const tables = mapping.filter((entry) => entry.ResourceType === 'AWS::DynamoDB::Table');
    expect(tables.map((entry) => entry.ResourceIdentifier.TableName).sort()).toEqual(Object.values(retained).sort());
    const healthAlerts = tables.find((entry) => entry.ResourceIdentifier.TableName === retained.healthAlerts);
    expect(
      (template.Resources as Record<string, { Properties: { Tags: unknown[] } }>)[healthAlerts!.LogicalResourceId]!
        .Properties.Tags,
    ).toContainEqual({ Key: 'rds-ops:table', Value: 'healthAlerts' });
    expect(mapping).toContainEqual(
      expect.objectContaining({
        ResourceType: 'AWS::KMS::Key',
        ResourceIdentifier: { KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
      }),
    );
  });

  it('names the table that is missing from the account instead of importing half the stack', () => {
    const { healthAlerts: _gone, ...rest } = retained;

    expect(() => resourcesToImport(template, rest, 'key')).toThrow(ReattachError);
    expect(() => resourcesToImport(template, rest, 'key')).toThrow(/rds-ops:table=healthAlerts/);
  });
});
