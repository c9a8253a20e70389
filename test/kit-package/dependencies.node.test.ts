/**
 * `static dependencies` against the templates (`npm run test:kit-package`): every kit tag a
 * component's files (and the shared controllers they import) render (or create through the class, like `PatRevealDialog.reveal()`) is listed in its class's `static dependencies` (else its plain entry
 * would not register it), nothing else is listed, and REGISTERS (the README tables' source,
 * kit-package/components.ts) is the closure of those lists. The browser test
 * registration.browser.test.ts then checks REGISTERS against what the built entries define.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { COMPONENTS, REGISTERS, type ComponentName } from '../../kit-package/components.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Source without comments, so JSDoc examples (`<pat-token-manager>` in prose) do not count. */
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

const className = (name: string): string => `Pat${name.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;

/**
 * The files a component's code is made of: its folder (minus the registration file and styles) and,
 * transitively, the shared modules those import (controllers such as shared/token-actions.ts render
 * or create tags on the component's behalf). Other components' folders are not followed: a tag
 * reached through another class is that class's dependency.
 */
function codeFiles(name: ComponentName): string[] {
  const dir = join(ROOT, 'components', name);
  const shared = join(ROOT, 'components', 'shared') + sep;
  const todo = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.styles.ts') && f !== `${name}.ts`).map((f) => join(dir, f));
  const seen = new Set<string>();
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+\.ts)'/g)) {
      const target = resolve(dirname(file), m[1]!);
      if ((target.startsWith(dir + sep) || target.startsWith(shared)) && !target.endsWith('.styles.ts')) todo.push(target);
    }
  }
  return [...seen];
}

/** Kit tags a component's code renders (`<pat-x`) or creates through the class (`new PatX(`, `PatX.reveal(`). */
function renderedTags(name: ComponentName): string[] {
  const tags = new Set<string>();
  for (const file of codeFiles(name)) {
    const source = code(readFileSync(file, 'utf8'));
    for (const m of source.matchAll(/<(pat-[a-z-]+)[\s>]/g)) if (m[1] !== `pat-${name}`) tags.add(m[1]!);
    for (const other of COMPONENTS) {
      if (other === name) continue;
      if (new RegExp(`(?:new ${className(other)}\\(|\\b${className(other)}\\.\\w+\\()`).test(source)) tags.add(`pat-${other}`);
    }
  }
  return [...tags].sort();
}

function declaredDependencies(name: ComponentName): string[] {
  const source = code(readFileSync(join(ROOT, 'components', name, `${name}.component.ts`), 'utf8'));
  const block = /static dependencies = \{([^}]*)\}/.exec(source)?.[1] ?? '';
  return [...block.matchAll(/'(pat-[a-z-]+)'/g)].map((m) => m[1]!).sort();
}

/** Tags a class loads on first use (`static lazyDependencies`: tag → loader of its class); registered then, not on import. */
function lazyDependencies(name: ComponentName): string[] {
  const source = code(readFileSync(join(ROOT, 'components', name, `${name}.component.ts`), 'utf8'));
  const block = /static lazyDependencies = \{([\s\S]*?)\n {2}\};/.exec(source)?.[1] ?? '';
  return [...block.matchAll(/'(pat-[a-z-]+)': \(\) =>/g)].map((m) => m[1]!).sort();
}

test('every kit tag a component renders or creates is in the class\'s static dependencies (or lazyDependencies), and only those', () => {
  let rendering = 0;
  for (const name of COMPONENTS) {
    const rendered = renderedTags(name);
    if (rendered.length > 0) rendering += 1;
    const declared = [...declaredDependencies(name), ...lazyDependencies(name)].sort();
    assert.deepEqual(declared, rendered, `<pat-${name}>: static dependencies + lazyDependencies = the kit tags it renders or creates`);
  }
  assert.deepEqual(lazyDependencies('token-list'), ['pat-confirm-dialog', 'pat-reveal-dialog', 'pat-token-details'], 'the lazy list was read');
  assert.deepEqual(lazyDependencies('token-manager'), ['pat-create-wizard', 'pat-scoped-token-form'], 'the manager loads its dialog\'s forms on first use');
  assert.ok(rendering >= 4, 'the composites were found rendering kit tags');
});

test('REGISTERS is each tag plus the closure of its dependencies', () => {
  const closure = (name: ComponentName, seen = new Set<string>()): Set<string> => {
    seen.add(name);
    for (const tag of declaredDependencies(name)) {
      const dep = tag.slice(4) as ComponentName;
      if (!seen.has(dep)) closure(dep, seen);
    }
    return seen;
  };
  for (const name of COMPONENTS) assert.deepEqual([...REGISTERS[name]].sort(), [...closure(name)].sort(), `REGISTERS['${name}']`);
});
