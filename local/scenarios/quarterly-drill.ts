/**
 * "Quarterly drill": dr-drill restores each of the five protected tables into a drill-* scratch table (two at a
 * time), validates it against the live table, measures the RTO, deletes the scratch table, and the timeline prints
 * the RTO table against the target, as `rds-ops drills report` does.
 */
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { DrillReport } from '../../handlers/recovery/record-drill-report';
import { formatDrillReports } from '../../operations/drills';
import type { Scenario } from './scenario';

const MINUTE = 60_000;

export const quarterlyDrill: Scenario = {
  title: 'Quarterly drill',
  story:
    'The DR drill restores all five protected tables into scratch tables, validates them, deletes only the scratch ' +
    'tables and prints the measured RTO of each table against the target.',

  async run({ runtime, log, check }) {
    // The drill restores the latest restorable time, which trails now by five minutes (as on AWS).
    await runtime.clock.sleep(10 * MINUTE);
    log('dr-drill starts (schedule or "rds-ops drills run --wait"), two tables at a time');
    const drill = await runtime.execute('dr-drill', { requestedBy: 'quarterly-review', reason: 'Q4 drill' });
    const report = drill.output as DrillReport | undefined;
    for (const line of report ? formatDrillReports([report]) : []) log(line);
    log(
      `drill ${drill.status}: slowest RTO ${report?.slowestRecoveryTimeSeconds} s against a target of ` +
        `${report?.rtoTargetSeconds} s; report in audit-log (rds-ops drills report)`,
    );
    check(
      'the drill passes for all five protected tables',
      drill.status === 'SUCCEEDED' && report?.tables.length === 5,
    );
    const { TableNames = [] } = await runtime.dynamoDbClient.send(new ListTablesCommand({}));
    check(
      'only scratch tables were deleted: every live table is there, no drill-* table is left',
      TableNames.every((name) => !name.startsWith('drill-')) &&
        runtime.model.tables.every((table) => TableNames.includes(table.tableName)),
    );
  },
};
