/// <reference lib="dom" />
/**
 * The Step Functions API over fetch, as the AWS JSON 1.0 protocol speaks it: the console reads what it shows
 * through the same operations an AWS SDK uses (against `rds-ops local serve`, the page's own origin).
 */
import type { ApiHistoryEvent } from '../execution-view';

export interface StateMachineListItem {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: string;
}

export interface StateMachineDescription extends StateMachineListItem {
  readonly definition: string;
}

export interface ExecutionDescription {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate: number;
  readonly stopDate?: number;
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SfnApiError';
  }
}

export class SfnClient {
  constructor(private readonly endpoint = '/') {}

  async call<T>(operation: string, body: Record<string, unknown>): Promise<T> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${operation}` },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) {
      throw new SfnApiError(String(answer.__type ?? response.status), String(answer.message ?? response.statusText));
    }
    return answer as T;
  }

  async listStateMachines(): Promise<StateMachineListItem[]> {
    const machines: StateMachineListItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call<{ stateMachines: StateMachineListItem[]; nextToken?: string }>('ListStateMachines', {
        maxResults: 1000,
        ...(nextToken && { nextToken }),
      });
      machines.push(...page.stateMachines);
      nextToken = page.nextToken;
    } while (nextToken);
    return machines;
  }

  describeStateMachine(stateMachineArn: string): Promise<StateMachineDescription> {
    return this.call('DescribeStateMachine', { stateMachineArn });
  }

  async listExecutions(stateMachineArn: string, maxResults = 100): Promise<ExecutionDescription[]> {
    const page = await this.call<{ executions: ExecutionDescription[] }>('ListExecutions', {
      stateMachineArn,
      maxResults,
    });
    return page.executions;
  }

  describeExecution(executionArn: string): Promise<ExecutionDescription> {
    return this.call('DescribeExecution', { executionArn });
  }

  /** The whole history, page by page (1,000 events per call, AWS's maximum). */
  async getExecutionHistory(executionArn: string): Promise<ApiHistoryEvent[]> {
    const events: ApiHistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call<{ events: ApiHistoryEvent[]; nextToken?: string }>('GetExecutionHistory', {
        executionArn,
        maxResults: 1000,
        includeExecutionData: true,
        ...(nextToken && { nextToken }),
      });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }
}
