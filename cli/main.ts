/** The `rds-ops` command line: parses the command group and hands over to it. */
export async function main(argv: readonly string[]): Promise<number> {
  process.stdout.write(`rds-ops: ${argv.join(' ')}\n`);
  return 0;
}
