/**
 * The console's string tables (console/*.strings.ts): German has exactly English's keys, the same
 * kind of value for each (text or a function of the same arguments), no value is empty, also
 * when a function is called, and none is left in English. Every strings module of the console is listed (a file that is not
 * fails here).
 */
import { expect } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { after, before, describe, it } from '../support/mocha.ts';
import { CONSOLE_TABLES } from './string-tables.ts';
import { appStrings } from '../../console/app.strings.ts';
import { referenceServerCapabilities } from '../../lib/providers/reference-server/capabilities.ts';
import type { ServerSettings, User } from '../../lib/model.ts';

// The token list's row measuring can raise the browser's benign "ResizeObserver loop" notice,
// which would otherwise fail a test through window.onerror (as in the kit's own list tests).
setupIgnoreWindowResizeObserverLoopErrors(before, after);

const ARGS = ['x', 2, true];
/** The words German writes as English does; any other value German shares with English is one left untranslated. */
const SAME_IN_GERMAN = new Set(['Webhooks', 'Token', 'IP', 'Status', 'Admin', 'Person', 'URL', 'Name']);
const call = (v: unknown): unknown => (typeof v === 'function' ? (v as (...a: unknown[]) => unknown)(...ARGS) : v);

describe('console string tables', () => {
  it('lists every console/*.strings.ts', async () => {
    const files = (await (await fetch('/__patkit/sources.json')).json()) as string[];
    const modules = files.filter((f) => /^console\/[^/]+\.strings\.ts$/.test(f));
    expect(modules.length).to.equal(CONSOLE_TABLES.length, `strings modules: ${modules.join(', ')}`);
  });

  for (const { name, en, de } of CONSOLE_TABLES) {
    it(`${name}: German has English's keys, the same kinds, and nothing empty`, () => {
      expect(Object.keys(de).sort()).to.deep.equal(Object.keys(en).sort());
      for (const [key, value] of Object.entries(en)) {
        const german = de[key];
        expect(typeof german, key).to.equal(typeof value);
        for (const [language, v] of [['en', value], ['de', german]] as const) {
          const text = call(v);
          expect(typeof text, `${language}.${key}`).to.equal('string');
          expect((text as string).trim(), `${language}.${key}`).not.to.equal('');
        }
        if (typeof value === 'function') expect((german as () => string).length, `${key}: the same arguments`).to.equal(value.length);
      }
    });

    it(`${name}: German translates every value but the words both languages share`, () => {
      const untranslated = Object.keys(en).filter((key) => call(en[key]) === call(de[key]) && !SAME_IN_GERMAN.has(String(call(en[key]))));
      expect(untranslated).to.deep.equal([]);
    });
  }

  it('the server’s reasons the console translates are the provider’s words exactly (else they would stay English)', () => {
    const settings: ServerSettings = { enable_personal_access_tokens: true, require_password_confirmation: false, default_lifetime_days: 30, max_lifetime_days: 0, allow_no_expiry: true };
    const member: User = { id: 'usr_1', username: 'm', display_name: 'M', active: true, kind: 'person', roles: ['system_user'], permissions: ['tokens:read'], created_at: null };
    expect(referenceServerCapabilities({ ...settings, enable_personal_access_tokens: false }, null).create.reason).to.equal(appStrings.tables.en.patsOff);
    expect(referenceServerCapabilities(settings, member).create.reason).to.equal(appStrings.tables.en.noTokenRole);
  });
});
