/**
 * The editor files (`npm run test:kit-package`, after `npm run build:kit`): VS Code custom data and
 * JetBrains web-types, generated from custom-elements.json (kit-package/editor-files.ts), are in the
 * packed package, point where package.json says, and list every tag with what the manifest says.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { COMPONENTS } from '../../kit-package/entries.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const KIT = join(ROOT, 'dist', 'kit');
/* eslint-disable @typescript-eslint/no-explicit-any -- generated JSON */
const json = (file: string): any => JSON.parse(readFileSync(join(KIT, file), 'utf8'));
const TAGS = COMPONENTS.map((c) => `pat-${c}`).sort();

test('the packed package holds the editor files, and package.json names them', () => {
  assert.ok(existsSync(join(KIT, 'package.json')), 'dist/kit is not built: run `npm run build:kit` first (npm test does)');
  const pack = spawnSync('npm', ['pack', KIT, '--dry-run', '--json'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const files = new Set((JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path));
  for (const file of ['vscode.html-custom-data.json', 'vscode.css-custom-data.json', 'web-types.json']) assert.ok(files.has(file), `${file} is in the tarball`);
  const pkg = json('package.json');
  assert.equal(pkg['web-types'], './web-types.json');
  assert.equal(pkg.exports['./vscode.html-custom-data.json'], './vscode.html-custom-data.json');
  assert.equal(pkg.exports['./web-types.json'], './web-types.json');
});

test('VS Code custom data: every tag with its attributes; the --pat-* properties', () => {
  const html = json('vscode.html-custom-data.json');
  assert.deepEqual(html.tags.map((t: any) => t.name).sort(), TAGS);
  const manifest = json('custom-elements.json');
  for (const mod of manifest.modules) {
    for (const decl of mod.declarations) {
      if (!decl.tagName) continue;
      const tag = html.tags.find((t: any) => t.name === decl.tagName);
      const attributes = new Set(tag.attributes.map((a: any) => a.name));
      for (const a of decl.attributes ?? []) assert.ok(attributes.has(a.name), `${decl.tagName} [${a.name}]`);
      // The description carries events, slots and parts, so the hover shows them.
      for (const e of decl.events) assert.ok(tag.description.includes(e.name), `${decl.tagName} hover names ${e.name}`);
    }
  }
  const css = json('vscode.css-custom-data.json');
  assert.ok(css.properties.some((p: any) => p.name === '--pat-accent'), '--pat-accent in the CSS data');
});

test('web-types: the package\'s name and version, every tag with its events, slots and source; the parts', () => {
  const webTypes = json('web-types.json');
  const pkg = json('package.json');
  assert.equal(webTypes.name, pkg.name);
  assert.equal(webTypes.version, pkg.version);
  const elements = webTypes.contributions.html.elements;
  assert.deepEqual(elements.map((e: any) => e.name).sort(), TAGS);
  const manager = elements.find((e: any) => e.name === 'pat-token-manager');
  for (const event of ['pat-token-saved', 'pat-wizard-submit', 'pat-reveal-closed', 'pat-selection-change']) assert.ok(manager.events.some((e: any) => e.name === event), `pat-token-manager ${event}`);
  assert.deepEqual(manager.slots.map((s: any) => s.name).sort(), ['actions', 'empty']);
  for (const element of elements) assert.ok(existsSync(join(KIT, element.source.module)), `${element.name} source ${element.source.module} is a package file`);
  const parts = webTypes.contributions.css['pseudo-elements'].map((p: any) => p.name);
  assert.ok(parts.some((p: string) => p.includes('list-row')), 'parts are listed');
});
