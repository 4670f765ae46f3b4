/** The app as the local runtime runs it: state machines, rules and tables, one line each. */
import type { LocalRuntime } from '../local/runtime';
import type { CliIo } from './cli-io';

export function printAppInventory(runtime: LocalRuntime, io: CliIo): void {
  io.out('State machines:');
  for (const machine of runtime.model.stateMachines)
    io.out(`  ${machine.workflow ?? machine.name}  (${machine.type}, ${machine.arn})`);
  io.out('Rules:');
  for (const rule of runtime.bus.listRules()) {
    io.out(
      `  ${rule.name}  ${rule.scheduleExpression ?? JSON.stringify(rule.eventPattern)}  -> ${rule.targets.map((t) => t.arn).join(', ')}`,
    );
  }
  io.out('Tables:');
  for (const table of runtime.model.tables) {
    const pitr = table.pointInTimeRecovery?.enabled
      ? `PITR ${table.pointInTimeRecovery.recoveryPeriodInDays ?? 35} days`
      : 'no PITR';
    io.out(`  ${table.tableName}  (${pitr}${table.timeToLiveAttribute ? `, TTL ${table.timeToLiveAttribute}` : ''})`);
  }
}
