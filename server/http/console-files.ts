/**
 * Serves the admin console (built into `dist/console/`) at `/`, or a plain page that says where the
 * API is. Only files inside the folder are served: no traversal, no dotfiles, no symlinks out.
 */
import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problems } from './problems.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Same-origin scripts only; Lit's constructed styles need no inline script. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const PLAIN_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>patkit token server</title></head>
<body>
<h1>patkit token server</h1>
<p>This is the patkit reference token server. The API is at <a href="/api/v1"><code>/api/v1</code></a>;
its OpenAPI 3.1 document is at <a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a>.</p>
<p>The admin console is not built yet: run <code>npm run build</code>, then restart the server.</p>
</body>
</html>
`;

function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
}

/** Serves the console at `/` and the kit gallery at `/kit/` (routes outside the API, hidden from OpenAPI). */
export async function consoleFiles(app: FastifyInstance, options: { consoleDir: string | null }): Promise<void> {
  const { consoleDir } = options;
  let root: string | null = null;
  if (consoleDir) {
    try {
      if (statSync(join(consoleDir, 'index.html')).isFile()) root = realpathSync(consoleDir);
    } catch {
      root = null;
    }
  }

  async function serve(request: FastifyRequest, reply: FastifyReply) {
    const rawPath = request.url.split('?')[0]!;
    if (rawPath.startsWith('/api/')) throw problems.notFound('That API route');
    securityHeaders(reply);
    if (root === null) {
      if (rawPath !== '/') throw problems.notFound('That page');
      return reply.type('text/html; charset=utf-8').send(PLAIN_PAGE);
    }
    const file = resolveInside(root, rawPath === '/' ? '/index.html' : rawPath);
    if (file === null) throw problems.notFound('That file');
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    reply.header('cache-control', extname(file) === '.html' ? 'no-cache' : 'public, max-age=300');
    return reply.type(type).send(await readFile(file));
  }

  app.get('/', { schema: { hide: true } }, serve);
  app.get('/*', { schema: { hide: true } }, serve);
  registerGallery(app);
}

/** The component kit's documentation page (`npm run build:gallery` → dist/gallery/) at `/kit/`. */
const GALLERY_DIR = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist', 'gallery');

function registerGallery(app: FastifyInstance, dir = GALLERY_DIR): void {
  async function serveGallery(request: FastifyRequest, reply: FastifyReply) {
    const rawPath = request.url.split('?')[0]!;
    if (rawPath === '/kit') return reply.redirect('/kit/');
    securityHeaders(reply);
    let root: string;
    try {
      root = realpathSync(dir);
    } catch {
      throw problems.notFound('The kit gallery (run npm run build:gallery)');
    }
    const rest = rawPath.slice('/kit'.length);
    const file = resolveInside(root, rest === '/' ? '/index.html' : rest);
    if (file === null) throw problems.notFound('That file');
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    reply.header('cache-control', 'no-cache');
    return reply.type(type).send(await readFile(file));
  }
  app.get('/kit', { schema: { hide: true } }, serveGallery);
  app.get('/kit/*', { schema: { hide: true } }, serveGallery);
}

/** The real path of a file under `root`, or null for anything outside it, hidden or missing. */
function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return null;
  try {
    const real = realpathSync(join(root, ...segments));
    if (real !== root && !real.startsWith(root + sep)) return null;
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}
