import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

describe('npm start', () => {
  it('runs every scenario on the synthesized app and exits 0 when all went as expected', () => {
    const run = spawnSync(process.execPath, ['cli/bin.cjs', 'start'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/== RDS API outage ==/);
    expect(run.stdout).toMatch(/^PASS\s+RDS API outage\s+\d+\/\d+/m);
    expect(run.stdout).toMatch(/(\d+) of \1 scenarios went as expected\./);
    expect(run.stdout).not.toMatch(/^\{"level"/m);
  });
});
