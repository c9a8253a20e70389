/**
 * docs/security.md is the project's security model: every rule 1–37 is stated, and each either
 * names the tests that fail when it breaks or says it is open. This test keeps the document honest
 * as the tree moves: every test it names must exist, under that path, with that name.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const doc = readFileSync(resolve(ROOT, 'docs/security.md'), 'utf8');

/** `test/…` — "name"; "name" … : one path and the test names quoted after it. */
const NAMED = /`(test\/[^`]+)` — ((?:"(?:[^"\\]|\\.)*"(?:; | and |, |; and )?)+)/g;

function rules(): Map<number, string> {
  const found = new Map<number, string>();
  const parts = doc.split(/^\*\*(\d+)\. /m);
  for (let i = 1; i < parts.length; i += 2) found.set(Number(parts[i]), parts[i + 1]!.split(/^\*\*\d+\. |^## /m)[0]!);
  return found;
}

test('rules 1 to 37 are each stated once, in order', () => {
  assert.deepEqual([...rules().keys()], Array.from({ length: 37 }, (_, i) => i + 1));
});

test('every rule names a test or says it is open', () => {
  for (const [n, text] of rules()) {
    const names = [...text.matchAll(NAMED)].length;
    assert.ok(names > 0 || /open — being fixed/i.test(text), `rule ${n} names no test and is not marked open`);
  }
});

test('every test the document names exists under that path with that name', () => {
  let checked = 0;
  for (const [, path, quoted] of doc.matchAll(NAMED)) {
    assert.ok(existsSync(resolve(ROOT, path!)), `${path} does not exist`);
    const source = readFileSync(resolve(ROOT, path!), 'utf8');
    for (const [, name] of quoted!.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      // "…" in the document stands for a part of the name built at run time (a template literal).
      const pieces = name!.replaceAll('\\"', '"').split('…').map((p) => p.trim()).filter(Boolean);
      for (const piece of pieces) assert.ok(source.includes(piece), `${path} has no test named "${name}"`);
      checked += 1;
    }
  }
  assert.ok(checked > 100, `only ${checked} test names found: the document's format changed?`);
});
