/** Records every call a stand-in receives, on the runtime clock, so tests and scenarios can assert on traffic. */

import type { Clock } from '../clock';

export interface RecordedCall {
  /** The action as the aws-sdk resource ARN spells it: 'describeDBInstances', 'publish'. */
  readonly action: string;
  readonly params: unknown;
  /** Epoch milliseconds on the runtime clock. */
  readonly at: number;
}

export class ServiceCallRecorder {
  private readonly recorded: RecordedCall[] = [];

  constructor(private readonly clock: Clock) {}

  record(action: string, params: unknown): RecordedCall {
    const call: RecordedCall = { action, params: structuredClone(params), at: this.clock.now() };
    this.recorded.push(call);
    return call;
  }

  /** A copy of the calls so far, oldest first. */
  get calls(): readonly RecordedCall[] {
    return [...this.recorded];
  }

  callsTo(action: string): readonly RecordedCall[] {
    return this.recorded.filter((call) => call.action === action);
  }

  clear(): void {
    this.recorded.length = 0;
  }
}
