/** Every scenario `npm start` runs, in order. */
import { costExplorerOutage } from './cost-explorer-outage';
import { dataCorruption } from './data-corruption';
import { rdsApiOutage } from './rds-api-outage';
import { rdsHealthAlerts } from './rds-health-alerts';
import type { Scenario } from './scenario';
import { transientThrottling } from './transient-throttling';

export const SCENARIOS: readonly Scenario[] = [
  transientThrottling,
  rdsApiOutage,
  rdsHealthAlerts,
  costExplorerOutage,
  dataCorruption,
];
