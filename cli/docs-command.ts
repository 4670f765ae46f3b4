/** `rds-ops docs [--check]`: regenerates the generated sections of the docs (npm run docs), or checks them. */
import { parseArgs } from 'node:util';
import { generatedDocs, writeGeneratedDocs } from '../tools/docs/generate-docs';
import { REGENERATE_COMMAND } from '../tools/docs/generated-section';
import { type CliIo, EXIT } from './cli-io';

export async function runDocsCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { check: { type: 'boolean' } } });
  if (values.check) {
    const stale = generatedDocs().filter((doc) => doc.current !== doc.expected);
    for (const doc of stale) io.err(`${doc.path} is out of date with the code: run ${REGENERATE_COMMAND}.`);
    return stale.length === 0 ? EXIT.ok : EXIT.failed;
  }
  const written = writeGeneratedDocs();
  io.out(written.length === 0 ? 'The generated docs are up to date.' : `Updated ${written.join(', ')}.`);
  return EXIT.ok;
}
