/**
 * The local console and the execution report in a real headless browser (chromium): the graph has a node per
 * state, the taken path is coloured, a click shows the state's input, values are shown as text, and a
 * running execution updates live. One browser for the whole file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../local/clock';
import { executionData, executionReport } from '../../local/console/execution-report';
import { pageScript } from '../../local/console/page-bundle';
import type { LocalService } from '../../local/server/local-service';
import { drawnStatuses, launchBrowser, type TestBrowser } from '../helpers/browser';
import { FIXTURE_STATE_NAMES, MARKUP_NOTE, startConsoleService, startUntilApproval } from '../helpers/console-fixture';

const FINISHED_STATUSES = {
  'Prepare the order': 'succeeded',
  'Is it urgent?': 'succeeded',
  Escalate: 'not-taken',
  'Process each item': 'succeeded',
  'Handle item': 'succeeded',
  'Call the flaky service': 'retried',
  'Call the broken service': 'caught',
  'Wait for approval': 'succeeded',
  Done: 'succeeded',
};

let service: LocalService;
let browser: TestBrowser;
let finishedArn: string;
let running: Awaited<ReturnType<typeof startUntilApproval>>;

beforeAll(async () => {
  // The browser starts and the page is bundled while the service starts and runs the executions.
  const launched = launchBrowser();
  const bundled = pageScript('console');
  // Real time, 100 times faster: the retry's 1 s takes 10 ms, and the approval waits as long as the test needs.
  service = await startConsoleService(new ScaledClock(100));
  const finished = await startUntilApproval(service, { urgent: false }, 'finished-order');
  service.runtime.tokens.sendTaskSuccess(finished.token, { approvedBy: 'operator-1' });
  finishedArn = (await finished.done).executionArn;
  running = await startUntilApproval(service, { urgent: false }, 'waiting-order');
  [browser] = await Promise.all([launched, bundled]);
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const executionUrl = (arn: string) => `${service.endpoint}/console#/execution/${encodeURIComponent(arn)}`;

describe('the local console', () => {
  it('lists the state machines and draws one with a node per state and its executions', async () => {
    // Act
    const { page } = browser;
    await page.goto(`${service.endpoint}/console`);
    await page.click('nav.machines a');
    await page.waitForSelector('[data-testid=executions] table');

    // Assess
    expect(
      await page.$$eval('svg.workflow [data-state]', (nodes) => nodes.map((node) => node.getAttribute('data-state'))),
    ).toEqual(expect.arrayContaining(FIXTURE_STATE_NAMES));
    expect(await page.$$eval('svg.workflow [data-state]', (nodes) => nodes.length)).toBe(FIXTURE_STATE_NAMES.length);
    const rows = await page.$$eval('[data-testid=executions] tr', (trs) => trs.map((tr) => tr.textContent));
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^finished-orderSUCCEEDED/),
        expect.stringMatching(/^waiting-orderRUNNING/),
      ]),
    );
  });

  it('colours the path of a finished execution: succeeded, retried, caught, not taken', async () => {
    // Act
    const { page } = browser;
    await page.goto(executionUrl(finishedArn));
    await page.waitForSelector('[data-testid=execution-status]:text("SUCCEEDED")');

    // Assess
    expect(await drawnStatuses(page)).toEqual(FINISHED_STATUSES);
    expect(await page.$$eval('svg.workflow g.edge.taken', (edges) => edges.length)).toBeGreaterThan(8);
  });

  it("shows a state's input, output and attempts when it is clicked", async () => {
    // Act
    const { page } = browser;
    await page.click('[data-state="Call the flaky service"]');

    // Assess
    const panel = page.locator('[data-testid=state-panel]');
    expect(await panel.locator('.state-name').textContent()).toBe('Call the flaky service');
    expect(JSON.parse((await panel.locator('.state-input').textContent())!)).toMatchObject({
      urgent: false,
      handled: [expect.objectContaining({ echoed: { item: 1 } }), expect.anything(), expect.anything()],
    });
    expect(await panel.locator('table.attempts tr').allTextContents()).toEqual([
      '#OutcomeTookError',
      expect.stringMatching(/^1failed.*ThrottledError$/),
      expect.stringMatching(/^2succeeded/),
    ]);
  });

  it('shows values as text: a state output holding <script> is displayed, not run', async () => {
    // Act
    const { page } = browser;
    await page.click('[data-state="Prepare the order"]');

    // Assess
    const output = page.locator('[data-testid=state-panel] .state-output');
    expect(JSON.parse((await output.textContent())!).prepared.note).toBe(MARKUP_NOTE);
    expect(await output.locator('b, script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('updates a running execution as it goes on', async () => {
    // Prepare
    const { page } = browser;
    await page.goto(executionUrl(running.executionArn));
    await page.waitForSelector('[data-testid=execution-status]:text("RUNNING")');
    const before = await drawnStatuses(page);

    // Act: the approval arrives while the page is open
    service.runtime.tokens.sendTaskSuccess(running.token, { approvedBy: 'operator-2' });
    await page.waitForSelector('[data-testid=execution-status]:text("SUCCEEDED")', { timeout: 10_000 });

    // Assess
    expect([before['Wait for approval'], before.Done]).toEqual(['running', 'not-taken']);
    // The fault plan throttles only the first call of the flaky service: this execution's went through at once.
    expect(await drawnStatuses(page)).toEqual({ ...FINISHED_STATUSES, 'Call the flaky service': 'succeeded' });
  });
});

describe('the execution report', () => {
  it('is one self-contained file with the same view, working offline', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'rds-ops-report-')), 'finished-order.html');
    const html = await executionReport(executionData(service.runtime, finishedArn));
    writeFileSync(file, html);
    const { page } = browser;
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    // Act
    await page.goto(`file://${file}`);
    await page.waitForSelector('[data-testid=execution-status]:text("SUCCEEDED")');
    await page.click('[data-state="Prepare the order"]');

    // Assess
    expect(await drawnStatuses(page)).toEqual(FINISHED_STATUSES);
    expect(JSON.parse((await page.locator('.state-output').textContent())!).prepared.note).toBe(MARKUP_NOTE);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(requests).toEqual([`file://${file}`]);
    expect(html).not.toContain('<script>window.__xss');
  });
});
