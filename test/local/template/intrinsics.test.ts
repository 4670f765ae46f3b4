import { LocalResourceNames } from '../../../local/template/intrinsics';

const names = new LocalResourceNames(
  [
    {
      stackName: 'Data',
      template: {
        Resources: { Inventory: { Type: 'AWS::DynamoDB::Table', Properties: {} } },
        Outputs: { InventoryName: { Value: { Ref: 'Inventory' }, Export: { Name: 'Data-InventoryName' } } },
      },
    },
    {
      stackName: 'Workflows',
      template: {
        Resources: {
          Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'refresh' } },
        },
      },
    },
  ],
  { region: 'eu-west-1', account: '111122223333' },
);

describe('intrinsic functions, resolved to local names', () => {
  it('resolves Ref, GetAtt, Join, Sub, Select, Split, ImportValue and pseudo parameters', () => {
    const resolved = names.resolve(
      'Workflows',
      {
        table: { 'Fn::ImportValue': 'Data-InventoryName' },
        machine: { Ref: 'Machine' },
        name: { 'Fn::GetAtt': ['Machine', 'Name'] },
        joined: { 'Fn::Join': ['-', [{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]] },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
        sub: { 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${Machine.Name}:${!Literal}' },
        picked: { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] },
      },
      'test',
    );

    expect(resolved).toEqual({
      table: 'Data-Inventory',
      machine: 'arn:aws:states:eu-west-1:111122223333:stateMachine:refresh',
      name: 'refresh',
      joined: 'eu-west-1-111122223333',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub renders ${!Literal} as this literal text
      sub: 'arn:aws:x:eu-west-1:refresh:${Literal}',
      picked: 'b',
    });
  });

  it('drops keys and list items set to AWS::NoValue', () => {
    const resolved = names.resolve(
      'Workflows',
      { kept: 1, dropped: { Ref: 'AWS::NoValue' }, list: [1, { Ref: 'AWS::NoValue' }, 2] },
      'test',
    );

    expect(resolved).toEqual({ kept: 1, list: [1, 2] });
  });

  it('refuses an attribute it cannot resolve instead of inventing one', () => {
    expect(() => names.resolve('Workflows', { 'Fn::GetAtt': ['Machine', 'Bogus'] }, 'test')).toThrow(
      /cannot resolve .*Bogus/,
    );
  });
});
