/**
 * What the console (console-files.ts) and the documentation site (docs-files.ts) share: content
 * types, and the one way a URL path becomes a file: only a file inside the folder, never a dotfile,
 * never `..`, never a symlink that leads out.
 */
import { realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

export const CONTENT_TYPES: Record<string, string> = {
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

/** The real path of a file under `root`, or null for anything outside it, hidden or missing. */
export function resolveInside(root: string, urlPath: string): string | null {
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

/** The folder's real path when it holds an `index.html`, else null (not built). */
export function builtFolder(dir: string | null): string | null {
  if (!dir) return null;
  try {
    return statSync(join(dir, 'index.html')).isFile() ? realpathSync(dir) : null;
  } catch {
    return null;
  }
}
