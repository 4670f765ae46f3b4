import {
  type AslDefinition,
  type AslState,
  applyCircuitGates,
  CircuitDeclarationError,
  circuitGateStates,
  circuitSubstitutions,
  formatDefinition,
  gateStateNames,
  isGeneratedState,
  openTimeoutLadder,
  parseCircuitGates,
  placeholder,
} from '../../lib/circuit-breaker';
import { DEFAULT_CIRCUIT } from '../../lib/config';

const OPTIONS = {
  circuit: 'rds-api',
  label: 'RDS API',
  protectedState: 'List RDS instances',
  next: 'Save instances',
  onFailure: 'Record failure',
  errorPath: '$.failure',
  countedErrors: ['Rds.RdsException', 'States.Timeout'],
};
const names = gateStateNames('RDS API');

function params(state: AslState | undefined): Record<string, unknown> {
  return (state?.Parameters ?? {}) as Record<string, unknown>;
}

describe('circuitGateStates', () => {
  const gate = circuitGateStates(OPTIONS);
  const all = { ...gate.gateStates, ...gate.recordStates };

  it('names states as sentences an operator reads in the console', () => {
    expect(gate.entry).toBe('Check RDS API circuit');
    expect(Object.keys(gate.gateStates)).toEqual(
      expect.arrayContaining(['Check RDS API circuit', 'RDS API circuit is open', 'Take the RDS API probe lease']),
    );
    expect(Object.keys(gate.recordStates)).toEqual(
      expect.arrayContaining(['Count the RDS API failure', 'Open the RDS API circuit', 'Close the RDS API circuit']),
    );
  });

  it('reads the circuit with one strongly consistent GetItem and uses no Lambda anywhere', () => {
    expect(all[names.check]).toEqual(
      expect.objectContaining({
        Resource: 'arn:aws:states:::dynamodb:getItem',
        Parameters: expect.objectContaining({ ConsistentRead: true }),
      }),
    );
    const resources = Object.values(all)
      .map((state) => state.Resource)
      .filter(Boolean);
    expect(resources.some((resource) => String(resource).includes('lambda'))).toBe(false);
  });

  it('guards every transition with a condition on state and version or lease holder', () => {
    expect(params(all[names.takeLease]).ConditionExpression).toBe(
      '#state = :open AND #version = :seen AND openUntil <= :now',
    );
    expect(params(all[names.openCircuit]).ConditionExpression).toBe(
      '#state = :closed AND #version = :seen AND failureCount >= #config.failureThreshold',
    );
    expect(params(all[names.reopen]).ConditionExpression).toBe('#state = :halfOpen AND probeHolder = :me');
    expect(params(all[names.close]).ConditionExpression).toBe(
      '#state = :halfOpen AND successCount >= #config.successThreshold',
    );
    expect(params(all[names.count]).UpdateExpression).toMatch(/^ADD failureCount :one/);
  });

  it('sends only the expression names and values each write uses (DynamoDB rejects unused ones)', () => {
    for (const state of Object.values(all).filter((s) => String(s.Resource).endsWith('updateItem'))) {
      const p = params(state);
      const text = `${p.UpdateExpression} ${p.ConditionExpression}`;
      for (const name of Object.keys((p.ExpressionAttributeNames ?? {}) as object)) expect(text).toContain(name);
      for (const value of Object.keys(p.ExpressionAttributeValues as object)) expect(text).toContain(value);
    }
  });

  it('routes only counted errors into the failure count', () => {
    const classify = all[names.classify]!;
    expect((classify.Choices as AslState[])[0]).toEqual({
      Or: [
        { Variable: '$.failure.Error', StringEquals: 'Rds.RdsException' },
        { Variable: '$.failure.Error', StringEquals: 'States.Timeout' },
      ],
      Next: names.exists,
    });
  });

  it('announces transitions on EventBridge and in CloudWatch', () => {
    const entry = (params(all[names.announce]).Entries as Record<string, unknown>[])[0];
    expect(entry).toEqual(
      expect.objectContaining({ DetailType: 'Circuit State Changed', EventBusName: placeholder('EventBusName') }),
    );
    expect(all[names.metric]!.Resource).toBe('arn:aws:states:::aws-sdk:cloudwatch:putMetricData');
  });

  it('fails fast with CircuitOpenError, to the given state or a generated Fail', () => {
    expect(all[names.open]).toEqual(
      expect.objectContaining({ Parameters: expect.objectContaining({ Error: 'CircuitOpenError' }) }),
    );
    expect(all[names.failFast]).toEqual(
      expect.objectContaining({ Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' }),
    );
    const withTarget = circuitGateStates({ ...OPTIONS, onOpen: 'Record failure' });
    expect(withTarget.gateStates[names.open]!.Next).toBe('Record failure');
    expect(withTarget.gateStates[names.failFast]).toBeUndefined();
  });

  it('marks every generated state so a re-sync can replace it', () => {
    expect(Object.values(all).every(isGeneratedState)).toBe(true);
  });
});

describe('circuitSubstitutions', () => {
  it('fills every settings placeholder from CDK config, ladder included', () => {
    const values = circuitSubstitutions('rds-api', {
      ...DEFAULT_CIRCUIT,
      openTimeoutGrowth: 2,
      maxOpenTimeoutSeconds: 300,
    });

    expect(values).toEqual(
      expect.objectContaining({
        RdsApiCircuitFailureThreshold: '5',
        RdsApiCircuitOpenTimeoutLadder: '60,120,240,300',
        RdsApiCircuitTableFailPolicy: 'FAIL_OPEN',
      }),
    );
    expect(openTimeoutLadder({ ...DEFAULT_CIRCUIT, openTimeoutGrowth: 1 })).toEqual([60]);
  });

  it('rejects settings that cannot work', () => {
    expect(() => circuitSubstitutions('rds-api', { ...DEFAULT_CIRCUIT, maxOpenTimeoutSeconds: 10 })).toThrow(
      /below openTimeoutSeconds/,
    );
  });
});

describe('applyCircuitGates', () => {
  const declaration = parseCircuitGates({
    circuits: { 'rds-api': { label: 'RDS API', countedErrors: ['Rds.RdsException'] } },
    gates: [
      {
        machine: 'm',
        circuit: 'rds-api',
        protectedState: 'Call',
        next: 'Done',
        onFailure: 'Failed',
        errorPath: '$.failure',
      },
    ],
  });
  const authored: AslDefinition = {
    StartAt: 'Check RDS API circuit',
    States: {
      Call: {
        Type: 'Task',
        Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances',
        ResultPath: '$.page',
        End: true,
      },
      Done: { Type: 'Succeed' },
      Failed: { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
    },
  };

  it('is idempotent: applying twice gives the same text', () => {
    const once = formatDefinition(applyCircuitGates(authored, 'm', declaration));
    const twice = formatDefinition(applyCircuitGates(JSON.parse(once), 'm', declaration));

    expect(twice).toBe(once);
  });

  it('replaces stale generated states (a renamed circuit leaves nothing behind)', () => {
    const synced = applyCircuitGates(authored, 'm', declaration);
    const renamed = parseCircuitGates({
      circuits: { 'rds-api': { label: 'RDS control plane', countedErrors: ['Rds.RdsException'] } },
      gates: declaration.gates,
    });
    const resynced = applyCircuitGates({ ...synced, StartAt: 'Check RDS control plane circuit' }, 'm', renamed);

    expect(Object.keys(resynced.States).filter((name) => name.includes('RDS API'))).toEqual([]);
    expect(resynced.States.Call!.Next).toBe('Did the RDS control plane call run as the probe?');
  });

  it('refuses a protected Task whose result would overwrite the gate data', () => {
    const clobbering = {
      ...authored,
      States: { ...authored.States, Call: { ...authored.States.Call!, ResultPath: '$' } },
    };

    expect(() => applyCircuitGates(clobbering, 'm', declaration)).toThrow(CircuitDeclarationError);
  });

  it('refuses declarations that name missing states or circuits', () => {
    expect(() =>
      applyCircuitGates(authored, 'm', { ...declaration, gates: [{ ...declaration.gates[0]!, next: 'Nowhere' }] }),
    ).toThrow(/"Nowhere", which does not exist/);
    expect(() => parseCircuitGates({ circuits: {}, gates: declaration.gates })).toThrow(/does not declare/);
  });

  it('counts an error with Cause patterns only when a pattern matches, and refuses patterns for uncounted errors', () => {
    const gate = circuitGateStates({
      ...OPTIONS,
      countedCauses: { 'Rds.RdsException': ['*Rate exceeded*', '*Status Code: 5*'] },
    });
    const classify = Object.values(gate.recordStates).find((state) =>
      state.Comment?.toString().includes('Only throttling'),
    )!;

    expect((classify.Choices as AslState[])[0]).toMatchObject({
      Or: [
        {
          And: [
            { Variable: '$.failure.Error', StringEquals: 'Rds.RdsException' },
            { Or: [{ StringMatches: '*Rate exceeded*' }, { StringMatches: '*Status Code: 5*' }] },
          ],
        },
        { Variable: '$.failure.Error', StringEquals: 'States.Timeout' },
      ],
    });
    expect(() =>
      parseCircuitGates({
        circuits: {
          'rds-api': {
            label: 'RDS API',
            countedErrors: ['States.Timeout'],
            countedCauses: { 'Rds.RdsException': ['*'] },
          },
        },
        gates: declaration.gates,
      }),
    ).toThrow(/countedCauses/);
  });
});
