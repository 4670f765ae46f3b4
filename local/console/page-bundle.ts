/**
 * The console page and the execution report as HTML, built in memory with esbuild the first time they are
 * asked for (a few hundred milliseconds; nothing to build by hand, nothing written to disk). Scripts and
 * styles are inline and the Content-Security-Policy forbids every other source, so the pages work offline.
 */
import { join } from 'node:path';
import type { GraphLayout } from './graph-layout';
import type { ExecutionData } from './page/execution-screen';

type PageName = 'console' | 'report';

const ENTRIES: Readonly<Record<PageName, string>> = {
  console: join(__dirname, 'page', 'console-main.ts'),
  report: join(__dirname, 'page', 'report-main.ts'),
};

const scripts = new Map<PageName, Promise<string>>();

/** The bundled script of a page, built once per process. */
export function pageScript(page: PageName): Promise<string> {
  let script = scripts.get(page);
  if (!script) {
    script = bundle(ENTRIES[page]);
    scripts.set(page, script);
    script.catch(() => scripts.delete(page));
  }
  return script;
}

async function bundle(entry: string): Promise<string> {
  // esbuild is a development dependency of this local tool, loaded only when a page is asked for.
  const { build } = require('esbuild') as typeof import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'inline',
    logLevel: 'silent',
  });
  // An inline script ends at the first "</script": keep the bundle from containing one.
  return result.outputFiles[0]!.text.replace(/<\/(script)/gi, '<\\/$1');
}

export async function consolePageHtml(): Promise<string> {
  return page({
    title: 'rds-ops local console',
    script: await pageScript('console'),
    connect: "'self'",
  });
}

export interface ReportData extends ExecutionData {
  readonly layout: GraphLayout;
  readonly generatedAt: string;
}

export async function executionReportHtml(data: ReportData): Promise<string> {
  return page({
    title: `${data.stateMachine.name} / ${data.execution.name}`,
    script: await pageScript('report'),
    connect: "'none'",
    data: embeddedJson(data),
  });
}

/** JSON inside `<script type="application/json">`: every `<` escaped, so no value can end the element. */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function page(options: { title: string; script: string; connect: string; data?: string }): string {
  const csp = `default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src ${options.connect}; img-src data:`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    `<title>${escapeHtml(options.title)}</title>`,
    '</head>',
    '<body>',
    options.data === undefined ? '' : `<script type="application/json" id="execution-data">${options.data}</script>`,
    `<script>${options.script}</script>`,
    '</body>',
    '</html>',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
