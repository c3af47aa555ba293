// The built site (vite build's output) over HTTP. The page itself (index.html) is served only
// with the token (in its query, or the cookie the first one set: access.ts); its scripts, styles and fonts are the public site's build and
// carry nothing of the engine, so the browser may fetch them without it. Nothing outside the
// site's directory is ever served (the path is resolved and must stay under it).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
};

/** Headers on every answer: no framing by another site, no token leaked in a Referer. */
export const SAFE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "frame-ancestors 'none'",
};

export function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...SAFE_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(`${text}\n`);
}

/** The file a request path names under `root`, or undefined when it would leave it. */
export function fileOf(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = normalize(join(root, decoded === '/' ? 'index.html' : decoded));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}

/** Serves `pathname` from the site; `pageAllowed` says whether the token came with a page request. */
export async function serveSite(
  root: string,
  pathname: string,
  pageAllowed: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string> = {},
): Promise<void> {
  const file = fileOf(root, pathname);
  if (file === undefined) return refuse(res, 404, `not found: ${pathname}`);
  const page = extname(file) === '.html';
  if (page && !pageAllowed)
    return refuse(res, 403, 'dockstep: this page needs its token: open the URL the engine printed');
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) return refuse(res, 404, `not found: ${pathname}`);
  res.writeHead(200, {
    ...SAFE_HEADERS,
    ...(page ? headers : {}),
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': page ? 'no-store' : 'max-age=3600',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
