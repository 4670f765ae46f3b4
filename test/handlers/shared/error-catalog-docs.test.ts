import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG_TABLE_END, CATALOG_TABLE_START, errorCatalogTable } from '../../helpers/doc-tables';

describe('docs/error-handling.md', () => {
  it('shows the error catalog exactly as the code defines it', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'error-handling.md'), 'utf8');
    const start = doc.indexOf(CATALOG_TABLE_START);
    const end = doc.indexOf(CATALOG_TABLE_END);

    expect(start).toBeGreaterThan(-1);
    expect(doc.slice(start, end + CATALOG_TABLE_END.length)).toBe(errorCatalogTable());
  });
});
