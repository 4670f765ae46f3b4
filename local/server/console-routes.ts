/**
 * The local console page on the edge port: `GET /console` answers the page, which then reads everything through
 * the Step Functions API on the same port. Other GET paths under /console are 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { consolePageHtml } from '../console/page-bundle';

export const CONSOLE_PATH = '/console';

/** A browser asking for the console (GET or HEAD on /console...), as opposed to an AWS API call. */
export function isConsoleRequest(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

export async function serveConsole(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
  if (path !== CONSOLE_PATH) {
    send(res, 404, 'text/plain; charset=utf-8', `Not found: ${path}. The console is at ${CONSOLE_PATH}.\n`);
    return;
  }
  let html: string;
  try {
    html = await consolePageHtml();
  } catch (error) {
    send(
      res,
      500,
      'text/plain; charset=utf-8',
      `The console page could not be built (${(error as Error).message}); run npm ci to install the development tools.\n`,
    );
    return;
  }
  send(res, 200, 'text/html; charset=utf-8', req.method === 'HEAD' ? '' : html, Buffer.byteLength(html));
}

function send(res: ServerResponse, status: number, type: string, body: string, length = Buffer.byteLength(body)): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}
