/**
 * Least-privilege IAM statements for a DynamoDB table: named actions on the table and on named
 * indexes only (never `index/*`), plus the KMS actions a customer-managed key needs.
 */
import type { ITable, ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { InvalidConstructPropsError } from '../errors';

/** Either table flavour; the data stack hands out `Table`s, imported tables may be either. */
export type AnyTable = ITable | ITableV2;

export type TableAccess = 'read' | 'write' | 'readWrite';

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** The data-plane actions behind each access level. */
export const TABLE_ACCESS_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: READ_ACTIONS,
  write: WRITE_ACTIONS,
  readWrite: [...READ_ACTIONS, ...WRITE_ACTIONS],
};

const KMS_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KMS_WRITE_ACTIONS = [
  ...KMS_READ_ACTIONS,
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

export interface TableGrantOptions {
  /** GSIs the grantee queries; each becomes one `<tableArn>/index/<name>` resource. @default - none */
  readonly indexes?: readonly string[];
}

export function tableStatements(
  table: AnyTable,
  actions: readonly string[],
  options: TableGrantOptions = {},
): PolicyStatement[] {
  if (actions.length === 0) throw new InvalidConstructPropsError('A table grant needs at least one action.');
  for (const action of actions) {
    if (!/^dynamodb:[A-Za-z]+$/.test(action)) {
      throw new InvalidConstructPropsError(
        `Table grants take named DynamoDB actions such as "dynamodb:GetItem", got "${action}" (no wildcards).`,
      );
    }
  }
  const indexes = options.indexes ?? [];
  const statements = [
    new PolicyStatement({
      actions: [...new Set(actions)],
      resources: [table.tableArn, ...indexes.map((index) => `${table.tableArn}/index/${index}`)],
    }),
  ];
  if (table.encryptionKey) {
    const writes = actions.some((action) => !READ_ACTIONS.includes(action));
    statements.push(
      new PolicyStatement({
        actions: writes ? KMS_WRITE_ACTIONS : KMS_READ_ACTIONS,
        resources: [table.encryptionKey.keyArn],
      }),
    );
  }
  return statements;
}
