/**
 * Benchmark 7: the developer loop as a developer meets it, each command run as its own process with this
 * Node first on PATH: `npm test`, `npx cdk synth`, `npm start`. Wall time only; slow (the test suite
 * dominates), so `--only developer-loop` runs it alone and `--only` anything else leaves it out.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Benchmark, OutcomeBuilder, round } from './benchmark';

const ROOT = path.join(__dirname, '..');

const COMMANDS = [
  { name: 'npm test', command: 'npm', args: ['test'] },
  { name: 'npx cdk synth', command: 'npx', args: ['cdk', 'synth', '--no-notices', '--quiet'] },
  { name: 'npm start', command: 'npm', args: ['start'] },
] as const;

/** A command still running after this long is stopped and reported: the benchmark never hangs. */
const COMMAND_TIMEOUT_MS = 30 * 60_000;

interface Timed {
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  /** Where its whole output is, and its last lines, to say why when it failed. */
  readonly log: string;
  readonly tail: string;
}

export function timeCommand(name: string, command: string, args: readonly string[]): Promise<Timed> {
  const log = path.join(tmpdir(), `rds-ops-bench-${name.replace(/\W+/g, '-')}.log`);
  const file = createWriteStream(log);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      file.write(chunk);
      tail = (tail + chunk.toString()).slice(-2000);
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, COMMAND_TIMEOUT_MS);
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      file.end();
      const lastLines = tail.trim().split('\n').slice(-5).join(' | ');
      resolve({ seconds: round((performance.now() - started) / 1000), exitCode, timedOut, log, tail: lastLines });
    });
  });
}

export const developerLoop: Benchmark = {
  id: 'developer-loop',
  title: '7. Developer loop',
  question: 'How long does a developer wait for the test suite, a synth, and the local run of the whole app?',
  async run() {
    const out = new OutcomeBuilder();
    const timed: Record<string, Timed> = {};
    for (const { name, command, args } of COMMANDS) {
      timed[name] = await timeCommand(name, command, args);
      const { exitCode, timedOut, log, tail } = timed[name];
      out.check(
        `${name} exits 0`,
        exitCode === 0,
        `${timedOut ? `stopped after ${COMMAND_TIMEOUT_MS / 60_000} min` : `exit ${exitCode}`}; output in ${log}: ${tail}`,
      );
    }
    out.table(
      'Wall time of each command as a process (one run each; the machine is shared, so read them as rough)',
      ['command', 'wall time (s)', 'exit code'],
      COMMANDS.map(({ name }) => [name, timed[name].seconds, timed[name].exitCode ?? 'killed']),
    );
    out.ratio(
      'developer-loop.test-vs-synth',
      'npm test / npx cdk synth (wall time)',
      timed['npm test'].seconds,
      timed['npx cdk synth'].seconds,
      'lower',
    );
    out.ratio(
      'developer-loop.start-vs-synth',
      'npm start / npx cdk synth (wall time)',
      timed['npm start'].seconds,
      timed['npx cdk synth'].seconds,
      'lower',
    );
    return out.build();
  },
};
