import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPlaceholders, findUnsupportedFeatures } from '../../lib/constructs/asl-definition';

interface AslValidation {
  isValid: boolean;
  errorsText: (separator?: string) => string;
}
// asl-validator 4 ships no type declarations.
const validateAsl: (definition: unknown) => AslValidation = require('asl-validator');

const STATE_MACHINES = join(__dirname, '..', '..', 'state-machines');

/**
 * Placeholders stand for ARNs or names; an ARN-shaped stand-in keeps asl-validator's ARN checks meaningful.
 * A placeholder used as a transition target (a fail-policy route) stands for one of the machine's states.
 */
function withStandIns(text: string): unknown {
  const startAt = (JSON.parse(text) as { StartAt: string }).StartAt;
  return JSON.parse(
    text
      .replace(
        /"(Next|Default)": "\$\{[A-Za-z0-9]+\}"/g,
        (_, field: string) => `"${field}": ${JSON.stringify(startAt)}`,
      )
      .replace(/\$\{([A-Za-z0-9]+)\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1'),
  );
}

/** Everything wrong with one definition file, as readable lines (empty when the file is fine). */
function problemsOf(file: string): string[] {
  const text = readFileSync(join(STATE_MACHINES, file), 'utf8');
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*\.asl\.json$/.test(file)) problems.push('file name is not <kebab-name>.asl.json');
  const badNames = findPlaceholders(text).filter((name) => !/^[A-Z][A-Za-z0-9]*$/.test(name));
  if (badNames.length > 0) problems.push(`placeholders not PascalCase: ${badNames.join(', ')}`);
  let definition: unknown;
  try {
    definition = withStandIns(text);
  } catch (error) {
    return [...problems, `not JSON: ${(error as Error).message}`];
  }
  problems.push(...findUnsupportedFeatures(definition));
  const result = validateAsl(definition);
  if (!result.isValid) problems.push(`asl-validator: ${result.errorsText('; ')}`);
  return problems;
}

describe('state-machines/*.asl.json', () => {
  it('every definition is valid ASL, JSONPath only, with PascalCase placeholders', () => {
    // Prepare
    // <name>.contract.json beside each definition is its documented input and output (docs/workflows), not ASL.
    const files = readdirSync(STATE_MACHINES).filter(
      (name) => name.endsWith('.json') && !name.endsWith('.contract.json'),
    );

    // Act
    const problems = files.flatMap((file) => problemsOf(file).map((problem) => `${file}: ${problem}`));

    // Assess
    expect(files).toEqual(expect.arrayContaining(['circuit-breaker.asl.json', 'inventory-refresh.asl.json']));
    expect(problems).toEqual([]);
  });
});

describe('the definition checks themselves', () => {
  const task = { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: {}, End: true };

  it('asl-validator rejects a broken definition', () => {
    expect(validateAsl({ StartAt: 'Missing', States: { Only: task } }).isValid).toBe(false);
  });

  it('finds JSONata and Assign anywhere, including in Parallel branches, Map processors, Catch and Choice', () => {
    // Prepare
    const definition = {
      StartAt: 'Fan out',
      States: {
        'Fan out': {
          Type: 'Parallel',
          Branches: [{ StartAt: 'A', States: { A: { ...task, QueryLanguage: 'JSONata' } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Each', Assign: { failed: true } }],
          Next: 'Each',
        },
        Each: { Type: 'Map', ItemProcessor: { StartAt: 'B', States: { B: { ...task, Assign: { b: 1 } } } }, End: true },
      },
    };

    // Act
    const findings = findUnsupportedFeatures(definition);

    // Assess
    expect(findings).toEqual([
      'definition > "Fan out" Catch[0]: Assign (Variables)',
      'definition > "Fan out" Branches[0] > "A": QueryLanguage JSONata',
      'definition > "Each" ItemProcessor > "B": Assign (Variables)',
    ]);
  });

  it('leaves a key named Assign inside Parameters alone', () => {
    expect(findUnsupportedFeatures({ StartAt: 'A', States: { A: { ...task, Parameters: { Assign: 'x' } } } })).toEqual(
      [],
    );
  });
});
