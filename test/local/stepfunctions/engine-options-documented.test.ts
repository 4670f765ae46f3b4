/**
 * docs/local-runtime.md must name every engine option the runtime sets (what it replaces or turns off) and
 * every change the engine patch makes, so the divergence documentation cannot fall behind the code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { VirtualClock } from '../../../local/clock';
import { engineOptions } from '../../../local/stepfunctions/engine-options';
import { PROJECT_ROOT } from '../../../local/template/synthesize';
import { localMachine } from '../../helpers/run-definition';

const docs = readFileSync(path.join(PROJECT_ROOT, 'docs', 'local-runtime.md'), 'utf8');
const patch = readFileSync(path.join(PROJECT_ROOT, 'patches', 'aws-local-stepfunctions+3.0.0.patch'), 'utf8');

/** Engine options that group others: their members are options of their own (`overrides.taskResourceLocalHandlers`). */
const OPTION_GROUPS = new Set(['overrides', 'validationOptions']);

/** `a.b` names of the options given, groups opened. */
function optionNames(options: object, prefix = ''): string[] {
  return Object.entries(options).flatMap(([key, value]) =>
    OPTION_GROUPS.has(key) ? optionNames(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('docs/local-runtime.md names what the runtime does to the engine', () => {
  it('names every engine option the runtime sets', () => {
    const names = optionNames(engineOptions({ clock: new VirtualClock(), random: Math.random }));

    expect(names).toEqual(expect.arrayContaining(['clock', 'maxWaitSeconds', 'validationOptions.checkPaths']));
    for (const name of names) expect(docs).toContain(`\`${name}\``);
  });

  it('names every run option the runtime passes when it starts an execution', async () => {
    const run = jest.spyOn(StateMachine.prototype, 'run');
    await localMachine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }).execute({});
    const names = optionNames(run.mock.calls[0]![1] as object);

    expect(names).toEqual(expect.arrayContaining(['context', 'overrides.taskResourceLocalHandlers']));
    for (const name of names) expect(docs).toContain(`\`${name}\``);
  });

  it('names every change of the engine patch by its tag', () => {
    const tags = new Set([...patch.matchAll(/^\+.*rds-ops patch \[([a-z0-9-]+)\]/gm)].map((match) => match[1]));
    const untagged = patch.split('\n').filter((line) => line.startsWith('+') && /rds-ops patch(?! \[)/.test(line));

    expect(tags.size).toBeGreaterThan(10);
    expect(untagged).toEqual([]);
    for (const tag of tags) expect(docs).toContain(`\`[${tag}]\``);
  });
});
