/**
 * The options the local runtime gives the engine (aws-local-stepfunctions, patched): what it replaces
 * (clock, random source), limits as AWS does (the longest Wait) and checks at load. Every option here
 * and every patch is named in docs/local-runtime.md ("Engine options and patches"); a test keeps it so.
 */
import type { Clock } from '../clock';

/**
 * The longest Wait AWS allows: one year (the Standard execution quota). An Express execution is bounded by
 * its own five-minute duration instead: a longer Wait ends it TIMED_OUT at five minutes, not FAILED at once.
 */
export const MAX_WAIT_SECONDS = 365 * 24 * 60 * 60;

export interface EngineOptionsInput {
  readonly clock: Clock;
  readonly random?: () => number;
}

export function engineOptions(input: EngineOptionsInput) {
  return {
    clock: input.clock,
    random: input.random,
    maxWaitSeconds: MAX_WAIT_SECONDS,
    validationOptions: { checkArn: true, checkPaths: true },
  };
}
