import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AslMachineLike, buildWorkflowGraph, terminalErrors } from '../../local/console/asl-graph';
import { generatedDocs, MissingContractError, writeGeneratedDocs } from '../../tools/docs/generate-docs';
import { replaceGeneratedSection } from '../../tools/docs/generated-section';
import { mermaidFlowchart } from '../../tools/docs/mermaid';

/** A small machine with every construct the diagrams draw: Choice, Retry, Catch, Map, Parallel, Fail. */
const FIXTURE: AslMachineLike = {
  StartAt: 'Is the table "protected"?',
  States: {
    'Is the table "protected"?': {
      Type: 'Choice',
      Choices: [
        {
          And: [{ Variable: '$.pitr', BooleanEquals: true }, { Not: { Variable: '$.skip', IsPresent: true } }],
          Next: 'Restore each table',
        },
      ],
      Default: 'Refuse',
    },
    'Restore each table': {
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Restore one table',
        States: {
          'Restore one table': {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:dynamodb:restoreTableToPointInTime',
            End: true,
          },
        },
      },
      Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['DynamoDb.LimitExceededException'], Next: 'Refuse' }],
      Next: 'Check both',
    },
    'Check both': {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Count items', States: { 'Count items': { Type: 'Pass', End: true } } },
        { StartAt: 'Compare keys', States: { 'Compare keys': { Type: 'Pass', End: true } } },
      ],
      End: true,
    },
    Refuse: { Type: 'Fail', Error: 'TableNotProtectedError', Cause: 'no PITR' },
  },
};

describe('generated docs', () => {
  it('match the code: run npm run docs when this fails', () => {
    // Act
    const docs = generatedDocs();

    // Assess: the alarm reference, one page per state machine and the index
    expect(docs.map((doc) => doc.path)).toEqual(
      expect.arrayContaining([
        join('docs', 'operations.md'),
        join('docs', 'workflows', 'inventory-refresh.md'),
        join('docs', 'workflows', 'circuit-breaker.md'),
        join('docs', 'workflows', 'README.md'),
      ]),
    );
    const stale = docs.filter((doc) => doc.current !== doc.expected).map((doc) => `${doc.path} (run npm run docs)`);
    expect(stale).toEqual([]);
  });

  it('keep hand-written prose outside the markers and replace only what is between them', () => {
    // Prepare
    const text = [
      '# restore-table',
      'Prose before.',
      '<!-- generated:start workflow (npm run docs; edit outside these markers) -->',
      'old diagram',
      '<!-- generated:end workflow -->',
      'Prose after.',
    ].join('\n');

    // Act
    const updated = replaceGeneratedSection(text, 'workflow', 'new diagram', 'restore-table.md');

    // Assess
    expect(updated).toContain('Prose before.');
    expect(updated).toContain('Prose after.');
    expect(updated).toContain('new diagram');
    expect(updated).not.toContain('old diagram');
  });

  it('append the generated section to a hand-written page that has none yet', () => {
    // Act
    const updated = replaceGeneratedSection('# cutover-table\n\nWritten by hand.\n', 'workflow', 'graph', 'x.md');

    // Assess
    expect(updated).toMatch(
      /^# cutover-table\n\nWritten by hand\.\n\n<!-- generated:start workflow .*-->\ngraph\n<!-- generated:end workflow -->\n$/,
    );
  });

  it('refuse a start marker without its end marker instead of swallowing the prose after it', () => {
    // Act / Assess
    expect(() => replaceGeneratedSection('<!-- generated:start workflow -->\nprose', 'workflow', 'x', 'x.md')).toThrow(
      /has no "<!-- generated:end workflow -->"/,
    );
  });

  it('create a page for a new machine, and refuse one without a contract', () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'rds-ops-docs-'));
    mkdirSync(join(root, 'state-machines'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'operations.md'), '# Operations\n');
    writeFileSync(join(root, 'state-machines', 'drill.asl.json'), JSON.stringify(FIXTURE));

    // Act / Assess: no contract
    expect(() => generatedDocs(root)).toThrow(MissingContractError);
    expect(() => generatedDocs(root)).toThrow(/state-machines\/drill\.contract\.json is missing/);

    // Act: with a contract
    writeFileSync(
      join(root, 'state-machines', 'drill.contract.json'),
      JSON.stringify({
        description: 'Drills.',
        input: { type: 'object', properties: { table: { type: 'string' } }, required: ['table'] },
        output: { type: 'object' },
      }),
    );
    const written = writeGeneratedDocs(root);

    // Assess
    expect(written).toEqual([
      join('docs', 'operations.md'),
      join('docs', 'workflows', 'drill.md'),
      join('docs', 'workflows', 'README.md'),
    ]);
    const page = readFileSync(join(root, 'docs', 'workflows', 'drill.md'), 'utf8');
    expect(page).toContain('| `table` | string | yes |  |');
    expect(page).toContain('- `TableNotProtectedError`: Fail state "Refuse"');
    expect(writeGeneratedDocs(root)).toEqual([]);
  });
});

describe('mermaid diagrams', () => {
  const diagram = mermaidFlowchart(buildWorkflowGraph(FIXTURE));

  it('label Choice edges with their conditions and the default', () => {
    // Assess
    expect(diagram).toContain('-->|"$.pitr == true and $.skip is not present"|');
    expect(diagram).toContain('-->|"Default"|');
  });

  it('draw Catch and Retry as dotted edges, Retry back to its state', () => {
    // Assess
    const mapId = /subgraph (s\d+) \["Map: Restore each table"\]/.exec(diagram)?.[1];
    expect(mapId).toBeDefined();
    expect(diagram).toContain(`${mapId} -.->|"Retry States.TaskFailed (max 2)"| ${mapId}`);
    expect(diagram).toMatch(new RegExp(`${mapId} -\\.->\\|"Catch DynamoDb\\.LimitExceededException"\\| s\\d+`));
  });

  it('nest Map iterators and Parallel branches as subgraphs', () => {
    // Assess
    expect(diagram).toMatch(/subgraph s\d+ \["Map: Restore each table"\]\n\s+direction TB\n\s+start\d+\(\("Start"\)\)/);
    expect(diagram).toMatch(
      /subgraph s\d+ \["Parallel: Check both"\][\s\S]*subgraph b\d+ \["Branch 1"\][\s\S]*subgraph b\d+ \["Branch 2"\]/,
    );
    expect(diagram).toContain('["Restore one table<br/>dynamodb:restoreTableToPointInTime"]');
  });

  it('escape quotes in state names so labels stay one string', () => {
    // Assess
    expect(diagram).toContain('{"Is the table #quot;protected#quot;?"}:::choice');
  });
});

describe('terminal errors', () => {
  it('lists Fail errors and what escapes a Map past its Catch', () => {
    // Act
    const errors = terminalErrors(FIXTURE);

    // Assess
    expect(errors).toEqual([
      {
        error: '*',
        source:
          'any error of Task "Restore one table" in Map "Restore each table", other than DynamoDb.LimitExceededException',
      },
      { error: 'TableNotProtectedError', source: 'Fail state "Refuse"' },
    ]);
  });
});
