/** docs/api.md stays true to the code: one row per route, every error code the API can answer. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOG } from '../../handlers/shared/error-catalog';
import { GATEWAY_RESPONSES } from '../../lib/api/gateway-responses';
import { CIRCUIT_ROUTES, READ_ROUTES, RECOVERY_ROUTES } from '../../lib/api/routes';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'api.md'), 'utf8');

describe('docs/api.md', () => {
  it('lists every route with its handler, and nothing else, in the routes table', () => {
    const table = doc.slice(doc.indexOf('<!-- api-routes:start'), doc.indexOf('<!-- api-routes:end -->'));
    const rows = [...table.matchAll(/^\| (GET|POST) \| `([^`]+)` \| `([^`]+)` \|/gm)].map(([, method, path, handler]) =>
      [method, path, handler].join(' '),
    );
    const kebab = (id: string) => id.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

    expect(rows.sort()).toEqual(
      [...READ_ROUTES, ...CIRCUIT_ROUTES, ...RECOVERY_ROUTES]
        .map((r) => `${r.method} ${r.path} ${kebab(r.handler)}`)
        .sort(),
    );
  });

  it('explains every error code of the catalog and every gateway response type', () => {
    for (const entry of ERROR_CATALOG) expect(doc).toContain(`\`${entry.code}\``);
    for (const spec of GATEWAY_RESPONSES.filter((spec) => !spec.type.startsWith('DEFAULT_'))) {
      expect(doc).toContain(`\`${spec.type}\``);
    }
  });
});
