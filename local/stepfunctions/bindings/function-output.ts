/**
 * What a function prints goes to its log group on Lambda, where CloudWatch Logs extracts the EMF metrics.
 * In-process handlers share the process's stdout and stderr, so both are wrapped once: inside an invocation
 * (tracked with AsyncLocalStorage, like the environment) each line goes to that invocation's sink first,
 * which may consume it (an EMF document) or let it through to the terminal (a log line).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Receives each complete line an invocation prints; returns true to let the line through to the stream. */
export type OutputSink = (line: string) => boolean;

const scope = new AsyncLocalStorage<OutputSink>();
/** Marks our wrapper, so a stream whose `write` was replaced since (a test spy, restored) is wrapped again. */
const ROUTED = Symbol('rds-ops.routed-output');

export function runWithOutputSink<T>(sink: OutputSink, work: () => T): T {
  installOutputRouting();
  return scope.run(sink, work);
}

function installOutputRouting(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write as typeof stream.write & { [ROUTED]?: true };
    if (write[ROUTED]) continue;
    const routed = function routed(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const sink = scope.getStore();
      if (!sink || (typeof chunk !== 'string' && !Buffer.isBuffer(chunk))) {
        return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      }
      // Console writes one whole line (text and newline) per call, so a line never straddles two writes.
      const lines = String(chunk).split('\n');
      const endsWithNewline = lines.at(-1) === '';
      if (endsWithNewline) lines.pop();
      const kept = lines.filter((line) => sink(line));
      if (kept.length === 0) {
        rest.find((argument): argument is () => void => typeof argument === 'function')?.();
        return true;
      }
      const text = `${kept.join('\n')}${endsWithNewline ? '\n' : ''}`;
      return (write as (...args: unknown[]) => boolean).call(this, text, ...rest);
    };
    stream.write = Object.assign(routed, { [ROUTED]: true as const }) as typeof stream.write;
  }
}
