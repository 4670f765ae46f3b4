/**
 * The rds-api circuit counts RDS throttling and 5xx (`*Status Code: 5*` in countedCauses): both arrive as
 * Rds.RdsException, told apart only by the Cause. Asserted through the circuit item, end to end on the
 * synthesized app: an InternalFailure (HTTP 500 on AWS) counts, an unmodeled 400 validation error does not.
 */
import { VirtualClock } from '../../local/clock';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import { LocalRuntime } from '../../local/runtime';
import { readCircuit } from '../../local/scenarios/tables';
import { loadAppModel } from '../../local/template/synthesize';

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await LocalRuntime.start({ model: loadAppModel(), clock: new VirtualClock(), handlerLogLevel: 'SILENT' });
});

afterAll(async () => {
  await runtime.stop();
});

function failRdsWith(fault: Record<string, unknown>): void {
  runtime.faults.setPlan(
    parseFaultPlan({ seed: 1, faults: [{ target: { service: 'rds', action: 'describeDBInstances' }, ...fault }] }),
  );
}

async function failureCount(): Promise<number> {
  return (await readCircuit(runtime, 'rds-api'))?.failureCount ?? 0;
}

describe('rds-api circuit and the HTTP status of RDS errors', () => {
  it('does not count an unmodeled 400 validation error, and counts an InternalFailure (500)', async () => {
    failRdsWith({ error: 'InvalidParameterValue', cause: 'Invalid marker' });
    const validation = await runtime.execute('inventory-refresh', { trigger: 'manual' });
    const afterValidation = await failureCount();

    failRdsWith({ error: 'InternalFailure', cause: 'An internal error has occurred.' });
    const internal = await runtime.execute('inventory-refresh', { trigger: 'manual' });
    const afterInternal = await failureCount();

    expect(validation.cause).toMatch(/Invalid marker \(Service: Rds, Status Code: 400,/);
    expect(afterValidation).toBe(0);
    expect(internal.error).toBe('Rds.RdsException');
    expect(internal.cause).toMatch(/An internal error has occurred\. \(Service: Rds, Status Code: 500,/);
    expect(afterInternal).toBe(1);
  });

  it('counts a failure whose status a fault plan sets (503) even for a code that defaults to 400', async () => {
    const before = await failureCount();
    failRdsWith({ error: 'SomethingUnusual', cause: 'Upstream is down', statusCode: 503 });

    const execution = await runtime.execute('inventory-refresh', { trigger: 'manual' });

    expect(execution.cause).toMatch(/Status Code: 503,/);
    expect(await failureCount()).toBe(before + 1);
  });
});
