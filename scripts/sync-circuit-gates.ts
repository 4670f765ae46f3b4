/**
 * Regenerates the circuit gate states inside every gated `state-machines/*.asl.json` from
 * `state-machines/circuit-gates.json`. `--check` only reports drift (exit 1), for CI and the test suite.
 *
 *   npx tsx scripts/sync-circuit-gates.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatedMachines, loadCircuitGates, STATE_MACHINES_DIR } from '../lib/circuit-breaker/declaration';
import { type AslDefinition, applyCircuitGates, formatDefinition } from '../lib/circuit-breaker/sync';

export interface SyncResult {
  readonly machine: string;
  readonly file: string;
  readonly changed: boolean;
  readonly text: string;
}

/** Computes the synced text of every gated machine; writes the files unless `check`. */
export function syncCircuitGates(options: { readonly check: boolean; readonly dir?: string }): SyncResult[] {
  const dir = options.dir ?? STATE_MACHINES_DIR;
  const gates = loadCircuitGates(join(dir, 'circuit-gates.json'));
  return gatedMachines(gates).map((machine) => {
    const file = join(dir, `${machine}.asl.json`);
    const current = readFileSync(file, 'utf8');
    const text = formatDefinition(applyCircuitGates(JSON.parse(current) as AslDefinition, machine, gates));
    const changed = text !== current;
    if (changed && !options.check) writeFileSync(file, text);
    return { machine, file, changed, text };
  });
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  try {
    const results = syncCircuitGates({ check });
    for (const result of results) {
      const status = result.changed ? (check ? 'OUT OF DATE' : 'updated') : 'up to date';
      process.stdout.write(`${result.machine}: ${status}\n`);
    }
    if (check && results.some((result) => result.changed)) {
      process.stderr.write(
        'Circuit gates drifted from circuit-gates.json; run: npx tsx scripts/sync-circuit-gates.ts\n',
      );
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`sync-circuit-gates: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
