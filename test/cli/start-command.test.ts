import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

describe('npm start', () => {
  let reports: string;

  beforeAll(() => {
    reports = mkdtempSync(path.join(tmpdir(), 'rds-ops-start-reports-'));
  });

  afterAll(() => {
    rmSync(reports, { recursive: true, force: true });
  });

  it('runs every scenario on the synthesized app and exits 0 when all went as expected', () => {
    // Act: with --report, as `npm start -- --report DIR`
    const run = spawnSync(process.execPath, ['cli/bin.cjs', 'start', '--report', reports], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });

    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/== RDS API outage ==/);
    expect(run.stdout).toMatch(/^PASS\s+RDS API outage\s+\d+\/\d+/m);
    expect(run.stdout).toMatch(/(\d+) of \1 scenarios went as expected\./);
    expect(run.stdout).not.toMatch(/^\{"level"/m);
    // One HTML report per execution of each scenario, in a folder per scenario
    const executions = [...run.stdout.matchAll(/^PASS\s+(.+?)\s+\d+\/\d+\s+(\d+)\s/gm)].map((row) => Number(row[2]));
    expect(executions.length).toBeGreaterThan(1);
    const files = readdirSync(reports, { recursive: true }).filter((file) => String(file).endsWith('.html'));
    expect(files).toHaveLength(executions.reduce((total, count) => total + count, 0));
    expect(files).toEqual(expect.arrayContaining([expect.stringMatching(/^rds-api-outage\/.+\.html$/)]));
  });
});
