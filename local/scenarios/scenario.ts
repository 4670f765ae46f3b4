/** A scenario: a story `npm start` tells on the local runtime, with checks that say whether it went as expected. */
import type { LocalRuntime } from '../runtime';

export interface ScenarioCheck {
  readonly description: string;
  readonly passed: boolean;
  readonly detail?: string;
}

export interface ScenarioContext {
  readonly runtime: LocalRuntime;
  /** Prints a timeline line stamped with the runtime clock. */
  log(line: string): void;
  /** Records a check; the scenario passes when every check passed. */
  check(description: string, passed: boolean, detail?: string): void;
}

export interface Scenario {
  /** Short title, e.g. "RDS API outage". */
  readonly title: string;
  /** One sentence: what happens and what should come out of it. */
  readonly story: string;
  run(context: ScenarioContext): Promise<void>;
}

export interface ScenarioReport {
  readonly title: string;
  readonly checks: readonly ScenarioCheck[];
  readonly executions: number;
  readonly clockMs: number;
  readonly wallMs: number;
  readonly error?: string;
  readonly passed: boolean;
}
