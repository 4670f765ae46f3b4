/** Task tokens of `.waitForTaskToken` tasks: a task waits here until someone sends success or failure. */
import { TaskDoesNotExistError, TaskFailedError } from './errors';

export interface PendingTask {
  readonly token: string;
  readonly executionArn: string;
  readonly stateName: string;
  readonly since: number;
}

interface Waiter extends PendingTask {
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
}

type Listener = (task: PendingTask) => void;

export class TaskTokenRegistry {
  private readonly waiters = new Map<string, Waiter>();
  private listeners: Listener[] = [];

  /** Resolves with the output sent by `sendTaskSuccess`, rejects with the error of `sendTaskFailure`. */
  wait(task: PendingTask): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiters.set(task.token, { ...task, resolve, reject });
      for (const listener of this.listeners) listener(task);
    });
  }

  /** Forgets a token whose task ended another way (timeout, abort), so late callbacks are refused as on AWS. */
  forget(token: string): void {
    this.waiters.delete(token);
  }

  sendTaskSuccess(token: string, output: unknown): void {
    this.take(token).resolve(output);
  }

  sendTaskFailure(token: string, error = 'States.TaskFailed', cause = ''): void {
    this.take(token).reject(new TaskFailedError(error, cause));
  }

  sendTaskHeartbeat(token: string): void {
    if (!this.waiters.has(token)) throw new TaskDoesNotExistError(token);
  }

  pending(): PendingTask[] {
    return [...this.waiters.values()].map(({ token, executionArn, stateName, since }) => ({
      token,
      executionArn,
      stateName,
      since,
    }));
  }

  /** Resolves with the first waiting task that matches, now or when it starts waiting. */
  next(matches: (task: PendingTask) => boolean = () => true): Promise<PendingTask> {
    const already = this.pending().find(matches);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => {
      const listener: Listener = (task) => {
        if (!matches(task)) return;
        this.listeners = this.listeners.filter((other) => other !== listener);
        resolve(task);
      };
      this.listeners.push(listener);
    });
  }

  private take(token: string): Waiter {
    const waiter = this.waiters.get(token);
    if (!waiter) throw new TaskDoesNotExistError(token);
    this.waiters.delete(token);
    return waiter;
  }
}
