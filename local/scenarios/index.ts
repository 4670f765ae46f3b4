/** Every scenario `npm start` runs, in order. */
import { rdsApiOutage } from './rds-api-outage';
import type { Scenario } from './scenario';

export const SCENARIOS: readonly Scenario[] = [rdsApiOutage];
