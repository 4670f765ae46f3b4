/**
 * What a Standard workflow needs to run another one as a step with `states:startExecution.sync:2`: start it,
 * follow and stop its executions, and the rule Step Functions manages to learn when they end (the same grants
 * CDK's StepFunctionsStartExecution task makes).
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { AslStateMachine } from '../constructs/asl-state-machine';

export function allowNestedExecution(caller: AslStateMachine, child: AslStateMachine): void {
  const stack = Stack.of(caller);
  caller.allowServiceActions(['states:StartExecution'], [child.stateMachine.stateMachineArn]);
  caller.allowServiceActions(
    ['states:DescribeExecution', 'states:StopExecution'],
    [
      stack.formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${child.stateMachine.stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    ],
    'Executions of the child state machine get generated names; the grant is limited to executions of that one ' +
      'machine, which is what .sync:2 follows and stops.',
  );
  caller.allowServiceActions(
    ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
    [
      stack.formatArn({
        service: 'events',
        resource: 'rule',
        resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule',
      }),
    ],
  );
}
