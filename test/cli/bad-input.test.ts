import { runCli } from '../helpers/cli';

/** Bad input is refused before anything starts: exit 2, one line naming the problem, no stack trace. */
describe('rds-ops refuses bad input in one line', () => {
  it.each([
    [
      ['circuits', 'open', 'nope', '--reason', 'typo', '--local'],
      /no circuit named "nope" in the config; circuits: rds-api/,
    ],
    [['local', 'send-event', '--event', '123'], /each event must be an object/],
    [['local', 'send-event', '--event', '[]'], /non-empty list/],
    [['local', 'execute', 'inventory-refresh', '--virtual', '--speed', '2'], /--speed and --virtual are alternatives/],
    [['local', 'execute', 'inventory-refresh', '--handler-log-level', 'LOUD'], /--handler-log-level must be one of/],
    [['local', 'execute', 'inventory-refresh', '--data-dir', 'README.md'], /exists and is not a directory/],
    [
      ['local', 'execute', 'inventory-refresh', '--data-dir', 'README.md/sub'],
      /--data-dir README\.md\/sub cannot be created: README\.md is a file, not a directory/,
    ],
    [['local', 'serve', '--data-dir', 'README.md/sub/deeper'], /README\.md is a file, not a directory/],
    [['circuits', 'list', '--local', '--data-dir', '.local-data'], /--data-dir belongs to the local service now/],
    [['start', '--speed', '0'], /--speed must be a positive number/],
    [['events', 'test-pattern', '--event-pattern', '"str"', '--event', '{}'], /--event-pattern must be a JSON object/],
  ])('%j', async (argv, message) => {
    const result = await runCli(argv);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.out).toBe('');
  });

  it('prints usage on stderr and exits 2 when no command is given', async () => {
    const result = await runCli([]);

    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^Usage: rds-ops <command>/);
  });
});
