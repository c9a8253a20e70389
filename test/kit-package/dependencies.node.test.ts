/**
 * `static dependencies` against the templates (`npm run test:kit-package`): every kit tag a
 * component's files render (or create through the class, like `PatRevealDialog.reveal()`) is listed in its class's `static dependencies` (else its plain entry
 * would not register it), nothing else is listed, and REGISTERS (the README tables' source,
 * kit-package/components.ts) is the closure of those lists. The browser test
 * registration.browser.test.ts then checks REGISTERS against what the built entries define.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { COMPONENTS, REGISTERS, type ComponentName } from '../../kit-package/components.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Source without comments, so JSDoc examples (`<pat-token-manager>` in prose) do not count. */
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

const className = (name: string): string => `Pat${name.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;

/** Kit tags a component's files render (`<pat-x`) or create through the class (`new PatX(`, `PatX.reveal(`). */
function renderedTags(name: ComponentName): string[] {
  const dir = join(ROOT, 'components', name);
  const tags = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.styles.ts') && f !== `${name}.ts`)) {
    const source = code(readFileSync(join(dir, file), 'utf8'));
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

test('every kit tag a component renders or creates is in the class\'s static dependencies, and only those', () => {
  let rendering = 0;
  for (const name of COMPONENTS) {
    const rendered = renderedTags(name);
    if (rendered.length > 0) rendering += 1;
    assert.deepEqual(declaredDependencies(name), rendered, `<pat-${name}>: static dependencies = the kit tags it renders or creates`);
  }
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
