import { protectedCallStateNames } from '../../lib/circuit-breaker';
import { checkSubstitutions, findPlaceholders, findUnsupportedFeatures } from '../../lib/constructs/asl-definition';
import { danglingTargets, unreachableStates } from '../helpers/asl-graph';
import {
  inventoryRefreshSubstitutions,
  readAsl,
  SAVE_INVENTORY_PAGE_SUBSTITUTIONS,
  substitutedDefinition,
  validateAsl,
} from './asl-fixtures';

type AslState = Record<string, unknown>;
type AslStates = Record<string, AslState>;
const GATE = protectedCallStateNames('RDS API');

const LAMBDA_RETRY_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

function allStates(states: AslStates): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]) => {
    const inner = state.ItemProcessor as { States: AslStates } | undefined;
    return [[name, state] as [string, AslState], ...(inner ? allStates(inner.States) : [])];
  });
}

describe('inventory-refresh.asl.json', () => {
  const text = readAsl('inventory-refresh');
  const definition = substitutedDefinition(text, inventoryRefreshSubstitutions()) as {
    StartAt: string;
    States: AslStates;
  };

  it('validates with asl-validator once its placeholders are filled', () => {
    const result = validateAsl(definition, { checkArn: true, checkPaths: true });

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses only PascalCase placeholders, all of which the workflow construct fills', () => {
    const placeholders = findPlaceholders(text);

    expect(() => checkSubstitutions('inventory-refresh.asl.json', text, inventoryRefreshSubstitutions())).not.toThrow();
    expect(placeholders).toEqual(
      expect.arrayContaining([
        'CircuitBreakerArn',
        'RdsApiCircuitSettings',
        'RdsApiCircuitWhenBreakerUnavailable',
        'SaveInventoryPageArn',
        'AuditLogTableName',
      ]),
    );
    expect(findUnsupportedFeatures(definition)).toEqual([]);
  });

  it.each(['FAIL_OPEN', 'FAIL_CLOSED'] as const)('has no dangling or unreachable states under %s', (policy) => {
    const withPolicy = substitutedDefinition(text, inventoryRefreshSubstitutions({ tableFailPolicy: policy })) as {
      StartAt: string;
      States: AslStates;
    };

    expect(danglingTargets(withPolicy)).toEqual([]);
    expect(unreachableStates(withPolicy)).toEqual([]);
  });

  it('gives every Task a typed, capped, jittered Retry where retrying helps, and a Catch', () => {
    const tasks = allStates(definition.States).filter(([, state]) => state.Type === 'Task');

    expect(tasks.length).toBeGreaterThan(5);
    for (const [name, state] of tasks) {
      const retries = (state.Retry ?? []) as AslState[];
      expect({ name, hasCatch: Array.isArray(state.Catch) && (state.Catch as unknown[]).length > 0 }).toEqual({
        name,
        hasCatch: true,
      });
      expect({ name, retries: retries.length > 0 }).toEqual({ name, retries: true });
      for (const retry of retries) {
        expect(retry).toEqual(
          expect.objectContaining({
            MaxDelaySeconds: expect.any(Number),
            JitterStrategy: 'FULL',
            BackoffRate: expect.any(Number),
          }),
        );
        expect(retry.ErrorEquals).not.toContain('States.ALL');
      }
    }
  });

  it('retries the four Lambda service errors on the reconcile task', () => {
    const reconcile = definition.States['Mark instances missing from this refresh']!;

    expect((reconcile.Retry as AslState[])[0]!.ErrorEquals).toEqual(LAMBDA_RETRY_ERRORS);
  });

  it('asks the circuit before every page of DescribeDBInstances, including the next pages', () => {
    expect(definition.States['Prepare the inventory refresh']!.Next).toBe(GATE.check);
    expect(definition.States['Ask for the next page of RDS instances']!.Next).toBe(GATE.check);
    expect(definition.States['List RDS instances']).toEqual(
      expect.objectContaining({
        Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances',
        Next: GATE.afterSuccess,
      }),
    );
  });

  it('spends six states on the protected call, named around the dependency, and shows its own steps', () => {
    const names = Object.keys(definition.States);
    const handshake = names.filter((name) => name.includes('RDS API circuit'));

    expect(handshake.sort()).toEqual(Object.values(GATE).sort());
    expect(names).toHaveLength(19);
  });

  it('routes an unreachable breaker by the fail policy: to the call, or to the refusal', () => {
    const catchTarget = (policy: 'FAIL_OPEN' | 'FAIL_CLOSED') => {
      const filled = substitutedDefinition(text, inventoryRefreshSubstitutions({ tableFailPolicy: policy })) as {
        States: AslStates;
      };
      return (filled.States[GATE.check]!.Catch as AslState[])[0]!.Next;
    };

    expect(catchTarget('FAIL_OPEN')).toBe('List RDS instances');
    expect(catchTarget('FAIL_CLOSED')).toBe(GATE.refused);
  });

  it('says what decides MISSING: lastSeenAt against the refresh start, as the reconcile handler does', () => {
    const reconcile = definition.States['Mark instances missing from this refresh']!;

    expect(reconcile.Comment).toMatch(/lastSeenAt is older than this refresh's start/);
    expect(reconcile.Comment).not.toMatch(/whose lastSeenRefreshId/);
  });

  it('reads RDS fields only in the Java SDK v2 casing of the aws-sdk integration, the page fields in the child', () => {
    const child = readAsl('save-inventory-page');
    const fieldsOf = (asl: string) => new Set(asl.match(/\bD[Bb][A-Za-z]*/g) ?? []);

    expect(fieldsOf(text)).toEqual(new Set(['DbInstances']));
    expect(fieldsOf(child)).toEqual(
      new Set(['DbInstanceIdentifier', 'DbInstanceClass', 'DbInstanceStatus', 'DbInstanceArn']),
    );
    for (const asl of [text, child]) expect(asl).not.toMatch(/\$[^"]*\.DBInstance/);
  });

  it('hands each page to the save-inventory-page Express machine and fails the refresh when it did not save', () => {
    const save = definition.States['Save the page of RDS instances']!;
    const more = definition.States['Are there more RDS instances to list?'] as { Choices: AslState[] };

    expect(save).toEqual(
      expect.objectContaining({
        Resource: 'arn:aws:states:::aws-sdk:sfn:startSyncExecution',
        Next: 'Are there more RDS instances to list?',
      }),
    );
    expect(more.Choices.slice(0, 2).map((choice) => choice.Next)).toEqual([
      'The page of RDS instances was not saved',
      'The page of RDS instances was not saved in time',
    ]);
    expect(Object.values(definition.States).some((state) => state.Type === 'Map')).toBe(false);
  });
});

describe('save-inventory-page.asl.json', () => {
  const text = readAsl('save-inventory-page');
  const definition = substitutedDefinition(text, SAVE_INVENTORY_PAGE_SUBSTITUTIONS) as { States: AslStates };

  it('validates with asl-validator and upserts with the newest-observation-wins condition', () => {
    const upsert = allStates(definition.States).find(([name]) => name === 'Save RDS instance in the inventory')?.[1];

    expect(validateAsl(definition, { checkArn: true, checkPaths: true }).errorsText()).toBe('');
    expect(upsert).toEqual(
      expect.objectContaining({
        Resource: 'arn:aws:states:::dynamodb:updateItem',
        Parameters: expect.objectContaining({
          ConditionExpression: 'attribute_not_exists(#lastSeenAt) OR #lastSeenAt <= :seenAt',
        }),
      }),
    );
  });
});
