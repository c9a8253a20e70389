/**
 * `npm run build:kit`: builds the publishable `patkit` package into dist/kit/ (and the admin console).
 *
 *   dist/kit/package.json            generated from kit-package/package.base.json and the entry table
 *                                    (kit-package/entries.ts): exports with types + default, sideEffects
 *   dist/kit/README.md, LICENSE      from kit-package/ (the README's entry table is generated)
 *   dist/kit/esm/<entry>.js          ESM per entry (Lit external, shared chunks), with source maps
 *   dist/kit/types/**                .d.ts from the sources (tsc), jsx.d.ts + react.d.ts from the manifest
 *   dist/kit/patkit-kit.js           every component + Lit in one minified ES module (`patkit/bundle`);
 *                                    admin and rarely reached tags (kit-package/components.ts BUNDLE_LAZY)
 *                                    in dist/kit/chunks/, loaded on first use
 *   dist/kit/loader.js               classic script: polyfills only where needed, then the bundle;
 *                                    `window.patkitReady` resolves when the tags are defined
 *   dist/kit/polyfills/              @webcomponents/webcomponentsjs bundle the loader may add
 *   dist/kit/custom-elements.json    the manifest (kit-package/manifest.ts); also copied to the root
 *                                    (git-ignored) for tools that look there
 *   dist/kit/vscode.*-custom-data.json, web-types.json   editor files from the manifest (kit-package/editor-files.ts)
 *   dist/console/                    the admin console (index.html with relative asset URLs)
 *
 * Sizes and what a host pays per entry are measured by `npm run bench:kit`.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { transform, transformSync } from 'esbuild';
import { build, type InlineConfig } from 'vite';
import { BUNDLE_LAZY, COMPONENTS, esmEntries, REGISTERS, ROOT, type Entry } from '../kit-package/entries.ts';
import { EDITOR_FILES, writeEditorFiles } from '../kit-package/editor-files.ts';
import { buildManifest } from '../kit-package/manifest.ts';
import { emitDeclarations, emitJsxTypes, LOADER_TYPES } from '../kit-package/types.ts';

const KIT = join(ROOT, 'dist', 'kit');

export { COMPONENTS };

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

/**
 * `text` as the body of a template literal whose cooked value is `text` again. Lit's css tag reads
 * the cooked strings, and esbuild's minified CSS carries escapes such as `content:"\2713"`: written
 * raw into a template, `\2` is an invalid escape, the cooked string is undefined and Lit drops the
 * whole sheet. So every backslash, backtick and `${` is escaped.
 */
export function templateLiteralText(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${');
}

/**
 * Styles files: each static css`…` template is minified by esbuild's CSS minifier and written
 * back escaped (templateLiteralText). A template with `${…}` or a backslash in its source (whose
 * cooked text differs from what is written) is left to the whitespace pass. esbuild's default
 * target keeps modern CSS such as light-dark() and color-mix() as written.
 */
export function minifyCssTemplates(source: string): string {
  return source.replace(/\bcss`([^`]*)`/g, (whole, text: string) => {
    if (text.includes('${') || text.includes('\\')) return whole;
    return `css\`${templateLiteralText(transformSync(text, { loader: 'css', minify: true }).code.trim())}\``;
  });
}

const templateWhitespace = {
  name: 'patkit-template-whitespace',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    if (!/\/components\/.+\.ts$/.test(id)) return null;
    const css = id.endsWith('.styles.ts') ? minifyCssTemplates(code) : code;
    return { code: collapseTemplateWhitespace(css), map: null };
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

async function buildEsm(entries: readonly Entry[]): Promise<void> {
  const entry: Record<string, string> = {};
  for (const e of entries) entry[e.file.replace(/^esm\//, '').replace(/\.js$/, '')] = e.source;
  await build(
    base({
      build: {
        outDir: join(KIT, 'esm'),
        emptyOutDir: true,
        minify: false,
        sourcemap: true,
        target: 'es2022',
        lib: { entry, formats: ['es'], fileName: (_format, name) => `${name}.js` },
        rolldownOptions: { external: LIT_EXTERNAL, output: { chunkFileNames: 'chunks/[name]-[hash].js' } },
      },
    }),
  );
}

/**
 * The one-file kit. Tags a page reaches later (BUNDLE_LAZY: the wizard, the details view, …) are dynamic imports: they
 * become chunks next to the bundle (`chunks/`), loaded on first use and resolved against the
 * bundle's own URL, so what a page loads up front stays within the size budget (bench:kit).
 */
async function buildBundle(entryFile: string, outDir: string, fileName: string): Promise<void> {
  await build(
    base({
      build: {
        outDir,
        emptyOutDir: false,
        minify: true,
        target: 'es2022',
        lib: { entry: entryFile, formats: ['es'], fileName: () => fileName },
        // allow-extension: the shared code (Lit, base styles) stays in the bundle, which the chunk imports from.
        rolldownOptions: { preserveEntrySignatures: 'allow-extension', output: { chunkFileNames: 'chunks/patkit-kit-[name]-[hash].js', codeSplitting: { groups: [{ name: 'patkit-kit', tags: ['$initial'] }] } } },
      },
    }),
  );
  // Vite keeps whitespace in ES library output (for downstream tree-shaking); a file meant for a
  // plain <script type="module"> should be fully minified.
  for (const file of [join(outDir, fileName), ...bundleChunks(outDir)]) {
    const minified = await transform(readFileSync(file, 'utf8'), { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
    writeFileSync(file, minified.code);
  }
}

/** The bundle's lazily loaded chunks (absolute paths). */
export function bundleChunks(outDir: string = KIT): string[] {
  const dir = join(outDir, 'chunks');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('patkit-kit-') && f.endsWith('.js')).map((f) => join(dir, f)) : [];
}

/**
 * Classic (non-module) script, so it also runs where it must add the polyfills first. It defines
 * `window.patkitReady` synchronously, so a page's next inline script can wait on it even where
 * `customElements` does not exist yet (the polyfilled case), and fires `patkit-ready` on window.
 * `patkitReady` means: every tag the bundle defines up front is defined, and so is every lazy tag
 * (the bundle's `LAZY_TAGS`) the page already holds. A lazy tag added later is defined once seen;
 * for one tag, lazy or not, `window.patkitWhenDefined(tag)` resolves with its class once it is
 * defined, loading its chunk if needed (the bundle's `loadElement`, from the same module instance).
 */
const loader = (lazy: readonly string[], tags: readonly string[]): string => `/* patkit loader: polyfills only when needed, then the kit bundle; window.patkitReady resolves when every tag is defined but the lazy ones the page does not hold yet (${lazy.join(', ')}); window.patkitWhenDefined(tag) waits for one tag, loading it if it is lazy. */
(function () {
  var script = document.currentScript;
  var base = script && script.src ? script.src.replace(/[^/]*$/, '') : './';
  var settle;
  var TAGS = ${JSON.stringify(tags)};
  window.patkitReady = new Promise(function (resolve, reject) { settle = { resolve: resolve, reject: reject }; });
  window.patkitWhenDefined = function (tag) {
    if (TAGS.indexOf(tag) < 0) return Promise.reject(new Error('patkit: no such tag: ' + tag));
    return window.patkitReady.then(function () {
      return import(base + 'patkit-kit.js').then(function (kit) { return kit.loadElement(tag); });
    });
  };
  function failed(what) {
    return function () { settle.reject(new Error('patkit: could not load ' + what)); };
  }
  function loadKit() {
    var kit = document.createElement('script');
    kit.type = 'module';
    kit.src = base + 'patkit-kit.js';
    kit.onload = function () {
      // The bundle may run before the page is parsed: look for its lazy tags once it is.
      var parsed = new Promise(function (resolve) {
        if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { resolve(); });
        else resolve();
      });
      Promise.all([import(kit.src), parsed]).then(function (loaded) { return loaded[0].definePageTags(); }).then(function () {
        settle.resolve();
        window.dispatchEvent(new Event('patkit-ready'));
      }, failed('the tags on this page'));
    };
    kit.onerror = failed(kit.src);
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
  polyfill.onerror = failed(polyfill.src);
  document.head.appendChild(polyfill);
})();
`;

function writeLoader(): void {
  writeFileSync(join(KIT, 'loader.js'), loader(BUNDLE_LAZY.map((c) => `pat-${c}`), COMPONENTS.map((c) => `pat-${c}`)));
  writeFileSync(join(KIT, 'loader.d.ts'), LOADER_TYPES);
  const polyfills = join(KIT, 'polyfills');
  mkdirSync(polyfills, { recursive: true });
  const source = join(ROOT, 'node_modules', '@webcomponents', 'webcomponentsjs');
  copyFileSync(join(source, 'webcomponents-bundle.js'), join(polyfills, 'webcomponents-bundle.js'));
  for (const license of ['LICENSE.md', 'LICENSE']) {
    if (existsSync(join(source, license))) copyFileSync(join(source, license), join(polyfills, license));
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

/** Entries that are not built from one source: the bundle, the loader, React types, the manifest. */
function extraExports(): Record<string, unknown> {
  return {
    './bundle': { types: './types/components/bundle.d.ts', default: './patkit-kit.js' },
    './loader': { types: './loader.d.ts', default: './loader.js' },
    './react': { types: './types/react.d.ts', default: './react.js' },
    './custom-elements.json': './custom-elements.json',
    './web-types.json': `./${EDITOR_FILES.webTypes}`,
    './vscode.html-custom-data.json': `./${EDITOR_FILES.vscodeHtml}`,
    './vscode.css-custom-data.json': `./${EDITOR_FILES.vscodeCss}`,
    './package.json': './package.json',
  };
}

function writePackageJson(entries: readonly Entry[]): void {
  const baseJson = JSON.parse(readFileSync(join(ROOT, 'kit-package', 'package.base.json'), 'utf8')) as Record<string, unknown>;
  const exportsMap: Record<string, unknown> = {};
  for (const e of entries) exportsMap[e.subpath] = { types: `./${e.types}`, default: `./${e.file}` };
  Object.assign(exportsMap, extraExports());
  const sideEffects = [...new Set(entries.filter((e) => e.registers).map((e) => `./${e.file}`))];
  sideEffects.push('./patkit-kit.js', './loader.js');
  const pkg = {
    ...baseJson,
    type: 'module',
    exports: exportsMap,
    types: './types/components/index.d.ts',
    customElements: './custom-elements.json',
    'web-types': `./${EDITOR_FILES.webTypes}`,
    sideEffects,
  };
  writeFileSync(join(KIT, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  // `patkit/react` is types only; a runtime import of it must still resolve in a bundler.
  writeFileSync(join(KIT, 'react.js'), '// patkit/react carries types only (types/react.d.ts).\nexport {};\n');
}

/* eslint-disable @typescript-eslint/no-explicit-any -- manifest JSON */
/** The README's events and slots tables, from the manifest (so they cannot fall behind the code). */
function apiTables(manifest: any): Array<[string, string]> {
  const events = new Map<string, { detail: string; tags: string[] }>();
  const slots: string[] = [];
  for (const mod of manifest.modules) {
    for (const decl of mod.declarations ?? []) {
      if (!decl.tagName) continue;
      for (const e of decl.events ?? []) {
        const row = events.get(e.name) ?? { detail: e.detail ? `\`${e.detail.text.replaceAll('|', '\\|')}\`` : '—', tags: [] };
        row.tags.push(`\`<${decl.tagName}>\``);
        events.set(e.name, row);
      }
      for (const slot of decl.slots ?? []) slots.push(`| \`<${decl.tagName}>\` | \`${slot.name}\` | ${slot.description} |`);
    }
  }
  const eventRows = [...events].sort(([a], [b]) => a.localeCompare(b)).map(([name, e]) => `| \`${name}\` | ${e.detail} | ${e.tags.join(', ')} |`);
  return [
    ['events', ['| event | `detail` | comes out of |', '| --- | --- | --- |', ...eventRows].join('\n')],
    ['slots', ['| element | slot | what goes there |', '| --- | --- | --- |', ...slots].join('\n')],
  ];
}

/** kit-package/README.md with its entry, events and slots tables filled in. */
function writeReadme(entries: readonly Entry[], manifest: unknown): void {
  const rows = entries.map((e) => {
    const name = e.subpath === '.' ? 'patkit' : `patkit/${e.subpath.slice(2)}`;
    const component = COMPONENTS.find((c) => e.subpath === `./${c}`);
    const what = component ? `registers ${REGISTERS[component].map((t) => `\`<pat-${t}>\``).join(', ')} (each only if not yet defined)` : e.what;
    return `| \`${name}\` | ${what} |`;
  });
  rows.push('| `patkit/bundle` | every component and Lit in one minified module: the list, the manager and the confirmation up front, the other tags from `chunks/` on first use (`loadElement(tag)`) |');
  rows.push('| `patkit/loader` | classic script: polyfills where needed, then the bundle; `window.patkitReady`, `window.patkitWhenDefined(tag)` |');
  rows.push('| `patkit/react` | types only: the tags in React 19\'s `JSX.IntrinsicElements` |');
  rows.push('| `patkit/custom-elements.json` | the custom elements manifest |');
  rows.push('| `patkit/vscode.html-custom-data.json`, `patkit/vscode.css-custom-data.json`, `patkit/web-types.json` | editor files: VS Code custom data, JetBrains web-types |');
  const table = ['| import | what it gives you |', '| --- | --- |', ...rows].join('\n');
  let text = readFileSync(join(ROOT, 'kit-package', 'README.md'), 'utf8');
  for (const [marker, value] of [['entries', table], ...apiTables(manifest)] as const) {
    if (!text.includes(`<!-- ${marker} -->`)) throw new Error(`kit-package/README.md lacks the <!-- ${marker} --> marker`);
    text = text.replace(`<!-- ${marker} -->`, value);
  }
  writeFileSync(join(KIT, 'README.md'), text);
  copyFileSync(join(ROOT, 'kit-package', 'LICENSE'), join(KIT, 'LICENSE'));
}

function writeManifest(): unknown {
  const manifest = buildManifest(ROOT);
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  writeFileSync(join(KIT, 'custom-elements.json'), text);
  writeFileSync(join(ROOT, 'custom-elements.json'), text);
  return manifest;
}

/** Every `exports` target must exist: the mistake the package had before. */
function checkExports(): void {
  const pkg = JSON.parse(readFileSync(join(KIT, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
  const missing: string[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
      if (!existsSync(join(KIT, file))) missing.push(`${subpath} → ${file}`);
    }
  }
  if (missing.length > 0) throw new Error(`package exports point at missing files:\n  ${missing.join('\n  ')}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  rmSync(KIT, { recursive: true, force: true });
  const entries = esmEntries(ROOT);
  await buildEsm(entries.filter((e, i) => entries.findIndex((o) => o.file === e.file) === i));
  await buildBundle('components/bundle.ts', KIT, 'patkit-kit.js');
  writeLoader();
  // The bundle's declarations too (patkit/bundle: components/bundle.ts, with loadTokenDetails()).
  emitDeclarations(ROOT, KIT, [...entries, { subpath: './bundle', source: 'components/bundle.ts', file: 'patkit-kit.js', types: 'types/components/bundle.d.ts', registers: true, what: '' }]);
  const manifest = writeManifest();
  emitJsxTypes(KIT, manifest);
  writeEditorFiles(KIT, manifest, JSON.parse(readFileSync(join(ROOT, 'kit-package', 'package.base.json'), 'utf8')) as { name: string; version: string });
  writePackageJson(entries);
  writeReadme(entries, manifest);
  checkExports();
  await buildConsole();
  const bundle = readFileSync(join(KIT, 'patkit-kit.js'));
  console.log(`patkit-kit.js ${(bundle.length / 1024).toFixed(1)} KB min, ${(gzipSync(bundle, { level: 9 }).length / 1024).toFixed(1)} KB min+gzip`);
  console.log(`dist/kit: ${entries.length} entries; kit + console built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.main) await main();
