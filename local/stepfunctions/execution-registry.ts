/**
 * Every execution the runtime knows, by ARN: running ones while they run, then the most recent finished ones
 * within a bound (newest last), as DescribeExecution, ListExecutions and StopExecution see them.
 */
import type { ExecutionRecord, StartedExecution } from './local-state-machine';

export class ExecutionRegistry {
  private readonly running = new Map<string, StartedExecution>();
  private readonly finished: ExecutionRecord[] = [];
  private readonly finishedByArn = new Map<string, ExecutionRecord>();

  constructor(private readonly limit: number) {}

  /** Follows a started execution until it finishes (finished ones arrive through `remember`). */
  track(started: StartedExecution): void {
    this.running.set(started.executionArn, started);
    void started.done.then(() => this.running.delete(started.executionArn));
  }

  /** Keeps a finished execution (with its trace) for inspection, within the bound. */
  remember(record: ExecutionRecord): void {
    this.running.delete(record.executionArn);
    this.finished.push(record);
    this.finishedByArn.set(record.executionArn, record);
    // Trimming on every push would move the whole array each time; trim in batches, exactly on read.
    if (this.finished.length > 2 * this.limit) this.trim();
  }

  /** The most recent finished executions (at most `limit`), oldest first. */
  finishedExecutions(): readonly ExecutionRecord[] {
    this.trim();
    return this.finished;
  }

  runningExecutions(): StartedExecution[] {
    return [...this.running.values()];
  }

  /** A running execution (with the handle to stop it) or a finished one still kept. */
  find(executionArn: string): { readonly record: ExecutionRecord; readonly running?: StartedExecution } | undefined {
    const running = this.running.get(executionArn);
    if (running) return { record: running.record, running };
    this.trim();
    const record = this.finishedByArn.get(executionArn);
    return record && { record };
  }

  /** Every known execution of one state machine, newest start first, as ListExecutions orders them. */
  executionsOf(stateMachineArn: string): ExecutionRecord[] {
    this.trim();
    const records = [...this.running.values()].map((started) => started.record);
    for (const record of this.finished) if (record.stateMachineArn === stateMachineArn) records.push(record);
    return records
      .filter((record) => record.stateMachineArn === stateMachineArn)
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.executionArn.localeCompare(a.executionArn));
  }

  private trim(): void {
    const excess = this.finished.length - this.limit;
    if (excess <= 0) return;
    for (const record of this.finished.splice(0, excess)) {
      if (this.finishedByArn.get(record.executionArn) === record) this.finishedByArn.delete(record.executionArn);
    }
  }
}
