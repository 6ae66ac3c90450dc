import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

/** URL prefix of the static assets; `/` serves `index.html`. */
export const STATIC_PREFIX = '/web/';

/** The file types served, by extension; anything else is a 404. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page may call its own origin, or an HTTPS API given with `?api=`;
 * scripts, styles and images come only from this origin.
 */
const CSP = [
  "default-src 'self'",
  "connect-src 'self' https:",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The file a request path names inside `root`, or null when the path is
 * not a static one, cannot be decoded, or resolves outside `root`.
 * @example
 * staticFilePath('/web/app.js', '/srv/web') // '/srv/web/app.js'
 * staticFilePath('/web/../package.json', '/srv/web') // null
 */
export function staticFilePath(pathname: string, root: string): string | null {
  let relative: string;
  if (pathname === '/') {
    relative = 'index.html';
  } else if (pathname.startsWith(STATIC_PREFIX)) {
    relative = pathname.slice(STATIC_PREFIX.length);
  } else {
    return null;
  }
  try {
    relative = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (relative === '' || relative.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, relative);
  return file.startsWith(base + sep) ? file : null;
}

function isStaticPath(pathname: string): boolean {
  return pathname === '/' || pathname.startsWith(STATIC_PREFIX);
}

function notFound(res: ServerResponse, head: boolean): void {
  const body = 'Not found\n';
  res.writeHead(404, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
  });
  res.end(head ? undefined : body);
}

async function readIfFile(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
      return null;
    }
    throw error;
  }
}

/** The asset a static path names, or null (not found or not servable). */
async function loadAsset(
  pathname: string,
  root: string,
): Promise<{ body: Buffer; type: string } | null> {
  const file = staticFilePath(pathname, root);
  if (file === null) return null;
  const type = CONTENT_TYPES[extname(file)];
  if (type === undefined) return null;
  const body = await readIfFile(file);
  return body === null ? null : { body, type };
}

/**
 * Serves the dashboard's static files: `GET`/`HEAD` of `/` (index.html)
 * and `/web/*`, only files inside `rootDir` (the resolved path must stay
 * under it) with a known content type; a 404 for anything else under
 * those paths. True when the request was answered here; false leaves it
 * to the API routes (other paths and methods).
 * @example
 * if (await serveStatic(req, res, webDir)) return;
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  rootDir: string,
): Promise<boolean> {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return false;
  const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (!isStaticPath(pathname)) return false;
  req.resume();
  const head = method === 'HEAD';
  const asset = await loadAsset(pathname, rootDir);
  if (asset === null) {
    notFound(res, head);
    return true;
  }
  const { body, type } = asset;
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(type.startsWith('text/html') ? { 'content-security-policy': CSP } : {}),
  });
  res.end(head ? undefined : body);
  return true;
}
