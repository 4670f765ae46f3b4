/** Every scenario `npm start` runs, in order. */
import { dataCorruption } from './data-corruption';
import { rdsApiOutage } from './rds-api-outage';
import type { Scenario } from './scenario';
import { transientThrottling } from './transient-throttling';

export const SCENARIOS: readonly Scenario[] = [transientThrottling, rdsApiOutage, dataCorruption];
