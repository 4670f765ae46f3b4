/**
 * Error names and the catalog agree across every ASL file (new files are picked up by themselves): each name
 * a definition routes on is a Step Functions, service integration or catalog name, and each catalog error is
 * routed the way the catalog says (docs/error-handling.md, "in workflows").
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ERROR_CATALOG, findCatalogEntry } from '../../handlers/shared/error-catalog';
import { type AslStates, allStates, aslFiles } from '../../lib/retry-policy';

/** The error names Step Functions itself defines (AWS docs, "Error names"). */
const STEP_FUNCTIONS_ERRORS = new Set([
  'States.ALL',
  'States.BranchFailed',
  'States.DataLimitExceeded',
  'States.ExceedToleratedFailureThreshold',
  'States.HeartbeatTimeout',
  'States.IntrinsicFailure',
  'States.ItemReaderFailed',
  'States.NoChoiceMatched',
  'States.ParameterPathFailure',
  'States.Permissions',
  'States.QueryEvaluationError',
  'States.ResultPathMatchFailure',
  'States.ResultWriterFailed',
  'States.Runtime',
  'States.TaskFailed',
  'States.Timeout',
]);
/** `Service.ErrorName` as service integrations and the Lambda runtime report them (`DynamoDB.X`, `Runtime.Y`). */
const INTEGRATION_ERROR = /^[A-Z][A-Za-z0-9]*\.[A-Z][A-Za-z0-9]*$/;

/** `fail`: a Fail state's Error; `raised`: an `Error` a Pass or Task builds for a later Fail's ErrorPath. */
type Use = 'retry' | 'catch' | 'fail' | 'raised';
interface NameUse {
  readonly file: string;
  readonly state: string;
  readonly use: Use;
  readonly name: string;
}

function namesUsed(file: string): NameUse[] {
  const definition = JSON.parse(readFileSync(file, 'utf8')) as AslStates;
  const shown = basename(file);
  return allStates(definition).flatMap(({ path, state }) => [
    ...(state.Retry ?? []).flatMap((retrier) =>
      retrier.ErrorEquals.map((name) => ({ file: shown, state: path, use: 'retry' as const, name })),
    ),
    ...(state.Catch ?? []).flatMap((catcher) =>
      catcher.ErrorEquals.map((name) => ({ file: shown, state: path, use: 'catch' as const, name })),
    ),
    ...(state.Type === 'Fail' && state.Error
      ? [{ file: shown, state: path, use: 'fail' as const, name: state.Error }]
      : []),
    ...literalErrorFields(state as { Parameters?: unknown; Result?: unknown }).map((name) => ({
      file: shown,
      state: path,
      use: 'raised' as const,
      name,
    })),
  ]);
}

/** String values of `Error` members in a state's Parameters or Result (a failure document built in the flow). */
function literalErrorFields(state: { Parameters?: unknown; Result?: unknown }): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, member] of Object.entries(value)) {
        if (key === 'Error' && typeof member === 'string') found.push(member);
        else visit(member);
      }
    }
  };
  visit(state.Parameters);
  visit(state.Result);
  return found;
}

const uses = aslFiles().flatMap(namesUsed);
const where = (found: readonly NameUse[]) => found.map((use) => `${use.file}: "${use.state}" (${use.use})`);

describe('error names across the state machines', () => {
  it('are Step Functions, service integration or catalog names', () => {
    expect(uses.length).toBeGreaterThan(0);
    // A name built in a Pass (`raised`) may be an internal detail (the breaker's MalformedCircuitItem table error);
    // only what ErrorEquals and Fail states name is routed.
    const isKnown = (name: string) =>
      name.startsWith('States.')
        ? STEP_FUNCTIONS_ERRORS.has(name)
        : INTEGRATION_ERROR.test(name) || findCatalogEntry(name) !== undefined;
    const unknown = uses.filter(({ name, use }) => use !== 'raised' && !isKnown(name));

    expect(unknown.map((use) => `${use.name} at ${where([use])}`)).toEqual([]);
  });

  it.each(ERROR_CATALOG.map((entry) => [entry.name, entry.workflowRouting] as const))(
    'route %s as the catalog says (%s)',
    (name, routing) => {
      const found = uses.filter((use) => use.name === name);
      const retried = found.filter((use) => use.use === 'retry');
      if (routing === 'retry') expect(retried.length).toBeGreaterThan(0);
      if (routing === 'named') expect(found.length).toBeGreaterThan(0);
      if (routing === 'catch-all') expect(where(retried)).toEqual([]);
      if (routing === 'api-only') expect(where(found)).toEqual([]);
    },
  );
});
