/** The local DynamoDB: dynalite behind a proxy that emulates PITR, system backups, TTL and deletion protection. */
export type { ListBackupsFilter, StoredBackup } from './backup-store';
export {
  DynamoDbServiceError,
  isDynamoDbServiceError,
  LocalDynamoDbError,
  LocalDynamoDbStartError,
  LocalTableSchemaMismatchError,
  PitrStateFileError,
} from './errors';
export type { LocalDynamoDb, LocalDynamoDbOptions, LocalTableSpec } from './local-dynamodb';
export { startLocalDynamoDb } from './local-dynamodb';
export type { PitrEmulator, PitrStatus, RestorePoint } from './pitr-emulator';
export type { WriteRecord } from './table-history';
export type { RestoreOverrides } from './table-schema';
