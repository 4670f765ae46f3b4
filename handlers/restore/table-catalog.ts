/**
 * The app's tables as the restore handlers know them, from the `TABLE_CATALOG` environment variable the workflow
 * constructs set: each table's id, the name operators use (`health-alerts`), its physical name and ARN, and
 * whether it has point-in-time recovery. A name given by a caller resolves to one entry or to nothing.
 */
import { UnexpectedError } from '../shared/errors';

export interface CatalogTable {
  /** The table's id in the data stack (`healthAlerts`). */
  readonly tableId: string;
  /** The name operators write (`health-alerts`). */
  readonly logicalName: string;
  /** The physical (CloudFormation-generated) name. */
  readonly tableName: string;
  readonly tableArn: string;
  /** PITR on: the only tables a restore accepts as its source. */
  readonly protected: boolean;
  /** The partition key, then the sort key if any. */
  readonly keyAttributes: readonly string[];
  /** Its global secondary indexes (auto scaling of a provisioned table covers each). */
  readonly indexNames?: readonly string[];
  /** The TTL attribute the app declares, if any. */
  readonly ttlAttribute?: string;
}

export interface TableCatalog {
  readonly tables: readonly CatalogTable[];
  /** The prefix every restored table name starts with: the data stack's name and a dash. */
  readonly restoredTablePrefix: string;
}

export const TABLE_CATALOG_ENV = 'TABLE_CATALOG';

export function tableCatalogFromEnv(env: NodeJS.ProcessEnv = process.env): TableCatalog {
  const text = env[TABLE_CATALOG_ENV];
  if (!text) {
    throw new UnexpectedError(`Environment variable ${TABLE_CATALOG_ENV} is not set; the workflow construct sets it.`);
  }
  try {
    return JSON.parse(text) as TableCatalog;
  } catch (error) {
    throw new UnexpectedError(`${TABLE_CATALOG_ENV} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** The table a caller means by its logical name (`health-alerts`), id (`healthAlerts`) or physical name. */
export function findTable(catalog: TableCatalog, name: string): CatalogTable | undefined {
  return catalog.tables.find(
    (table) => table.logicalName === name || table.tableId === name || table.tableName === name,
  );
}

export function protectedNames(catalog: TableCatalog): string {
  return catalog.tables
    .filter((table) => table.protected)
    .map((table) => table.logicalName)
    .join(', ');
}
