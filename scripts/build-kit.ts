/**
 * `npm run build:kit`: builds the Lit kit and the admin console with Vite's JS API (library mode).
 *
 *   dist/kit/esm/<name>.js          ESM per component (Lit external), for `import` through a bundler
 *   dist/kit/patkit-kit.js          every component + Lit in one minified ES module, for
 *                                   `<script type="module" src=…>` on any page
 *   dist/kit/standalone/<name>.js   one component + Lit, minified (script tags; per-component sizes)
 *   dist/kit/patkit-provider.js     the patkit provider (lib/providers/patkit.ts), minified, for script tags
 *   dist/kit/loader.js              classic script: adds @webcomponents/webcomponentsjs only when the
 *                                   browser lacks custom elements or shadow DOM, then loads the bundle
 *   dist/kit/polyfills/             the polyfill bundle the loader may add
 *   dist/kit/sizes.json             min and min+gzip bytes of every file above (bench/kit.bench.ts)
 *   dist/console/                   the admin console (index.html with relative asset URLs)
 *   custom-elements.json            the manifest (`cem analyze --litelement`), generated
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { build, type InlineConfig } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');
const KIT = join(ROOT, 'dist', 'kit');

/** Component folders, each with `<name>.ts` (registers the tag) and `<name>.component.ts` (class only). */
export const COMPONENTS = ['token-list', 'create-wizard', 'reveal-dialog', 'role-manager', 'token-manager', 'confirm-dialog', 'scoped-token-form'] as const;

const LIT_EXTERNAL = [/^lit($|\/)/, /^@lit\//, /^@lit-labs\//];

/**
 * Collapses the indentation inside template literals of the kit's own sources (Lit `html` and
 * `css` templates): a newline plus indentation becomes one space, which HTML and CSS treat the same.
 * A small scanner, not a regex, so strings, comments and nested `${…}` templates stay intact.
 */
export function collapseTemplateWhitespace(source: string): string {
  let out = '';
  let i = 0;
  const n = source.length;
  const copyQuoted = (quote: string): void => {
    out += source[i++];
    while (i < n && source[i] !== quote) {
      if (source[i] === '\\') out += source[i++];
      out += source[i++];
    }
    out += source[i++] ?? '';
  };
  const template = (): void => {
    out += source[i++]; // opening backtick
    let text = '';
    const flush = (): void => {
      out += text.replace(/[ \t]*\n\s*/g, ' ');
      text = '';
    };
    while (i < n) {
      const c = source[i]!;
      if (c === '\\') {
        text += c + (source[i + 1] ?? '');
        i += 2;
      } else if (c === '`') {
        flush();
        out += c;
        i += 1;
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        flush();
        out += '${';
        i += 2;
        code(true);
      } else {
        text += c;
        i += 1;
      }
    }
    flush();
  };
  const code = (inExpression: boolean): void => {
    let depth = 0;
    while (i < n) {
      const c = source[i]!;
      const next = source[i + 1];
      if (c === '/' && next === '/') {
        const end = source.indexOf('\n', i);
        const stop = end < 0 ? n : end;
        out += source.slice(i, stop);
        i = stop;
      } else if (c === '/' && next === '*') {
        const end = source.indexOf('*/', i + 2);
        const stop = end < 0 ? n : end + 2;
        out += source.slice(i, stop);
        i = stop;
      } else if (c === "'" || c === '"') copyQuoted(c);
      else if (c === '`') template();
      else if (c === '{') {
        depth += 1;
        out += c;
        i += 1;
      } else if (c === '}') {
        if (inExpression && depth === 0) {
          out += c;
          i += 1;
          return;
        }
        depth -= 1;
        out += c;
        i += 1;
      } else {
        out += c;
        i += 1;
      }
    }
  };
  code(false);
  return out;
}

const templateWhitespace = {
  name: 'patkit-template-whitespace',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    return /\/components\/.+\.ts$/.test(id) ? { code: collapseTemplateWhitespace(code), map: null } : null;
  },
};

function base(overrides: InlineConfig): InlineConfig {
  return {
    configFile: false,
    root: ROOT,
    publicDir: false,
    plugins: [templateWhitespace],
    logLevel: 'warn',
    // Shipped code must not carry Lit's dev-mode checks.
    resolve: { conditions: ['production', 'browser', 'module', 'import', 'default'] },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    ...overrides,
  };
}

async function buildEsm(): Promise<void> {
  // The patkit provider ships alongside, so script-tag hosts can wire the kit to a patkit server.
  const entry: Record<string, string> = { index: 'components/index.ts', 'patkit-provider': 'lib/providers/patkit.ts' };
  for (const name of COMPONENTS) {
    entry[name] = `components/${name}/${name}.ts`;
    entry[`${name}.component`] = `components/${name}/${name}.component.ts`;
  }
  await build(
    base({
      build: {
        outDir: join(KIT, 'esm'),
        emptyOutDir: true,
        minify: false,
        sourcemap: true,
        target: 'es2022',
        lib: { entry, formats: ['es'], fileName: (_format, name) => `${name}.js` },
        rolldownOptions: { external: LIT_EXTERNAL },
      },
    }),
  );
}

async function buildBundle(entryFile: string, outDir: string, fileName: string): Promise<void> {
  await build(
    base({
      build: {
        outDir,
        emptyOutDir: false,
        minify: true,
        target: 'es2022',
        lib: { entry: entryFile, formats: ['es'], fileName: () => fileName },
        rolldownOptions: { output: { codeSplitting: false } },
      },
    }),
  );
  // Vite keeps whitespace in ES library output (for downstream tree-shaking); a file meant for a
  // plain <script type="module"> should be fully minified.
  const file = join(outDir, fileName);
  const minified = await transform(readFileSync(file, 'utf8'), { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
  writeFileSync(file, minified.code);
}

/** Classic (non-module) script, so it also runs where it must add the polyfills first. */
const LOADER = `/* patkit kit loader: polyfills only when needed, then the kit bundle. */
(function () {
  var script = document.currentScript;
  var base = script && script.src ? script.src.replace(/[^/]*$/, '') : './';
  function loadKit() {
    var kit = document.createElement('script');
    kit.type = 'module';
    kit.src = base + 'patkit-kit.js';
    document.head.appendChild(kit);
  }
  var supported =
    !!window.customElements &&
    typeof window.customElements.define === 'function' &&
    'attachShadow' in Element.prototype &&
    'getRootNode' in Element.prototype &&
    'content' in document.createElement('template');
  if (supported) return loadKit();
  var polyfill = document.createElement('script');
  polyfill.src = base + 'polyfills/webcomponents-bundle.js';
  polyfill.onload = function () {
    if (window.WebComponents && window.WebComponents.waitFor) window.WebComponents.waitFor(function () { loadKit(); });
    else loadKit();
  };
  document.head.appendChild(polyfill);
})();
`;

function writeLoader(): void {
  writeFileSync(join(KIT, 'loader.js'), LOADER);
  const polyfills = join(KIT, 'polyfills');
  mkdirSync(polyfills, { recursive: true });
  const source = join(ROOT, 'node_modules', '@webcomponents', 'webcomponentsjs');
  for (const file of ['webcomponents-bundle.js', 'LICENSE.md']) {
    try {
      copyFileSync(join(source, file), join(polyfills, file));
    } catch {
      // LICENSE name differs between versions; the bundle itself is required.
      if (file.endsWith('.js')) throw new Error(`missing ${file} in @webcomponents/webcomponentsjs`);
    }
  }
}

async function buildConsole(): Promise<void> {
  await build(
    base({
      root: join(ROOT, 'console'),
      base: './',
      build: { outDir: join(ROOT, 'dist', 'console'), emptyOutDir: true, target: 'es2022', sourcemap: false },
    }),
  );
}

function generateManifest(): void {
  const result = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'cem'),
    ['analyze', '--litelement', '--globs', 'components/**/*.ts', '--exclude', 'components/**/*.styles.ts', '--outdir', '.'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`cem analyze failed:\n${result.stderr || result.stdout}`);
}

export interface SizeEntry {
  file: string;
  min: number;
  gzip: number;
}

function sizes(): SizeEntry[] {
  const files = ['patkit-kit.js', ...COMPONENTS.map((c) => `standalone/${c}.js`)];
  return files.map((file) => {
    const data = readFileSync(join(KIT, file));
    return { file, min: data.length, gzip: gzipSync(data, { level: 9 }).length };
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  rmSync(KIT, { recursive: true, force: true });
  await buildEsm();
  await buildBundle('components/index.ts', KIT, 'patkit-kit.js');
  for (const name of COMPONENTS) await buildBundle(`components/${name}/${name}.ts`, join(KIT, 'standalone'), `${name}.js`);
  await buildBundle('lib/providers/patkit.ts', KIT, 'patkit-provider.js');
  writeLoader();
  await buildConsole();
  generateManifest();
  const table = sizes();
  writeFileSync(join(KIT, 'sizes.json'), `${JSON.stringify(table, null, 2)}\n`);
  for (const s of table) console.log(`${s.file.padEnd(32)} ${(s.min / 1024).toFixed(1).padStart(7)} KB min ${(s.gzip / 1024).toFixed(1).padStart(6)} KB min+gzip`);
  console.log(`kit + console built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.main) await main();
