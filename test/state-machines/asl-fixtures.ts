/** Loading the committed ASL files with every placeholder filled, as the CDK constructs would. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProtectedCalls, protectedCallSubstitutions } from '../../lib/circuit-breaker';
import { type CircuitConfig, DEFAULT_CIRCUIT } from '../../lib/config';

export const STATE_MACHINES = join(__dirname, '..', '..', 'state-machines');

export const BREAKER_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:circuit-breaker';

export const SAVE_INVENTORY_PAGE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:save-inventory-page';

export const SAVE_INVENTORY_PAGE_SUBSTITUTIONS = { InventoryTableName: 'rds-inventory' };

export const BREAKER_SUBSTITUTIONS = { CircuitTableName: 'circuit-breakers', EventBusName: 'default' };

export function inventoryRefreshSubstitutions(circuit: Partial<CircuitConfig> = {}): Record<string, string> {
  const [call] = findProtectedCalls(JSON.parse(readAsl('inventory-refresh')), 'inventory-refresh');
  return {
    AuditLogTableName: 'audit-log',
    ReconcileInventoryFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:reconcile-inventory',
    CircuitBreakerArn: BREAKER_ARN,
    SaveInventoryPageArn: SAVE_INVENTORY_PAGE_ARN,
    ...protectedCallSubstitutions(call!, { ...DEFAULT_CIRCUIT, ...circuit }),
  };
}

export function readAsl(name: string): string {
  return readFileSync(join(STATE_MACHINES, `${name}.asl.json`), 'utf8');
}

/** The definition as Step Functions sees it after DefinitionSubstitutions. */
export function substitutedDefinition(text: string, values: Record<string, string>): Record<string, unknown> {
  const filled = text.replace(/\$\{([A-Za-z0-9]+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`no test value for placeholder ${whole}`);
    return values[name]!;
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

type Validator = (
  definition: unknown,
  options?: object,
) => { isValid: boolean; errorsText(separator?: string): string };
// asl-validator ships no type declarations.
export const validateAsl: Validator = require('asl-validator');
