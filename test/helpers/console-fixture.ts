/**
 * A small workflow for the console: every status the graph colours (succeeded, retried, caught, not taken,
 * running, failed), a Map, a task token to keep an execution running, and a state output holding markup.
 */
import { join } from 'node:path';
import type { Clock } from '../../local/clock';
import type { FaultPlan } from '../../local/faults/fault-plan';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import { type LocalService, startLocalService } from '../../local/server/local-service';
import { testFunction, testMachine, testModel } from './local-runtime';

const FIXTURE_HANDLER = join(__dirname, '..', 'fixtures', 'handlers', 'echo-or-fail.ts');
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:echo';

/** Shown as text by the console, never run: the tests check `window.__xss` stays undefined. */
export const MARKUP_NOTE = '<script>window.__xss = 1</script><b>bold</b>';

export const CONSOLE_FIXTURE = {
  Comment: 'Console fixture',
  StartAt: 'Prepare the order',
  States: {
    'Prepare the order': {
      Type: 'Pass',
      Result: { items: [1, 2, 3], note: MARKUP_NOTE },
      ResultPath: '$.prepared',
      Next: 'Is it urgent?',
    },
    'Is it urgent?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.urgent', BooleanEquals: true, Next: 'Escalate' }],
      Default: 'Process each item',
    },
    Escalate: { Type: 'Pass', Next: 'Process each item' },
    'Process each item': {
      Type: 'Map',
      ItemsPath: '$.prepared.items',
      ItemProcessor: {
        StartAt: 'Handle item',
        States: {
          'Handle item': {
            Type: 'Task',
            Resource: FUNCTION_ARN,
            Parameters: { 'item.$': '$' },
            End: true,
          },
        },
      },
      ResultPath: '$.handled',
      Next: 'Call the flaky service',
    },
    'Call the flaky service': {
      Type: 'Task',
      Resource: FUNCTION_ARN,
      Parameters: { message: 'flaky' },
      Retry: [{ ErrorEquals: ['ThrottledError'], IntervalSeconds: 1, MaxAttempts: 2 }],
      ResultPath: '$.flaky',
      Next: 'Call the broken service',
    },
    'Call the broken service': {
      Type: 'Task',
      Resource: FUNCTION_ARN,
      Parameters: { fail: 'BrokenServiceError', message: 'the service is down' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Wait for approval' }],
      Next: 'Wait for approval',
    },
    'Wait for approval': {
      Type: 'Task',
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      Parameters: { TopicArn: 'arn:aws:sns:us-east-1:000000000000:approvals', 'Message.$': '$$.Task.Token' },
      TimeoutSeconds: 3600,
      ResultPath: '$.approval',
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

/** Every state of the fixture, nested ones included. */
export const FIXTURE_STATE_NAMES = [
  'Prepare the order',
  'Is it urgent?',
  'Escalate',
  'Process each item',
  'Handle item',
  'Call the flaky service',
  'Call the broken service',
  'Wait for approval',
  'Done',
];

/** The flaky service throttles its first call: one retry. */
export function flakyServicePlan(): FaultPlan {
  return parseFaultPlan({
    faults: [{ target: { state: 'Call the flaky service' }, error: 'ThrottledError', count: 1 }],
  });
}

export function startConsoleService(clock: Clock): Promise<LocalService> {
  return startLocalService({
    loadModel: () =>
      testModel({
        stateMachines: [testMachine('console-fixture', CONSOLE_FIXTURE)],
        functions: [testFunction('echo', FIXTURE_HANDLER)],
      }),
    port: 0,
    clock,
    faultPlan: flakyServicePlan(),
    runSchedules: false,
    handlerLogLevel: 'SILENT',
  });
}

/** Starts an execution and waits until it waits for its approval token; returns the token. */
export async function startUntilApproval(service: LocalService, input: object, name: string) {
  const started = service.runtime.start('console-fixture', input, name);
  const waiting = await service.runtime.tokens.next((task) => task.executionArn === started.executionArn);
  return { executionArn: started.executionArn, token: waiting.token, done: started.done };
}
