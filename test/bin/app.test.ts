import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs `bin/app.ts` exactly as `cdk synth` does (cdk.json's "app" command, context in CDK_CONTEXT_JSON). */
function synthWith(context: Record<string, unknown>) {
  return spawnSync(process.execPath, ['-r', './local/polyfills.cjs', '-r', 'tsx/cjs', 'bin/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'rds-ops-synth-')),
    },
  });
}

describe('cdk synth with invalid config', () => {
  it('refuses a cron EventBridge would reject, in one line without a stack trace', () => {
    // Act
    const result = synthWith({ inventoryRefreshSchedule: 'cron(99 99 * * ? *)' });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^InvalidConfigError: Invalid config "inventoryRefreshSchedule": expected an EventBridge schedule expression \(minutes value "99" is not in 0-59; .*\), got "cron\(99 99 \* \* \? \*\)"\. Fix it in cdk\.json/,
      ),
    ]);
  });
});
