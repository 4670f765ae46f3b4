/**
 * The runbook stays true to the code: every runbook section an alarm kind or a workflow links to exists, and each
 * of the seed's five scenarios has its impact, detection, automated and manual paths, recovery time and checklist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_DELETED_RUNBOOK } from '../../handlers/recovery/plan-table-recovery';
import { ALARM_KINDS, headingAnchor, RUNBOOK_DOC } from '../../lib/observability/alarm-kinds';

const runbook = readFileSync(join(__dirname, '..', '..', RUNBOOK_DOC), 'utf8');
const sections = new Map(
  runbook
    .split(/^## /m)
    .slice(1)
    .map((section) => [headingAnchor(section.split('\n')[0]!), section] as const),
);
const SCENARIOS = ['table-deleted', 'data-corruption', 'stack-deleted', 'handler-failure', 'artifact-loss'];

describe('docs/disaster-recovery-runbook.md', () => {
  it('has the section every alarm kind and the recovery workflow link to', () => {
    const linked: string[] = Object.values(ALARM_KINDS).flatMap((kind) =>
      'runbook' in kind && kind.runbook ? [kind.runbook] : [],
    );
    linked.push(TABLE_DELETED_RUNBOOK.split('#')[1]!);

    expect(linked.length).toBeGreaterThan(3);
    expect(linked.filter((anchor) => !sections.has(anchor))).toEqual([]);
  });

  it.each(SCENARIOS)('gives %s its impact, detection, both paths, recovery time and checklist', (anchor) => {
    const section = sections.get(anchor) ?? '';

    for (const part of [
      '**Impact.**',
      '**Detection.**',
      '**Automated path.**',
      '**Manual path',
      '**Expected recovery time.**',
      '**Validation checklist.**',
    ]) {
      expect({ anchor, part, present: section.includes(part) }).toEqual({ anchor, part, present: true });
    }
    expect(section).toMatch(/```sh\n/);
  });

  it('puts the locally measured figures, with date and machine, beside the targets', () => {
    const objectives = sections.get('recovery-objectives') ?? '';

    expect(objectives).toMatch(/\| DynamoDB table, deleted \| 2 h \| 5 min \| RTO \d+ s/);
    expect(objectives).toMatch(/Measured on \d{4}-\d{2}-\d{2} .*Node \d+/);
    expect(objectives).toContain('grows with the table');
  });
});
