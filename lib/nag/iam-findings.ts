/**
 * The ids cdk-nag (AwsSolutions-IAM5) gives wildcard findings, so a grant can acknowledge exactly the
 * wildcards it introduces and nothing else. Mirrors cdk-nag 3's flattening of CloudFormation references.
 */
import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** `AwsSolutions-IAM5[Action::rds:Describe*]`, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:...:*]`. */
export function wildcardFindingIds(
  scope: IConstruct,
  actions: readonly string[],
  resources: readonly string[],
): string[] {
  const stack = Stack.of(scope);
  const findings = [
    ...actions.filter((action) => action.includes('*')).map((action) => `Action::${action}`),
    ...resources
      .map((resource) => flattenReference(stack.resolve(resource)))
      .filter((resource) => resource.includes('*'))
      .map((resource) => `Resource::${resource}`),
  ];
  return [...new Set(findings)].map((finding) => `AwsSolutions-IAM5[${finding}]`);
}

function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const ref = node as Record<string, unknown>;
    if (ref['Fn::Join']) {
      const [delimiter, items] = ref['Fn::Join'] as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if (ref['Fn::Sub']) return flattenReference(ref['Fn::Sub']);
    if (ref['Fn::GetAtt']) {
      const [resource, attribute] = ref['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
    }
    if (ref['Fn::ImportValue']) return flattenReference(ref['Fn::ImportValue']);
    if (ref.Ref) return `<${flattenReference(ref.Ref)}>`;
  }
  return JSON.stringify(node);
}
