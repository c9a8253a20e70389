/**
 * Translations: every extension string goes through `browser.i18n`. Checks that English and
 * German have the same keys and placeholders, that every key the code and pages use exists, and
 * that no page or page script keeps a user-facing English literal (a scan of the sources).
 * Run: `npm run test:ext-unit`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const locale = (lang: string): Messages => JSON.parse(readFileSync(join(ROOT, `public/_locales/${lang}/messages.json`), 'utf8'));
const en = locale('en');
const de = locale('de');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : ext.test(name) ? [path] : [];
  });
}
const sources = files(join(ROOT, 'entrypoints'), /\.(ts|html)$/);
/** The pages and the scripts that put text on screen (the background's errors come with lib's, in English). */
const UI = ['entrypoints/popup/', 'entrypoints/popup-first-paint/', 'entrypoints/options/', 'entrypoints/role-panel/', 'entrypoints/role-panel-frame.content/'];
const uiSources = sources.filter((f) => UI.some((dir) => f.startsWith(join(ROOT, dir))));

test('English and German have the same keys, none empty, with the same placeholders', () => {
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
  for (const [key, value] of Object.entries(en)) {
    for (const [lang, entry] of [['en', value], ['de', de[key]!]] as const) {
      assert.ok(entry.message.trim() !== '', `${lang} ${key} is empty`);
      const used = [...entry.message.matchAll(/\$([A-Za-z0-9_]+)\$/g)].map((m) => m[1]!.toLowerCase()).sort();
      assert.deepEqual(used, Object.keys(entry.placeholders ?? {}).sort(), `${lang} ${key}: placeholders used = defined`);
    }
    assert.deepEqual(Object.keys(de[key]!.placeholders ?? {}).sort(), Object.keys(value.placeholders ?? {}).sort(), `${key}: same placeholders in de`);
  }
});

test('every message key the code, pages and manifest use exists', () => {
  const used = new Set<string>();
  // (i18n.ts itself only shows the syntax in its comments.)
  for (const file of [...sources.filter((f) => !f.endsWith('/i18n.ts')), join(ROOT, 'wxt.config.ts')]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:t|getMessage|message|say)\(\s*'([A-Za-z0-9_]+)'/g)) used.add(m[1]!);
    for (const m of text.matchAll(/data-i18n="([A-Za-z0-9_]+)"/g)) used.add(m[1]!);
    for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g)) for (const pair of m[1]!.split(',')) used.add(pair.split(':')[1]!.trim());
    for (const m of text.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) used.add(m[1]!);
    // Keys chosen by a condition: t(x ? 'a' : 'b') and maps of keys.
    for (const m of text.matchAll(/'((?:popup|options|panel|notify|action|ext|firstPaint)[A-Z][A-Za-z0-9]*)'/g)) used.add(m[1]!);
  }
  assert.ok(used.size > 50, `found ${used.size} keys in use`);
  for (const key of used) assert.ok(key in en, `message key ${key} is used but missing from _locales/en`);
});

test('no user-facing literal is left in the pages (HTML text and labels)', () => {
  for (const file of uiSources.filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '');
    for (const m of html.matchAll(/<([a-z0-9-]+)((?:\s[^>]*)?)>([^<]*[A-Za-z][^<]*)</g)) {
      assert.match(m[2]!, /data-i18n="/, `${file}: text "${m[3]!.trim()}" in <${m[1]}> is not translated`);
    }
    for (const m of html.matchAll(/<[a-z0-9-]+\s[^>]*\b(title|aria-label|placeholder)="[^"]*[A-Za-z]+ [A-Za-z][^"]*"[^>]*>/g)) {
      // (Words, not a language-neutral example such as https://tokens.example.com.)
      assert.match(m[0], new RegExp(`data-i18n-attr="[^"]*${m[1]}:`), `${file}: ${m[1]} in ${m[0].slice(0, 80)} is not translated`);
    }
  }
});

test('no user-facing literal is left in the page scripts', () => {
  const offenders: string[] = [];
  for (const file of uiSources.filter((f) => f.endsWith('.ts'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const code = line.trim();
      if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*') || code.startsWith('import ') || /console\.(warn|error|log)|new Error\(/.test(code)) return;
      // Prose: a capitalised word followed by more words, in quotes or backticks.
      for (const m of code.matchAll(/(['`])([A-Z][a-z]+(?:[ ,][A-Za-z’'()]+){1,}[^'`]*)\1/g)) offenders.push(`${file.slice(ROOT.length + 1)}:${i + 1}: ${m[2]}`);
    });
  }
  assert.deepEqual(offenders, []);
});
