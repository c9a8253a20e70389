/**
 * Each ESM entry of the built package carries only its own English strings (`npm run
 * test:kit-package`, after `npm run build:kit`): the files an entry loads up front (its static
 * imports, followed through the chunks) hold the strings of the components it contains and none of
 * the others', so a host importing `patkit/reveal-dialog` pays nothing for the list's words.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { wizardStrings } from '../../components/create-wizard/create-wizard.strings.ts';
import { defaultFineGrainedStrings } from '../../components/create-wizard/fine-grained.strings.ts';
import { revealStrings } from '../../components/reveal-dialog/reveal-dialog.strings.ts';
import { rolesStrings } from '../../components/role-manager/role-manager.strings.ts';
import { defaultScopedStrings } from '../../components/scoped-token-form/scoped-token-form.strings.ts';
import { confirmStrings } from '../../components/shared/confirm.strings.ts';
import { listStrings } from '../../components/token-list/token-list.strings.ts';
import { defaultDetailsStrings } from '../../components/token-details/token-details.strings.ts';
import { defaultRequestsStrings } from '../../components/token-requests/token-requests.strings.ts';

const ESM = resolve(import.meta.dirname, '../../dist/kit/esm');

/** The text of every file `entry` loads up front: static `import … from` / `import "…"`, not `import()`. */
function upFront(entry: string): string {
  assert.ok(existsSync(join(ESM, entry)), 'dist/kit is not built: run `npm run build:kit` first (npm test does)');
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bfrom|^import)\s*"(\.[^"]+)"/gm)) visit(resolve(dirname(file), m[1]!));
  };
  visit(join(ESM, entry));
  return [...seen].map((f) => readFileSync(f, 'utf8')).join('\n');
}

/** One distinctive English string of each part, found as a whole string literal in the built code. */
const marks = {
  list: listStrings.listLabel,
  confirm: confirmStrings.confirmRegenerateGraceBody,
  wizard: wizardStrings.expiryNeverWarning,
  fineGrained: defaultFineGrainedStrings.approvalNotice,
  reveal: revealStrings.revealIntro,
  roles: rolesStrings.rolesTitle,
  scoped: defaultScopedStrings.adminRole,
  details: defaultDetailsStrings.detailsRegenerate,
  requests: defaultRequestsStrings.requestsEmptyPending,
};

function partsIn(entry: string): string[] {
  const code = upFront(entry);
  return Object.entries(marks)
    .filter(([, text]) => code.includes(JSON.stringify(text)) || code.includes(`'${text}'`) || code.includes(`\`${text}\``))
    .map(([part]) => part)
    .sort();
}

test('patkit/reveal-dialog carries the reveal strings and no other component’s', () => {
  assert.deepEqual(partsIn('reveal-dialog.js'), ['reveal']);
});

test('patkit/token-list carries the list strings up front, not the wizard’s, reveal’s, roles’ or organisation form’s; the confirmations’ come with its later part', () => {
  assert.deepEqual(partsIn('token-list.js'), ['list']);
  const later = readdirSync(join(ESM, 'chunks')).filter((f) => /^later-.*\.js$/.test(f));
  assert.equal(later.length, 1, 'the list\u2019s later part is one chunk');
  assert.ok(partsIn(`chunks/${later[0]}`).includes('confirm'), 'the confirmation strings are in the later part');
});

test('patkit/role-manager carries the roles strings (and the confirmation dialog’s), not the list’s or the wizard’s', () => {
  assert.deepEqual(partsIn('role-manager.js'), ['confirm', 'roles']);
});

test('patkit/token-requests carries its own strings only; the details view’s (fine-grained states included) stay out of the list', () => {
  assert.deepEqual(partsIn('token-requests.js'), ['requests']);
  assert.deepEqual(partsIn('token-details.js'), ['details', 'list']);
});

test('the wizard\u2019s fine-grained strings travel with the wizard, not with the list, the manager or the bundle up front', () => {
  assert.deepEqual(partsIn('create-wizard.js'), ['confirm', 'fineGrained', 'reveal', 'wizard']);
  assert.ok(!partsIn('token-manager.js').includes('fineGrained'));
  assert.ok(!partsIn('index.js').includes('fineGrained') || partsIn('index.js').includes('wizard'), 'patkit carries them only with the wizard it registers');
});
