/**
 * custom-elements.json against the code (`npm run test:kit-package`): the manifest the build writes
 * (kit-package/manifest.ts) is compared with this test's own reading of the templates, styles,
 * `@property` declarations and event classes, so neither a template change nor a styles change can
 * leave the manifest behind, and nothing in it is a phantom.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { COMPONENTS, esmEntries, type ComponentName } from '../../kit-package/entries.ts';
import { buildManifest } from '../../kit-package/manifest.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
/* eslint-disable @typescript-eslint/no-explicit-any -- manifest JSON */
const manifest = buildManifest(ROOT) as any;

const declarationOf = (name: ComponentName): any => {
  for (const mod of manifest.modules) for (const d of mod.declarations ?? []) if (d.tagName === `pat-${name}`) return d;
  throw new Error(`no declaration for <pat-${name}>`);
};

const folderSources = (name: ComponentName): string[] =>
  readdirSync(join(ROOT, 'components', name))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.styles.ts') && f !== `${name}.ts`)
    .map((f) => readFileSync(join(ROOT, 'components', name, f), 'utf8'));

/** Part names in templates: the attribute's words, and the words of quoted strings inside `${…}`. */
function templateParts(name: ComponentName): Set<string> {
  const parts = new Set<string>();
  for (const source of folderSources(name)) {
    let at = source.indexOf('part=');
    while (at >= 0) {
      const before = source[at - 1] ?? ' ';
      if (!/[\w-]/.test(before)) {
        const rest = source.slice(at + 5);
        const quote = rest[0];
        const value = quote === '"' || quote === "'" ? rest.slice(1, rest.indexOf(quote!, 1)) : rest.slice(0, rest.indexOf('}') + 1);
        // Outside `${…}` every word is a part; inside, only quoted strings can be.
        const literal = value.split(/\$\{[^}]*\}/).join(' ');
        const quoted = [...value.matchAll(/\$\{([^}]*)\}/g)].flatMap((e) => [...e[1]!.matchAll(/'([^']*)'/g)].map((q) => q[1]!));
        for (const word of [...literal.split(/\s+/), ...quoted.flatMap((q) => q.split(/\s+/))]) if (/^[a-z][a-z-]*$/.test(word)) parts.add(word);
      }
      at = source.indexOf('part=', at + 5);
    }
    for (const m of source.matchAll(/exportparts="([^"]+)"/g)) for (const pair of m[1]!.split(',')) parts.add(pair.split(':').at(-1)!.trim());
  }
  return parts;
}

test('every component has a tag and its module paths are files of the package', () => {
  const files = new Set(esmEntries(ROOT).map((e) => e.file));
  for (const mod of manifest.modules) {
    assert.ok(files.has(mod.path), `${mod.path} is an entry file of the package`);
    for (const ref of JSON.stringify(mod).matchAll(/"module":"([^"]+)"/g)) assert.ok(files.has(ref[1]!), `reference ${ref[1]} is a package file`);
  }
  for (const name of COMPONENTS) assert.equal(declarationOf(name).tagName, `pat-${name}`);
});

test('parts: exactly the templates\' part names (re-exported ones too), each described', () => {
  for (const name of COMPONENTS) {
    const parts = declarationOf(name).cssParts as Array<{ name: string; description: string }>;
    assert.deepEqual(parts.map((p) => p.name).sort(), [...templateParts(name)].sort(), `<pat-${name}> parts`);
    for (const p of parts) assert.ok(p.description, `<pat-${name}> part ${p.name} has a description (a @csspart line)`);
  }
});

test('re-exported parts exist on the inner component', () => {
  for (const name of COMPONENTS) {
    for (const source of folderSources(name)) {
      for (const m of source.matchAll(/<(pat-[a-z-]+)[^>]*?exportparts="([^"]+)"/g)) {
        const inner = new Set((declarationOf(m[1]!.slice(4) as ComponentName).cssParts as Array<{ name: string }>).map((p) => p.name));
        for (const pair of m[2]!.split(',')) {
          const from = pair.split(':')[0]!.trim();
          assert.ok(inner.has(from), `<pat-${name}> re-exports ${from}, which <${m[1]}> has`);
        }
      }
    }
  }
});

/** `--pat-*` properties the component's styles read, with their fallbacks, by this test's own scan. */
function styleProperties(name: ComponentName): Map<string, string | null> {
  const files = new Set<string>();
  for (const source of folderSources(name)) {
    for (const m of source.matchAll(/from '([^']+\.styles\.ts)'/g)) files.add(resolve(ROOT, 'components', name, m[1]!));
  }
  const found = new Map<string, string | null>();
  for (const file of files) {
    const css = readFileSync(file, 'utf8');
    for (const m of css.matchAll(/var\(\s*(--pat-[a-z0-9-]+)\s*(,)?/g)) {
      let fallback: string | null = null;
      if (m[2]) {
        let depth = 1;
        let i = m.index + m[0].length;
        const start = i;
        for (; i < css.length && depth > 0; i += 1) {
          if (css[i] === '(') depth += 1;
          if (css[i] === ')') depth -= 1;
        }
        fallback = css.slice(start, i - 1).replace(/\s+/g, ' ').trim();
      }
      if (!found.has(m[1]!) || found.get(m[1]!) === null) found.set(m[1]!, fallback);
    }
  }
  return found;
}

test('CSS custom properties: every --pat-* the styles read, with the styles\' default, each described; nothing else', () => {
  for (const name of COMPONENTS) {
    const props = declarationOf(name).cssProperties as Array<{ name: string; default?: string; description: string }>;
    const expected = styleProperties(name);
    assert.deepEqual(props.map((p) => p.name).sort(), [...expected.keys()].sort(), `<pat-${name}> custom properties`);
    for (const p of props) {
      assert.equal(p.default ?? null, expected.get(p.name), `<pat-${name}> ${p.name} default`);
      assert.ok(p.description, `<pat-${name}> ${p.name} is described (kit-package/css-tokens.ts or a @cssproperty line)`);
    }
  }
});

test('events: typed with their class and detail, every one a component fires, no phantom names', () => {
  const events = readFileSync(join(ROOT, 'components', 'shared', 'events.ts'), 'utf8');
  const classes = new Map<string, string>();
  for (const m of events.matchAll(/export class (\w+) extends Event \{\s*static readonly eventName = '([^']+)'/g)) classes.set(m[1]!, m[2]!);
  assert.ok(classes.size >= 13, 'the event classes were found');
  for (const [cls, event] of classes) assert.match(events, new RegExp(`'${event}': ${cls};`), `${event} is in GlobalEventHandlersEventMap`);
  for (const name of COMPONENTS) {
    const declared = declarationOf(name).events as Array<{ name: string; type: { text: string }; detail: { text: string } | null }>;
    for (const e of declared) {
      assert.equal(classes.get(e.type.text), e.name, `<pat-${name}> event ${e.name} is typed with its class`);
      const hasDetail = new RegExp(`class ${e.type.text} extends Event \\{[^]*?readonly detail`).exec(events)?.[0].split('class ').length === 2;
      assert.equal(e.detail !== null, hasDetail, `<pat-${name}> ${e.name} detail type present iff the class has a detail`);
    }
    const names = new Set(declared.map((e) => e.name));
    for (const source of folderSources(name)) {
      for (const m of source.matchAll(/new (Pat\w+Event)\(/g)) assert.ok(names.has(classes.get(m[1]!)!), `<pat-${name}> fires ${classes.get(m[1]!)}: listed`);
    }
  }
});

test('properties and attributes: every @property field, with Lit\'s attribute name', () => {
  for (const name of COMPONENTS) {
    const decl = declarationOf(name);
    const source = readFileSync(join(ROOT, 'components', name, `${name}.component.ts`), 'utf8');
    let count = 0;
    for (const m of source.matchAll(/@property\(([^)]*)\)\s+(?:override\s+)?(\w+)/g)) {
      count += 1;
      const field = m[2]!;
      const options = m[1]!;
      const member = decl.members.find((x: any) => x.name === field && x.kind === 'field');
      assert.ok(member, `<pat-${name}> .${field} is in the manifest`);
      const attribute = /attribute: false/.test(options) ? null : (/attribute: '([^']+)'/.exec(options)?.[1] ?? field.toLowerCase());
      const listed = (decl.attributes ?? []).find((a: any) => a.fieldName === field);
      assert.equal(listed?.name ?? null, attribute, `<pat-${name}> .${field} attribute`);
    }
    assert.ok(count > 0, `<pat-${name}> has @property fields`);
  }
});
