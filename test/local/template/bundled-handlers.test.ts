/**
 * What deploys is the esbuild bundle of each handler, not its TypeScript source. This synthesizes the app
 * with real bundling (once for the file) and runs the workflows on the bundles through the same Lambda
 * binding, so a bundling mistake (a module left out, a wrong handler export) fails here, not on AWS.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VirtualClock } from '../../../local/clock';
import { LocalRuntime } from '../../../local/runtime';
import { seedFleet } from '../../../local/services';
import { LocalFunctions } from '../../../local/stepfunctions/bindings/lambda-function';
import type { AppModel } from '../../../local/template/app-model';
import { loadAppModel } from '../../../local/template/synthesize';
import { startTestService } from '../../helpers/local-service';

let model: AppModel;

/** The functions the workflows invoke: every function but the operations API's route handlers. */
function workflowFunctions() {
  const routeTargets = new Set(
    model.restApis.flatMap((api) =>
      api.methods.flatMap((method) =>
        method.integration.type === 'AWS_PROXY' ? [method.integration.functionArn] : [],
      ),
    ),
  );
  return model.functions.filter((fn) => !routeTargets.has(fn.arn));
}

beforeAll(() => {
  model = loadAppModel({ bundled: true });
}, 120_000);

describe('bundled handlers', () => {
  it('gives every handler function the JavaScript bundle Lambda loads', () => {
    expect(model.functions.length).toBeGreaterThan(0);
    for (const fn of model.functions) {
      expect(fn.bundle).toMatch(/asset\.[0-9a-f]+\/index\.js$/);
      expect(existsSync(fn.bundle!)).toBe(true);
      // Bundled, not the source: no TypeScript, and handler code from handlers/ is inlined.
      expect(readFileSync(fn.bundle!, 'utf8')).toContain('exports');
      expect(fn.bundle).not.toContain(`${path.sep}handlers${path.sep}`);
    }
  });

  it('runs the inventory refresh end to end on the bundles, through the Lambda binding', async () => {
    // A small fleet keeps this quick: what is under test is loading and invoking the bundles, not paging.
    const fleet = seedFleet({ count: 3, seed: 1 });
    const runtime = await LocalRuntime.start({ model, clock: new VirtualClock(), handlerLogLevel: 'SILENT', fleet });
    try {
      const execution = await runtime.execute('inventory-refresh', { trigger: 'manual' });
      const invoked = new Set(runtime.functions.invocations.map((invocation) => invocation.functionName));

      expect(execution.status).toBe('SUCCEEDED');
      expect([...invoked].sort()).toEqual(
        model.functions
          .filter((fn) => fn.functionName.includes('InventoryRefresh'))
          .map((fn) => fn.functionName)
          .sort(),
      );
      expect(runtime.functions.invocations.every((invocation) => invocation.outcome === 'succeeded')).toBe(true);
      for (const name of invoked)
        expect(require.cache[model.functions.find((fn) => fn.functionName === name)!.bundle!]).toBeDefined();
    } finally {
      await runtime.stop();
    }
  });

  it('runs a point-in-time restore end to end on the bundles', async () => {
    const runtime = await LocalRuntime.start({ model, clock: new VirtualClock(), handlerLogLevel: 'SILENT' });
    try {
      await runtime.clock.sleep(10 * 60_000);
      const execution = await runtime.execute('restore-table', {
        tableName: 'health-alerts',
        restoreTo: 'latest',
        reason: 'bundles',
        requestedBy: 'test',
        approval: 'skip',
      });
      const invoked = new Set(runtime.functions.invocations.map((invocation) => invocation.functionName));

      expect({ status: execution.status, error: execution.error }).toEqual({ status: 'SUCCEEDED', error: undefined });
      expect([...invoked].sort()).toEqual([
        expect.stringContaining('CheckRestoreRequest'),
        expect.stringContaining('MeasureRecovery'),
        expect.stringContaining('ReadTableSettings'),
        expect.stringContaining('ValidateRestoredTable'),
      ]);
      for (const name of invoked)
        expect(require.cache[model.functions.find((fn) => fn.functionName === name)!.bundle!]).toBeDefined();
    } finally {
      await runtime.stop();
    }
  });

  it('loads every bundle with its handler export, as Lambda would at a cold start', () => {
    expect(model.functions.length).toBeGreaterThan(1);
    for (const fn of model.functions) {
      const loaded = require(fn.bundle!) as Record<string, unknown>;
      expect({ function: fn.functionName, handler: typeof loaded[fn.handlerExport] }).toEqual({
        function: fn.functionName,
        handler: 'function',
      });
    }
  });

  it('serves every route of the operations API on the bundles, through local serve', async () => {
    const service = await startTestService(model, { clock: new VirtualClock() });
    try {
      const status = async (method: string, route: string, body?: string) =>
        (await fetch(`${service.endpoint}/api${route}`, { method, ...(body !== undefined && { body }) })).status;

      const answers = [
        await status('GET', '/instances'),
        await status('GET', '/instances/db-none'),
        await status('GET', '/alerts'),
        await status('GET', '/costs?from=2026-01-01&to=2026-01-31'),
        await status('GET', '/circuits'),
        await status('GET', '/executions/not-an-arn'),
        await status('POST', '/circuits/rds-api/open', '{}'),
        await status('GET', '/restores'),
        await status('POST', '/restores', '{}'),
        await status('POST', '/approvals/restore-none/approve', '{"reason":"looks right"}'),
        await status('GET', '/no-such-route'),
      ];

      expect(answers).toEqual([200, 404, 200, 200, 200, 400, 400, 200, 400, 404, 404]);
      const apiFunctions = model.functions.filter((fn) => !workflowFunctions().includes(fn));
      expect(apiFunctions.length).toBeGreaterThan(0);
      for (const fn of apiFunctions) expect(require.cache[fn.bundle!]).toBeDefined();
    } finally {
      await service.stop();
    }
  });

  it('fails the invocation with Runtime.ImportModuleError when a bundle requires what Lambda does not have', async () => {
    const fn = model.functions[0]!;
    // A bundle next to the real ones (so @aws-sdk resolves as it does for them) that left a dependency out.
    const dir = mkdtempSync(path.join(path.dirname(path.dirname(fn.bundle!)), 'asset.broken-'));
    const bundle = path.join(dir, 'index.js');
    writeFileSync(
      bundle,
      "require('@aws-sdk/client-dynamodb'); require('fast-check'); exports.handler = async () => 1;",
    );
    const functions = new LocalFunctions([{ ...fn, bundle }], new VirtualClock());

    await expect(functions.invoke(fn.functionName, {})).rejects.toMatchObject({
      name: 'Runtime.ImportModuleError',
      message: expect.stringContaining("Cannot find module 'fast-check'"),
    });
  });
});
