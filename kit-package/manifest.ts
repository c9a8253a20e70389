/**
 * custom-elements.json for the package: `@custom-elements-manifest/analyzer` (its Lit plugins) plus
 * {@link patkitManifestPlugin}, which makes the manifest say what the code does rather than what
 * comments remember:
 *
 * - parts come from the templates (`part="…"`, including names inside `${…}`, and `exportparts`
 *   re-exports), described by the class's `@csspart` lines;
 * - CSS custom properties come from the styles the component imports (`var(--pat-x, default)`),
 *   with the fallback as the default, described by `@cssproperty` or {@link TOKEN_DESCRIPTIONS};
 * - events come from the event classes the component's files construct plus its `@event` lines,
 *   each typed with its class and detail (the analyzer's guesses from constructor arguments,
 *   `undefined`, `code`, `source`, are dropped);
 * - module paths are the package's own files (`esm/<name>.js`).
 *
 * `manifestFacts` is exported so the drift test (test/kit-package/manifest.node.test.ts) can compare.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { create, ts } from '@custom-elements-manifest/analyzer';
// The Lit feature set `cem analyze --litelement` uses; the package exports no entry for it.
import { litPlugin } from '@custom-elements-manifest/analyzer/src/features/framework-plugins/lit/lit.js';
import { COMPONENTS, REGISTERS, ROOT, type ComponentName } from './entries.ts';
import { TOKEN_DESCRIPTIONS } from './css-tokens.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- the analyzer's manifest is untyped JSON */
type Json = any;

export interface EventClass {
  className: string;
  name: string;
  detail: string | null;
  description: string;
}

export interface CssPropertyFact {
  name: string;
  default: string | null;
}

export interface ComponentFacts {
  parts: string[];
  /** `inner → outer` pairs from `exportparts`, with the inner element's tag. */
  exported: Array<{ tag: string; inner: string; outer: string }>;
  cssProperties: CssPropertyFact[];
  events: string[];
}

const read = (root: string, file: string): string => readFileSync(join(root, file), 'utf8');

/** The text from `open` (an index of `(` or `{`) to its matching closer, exclusive of both. */
function balanced(text: string, open: number): string {
  const closer = text[open] === '(' ? ')' : '}';
  const opener = text[open];
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === opener) depth += 1;
    else if (text[i] === closer) {
      depth -= 1;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  throw new Error(`unbalanced ${opener} at ${open}`);
}

/** Event classes of components/shared/events.ts: class, `eventName`, `detail` type, summary. */
export function eventClasses(root: string = ROOT): Map<string, EventClass> {
  const source = read(root, 'components/shared/events.ts');
  const out = new Map<string, EventClass>();
  const classPattern = /(?:\/\*\*([\s\S]*?)\*\/\s*)?export class (\w+) extends Event \{/g;
  for (const match of source.matchAll(classPattern)) {
    const body = balanced(source, match.index + match[0].length - 1);
    // A static getter, not a field: with useDefineForClassFields off a field compiles to a static
    // block, which keeps every event class in a host's bundle whether used or not.
    const name = /static get eventName\(\): '([^']+)'/.exec(body)?.[1];
    if (!name) throw new Error(`${match[2]} has no static eventName`);
    const detailAt = body.search(/readonly detail: /);
    let detail: string | null = null;
    if (detailAt >= 0) {
      const typeStart = detailAt + 'readonly detail: '.length;
      detail = body[typeStart] === '{' ? `{${balanced(body, typeStart)}}` : body.slice(typeStart, body.indexOf(';', typeStart));
      detail = detail.replace(/\/\*[\s\S]*?\*\/\s*/g, '').replace(/\s+/g, ' ').replace(/ ?; ?}/g, ' }').replace(/; /g, '; ').trim();
    }
    const description = (match[1] ?? '').replace(/^\s*\* ?/gm, '').replace(/\s+/g, ' ').trim();
    out.set(match[2]!, { className: match[2]!, name, detail, description });
  }
  return out;
}

/** A component's own source files: its folder minus styles and the registration file. */
function componentFiles(root: string, name: ComponentName): string[] {
  const dir = `components/${name}`;
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.styles.ts') && f !== `${name}.ts`)
    .map((f) => `${dir}/${f}`);
}

/** String literals inside a `${…}` expression: the part names a conditional can produce. */
const literals = (expression: string): string[] => [...expression.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? '');

function partTokens(value: string): string[] {
  const names: string[] = [];
  const withoutExpressions = value.replace(/\$\{([^}]*)\}/g, (_all, expression: string) => {
    names.push(...literals(expression).flatMap((l) => l.split(/\s+/)));
    return ' ';
  });
  names.push(...withoutExpressions.split(/\s+/));
  return names.filter((n) => /^[a-z][a-z0-9-]*$/.test(n));
}

/** `exportparts="…"`, or `exportparts=${reexport('prefix', 'names', 'kept')}` (components/shared/parts.ts). */
export const EXPORTPARTS = /\bexportparts=(?:"([^"]*)"|\$\{reexport\('([a-z-]+)', '([^']*)'(?:, '([^']*)')?\)\})/g;

/** The value an {@link EXPORTPARTS} match stands for, as `reexport` computes it. */
export function exportpartsValue(m: RegExpMatchArray): string {
  if (m[1] !== undefined) return m[1];
  const pairs = m[3]!.split(' ').map((n) => `${n}:${m[2]}-${n}`);
  return [...pairs, ...(m[4] ? m[4].split(' ') : [])].join();
}

/** A file that opens `<pat-reveal-dialog>` itself, through the shared row actions, or in its own root through inner elements. */
export const REVEALS = /PatRevealDialog\.reveal\(|from '\.\.\/shared\/token-actions\.ts'|\.revealContainer=\$\{this\.renderRoot\}/;

/** The parts of `<pat-reveal-dialog>`'s template: what `reveal()` re-exports as `reveal-…`. */
export function revealParts(root: string = ROOT): string[] {
  const source = read(root, 'components/reveal-dialog/reveal-dialog.component.ts');
  const names = new Set<string>();
  for (const m of source.matchAll(/\bpart=(?:"([^"]*)"|'([^']*)')/g)) for (const token of partTokens(m[1] ?? m[2] ?? '')) names.add(token);
  const exported = /reexport\('reveal', '([^']*)'\)/.exec(source)?.[1]?.split(' ').sort() ?? [];
  if (exported.join() !== [...names].sort().join()) throw new Error(`<pat-reveal-dialog> reveal() re-exports ${exported.join()}, its template has ${[...names].sort().join()}`);
  return exported;
}

/** What the templates, styles and event constructors of one component say. */
export function componentFacts(name: ComponentName, root: string = ROOT): ComponentFacts {
  const parts = new Set<string>();
  const exported: ComponentFacts['exported'] = [];
  const styleFiles = new Set<string>();
  const fired = new Set<string>();
  const classes = eventClasses(root);
  for (const file of componentFiles(root, name)) {
    const source = read(root, file);
    for (const m of source.matchAll(/\bpart=(?:"([^"]*)"|'([^']*)'|\$\{([^}]*)\})/g)) {
      const tokens = m[3] !== undefined ? literals(m[3]).flatMap(partTokens) : partTokens(m[1] ?? m[2] ?? '');
      for (const token of tokens) parts.add(token);
    }
    // exportparts="inner:outer,…" (or ${reexport(…)}, components/shared/parts.ts) on an element
    // `<pat-x …>`: the tag is the nearest opening tag before it.
    for (const m of source.matchAll(EXPORTPARTS)) {
      const tag = [...source.slice(0, m.index).matchAll(/<(pat-[a-z-]+)/g)].at(-1)?.[1] ?? '';
      for (const pair of exportpartsValue(m).split(',')) {
        const [inner, outer] = pair.split(':').map((s) => s.trim());
        if (!inner) continue;
        exported.push({ tag, inner, outer: outer ?? inner });
        parts.add(outer ?? inner);
      }
    }
    // A secret revealed into this element's shadow root (its own, or the one its inner elements are
    // handed as `revealContainer`) re-exports the dialog's parts as `reveal-…` (PatRevealDialog.reveal);
    // for a list, wizard or form that is given another `revealContainer`, they are that root's instead.
    if (name !== 'reveal-dialog' && REVEALS.test(source)) {
      for (const inner of revealParts(root)) {
        exported.push({ tag: 'pat-reveal-dialog', inner, outer: `reveal-${inner}` });
        parts.add(`reveal-${inner}`);
      }
    }
    for (const m of source.matchAll(/from '(\.{1,2}\/[^']+\.styles\.ts)'/g)) styleFiles.add(relative(root, resolve(root, dirname(file), m[1]!)));
    for (const m of source.matchAll(/new (Pat\w+Event)\(/g)) {
      const event = classes.get(m[1]!);
      if (event) fired.add(event.name);
    }
  }
  const cssProperties = new Map<string, string | null>();
  for (const file of [...styleFiles].sort()) {
    const source = read(root, file);
    for (const m of source.matchAll(/var\(\s*(--pat-[a-z0-9-]+)/g)) {
      const inside = balanced(source, m.index + 3);
      const comma = inside.indexOf(',');
      const fallback = comma < 0 ? null : inside.slice(comma + 1).replace(/\s+/g, ' ').trim();
      if (!cssProperties.has(m[1]!) || (cssProperties.get(m[1]!) === null && fallback !== null)) cssProperties.set(m[1]!, fallback);
    }
  }
  return {
    parts: [...parts].sort(),
    exported,
    cssProperties: [...cssProperties].map(([n, d]) => ({ name: n, default: d })).sort((a, b) => a.name.localeCompare(b.name)),
    events: [...fired].sort(),
  };
}

/** Package file of a repository module, or null for modules that are internal chunks. */
export function packagePath(sourcePath: string): string | null {
  const path = sourcePath.replace(/^\.?\//, '');
  if (path === 'components/index.ts') return 'esm/index.js';
  if (path === 'components/shared/events.ts') return 'esm/events.js';
  const m = /^components\/([a-z-]+)\/\1(\.component)?\.ts$/.exec(path);
  return m ? `esm/${m[1]}${m[2] ?? ''}.js` : null;
}

const tagOf = (path: string): ComponentName | null => {
  const m = /^components\/([a-z-]+)\/\1\.component\.ts$/.exec(path.replace(/^\.?\//, ''));
  return m && (COMPONENTS as readonly string[]).includes(m[1]!) ? (m[1] as ComponentName) : null;
};

type OwnEvents = Map<ComponentName, { decl: Json; jsdoc: Map<string, string>; fired: string[] }>;

/**
 * Every kit event bubbles and is composed: what the elements a component renders fire (REGISTERS:
 * the closure of its dependencies) comes out of it too, so its `events` list them all.
 */
function addInnerEvents(own: OwnEvents, byName: Map<string, EventClass>): void {
  for (const [name, { decl, jsdoc, fired }] of own) {
    const inner = new Map<string, ComponentName>();
    for (const dependency of REGISTERS[name]) for (const event of own.get(dependency)?.fired ?? []) if (!inner.has(event)) inner.set(event, dependency);
    const names = [...new Set([...fired, ...inner.keys()])].sort();
    decl.events = names.map((event) => {
      const cls = byName.get(event)!;
      const from = fired.includes(event) ? '' : `From the inner \`<pat-${inner.get(event)}>\`: `;
      return {
        name: event,
        type: { text: cls.className },
        description: jsdoc.get(event) || `${from}${cls.description}`,
        // Not in the schema: the detail's type, for readers and the JSX generator.
        detail: cls.detail === null ? null : { text: cls.detail },
      };
    });
  }
}

/** Private in the source (`#x`, `_x`, `private`, `@internal`): not the package's API. */
const isPrivate = (member: Json): boolean =>
  /^[#_]/.test(member.name ?? '') || member.privacy === 'private' || /@internal\b/.test(member.description ?? '');

/**
 * What a host can use, as package files: the modules a host can import (paths `esm/<name>.js`,
 * every reference pointed into the package), their exported declarations only, no private member,
 * and no default that quotes a source path (a lazy `import('…ts')`).
 */
function publicApi(modules: Json[]): Json[] {
  const kept: Json[] = [];
  for (const mod of modules) {
    const path = packagePath(mod.path);
    if (!path) continue;
    mod.path = path;
    kept.push(mod);
  }
  const fixReferences = (node: Json): void => {
    if (Array.isArray(node)) node.forEach(fixReferences);
    else if (node && typeof node === 'object') {
      if (typeof node.module === 'string') {
        const path = packagePath(node.module);
        if (path) node.module = path;
        else delete node.module;
      }
      Object.values(node).forEach(fixReferences);
    }
  };
  fixReferences(kept);
  for (const mod of kept) {
    const exported = new Set((mod.exports ?? []).map((e: Json) => e.declaration?.name ?? e.name));
    mod.declarations = (mod.declarations ?? []).filter((d: Json) => exported.has(d.name));
    for (const decl of mod.declarations) {
      if (!decl.members) continue;
      decl.members = decl.members.filter((m: Json) => !isPrivate(m));
      for (const member of decl.members) if (/import\(/.test(member.default ?? '')) delete member.default;
    }
  }
  return kept;
}

/** The analyzer plugin: runs once the whole manifest is linked. */
export function patkitManifestPlugin(root: string = ROOT) {
  return {
    name: 'patkit-manifest',
    packageLinkPhase({ customElementsManifest }: { customElementsManifest: Json }) {
      const classes = eventClasses(root);
      const byName = new Map([...classes.values()].map((c) => [c.name, c]));
      const problems: string[] = [];
      const own: OwnEvents = new Map();
      for (const mod of customElementsManifest.modules as Json[]) {
        const name = tagOf(mod.path);
        if (!name) continue;
        for (const decl of mod.declarations as Json[]) {
          if (!decl.customElement) continue;
          // Registration goes through register() (components/shared/register.ts), which the
          // analyzer does not follow: the tag is the folder's name.
          decl.tagName = `pat-${name}`;
          const facts = componentFacts(name, root);
          const reexported = new Map(facts.exported.map((e) => [e.outer, `\`<${e.tag}>\`'s \`${e.inner}\` part, re-exported.`]));
          const documented = new Map<string, string>((decl.cssParts ?? []).map((p: Json) => [p.name, p.description ?? '']));
          for (const part of documented.keys()) if (!facts.parts.includes(part)) problems.push(`<pat-${name}> documents @csspart ${part}, which no template has`);
          decl.cssParts = facts.parts.map((part) => ({ name: part, description: documented.get(part) || reexported.get(part) || '' }));
          const props = new Map<string, string>((decl.cssProperties ?? []).map((p: Json) => [p.name, p.description ?? '']));
          for (const prop of props.keys()) {
            if (!facts.cssProperties.some((p) => p.name === prop)) problems.push(`<pat-${name}> documents @cssproperty ${prop}, which its styles never read`);
          }
          decl.cssProperties = facts.cssProperties.map((p) => ({
            name: p.name,
            ...(p.default !== null ? { default: p.default } : {}),
            description: props.get(p.name) || TOKEN_DESCRIPTIONS[p.name] || '',
          }));
          // Documented events plus what the files fire; what inner kit elements fire is added below.
          const jsdoc = new Map<string, string>();
          for (const e of decl.events ?? []) {
            if (typeof e.name === 'string' && e.name.startsWith('pat-') && e.type === undefined) jsdoc.set(e.name, e.description ?? '');
          }
          for (const event of jsdoc.keys()) if (!byName.has(event)) problems.push(`<pat-${name}> documents @event ${event}, which no event class has`);
          own.set(name, { decl, jsdoc, fired: [...new Set([...jsdoc.keys(), ...facts.events])].filter((n) => byName.has(n)) });
        }
      }
      addInnerEvents(own, byName);
      // Each registration module defines its tag: say so, as `customElements.define` would have.
      for (const mod of customElementsManifest.modules as Json[]) {
        const m = /^components\/([a-z-]+)\/\1\.ts$/.exec(mod.path);
        if (!m || !(COMPONENTS as readonly string[]).includes(m[1]!)) continue;
        const className = `Pat${m[1]!.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
        mod.exports = (mod.exports ?? []).filter((e: Json) => e.kind !== 'custom-element-definition');
        mod.exports.push({ kind: 'custom-element-definition', name: `pat-${m[1]}`, declaration: { name: className, module: `components/${m[1]}/${m[1]}.component.ts` } });
      }
      if (problems.length > 0) throw new Error(`custom-elements.json would not be true:\n  ${problems.join('\n  ')}`);
      customElementsManifest.modules = publicApi(customElementsManifest.modules);
    },
  };
}

/** Sources the analyzer reads: components (no styles, no locales' data) and the event classes. */
function manifestSources(root: string): string[] {
  const files = ['components/index.ts', 'components/shared/events.ts'];
  for (const name of COMPONENTS) files.push(`components/${name}/${name}.component.ts`, `components/${name}/${name}.ts`);
  return files.filter((f) => existsSync(join(root, f)));
}

/** The custom elements manifest schema the package's manifest follows. */
export const SCHEMA_VERSION = '2.1.0';

/** Builds the manifest JSON for the package. */
export function buildManifest(root: string = ROOT): Json {
  const modules = manifestSources(root).map((file) => ts.createSourceFile(file, read(root, file), ts.ScriptTarget.ES2022, true));
  const manifest: Json = create({ modules, plugins: [...litPlugin(), patkitManifestPlugin(root)], context: { dev: false } });
  // The analyzer (0.11) still writes 1.0.0; what it writes is schema 2.1.0 (the `custom-elements-manifest`
  // package's schema.json, which test/kit-package/manifest.node.test.ts validates it against).
  manifest.schemaVersion = SCHEMA_VERSION;
  const leaked = JSON.stringify(manifest).match(/[\w./-]+\.ts\b/g);
  if (leaked) throw new Error(`custom-elements.json names source files: ${[...new Set(leaked)].join(', ')}`);
  return manifest;
}
