/** Every scenario `npm start` runs, in order. */
import type { Scenario } from './scenario';

export const SCENARIOS: readonly Scenario[] = [];
