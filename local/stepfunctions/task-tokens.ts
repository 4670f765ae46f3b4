/** Task tokens of `.waitForTaskToken` tasks: a task waits here until someone sends success or failure. */
import type { CancelTimer, Clock } from '../clock';
import { StatesRuntimeError, TaskDoesNotExistError, TaskFailedError, TaskTimedOutError } from './errors';
import { assertWithinPayloadQuota } from './payload-quota';

export interface PendingTask {
  readonly token: string;
  readonly executionArn: string;
  readonly stateName: string;
  readonly since: number;
}

interface Waiter extends PendingTask {
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly cancelExpiry: CancelTimer;
}

type Listener = (task: PendingTask) => void;

export interface WaitOptions {
  readonly clock: Clock;
  /** When the Task times out, in clock epoch ms; afterwards callbacks get TaskTimedOut. @default never */
  readonly expiresAt?: number;
}

export class TaskTokenRegistry {
  private readonly waiters = new Map<string, Waiter>();
  private readonly expired = new Set<string>();
  private listeners: Listener[] = [];

  /** Resolves with the output sent by `sendTaskSuccess`, rejects with the error of `sendTaskFailure`. */
  wait(task: PendingTask, options: WaitOptions): Promise<unknown> {
    // A retried Task waits again on its token: the earlier attempt is over (the engine moved on).
    this.waiters.get(task.token)?.cancelExpiry();
    return new Promise((resolve, reject) => {
      const expiry = options.expiresAt;
      const cancelExpiry =
        expiry === undefined
          ? () => undefined
          : options.clock.setTimer(Math.max(0, expiry - options.clock.now()), () => {
              if (this.waiters.get(task.token)?.resolve !== resolve) return;
              this.waiters.delete(task.token);
              this.expired.add(task.token);
            });
      this.waiters.set(task.token, { ...task, resolve, reject, cancelExpiry });
      this.expired.delete(task.token);
      for (const listener of this.listeners) listener(task);
    });
  }

  /** Output over the payload quota is refused before the token is used, as AWS refuses the call. */
  sendTaskSuccess(token: string, output: unknown): void {
    assertWithinPayloadQuota(output, 'output');
    this.take(token).resolve(output);
  }

  sendTaskFailure(token: string, error = 'States.TaskFailed', cause = ''): void {
    this.take(token).reject(new TaskFailedError(error, cause));
  }

  sendTaskHeartbeat(token: string): void {
    if (!this.waiters.has(token)) throw this.noWaiter(token);
  }

  /**
   * An execution ended (stopped, failed elsewhere, timed out) while its tasks waited: their waits end, their
   * timers are cancelled, and their tokens are refused from now on with TaskTimedOut.
   */
  forgetExecution(executionArn: string): void {
    for (const waiter of [...this.waiters.values()]) {
      if (waiter.executionArn !== executionArn) continue;
      this.waiters.delete(waiter.token);
      waiter.cancelExpiry();
      this.expired.add(waiter.token);
      waiter.reject(
        new StatesRuntimeError(`Execution ${executionArn} ended while "${waiter.stateName}" waited for its token.`),
      );
    }
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
    if (!waiter) throw this.noWaiter(token);
    this.waiters.delete(token);
    waiter.cancelExpiry();
    return waiter;
  }

  /** AWS answers TaskTimedOut for a token whose task timed out, TaskDoesNotExist for one it never knew. */
  private noWaiter(token: string): Error {
    return this.expired.has(token) ? new TaskTimedOutError(token) : new TaskDoesNotExistError(token);
  }
}
