import { aslFiles, checkAslFile, formatViolations } from '../../lib/retry-policy';

describe('the retry policy over every state-machines/*.asl.json', () => {
  it('holds for every definition (file, state and rule named on failure)', () => {
    const files = aslFiles();
    const violations = files.flatMap((file) => checkAslFile(file));

    expect(files.length).toBeGreaterThan(0);
    expect(formatViolations(violations)).toBe('');
  });
});
