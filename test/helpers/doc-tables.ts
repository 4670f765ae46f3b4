/** Markdown tables the docs carry and tests keep equal to the code: the handler error catalog. */
import { ERROR_CATALOG } from '../../handlers/shared/error-catalog';

export const CATALOG_TABLE_START =
  '<!-- error-catalog:start (generated from handlers/shared/error-catalog.ts; a test checks it) -->';
export const CATALOG_TABLE_END = '<!-- error-catalog:end -->';

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

export function errorCatalogTable(): string {
  const rows = ERROR_CATALOG.map(
    (entry) =>
      `| \`${entry.name}\` | \`${entry.code}\` | ${entry.statusCode} | ${yesNo(entry.retryable)} | ${yesNo(entry.countsForCircuit)} | ${entry.workflowRouting} | ${entry.when} |`,
  );
  return [
    CATALOG_TABLE_START,
    '',
    '| name (`ErrorEquals`) | code (API body) | HTTP | retried? | counts for the circuit? | in workflows | when |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    CATALOG_TABLE_END,
  ].join('\n');
}
