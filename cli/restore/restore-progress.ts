/**
 * How `rds-ops restore` shows a restore as it runs: each state as it is entered (child workflows indented),
 * each wait with its length and end, the approval command to run when the restore waits for an operator, and
 * the measured recovery time and point at the end.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { FollowedEvent, RestoreFigures, RestoreSummary } from '../../operations/restores';

/** A wait in progress, for a countdown between polls. */
export interface PendingWait {
  readonly until: number;
}

export class RestoreProgress {
  private wait: PendingWait | undefined;

  constructor(private readonly out: (line: string) => void) {}

  /** The wait the execution is in, if any (cleared by the next event). */
  get pendingWait(): PendingWait | undefined {
    return this.wait;
  }

  event({ depth, event }: FollowedEvent): void {
    const line = this.describe(event);
    if (line === undefined) return;
    this.out(`${clock(event.timestamp)}  ${'  '.repeat(depth)}${line}`);
  }

  private describe(event: HistoryEvent): string | undefined {
    const type = event.type ?? '';
    if (type !== 'WaitStateExited') this.wait = undefined;
    if (type.endsWith('StateEntered')) {
      const details = event.stateEnteredEventDetails;
      const name = details?.name ?? '?';
      const input = parse(details?.input);
      if (type === 'WaitStateEntered') return this.describeWait(name, event, input);
      const command = approvalCommand(input);
      if (name.startsWith('Ask an operator to approve') && command) {
        return `-> ${name}\n          waiting for an operator: ${command}   (or: rds-ops approvals reject ...)`;
      }
      return type === 'ChoiceStateEntered' || type === 'PassStateEntered' ? undefined : `-> ${name}`;
    }
    switch (type) {
      case 'TaskFailed':
        return `   failed: ${event.taskFailedEventDetails?.error ?? ''} ${truncate(event.taskFailedEventDetails?.cause ?? '', 200)}`;
      case 'ExecutionSucceeded':
        return 'SUCCEEDED';
      case 'ExecutionFailed':
        return `FAILED ${event.executionFailedEventDetails?.error ?? ''}: ${truncate(event.executionFailedEventDetails?.cause ?? '', 300)}`;
      case 'ExecutionTimedOut':
        return 'TIMED OUT';
      case 'ExecutionAborted':
        return 'ABORTED';
      default:
        return undefined;
    }
  }

  /** `Wait before checking the table again: 20 s, until 09:05:20`. */
  private describeWait(name: string, event: HistoryEvent, input: unknown): string {
    const seconds = waitSecondsOf(input);
    if (seconds === undefined) return `-> ${name}`;
    const until = (event.timestamp?.getTime() ?? 0) + seconds * 1000;
    this.wait = { until };
    return `-> ${name}: ${seconds} s, until ${clock(new Date(until)).slice(1, -1)}`;
  }
}

/** The restore's figures in one sentence. */
export function describeOutcome(summary: RestoreSummary): string[] {
  if (summary.status !== 'SUCCEEDED') {
    return [
      `The restore ended ${summary.status}${summary.error ? ` with ${summary.error}` : ''}: ${summary.cause ?? ''}`,
    ];
  }
  const figures = summary.output as RestoreFigures;
  return [
    `Restored ${figures.table} into ${figures.restoredTableName} (the live table is unchanged).`,
    `RTO ${figures.recoveryTimeSeconds} s from the trigger to the validated table ` +
      `(approval ${figures.approvalSeconds} s, restore ${figures.restoreSeconds} s, settings ${figures.settingsSeconds} s, ` +
      `validation ${figures.validationSeconds} s).`,
    `RPO ${figures.recoveryPointSeconds} s: the data is as of ${figures.restorePoint}.`,
    `To put it back into service: start cutover-table with {"restoredTableName": "${figures.restoredTableName}", ` +
      `"tableName": "${figures.table}", ...} (docs/workflows/cutover-table.md).`,
  ];
}

/** The interval of the polling wait (`$.wait.interval`), or a Wait state's own input `seconds`. */
function waitSecondsOf(input: unknown): number | undefined {
  const wait = (input as { wait?: { interval?: unknown } } | undefined)?.wait;
  return typeof wait?.interval === 'number' ? wait.interval : undefined;
}

function approvalCommand(input: unknown): string | undefined {
  const command = (input as { plan?: { approval?: { command?: unknown } } } | undefined)?.plan?.approval?.command;
  return typeof command === 'string' ? command : undefined;
}

function parse(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function clock(date: Date | undefined): string {
  return `[${(date ?? new Date(0)).toISOString().slice(11, 19)}]`;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
