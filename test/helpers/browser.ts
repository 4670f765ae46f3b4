/**
 * A real headless browser for the console tests: Debian's chromium driven by playwright-core (no browser
 * download). Without chromium the tests fail with the command that installs it; `.ci/run` installs it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  readonly page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the console tests run in a real browser. ` +
        'Install it with "sudo apt-get install -y chromium" (.ci/run does), or point CHROMIUM_PATH at one.',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'rds-ops-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The status each drawn state shows (its `data-status`). */
export function drawnStatuses(page: Page): Promise<Record<string, string>> {
  return page.$$eval('svg.workflow [data-state]', (nodes) =>
    Object.fromEntries(nodes.map((node) => [node.getAttribute('data-state')!, node.getAttribute('data-status') ?? ''])),
  );
}
