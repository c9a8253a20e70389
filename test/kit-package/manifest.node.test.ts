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
import { Ajv } from 'ajv';
import { COMPONENTS, esmEntries, REGISTERS, type ComponentName } from '../../kit-package/entries.ts';
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
    // exportparts=${reexport('prefix', 'a b', 'kept')}: prefix-a, prefix-b, kept.
    for (const m of source.matchAll(/exportparts=\$\{reexport\('([a-z-]+)', '([^']*)'(?:, '([^']*)')?\)\}/g)) {
      for (const inner of m[2]!.split(' ')) parts.add(`${m[1]}-${inner}`);
      for (const kept of m[3]?.split(' ') ?? []) parts.add(kept);
    }
    // A secret revealed into this element's root carries the reveal dialog's parts as reveal-….
    if (name !== 'reveal-dialog' && /PatRevealDialog\.reveal\(|shared\/token-actions\.ts'|revealContainer=\$\{this\.renderRoot\}/.test(source)) {
      for (const inner of revealTemplateParts()) parts.add(`reveal-${inner}`);
    }
  }
  return parts;
}

/** `<pat-reveal-dialog>`'s own part names, read from its template. */
function revealTemplateParts(): string[] {
  const source = readFileSync(join(ROOT, 'components', 'reveal-dialog', 'reveal-dialog.component.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of source.matchAll(/\bpart="([^"]*)"/g)) {
    for (const word of m[1]!.replace(/\$\{[^}]*?'([^']*)'[^}]*\}/g, ' $1 ').split(/\s+/)) if (/^[a-z][a-z-]*$/.test(word)) names.add(word);
  }
  return [...names];
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
  let checked = 0;
  for (const name of COMPONENTS) {
    for (const source of folderSources(name)) {
      for (const m of source.matchAll(/<(pat-[a-z-]+)[^>]*?exportparts=(?:"([^"]+)"|\$\{reexport\('[a-z-]+', '([^']*)'(?:, '([^']*)')?\)\})/g)) {
        const inner = new Set((declarationOf(m[1]!.slice(4) as ComponentName).cssParts as Array<{ name: string }>).map((p) => p.name));
        const names = m[2] !== undefined ? m[2].split(',').map((pair) => pair.split(':')[0]!.trim()) : [...m[3]!.split(' '), ...(m[4]?.split(' ') ?? [])];
        for (const from of names) {
          checked += 1;
          assert.ok(inner.has(from), `<pat-${name}> re-exports ${from}, which <${m[1]}> has`);
        }
      }
    }
  }
  assert.ok(checked >= 40, `the re-exports were found (${checked})`);
});

test('<pat-token-manager> re-exports every part of the list and the wizard, and the confirmation\'s and the reveal dialog\'s', () => {
  const manager = new Set((declarationOf('token-manager').cssParts as Array<{ name: string }>).map((p) => p.name));
  const partsOf = (name: ComponentName): string[] => (declarationOf(name).cssParts as Array<{ name: string }>).map((p) => p.name);
  for (const part of partsOf('token-list').filter((p) => !/^(reveal|confirm)-/.test(p))) assert.ok(manager.has(`list-${part}`), `list-${part}`);
  for (const part of partsOf('create-wizard').filter((p) => !/^(reveal|confirm)-/.test(p))) assert.ok(manager.has(`wizard-${part}`), `wizard-${part}`);
  for (const part of partsOf('scoped-token-form').filter((p) => !/^reveal-/.test(p))) assert.ok(manager.has(`wizard-${part}`), `wizard-${part}`);
  for (const part of partsOf('confirm-dialog')) assert.ok(manager.has(`confirm-${part === 'confirm' ? 'button' : part}`), `confirm part ${part}`);
  for (const part of revealTemplateParts()) assert.ok(manager.has(`reveal-${part}`), `reveal-${part}`);
});

test('events: a component declares every event of the elements it renders (they bubble and are composed)', () => {
  for (const name of COMPONENTS) {
    const declared = new Set((declarationOf(name).events as Array<{ name: string }>).map((e) => e.name));
    for (const inner of REGISTERS[name]) {
      for (const e of declarationOf(inner).events as Array<{ name: string }>) assert.ok(declared.has(e.name), `<pat-${name}> declares ${e.name} of <pat-${inner}>`);
    }
  }
  const manager = (declarationOf('token-manager').events as Array<{ name: string }>).map((e) => e.name);
  for (const event of ['pat-selection-change', 'pat-wizard-submit', 'pat-wizard-cancel', 'pat-refresh', 'pat-secret-copied', 'pat-request-close', 'pat-reveal-closed']) {
    assert.ok(manager.includes(event), `<pat-token-manager> declares ${event}`);
  }
});

test('slots: exactly the <slot name> elements of the templates, each described', () => {
  const expected: Record<string, string[]> = { 'token-list': ['empty'], 'token-manager': ['actions', 'empty'], 'reveal-dialog': ['instructions'] };
  for (const name of COMPONENTS) {
    const inTemplates = new Set<string>();
    for (const source of folderSources(name)) {
      // A forwarded slot (`<slot name="x" slot="x">`) is the component's own slot x too.
      for (const m of source.matchAll(/<slot name="([a-z-]+)"/g)) inTemplates.add(m[1]!);
    }
    const slots = (declarationOf(name).slots ?? []) as Array<{ name: string; description: string }>;
    assert.deepEqual(slots.map((s) => s.name).sort(), [...inTemplates].sort(), `<pat-${name}> slots`);
    for (const slot of slots) assert.ok(slot.description, `<pat-${name}> slot ${slot.name} is described (@slot)`);
    for (const slot of expected[name] ?? []) assert.ok(inTemplates.has(slot), `<pat-${name}> has the ${slot} slot`);
  }
});

test('schema: valid against custom-elements-manifest\'s schema.json, with its version', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'custom-elements-manifest', 'schema.json'), 'utf8'));
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'custom-elements-manifest', 'package.json'), 'utf8')) as { version: string };
  assert.equal(manifest.schemaVersion, version);
  assert.match(manifest.schemaVersion, /^2\./);
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  assert.ok(validate(manifest), JSON.stringify(validate.errors, null, 2));
});

test('public API only: no private member, no declaration a module does not export, no source path', () => {
  for (const mod of manifest.modules) {
    const exported = new Set((mod.exports ?? []).map((e: any) => e.declaration?.name ?? e.name));
    for (const decl of mod.declarations ?? []) {
      assert.ok(exported.has(decl.name), `${mod.path}: ${decl.name} is exported`);
      for (const member of decl.members ?? []) {
        assert.doesNotMatch(member.name, /^[#_]/, `${decl.name}.${member.name} is not private`);
        assert.notEqual(member.privacy, 'private', `${decl.name}.${member.name} is not private`);
      }
    }
  }
  assert.doesNotMatch(JSON.stringify(manifest), /[\w/-]+\.ts\b/, 'no .ts source file is named');
  // The sources do have private members: the filter, not their absence, keeps them out.
  assert.match(readFileSync(join(ROOT, 'components', 'token-list', 'token-list.component.ts'), 'utf8'), /@state\(\) private /);
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
  for (const m of events.matchAll(/export class (\w+) extends Event \{\s*static get eventName\(\): '([^']+)'/g)) classes.set(m[1]!, m[2]!);
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
