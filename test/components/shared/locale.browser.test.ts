/**
 * Locales: the nearest `lang` picks strings and dates together; counts are plural-aware. The German
 * locale is imported here (as a host would); English is built in. Data from MemoryProvider, an
 * in-memory TEST DOUBLE of TokenProvider.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../../components/token-list/token-list.ts';
import '../../../components/token-manager/token-manager.ts';
import '../../../components/create-wizard/create-wizard.ts';
import { de } from '../../../components/locales/de.ts';
import { defaultDetailsStrings } from '../../../components/token-details/token-details.strings.ts';
import { defaultScopedStrings, defaultStrings } from '../../../components/shared/strings.ts';
import { langOf, registerLocale } from '../../../components/shared/locale.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import type { PatTokenManager } from '../../../components/token-manager/token-manager.component.ts';
import type { PatCreateWizard } from '../../../components/create-wizard/create-wizard.component.ts';
import { MemoryProvider, makeToken } from '../../support/memory-provider.ts';
import { describe, it, before, after } from '../../support/mocha.ts';

const CREATED = '2026-12-01T10:00:00.000Z';
const tokens = (n: number) => Array.from({ length: n }, (_, i) => makeToken({ id: `t${i}`, name: `token ${i}`, created_at: CREATED, last_used_at: null }));
const sr = (el: Element): ShadowRoot => el.shadowRoot!;
const count = (list: PatTokenList): string => sr(list).querySelector('.count')!.textContent!.trim();
const headers = (list: PatTokenList): string[] =>
  [...sr(list).querySelectorAll('[role="columnheader"]')].map((h) => h.textContent!.replace(/[▲▼]/g, '').trim()).filter(Boolean);
const cells = (list: PatTokenList): string[] => [...sr(list).querySelectorAll('[part~="row"] [role="gridcell"]')].map((c) => c.textContent!.trim());
const shortDate = (lang: string, iso: string): string =>
  new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric' }).format(Date.parse(iso));

describe('locales', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  it('English by default: "1 token", "2 tokens", English dates', async () => {
    const one = await fixture<PatTokenList>(html`<pat-token-list .tokens=${tokens(1)}></pat-token-list>`);
    expect(count(one)).to.equal('1 token');
    const two = await fixture<PatTokenList>(html`<pat-token-list .tokens=${tokens(2)}></pat-token-list>`);
    expect(count(two)).to.equal('2 tokens');
    expect(cells(two)).to.include(shortDate('en', CREATED));
    expect(cells(two)).to.include('Not used');
  });

  it('an ancestor lang="de" gives German strings and German dates together, and plural-aware counts', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div lang="de"><pat-token-list .tokens=${tokens(1)}></pat-token-list></div>`);
    const list = wrap.querySelector('pat-token-list') as PatTokenList;
    await list.updateComplete;
    expect(count(list)).to.equal('1 Token');
    expect(headers(list)).to.include.members(['Name', 'Erstellt', 'Läuft ab', 'Zuletzt verwendet', 'Status', 'Zugriff']);
    const germanDate = shortDate('de', CREATED);
    expect(germanDate).to.match(/Dez/);
    expect(cells(list)).to.include.members([germanDate, 'Nicht verwendet', 'Aktiv']);
    expect(cells(list).join(' ')).not.to.contain('Not used');
    list.tokens = tokens(2);
    await list.updateComplete;
    expect(count(list)).to.equal('2 Tokens');
    await expect(list).to.be.accessible();
  });

  it('follows a lang change at once, and the element’s own lang wins over its ancestors', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div lang="en"><pat-token-list .tokens=${tokens(2)}></pat-token-list></div>`);
    const list = wrap.querySelector('pat-token-list') as PatTokenList;
    expect(count(list)).to.equal('2 tokens');
    wrap.setAttribute('lang', 'de-AT');
    await waitUntil(() => count(list) === '2 Tokens', 'German after the ancestor switched');
    expect(cells(list)).to.include(shortDate('de-AT', CREATED));
    list.lang = 'en';
    await waitUntil(() => count(list) === '2 tokens', 'own lang wins');
    expect(cells(list)).to.include(shortDate('en', CREATED));
  });

  it('a language without a locale falls back to English for strings and dates alike (never mixed)', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div lang="fr"><pat-token-list .tokens=${tokens(2)}></pat-token-list></div>`);
    const list = wrap.querySelector('pat-token-list') as PatTokenList;
    expect(count(list)).to.equal('2 tokens');
    expect(cells(list)).to.include(shortDate('en', CREATED));
    expect(cells(list)).not.to.include(shortDate('fr', CREATED));
  });

  it('reaches across shadow roots: the list and wizard inside a German manager speak German', async () => {
    const provider = new MemoryProvider({ tokens: tokens(1) });
    const wrap = await fixture<HTMLDivElement>(html`<section lang="de"><pat-token-manager .provider=${provider}></pat-token-manager></section>`);
    const el = wrap.querySelector('pat-token-manager') as PatTokenManager;
    const list = sr(el).querySelector('pat-token-list') as PatTokenList;
    await waitUntil(() => !list.loading && sr(list).querySelector('[part~="row"]'), 'loaded');
    expect(langOf(list)).to.equal('de');
    expect(sr(el).querySelector('[part="create"]')!.textContent!.trim()).to.equal('Token erstellen');
    expect(count(list)).to.equal('1 Token');
    const wizard = sr(el).querySelector('pat-create-wizard') as PatCreateWizard;
    await wizard.updateComplete;
    expect([...sr(wizard).querySelectorAll('[part="steps"] li')].map((li) => li.textContent)).to.deep.equal([
      'Angaben',
      'Ablauf',
      'Zugriff',
      'Inhaber',
      'Bestätigen',
    ]);
    expect(sr(wizard).querySelector('[part="next"]')!.textContent!.trim()).to.equal('Weiter');
  });

  it('a host’s strings override single strings over the locale', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div lang="de"><pat-token-list .tokens=${tokens(2)} .strings=${{ refresh: 'Neu laden' }}></pat-token-list></div>`,
    );
    const list = wrap.querySelector('pat-token-list') as PatTokenList;
    expect(sr(list).querySelector('[part="refresh"]')!.textContent!.trim()).to.equal('Neu laden');
    expect(count(list)).to.equal('2 Tokens');
  });

  it('German is complete: every English string has a German one, and none is left in English', () => {
    expect(Object.keys(de.strings).sort()).to.deep.equal(Object.keys(defaultStrings).sort());
    expect(Object.keys(de.scoped).sort()).to.deep.equal(Object.keys(defaultScopedStrings).sort());
    // Words that are the same in both languages.
    const same = new Set(['colName', 'colStatus', 'filterStatus', 'fieldName', 'actionDetails']);
    for (const [key, value] of Object.entries(de.strings)) {
      if (typeof value === 'string' && !same.has(key)) expect(value, key).not.to.equal((defaultStrings as Record<string, unknown>)[key]);
    }
    // The strings of the views loaded on first use (token details, "Disable unused…").
    expect(Object.keys(de.details ?? {}).sort()).to.deep.equal(Object.keys(defaultDetailsStrings).sort());
    const sameDetails = new Set(['detailsId', 'detailsStatus', 'detailsRotation']);
    for (const [key, value] of Object.entries(de.details ?? {})) {
      if (typeof value === 'string' && !sameDetails.has(key)) expect(value, key).not.to.equal((defaultDetailsStrings as Record<string, unknown>)[key]);
    }
  });

  it('a host adds a locale with registerLocale, and components already on the page switch to it', async () => {
    const wrap = await fixture<HTMLDivElement>(html`<div lang="x-pirate"><pat-token-list .tokens=${tokens(2)}></pat-token-list></div>`);
    const list = wrap.querySelector('pat-token-list') as PatTokenList;
    expect(count(list)).to.equal('2 tokens');
    registerLocale({
      lang: 'x-pirate',
      strings: { ...defaultStrings, rowCount: (_shown: number, total: number) => `${total} doubloons` } as typeof de.strings,
      scoped: defaultScopedStrings,
    });
    await waitUntil(() => count(list) === '2 doubloons', 're-rendered in the new locale');
  });
});
