/** Every scenario `npm start` runs, in order. */
import { costExplorerOutage } from './cost-explorer-outage';
import { dataCorruption } from './data-corruption';
import { quarterlyDrill } from './quarterly-drill';
import { rdsApiOutage } from './rds-api-outage';
import { rdsHealthAlerts } from './rds-health-alerts';
import type { Scenario } from './scenario';
import { tableDeleted } from './table-deleted';
import { transientThrottling } from './transient-throttling';

export const SCENARIOS: readonly Scenario[] = [
  transientThrottling,
  rdsApiOutage,
  rdsHealthAlerts,
  costExplorerOutage,
  dataCorruption,
  tableDeleted,
  quarterlyDrill,
];
