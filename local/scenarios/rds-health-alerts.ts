/**
 * "RDS health alerts": an RDS alarm fires for an instance the inventory does not know yet. The ingestion
 * describes it through the `rds-api` circuit while RDS throttles twice (Retry absorbs it), a redelivery changes
 * nothing, the OK state resolves the alert and a late, older event cannot reopen it. Then RDS goes down for good:
 * the circuit opens at its threshold and alerts keep being recorded, without the enrichment and without calls.
 */
import { parseFaultPlan } from '../faults/fault-plan';
import type { LocalRuntime } from '../runtime';
import type { ExecutionRecord } from '../stepfunctions/local-state-machine';
import { retrySummary } from '../stepfunctions/retry-summary';
import { deliverEvents } from './deliver-events';
import { alarmEvent, rdsEvent } from './health-events';
import type { Scenario } from './scenario';
import { deployedCircuitSettings, readCircuit, readItem } from './tables';

const CIRCUIT = 'rds-api';
const DESCRIBE = { service: 'rds', action: 'describeDBInstances' } as const;

const TWO_THROTTLES = parseFaultPlan({
  seed: 7,
  faults: [{ target: DESCRIBE, error: 'Throttling', cause: 'Rate exceeded', rate: 1, count: 2 }],
});
const RDS_DOWN = parseFaultPlan({
  seed: 8,
  faults: [{ target: DESCRIBE, error: 'Throttling', cause: 'Rate exceeded', rate: 1 }],
});

export const rdsHealthAlerts: Scenario = {
  title: 'RDS health alerts',
  story:
    'An RDS alarm fires; the alert is recorded once however often it is delivered, resolved by the OK state, ' +
    'never reopened by a late older event; an RDS outage opens the rds-api circuit and alerts keep flowing.',

  async run({ runtime, log, check }) {
    const [instance] = runtime.services.rds.instances();
    const identifier = instance!.DbInstanceIdentifier!;
    const alarmName = `${identifier}-free-storage`;
    const alarm = (options: Parameters<typeof alarmEvent>[0]) =>
      alarmEvent({ alarmName, dimensions: { DBInstanceIdentifier: identifier }, ...options });
    const alertId = `alarm#arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`;
    const readAlert = (id: string) => readItem(runtime, 'healthAlerts', { alertId: id });

    runtime.faults.setPlan(TWO_THROTTLES);
    log(`alarm ${alarmName} goes to ALARM; ${identifier} is not in rds-inventory yet, RDS throttles twice`);
    const [raised] = await deliverEvents(
      runtime,
      alarm({ id: 'storage-low', timestamp: '2026-11-30T09:00:00.000+0000' }),
    );
    const described = retrySummary(raised!.trace).states.find((state) => state.state === 'Describe the RDS instance');
    const created = await readAlert(alertId);
    log(
      `ingestion ${raised!.status.toLowerCase()}: alert ${created?.status}, severity ${created?.severity}, ` +
        `inventory ${created?.inventory}, after ${described?.retries ?? 0} retries of "Describe the RDS instance"`,
    );
    check(
      'the alert is raised and enriched from RDS, the two throttled calls absorbed by Retry',
      recorded(raised) === 'CREATED' && created?.inventory === 'DESCRIBED' && described?.retries === 2,
      `${recorded(raised)}, inventory ${created?.inventory}, ${described?.retries} retries`,
    );

    const [redelivered] = await deliverEvents(
      runtime,
      alarm({ id: 'storage-low', timestamp: '2026-11-30T09:00:00.000+0000' }),
    );
    const afterDuplicate = await readAlert(alertId);
    log(
      `EventBridge delivers the same event again: ${recorded(redelivered)}, ${afterDuplicate?.occurrenceCount} occurrence`,
    );
    check(
      'a redelivered event changes nothing',
      recorded(redelivered) === 'DUPLICATE' && afterDuplicate?.version === created?.version,
    );

    const [resolved] = await deliverEvents(
      runtime,
      alarm({ id: 'storage-ok', state: 'OK', timestamp: '2026-11-30T09:20:00.000+0000' }),
    );
    const [late] = await deliverEvents(
      runtime,
      alarm({ id: 'storage-low-late', timestamp: '2026-11-30T09:10:00.000+0000' }),
    );
    const afterLate = await readAlert(alertId);
    log(
      `OK at 09:20 ${recorded(resolved)?.toLowerCase()} the alert; an ALARM of 09:10 arrives after it: ${recorded(late)}`,
    );
    check(
      'the OK state resolves the alert and an older event delivered late leaves it resolved',
      recorded(resolved) === 'RESOLVED' && recorded(late) === 'STALE' && afterLate?.status === 'RESOLVED',
      `${recorded(resolved)}, ${recorded(late)}, status ${afterLate?.status}`,
    );

    const { failureThreshold } = deployedCircuitSettings(runtime, CIRCUIT);
    runtime.faults.setPlan(RDS_DOWN);
    log(`the RDS API goes down; ${failureThreshold + 1} RDS events arrive for instances the inventory lacks`);
    const outage = await deliverEvents(
      runtime,
      ...Array.from({ length: failureThreshold }, (_, index) =>
        rdsEvent({ id: `outage-${index}`, identifier: `db-${index}` }),
      ),
    );
    const opened = await readCircuit(runtime, CIRCUIT);
    const callsWhenOpened = describeCalls(runtime);
    const [whileOpen] = await deliverEvents(runtime, rdsEvent({ id: 'while-open', identifier: 'db-late' }));
    const unenriched = await readAlert('rds#arn:aws:rds:us-east-1:123456789012:db:db-late#availability');
    log(
      `circuit ${opened?.state} after ${opened?.failureCount} failed descriptions; the next alert is recorded ` +
        `(inventory ${unenriched?.inventory}, ${unenriched?.enrichmentError}) with ${describeCalls(runtime) - callsWhenOpened} RDS calls`,
    );
    check(
      `the circuit opens after ${failureThreshold} failed descriptions, and every alert is still recorded`,
      opened?.state === 'OPEN' && [...outage, whileOpen].every((execution) => execution?.status === 'SUCCEEDED'),
      `state ${opened?.state}`,
    );
    check(
      'while open, alerts are recorded without calling RDS',
      unenriched?.status === 'OPEN' &&
        unenriched.enrichmentError === 'CircuitOpenError' &&
        describeCalls(runtime) === callsWhenOpened,
    );
  },
};

function recorded(execution: ExecutionRecord | undefined): string | undefined {
  return (execution?.output as { recorded?: { outcome?: string } } | undefined)?.recorded?.outcome;
}

function describeCalls(runtime: LocalRuntime): number {
  return runtime.services.rds.calls.filter((call) => call.action === 'describeDBInstances').length;
}
