/**
 * Re-attaching retained tables after the Data stack was deleted (the runbook's "stack deleted" path). Every table
 * (and the customer-managed key) has DeletionPolicy Retain, so deleting the stack leaves them in the account with
 * their data, PITR and names. Redeploying as is would create new, empty tables beside them; instead a CloudFormation
 * IMPORT change set adopts the retained ones: its template holds only the retained resources of the synthesized
 * Data stack, and each table is identified by its physical name, found by its `rds-ops:table` tag. A normal deploy
 * then adds the rest (alarms, outputs).
 */

export interface CfnTemplateLike {
  readonly AWSTemplateFormatVersion?: string;
  readonly Resources?: Readonly<Record<string, { readonly Type: string; readonly [key: string]: unknown }>>;
  readonly [key: string]: unknown;
}

/** The resource types a stack deletion leaves behind (DeletionPolicy Retain) and an IMPORT change set can adopt. */
export const RETAINED_TYPES = ['AWS::DynamoDB::Table', 'AWS::KMS::Key'] as const;

export class ReattachError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReattachError';
  }
}

/** One entry of `aws cloudformation create-change-set --resources-to-import`. */
export interface ResourceToImport {
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly ResourceIdentifier: Readonly<Record<string, string>>;
}

/**
 * The template of the IMPORT change set: the retained resources of the synthesized Data stack, nothing else (an
 * import may not create resources). Fails when a retained resource refers to a resource left out, or is not Retain.
 */
export function importTemplate(template: CfnTemplateLike): CfnTemplateLike {
  const resources = Object.entries(template.Resources ?? {}).filter(([, resource]) =>
    (RETAINED_TYPES as readonly string[]).includes(resource.Type),
  );
  if (resources.length === 0)
    throw new ReattachError('the template has no DynamoDB table: give the Data stack template.');
  const kept = new Set(resources.map(([id]) => id));
  for (const [id, resource] of resources) {
    if (resource.DeletionPolicy !== 'Retain') {
      throw new ReattachError(
        `${id} is not DeletionPolicy Retain: a stack deletion removed it, there is nothing to import.`,
      );
    }
    const missing = referencedIds(resource.Properties).filter((ref) => !kept.has(ref) && !ref.startsWith('AWS::'));
    if (missing.length > 0) {
      throw new ReattachError(`${id} refers to ${missing.join(', ')}, which an import cannot create.`);
    }
  }
  return {
    AWSTemplateFormatVersion: template.AWSTemplateFormatVersion ?? '2010-09-09',
    Resources: Object.fromEntries(resources),
  };
}

/**
 * `--resources-to-import` for the tables: each template table, by its `rds-ops:table` tag, to the retained table of
 * that id (`physicalNames`, e.g. from the tables' tags in the account). The key, when there is one, by its id.
 */
export function resourcesToImport(
  template: CfnTemplateLike,
  physicalNames: Readonly<Record<string, string | undefined>>,
  keyId?: string,
): ResourceToImport[] {
  return Object.entries(importTemplate(template).Resources ?? {}).map(([logicalId, resource]): ResourceToImport => {
    if (resource.Type === 'AWS::KMS::Key') {
      if (!keyId) throw new ReattachError(`${logicalId} is a KMS key: give the retained key's id (--key-id).`);
      return { ResourceType: resource.Type, LogicalResourceId: logicalId, ResourceIdentifier: { KeyId: keyId } };
    }
    const tableId = tableIdOf(resource);
    const tableName = tableId ? physicalNames[tableId] : undefined;
    if (!tableName) {
      throw new ReattachError(
        `no retained table tagged rds-ops:table=${tableId ?? '?'} for ${logicalId}: it was deleted too; recover it ` +
          'first (docs/disaster-recovery-runbook.md#table-deleted), or leave it to the deploy to create empty.',
      );
    }
    return { ResourceType: resource.Type, LogicalResourceId: logicalId, ResourceIdentifier: { TableName: tableName } };
  });
}

function tableIdOf(resource: { readonly [key: string]: unknown }): string | undefined {
  const tags = ((resource.Properties as { Tags?: { Key: string; Value: unknown }[] } | undefined)?.Tags ?? []).filter(
    (tag) => tag.Key === 'rds-ops:table',
  );
  return typeof tags[0]?.Value === 'string' ? tags[0].Value : undefined;
}

/** Logical ids a property tree refers to with Ref or Fn::GetAtt. */
function referencedIds(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(referencedIds);
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const own: string[] = [];
  if (typeof record.Ref === 'string') own.push(record.Ref);
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') own.push(getAtt[0]);
  return [...own, ...Object.values(record).flatMap(referencedIds)];
}
