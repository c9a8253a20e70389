/**
 * Serves the documentation site (`npm run docs:build` → dist/docs/) at `/docs/`. Files come only
 * from inside that folder (static-files.ts: no traversal, no dotfiles, no symlinks out); a folder
 * URL serves its `index.html`. Before the site is built, `/docs/` says how to build it.
 *
 * The pages share the console's origin, so they get the console's strict policy: same-origin
 * scripts only, plus, per page, the hash of each inline script it carries (the import map that
 * lets the examples write `import 'patkit/…'`). Nothing else inline can run.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONSOLE_CSP, securityHeaders } from './console-files.ts';
import { builtFolder, CONTENT_TYPES, resolveInside } from './static-files.ts';

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Documentation not built</title></head>
<body>
<h1>The documentation site is not built</h1>
<p>Run <code>npm run docs:build</code> (or <code>npm start</code>, which builds it), then reload this page.</p>
</body>
</html>
`;

const NOT_FOUND = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found</title></head>
<body>
<h1>Not found</h1>
<p>There is no such page in the documentation. <a href="/docs/">Start from the home page</a>.</p>
</body>
</html>
`;

/** `'sha256-…'` for every inline `<script>` of a page (those with a `src` carry no body). */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter((m) => !/\bsrc\s*=/i.test(m[1]!) && m[2]!.length > 0)
    .map((m) => `'sha256-${createHash('sha256').update(m[2]!, 'utf8').digest('base64')}'`);
}

/** The console's policy with a page's inline-script hashes added to `script-src`. */
export function docsPolicy(hashes: string[]): string {
  return CONSOLE_CSP.replace("script-src 'self'", ["script-src 'self'", ...new Set(hashes)].join(' '));
}

export async function docsFiles(app: FastifyInstance, options: { docsDir: string | null }): Promise<void> {
  async function serve(request: FastifyRequest, reply: FastifyReply) {
    const [rawPath = '/', query] = request.url.split(/\?(.*)/s);
    securityHeaders(reply);
    // Built after the server started (npm start builds in the background): look each time.
    const root = builtFolder(options.docsDir);
    if (root === null) return reply.code(404).type('text/html; charset=utf-8').send(NOT_BUILT);
    const rest = rawPath.slice('/docs'.length);
    const file = resolveInside(root, rest.endsWith('/') ? `${rest}index.html` : rest);
    // A folder without its slash (`/docs`, `/docs/components`): to the slash, so relative URLs work.
    if (file === null && !rest.endsWith('/') && resolveInside(root, `${rest}/index.html`) !== null) {
      return reply.redirect(`${rawPath}/${query ? `?${query}` : ''}`);
    }
    if (file === null) return reply.code(404).type('text/html; charset=utf-8').send(NOT_FOUND);
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const body = await readFile(file);
    if (type.startsWith('text/html')) reply.header('content-security-policy', docsPolicy(inlineScriptHashes(body.toString('utf8'))));
    reply.header('cache-control', 'no-cache');
    return reply.type(type).send(body);
  }
  app.get('/docs', { schema: { hide: true } }, serve);
  app.get('/docs/*', { schema: { hide: true } }, serve);
}
