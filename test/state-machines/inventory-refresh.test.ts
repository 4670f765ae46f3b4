import {
  type AslState,
  type AslStates,
  danglingTargets,
  isGeneratedState,
  unreachableStates,
} from '../../lib/circuit-breaker';
import { checkSubstitutions, findPlaceholders, findUnsupportedFeatures } from '../../lib/constructs/asl-definition';
import { syncCircuitGates } from '../../scripts/sync-circuit-gates';
import { inventoryRefreshSubstitutions, readAsl, substitutedDefinition, validateAsl } from './asl-fixtures';

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

  it('is in sync with circuit-gates.json (run `npx tsx scripts/sync-circuit-gates.ts` when this fails)', () => {
    const results = syncCircuitGates({ check: true });

    expect(results.map((result) => [result.machine, result.changed])).toEqual([['inventory-refresh', false]]);
  });

  it('validates with asl-validator once its placeholders are filled', () => {
    const result = validateAsl(definition, { checkArn: true, checkPaths: true });

    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses only PascalCase placeholders, all of which the workflow construct fills', () => {
    const placeholders = findPlaceholders(text);

    expect(() => checkSubstitutions('inventory-refresh.asl.json', text, inventoryRefreshSubstitutions())).not.toThrow();
    expect(placeholders).toEqual(
      expect.arrayContaining(['CircuitTableName', 'InventoryTableName', 'AuditLogTableName']),
    );
    expect(findUnsupportedFeatures(definition)).toEqual([]);
  });

  it('has no dangling or unreachable states', () => {
    expect(danglingTargets(definition)).toEqual([]);
    expect(unreachableStates(definition)).toEqual([]);
  });

  it('gives every Task a typed, capped, jittered Retry where retrying helps, and a Catch', () => {
    const tasks = allStates(definition.States).filter(([, state]) => state.Type === 'Task');

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

  it('gates every page of DescribeDBInstances, including the next pages', () => {
    expect(definition.States['Prepare the inventory refresh']!.Next).toBe('Check RDS API circuit');
    expect(definition.States['Ask for the next page of RDS instances']!.Next).toBe('Check RDS API circuit');
    expect(definition.States['List RDS instances']).toEqual(
      expect.objectContaining({
        Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances',
        Next: 'Did the RDS API call run as the probe?',
      }),
    );
  });

  it('reads RDS fields only in the Java SDK v2 casing of the aws-sdk integration', () => {
    const rdsFields = text.match(/\bD[Bb][A-Za-z]*/g) ?? [];

    expect(new Set(rdsFields)).toEqual(
      new Set(['DbInstances', 'DbInstanceIdentifier', 'DbInstanceClass', 'DbInstanceStatus', 'DbInstanceArn']),
    );
    expect(text).not.toMatch(/\$[^"]*\.DBInstance/);
  });

  it('keeps the generated gate states marked, so a re-sync replaces them', () => {
    const generated = Object.entries(definition.States).filter(([, state]) => isGeneratedState(state));

    expect(generated.length).toBeGreaterThan(30);
    expect(generated.map(([name]) => name)).toContain('RDS API circuit is open');
  });
});

describe('sync-circuit-gates --check', () => {
  it('reports a hand-edited generated state as drift, and the sync restores it', () => {
    const { mkdtempSync, copyFileSync, writeFileSync, readFileSync } = require('node:fs') as typeof import('node:fs');
    const { join } = require('node:path') as typeof import('node:path');
    const { tmpdir } = require('node:os') as typeof import('node:os');
    const { STATE_MACHINES } = require('./asl-fixtures') as typeof import('./asl-fixtures');
    const dir = mkdtempSync(join(tmpdir(), 'gates-'));
    for (const file of ['circuit-gates.json', 'inventory-refresh.asl.json'])
      copyFileSync(join(STATE_MACHINES, file), join(dir, file));
    const file = join(dir, 'inventory-refresh.asl.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"MaxAttempts": 3', '"MaxAttempts": 9'));

    const drift = syncCircuitGates({ check: true, dir });
    syncCircuitGates({ check: false, dir });

    expect(drift[0]!.changed).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(readAsl('inventory-refresh'));
  });
});
