import { parseFaultPlan } from '../../../local/faults/fault-plan';
import { assertFaultTargetsExist } from '../../../local/faults/fault-targets';
import { parseDefinition } from '../../../local/stepfunctions/definition';

const definition = parseDefinition({
  StartAt: 'List RDS instances',
  States: {
    'List RDS instances': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances', End: true },
  },
});
const callable = { definitions: [definition], serviceActions: ['sns:publish'] };
const planWith = (target: object) => parseFaultPlan({ seed: 1, faults: [{ target, error: 'Throttling', rate: 1 }] });

describe('fault targets must name something that runs', () => {
  it.each([
    [{ state: 'List RDS instances' }],
    [{ resource: 'arn:aws:states:::aws-sdk:rds:*' }],
    [{ service: 'rds', action: 'describeDBInstances' }],
    [{ service: 'rds' }],
    [{ service: 'sns', action: 'publish' }],
  ])('accepts %j', (target) => {
    expect(() => assertFaultTargetsExist(planWith(target), callable)).not.toThrow();
  });

  it.each([
    [
      { state: 'List RDS Instance' },
      /faults\[0\]\.target\.state: no Task state is named "List RDS Instance"; Task states: List RDS instances/,
    ],
    [{ resource: 'arn:aws:states:::aws-sdk:ec2:*' }, /faults\[0\]\.target\.resource: .* matches no Task resource/],
    [
      { service: 'rds', action: 'describeDBInstance' },
      /nothing calls rds:describeDBInstance; callable: .*rds:describeDBInstances/,
    ],
  ])('refuses %j, naming what exists', (target, message) => {
    expect(() => assertFaultTargetsExist(planWith(target), callable)).toThrow(message);
  });
});
