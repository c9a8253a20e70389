/**
 * `npm run docs:build`: the documentation site as static files in `dist/docs/` (served by `npm start`
 * at `/docs/`; any static host can serve the folder at `/docs/`). Eleventy renders it
 * (docs-site/eleventy.config.ts); this script first puts beside it what the pages load:
 *
 *   dist/docs/kit/            the built package (dist/kit, built first when missing): the live
 *                             demos load it, never the sources
 *   dist/docs/vendor/         Lit, the package's one dependency, for the import map
 *   dist/docs/demo/provider.js  the in-memory demo server the examples run against
 *   dist/docs/examples/       the examples' scripts (docs-site/examples/), shown word for word
 *   dist/docs/api/openapi.json  the server's OpenAPI document, from the app booted in memory
 *   dist/docs/api/scalar/     Scalar's standalone bundle, which renders it (no CDN: works offline)
 *   dist/docs/search.json     page titles and headings for the sidebar's search box
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Eleventy from '@11ty/eleventy';
import { build } from 'esbuild';
import { configureSite, PATH_PREFIX as PREFIX } from '../docs-site/eleventy.config.ts';
import { EXAMPLES_DIR } from '../docs-site/examples.ts';
import { componentsOf, readManifest } from '../docs-site/manifest.ts';
import { searchIndex } from '../docs-site/search-index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DOCS_OUT = join(ROOT, 'dist', 'docs');
const KIT = join(ROOT, 'dist', 'kit');

function buildKitIfMissing(): void {
  if (existsSync(join(KIT, 'custom-elements.json')) && existsSync(join(KIT, 'package.json'))) return;
  console.log('docs: dist/kit is missing; building the kit first (npm run build:kit)…');
  const result = spawnSync('npm', ['run', '--silent', 'build:kit'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build:kit failed');
}

/** Every bare module the package's ESM files import (Lit and its subpaths; `patkit` itself is mapped apart). */
function bareImports(dir: string): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js')) continue;
    // A specifier is a package name (`lit`, `lit/decorators.js`, `@scope/x`): this keeps an English
    // string that merely ends in "from" (`"Valid from",`) from being read as an import.
    for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/\b(?:from|import)\s*["']((?:@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*(?:\/[a-zA-Z0-9._-]+)*)["']/g)) {
      if (!/^patkit(\/|$)/.test(match[1]!)) found.add(match[1]!);
    }
  }
  return [...found].sort();
}

/** Lit as ES modules sharing one copy (esbuild, code splitting), one file per specifier. */
async function vendorLit(out: string, specifiers: string[]): Promise<Record<string, string>> {
  const entryPoints: Record<string, string> = {};
  const map: Record<string, string> = {};
  for (const specifier of specifiers) {
    const name = specifier.replace(/\.js$/, '').replace(/^([^/]+)$/, '$1/index');
    entryPoints[name] = fileURLToPath(import.meta.resolve(specifier));
    map[specifier] = `${PREFIX}vendor/${name}.js`;
  }
  await build({ entryPoints, outdir: join(out, 'vendor'), bundle: true, splitting: true, format: 'esm', minify: true, target: 'es2022', logLevel: 'warning' });
  return map;
}

/** `patkit/<entry>` → its file in the copied package, from the package's own `exports`. */
function packageImports(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(KIT, 'package.json'), 'utf8')) as { exports: Record<string, string | { default?: string; import?: string }> };
  const map: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const file = typeof target === 'string' ? target : (target.import ?? target.default);
    if (!file || !file.endsWith('.js') || subpath.includes('*')) continue;
    map[`patkit${subpath.slice(1)}`] = `${PREFIX}kit/${file.replace(/^\.\//, '')}`;
  }
  return map;
}

/** The demo server, with its typed errors taken from the package so the components recognise them. */
async function demoProvider(out: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'docs-site', 'demo-data.ts')],
    outfile: join(out, 'demo', 'provider.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
    plugins: [
      {
        name: 'errors-from-the-package',
        setup(b) {
          b.onResolve({ filter: /\/lib\/errors\.ts$/ }, () => ({ path: 'patkit/provider-api', external: true }));
        },
      },
    ],
  });
}

/** The server's OpenAPI document: the app booted in memory (a throwaway SQLite folder), never listening. */
export async function openApiDocument(): Promise<unknown> {
  const { buildServer } = await import('../server/app.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'patkit-docs-openapi-'));
  try {
    const app = await buildServer({ dataDir, consoleDir: null, adminPassword: 'docs-build-only-password' });
    try {
      return app.swagger();
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Builds the site from `input` (default `docs/`) into `out` (default `dist/docs/`). */
export async function buildDocs(options: { input?: string; out?: string } = {}): Promise<string> {
  const out = options.out ?? DOCS_OUT;
  const input = options.input ?? join(ROOT, 'docs');
  const started = Date.now();
  buildKitIfMissing();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(KIT, join(out, 'kit'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  const imports = packageImports();
  const importMap = JSON.stringify({ imports: { ...imports, ...(await vendorLit(out, bareImports(join(KIT, 'esm')))) } });
  const languages = Object.keys(imports).flatMap((s) => /^patkit\/locales\/(.+)$/.exec(s)?.[1] ?? []);
  await demoProvider(out);
  cpSync(EXAMPLES_DIR, join(out, 'examples'), { recursive: true, filter: (src) => !src.endsWith('.html') });
  mkdirSync(join(out, 'api', 'scalar'), { recursive: true });
  writeFileSync(join(out, 'api', 'openapi.json'), `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
  // The package's `exports` hide its browser bundle: read it from the installed folder.
  const scalar = join(ROOT, 'node_modules', '@scalar', 'api-reference');
  copyFileSync(join(scalar, 'dist', 'browser', 'standalone.js'), join(out, 'api', 'scalar', 'standalone.js'));
  cpSync(join(ROOT, 'docs-site', 'assets'), join(out, 'assets'), { recursive: true });

  const components = componentsOf(readManifest(KIT));
  // Eleventy works from the repository root (passthrough globs and input paths are relative to it).
  process.chdir(ROOT);
  const eleventy = new Eleventy(relative(ROOT, input) || '.', relative(ROOT, out) || '.', {
    quietMode: true,
    pathPrefix: PREFIX,
    configPath: join('docs-site', 'eleventy.config.ts'),
    config: configureSite({
      root: ROOT,
      input: relative(ROOT, input) || '.',
      components,
      importMap,
      languages,
      packageReadme: readFileSync(join(KIT, 'README.md'), 'utf8'),
    }),
  });
  await eleventy.write();
  writeFileSync(join(out, 'search.json'), `${JSON.stringify(searchIndex(out))}\n`);
  console.log(`docs: ${relative(ROOT, out)} (${components.length} component pages) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

if (import.meta.main) await buildDocs();
