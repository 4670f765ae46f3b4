/**
 * `npm run docs:screenshot`: the picture of the local console in the README, and how long the page takes for a
 * big execution. Starts the local service on the synthesized app, runs an inventory refresh whose first RDS
 * call is throttled (so the graph shows a retry), and photographs its execution page in headless chromium.
 * Then renders the report of a refresh over 700 instances (about 5,800 history events) and prints the timings.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../local/clock';
import { executionData, executionReport } from '../../local/console/execution-report';
import { parseFaultPlan } from '../../local/faults/fault-plan';
import { LocalRuntime } from '../../local/runtime';
import { startLocalService } from '../../local/server/local-service';
import { seedFleet } from '../../local/services';
import { loadAppModel } from '../../local/template/synthesize';
import { launchBrowser } from '../../test/helpers/browser';
import { PROJECT_ROOT } from './generate-docs';

const SCREENSHOT = join(PROJECT_ROOT, 'docs', 'images', 'local-console.png');
const START = Date.parse('2026-11-30T09:00:00Z');

async function main(): Promise<void> {
  const model = loadAppModel();
  const browser = await launchBrowser();
  const { page } = browser;
  await page.setViewportSize({ width: 1440, height: 900 });
  const service = await startLocalService({
    loadModel: () => model,
    port: 0,
    clock: new VirtualClock({ startAt: START }),
    faultPlan: parseFaultPlan({
      faults: [
        { target: { state: 'List RDS instances' }, error: 'Rds.RdsException', cause: 'Rate exceeded', count: 1 },
      ],
    }),
    runSchedules: false,
    handlerLogLevel: 'SILENT',
  });
  try {
    const record = await service.runtime.execute('inventory-refresh', { trigger: 'manual' }, 'manual-refresh');
    await page.goto(`${service.endpoint}/console#/execution/${encodeURIComponent(record.executionArn)}`);
    await page.waitForSelector('[data-testid=execution-status]');
    // A click without scrolling the graph (page.click would scroll the node into view).
    await page.$eval('[data-state="List RDS instances"]', (node) =>
      node.dispatchEvent(new MouseEvent('click', { bubbles: true })),
    );
    await page.screenshot({ path: SCREENSHOT });
    console.log(`Wrote ${SCREENSHOT} (${record.status}, ${record.historyEventCount} history events).`);
  } finally {
    await service.stop();
  }

  const runtime = await LocalRuntime.start({
    model,
    clock: new VirtualClock({ startAt: START }),
    fleet: seedFleet({ seed: 1, count: 700 }),
    handlerLogLevel: 'SILENT',
  });
  try {
    const big = await runtime.execute('inventory-refresh', { trigger: 'manual' }, 'big-refresh');
    const file = join(tmpdir(), 'rds-ops-big-refresh.html');
    writeFileSync(file, await executionReport(executionData(runtime, big.executionArn)));
    const loadStarted = Date.now();
    await page.goto(`file://${file}`);
    await page.waitForSelector('[data-testid=execution-status]');
    const loadMs = Date.now() - loadStarted;
    const clickStarted = Date.now();
    await page.click('[data-state="Save RDS instance in the inventory"]');
    await page.waitForSelector('[data-testid=state-panel] select');
    const clickMs = Date.now() - clickStarted;
    console.log(
      `A ${big.historyEventCount}-event execution: page ready in ${loadMs} ms, a click on the Map's state ` +
        `(700 runs) answered in ${clickMs} ms.`,
    );
  } finally {
    await runtime.stop();
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
