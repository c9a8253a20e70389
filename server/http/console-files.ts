/**
 * Serves the admin console (built into `dist/console/`) at `/`, or a plain page that says where the
 * API is. Only files inside the folder are served: no traversal, no dotfiles, no symlinks out.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problems } from './problems.ts';
import { builtFolder, CONTENT_TYPES, resolveInside } from './static-files.ts';

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

export function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
}

/** Serves the console at `/` (routes outside the API, hidden from OpenAPI). */
export async function consoleFiles(app: FastifyInstance, options: { consoleDir: string | null }): Promise<void> {
  const { consoleDir } = options;
  const root = builtFolder(consoleDir);

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
}
