/**
 * The console in German against the REAL server the runner starts (mounted in bearer mode, as
 * console.browser.test.ts explains): the header's switch sets `<html lang="de">` and is kept across
 * a reload (a fresh console on the same page reads it back), the browser's languages pick German
 * when nothing was chosen, a sample of pages shows no English string of the console's or the kit's
 * string tables, the token list's headers fit or wrap (none cut off), and dates follow lib/dates.ts.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { mountConsole } from '../../console/app.ts';
import { LANGUAGE_KEY } from '../../console/i18n.ts';
import { findLocale } from '../../components/shared/locale.ts';
import { defaultScopedStrings, defaultStrings } from '../../components/shared/strings.ts';
import { formatDay, formatTime } from '../../lib/dates.ts';
import { after, before, describe, it } from '../support/mocha.ts';
import { api, bearerSession, loadEnv } from '../support/real-server.ts';
import { loadConsoleCss } from '../support/console-css.ts';
import { CONSOLE_TABLES } from './string-tables.ts';
import { appStrings } from '../../console/app.strings.ts';
import { webhooksStrings } from '../../console/webhooks.strings.ts';
import { submitSignIn } from './console-driver.ts';

const root = document.createElement('div');
const MARK = '\u0001';

/** A table's fixed words: strings as they are, functions called with markers and cut at them. */
function fragments(table: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const value of Object.values(table)) {
    const text = typeof value === 'function' ? String((value as (...a: unknown[]) => unknown)(MARK, MARK, MARK)) : typeof value === 'string' ? value : '';
    for (const part of text.split(MARK)) {
      const trimmed = part.replace(/^[\s,.:;()“”"—–-]+|[\s,.:;()“”"—–-]+$/g, '');
      // Short words ("Name", "IP") are the same in both languages; a single lower-case word is a
      // fragment of a sentence ("tokens" of "2 tokens") that data also holds (the scope "tokens:read").
      if (trimmed.length >= 5 && /\p{L}/u.test(trimmed) && (/\s/.test(trimmed) || /^\p{Lu}/u.test(trimmed))) out.add(trimmed);
    }
  }
  return out;
}

/** English fragments of the console's and the kit's tables that German does not also use. */
function englishOnly(): string[] {
  const en = new Set<string>();
  const de = new Set<string>();
  for (const table of CONSOLE_TABLES) {
    for (const f of fragments(table.en)) en.add(f);
    for (const f of fragments(table.de)) de.add(f);
  }
  const kitDe = findLocale('de');
  for (const f of fragments({ ...defaultStrings, ...defaultScopedStrings })) en.add(f);
  for (const f of fragments({ ...kitDe.strings, ...kitDe.scoped })) de.add(f);
  return [...en].filter((f) => !de.has(f));
}

/** What a person sees or hears: text, and the labels, titles and placeholders, through shadow roots (less what `skip` matches). */
function visibleText(node: Node = root, skip?: string): string {
  let out = '';
  const walk = (n: Node): void => {
    if (n.nodeType === Node.TEXT_NODE) out += ` ${n.textContent} `;
    if (n instanceof Element) {
      if (n.localName === 'style' || n.localName === 'script' || (skip && n.matches(skip))) return;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'label']) if (n.hasAttribute(name)) out += ` ${n.getAttribute(name)} `;
      if (n.shadowRoot) walk(n.shadowRoot);
    }
    for (const child of n.childNodes) walk(child);
  };
  walk(node);
  return out.replace(/\s+/g, ' ');
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The English fragments found on the page (whole words only: "Filter" is not in "Filtern"). */
function englishOnPage(candidates: string[], skip?: string): string[] {
  const text = visibleText(root, skip);
  return candidates.filter((f) => new RegExp(`(^|[^\\p{L}])${escape(f)}([^\\p{L}]|$)`, 'u').test(text));
}

async function go(route: string): Promise<void> {
  location.hash = `#/${route}`;
  await waitUntil(() => root.querySelector(`nav a[aria-current="page"][data-route="${route}"]`), `on ${route}`);
}

const deep = (selector: string, scope: ParentNode = root): Element | null => {
  const direct = scope.querySelector(selector);
  if (direct) return direct;
  for (const el of scope.querySelectorAll('*')) {
    const found = el.shadowRoot ? deep(selector, el.shadowRoot) : null;
    if (found) return found;
  }
  return null;
};

describe('console: German', () => {
  // The list's benign "ResizeObserver loop" notice (its header re-wraps in German) would fail the test via window.onerror.
  setupIgnoreWindowResizeObserverLoopErrors(before, after);
  after(() => {
    localStorage.removeItem(LANGUAGE_KEY);
    document.documentElement.lang = 'en';
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('the browser’s languages choose German when nothing was chosen; the saved choice wins over them', async () => {
    const env = await loadEnv();
    localStorage.removeItem(LANGUAGE_KEY);
    document.body.append(root);
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer', languages: ['de-AT', 'en'] });
    await waitUntil(() => root.querySelector('form.signin'), 'sign-in page');
    expect(document.documentElement.lang).to.equal('de');
    expect(root.querySelector('form.signin button[type="submit"]')!.textContent).to.equal('Anmelden');

    localStorage.setItem(LANGUAGE_KEY, 'en');
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer', languages: ['de-AT', 'en'] });
    await waitUntil(() => root.querySelector('form.signin'), 'sign-in page');
    expect(document.documentElement.lang).to.equal('en');
    expect(root.querySelector('form.signin button[type="submit"]')!.textContent).to.equal('Sign in');
    localStorage.removeItem(LANGUAGE_KEY);
  });

  it('the switch turns the console and the kit German, is kept across a reload, and dates follow the one rule', async () => {
    const env = await loadEnv();
    await loadConsoleCss();
    const admin = await bearerSession(env, 'admin', env.adminPassword);
    await api(env, admin, 'PATCH', '/api/v1/settings', { enable_personal_access_tokens: true });
    const created = await api(env, admin, 'POST', '/api/v1/tokens', { name: 'german dates', scopes: ['tokens:read'], password: env.adminPassword, acknowledge_admin_token: true });
    expect(created.status, await created.clone().text()).to.equal(201);
    const token = ((await created.json()) as { token: { created_at: string } }).token;
    const org = (await (await api(env, admin, 'POST', '/api/v1/orgs', { name: `Deutsch ${Math.random().toString(36).slice(2, 8)}` })).json()) as { id: string; name: string };
    const group = (await (await api(env, admin, 'POST', `/api/v1/orgs/${org.id}/groups`, { name: 'Gruppe eins' })).json()) as { id: string };
    const made = await api(env, admin, 'POST', '/api/v1/token-templates', { name: 'Vorlage eins', description: 'Zum Testen', scopes: ['tokens:read'], expires_in_days: 30 });
    expect(made.status, await made.clone().text()).to.equal(201);
    const template = (await made.json()) as { id: string };
    await api(env, admin, 'DELETE', '/api/v1/sessions/current');

    localStorage.removeItem(LANGUAGE_KEY);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    document.body.append(root);
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer', languages: ['en-US'] });
    await waitUntil(() => root.querySelector('form.signin'), 'sign-in page');
    expect(document.documentElement.lang).to.equal('en');

    // The switch on the sign-in page: German at once, and kept.
    const english = englishOnly();
    const choose = (lang: string): void => {
      const select = root.querySelector<HTMLSelectElement>('#console-language')!;
      select.value = lang;
      select.dispatchEvent(new Event('change'));
    };
    choose('de');
    await waitUntil(() => root.querySelector('form.signin button[type="submit"]')?.textContent === 'Anmelden', 'German sign-in');
    expect(document.documentElement.lang).to.equal('de');
    expect(localStorage.getItem(LANGUAGE_KEY)).to.equal('de');
    expect(englishOnPage(english), 'sign-in').to.deep.equal([]);
    await expect(root).to.be.accessible();

    // A reload: a new console on this page, the browser still saying English.
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer', languages: ['en-US'] });
    await waitUntil(() => root.querySelector('form.signin'), 'sign-in page again');
    expect(document.documentElement.lang).to.equal('de');
    await submitSignIn(root, 'admin', env.adminPassword);
    await waitUntil(() => root.querySelector('nav'), 'signed in', { timeout: 5000 });
    expect([...root.querySelectorAll('nav a')].map((a) => a.textContent)).to.deep.equal([
      'Meine Tokens', 'Alle Tokens', 'Anfragen', 'Token identifizieren', 'Organisationen', 'Benutzer & Rollen', 'Einstellungen', 'Token-Vorlagen', 'Webhooks', 'Audit-Protokoll',
    ]);

    // My tokens: the kit in German, its dates in German (lib/dates.ts), no header cut off.
    const rowText = (): string => [...(deep('pat-token-list')?.shadowRoot?.querySelectorAll('[part~="row"]') ?? [])].map((r) => r.textContent).join('\n');
    await waitUntil(() => rowText().includes('german dates'), 'the token listed', { timeout: 10_000 });
    expect(rowText()).to.contain(formatDay('de', token.created_at));
    const list = deep('pat-token-list')!.shadowRoot!;
    const headers = [...list.querySelectorAll<HTMLElement>('[role="columnheader"]')];
    expect(headers.map((h) => h.textContent!.replace(/[▲▼]/g, '').trim())).to.include('Zuletzt verwendet');
    for (const h of headers) expect(h.scrollWidth, `"${h.textContent!.trim()}" is cut off`).to.be.at.most(h.clientWidth);
    expect(englishOnPage(english), 'My tokens').to.deep.equal([]);

    // A sample of pages: nothing English left. (The reading session first: its sign-in is an event too.)
    const reader = await credential(env);
    for (const route of ['all-tokens', 'requests', 'identify', 'organizations', 'users', 'settings', 'templates', 'webhooks', 'audit']) {
      await go(route);
      await waitUntil(() => !/Loading|Wird geladen|werden geladen/.test(visibleText()), `${route} loaded`, { timeout: 5000 });
      if (route === 'settings') await waitUntil(() => root.querySelector('fieldset.token-approval'), 'the approval choice');
      if (route === 'templates') await waitUntil(() => root.querySelector(`tr[data-template="${template.id}"]`), 'the template listed');
      // The templates form shows the server's scope descriptions and resource type names: its data (server/catalog), in its language.
      expect(englishOnPage(english, route === 'templates' ? '.template-scopes label, .resource-picker option' : undefined), route).to.deep.equal([]);
    }

    // The Organization and Group pages, every tab opened.
    for (const [hash, title] of [[`#/org/${org.id}`, `Organisation: ${org.name}`], [`#/group/${org.id}/${group.id}`, 'Gruppe: Gruppe eins']] as const) {
      location.hash = hash;
      await waitUntil(() => root.querySelector('main h1')?.textContent === title, title, { timeout: 5000 });
      for (const tab of root.querySelectorAll<HTMLButtonElement>('[role="tab"]')) {
        tab.click();
        await waitUntil(() => !/Loading|Wird geladen|werden geladen/.test(visibleText()), `${title}: ${tab.textContent} loaded`, { timeout: 5000 });
      }
      expect(englishOnPage(english), title).to.deep.equal([]);
    }
    await expect(root).to.be.accessible();

    // The server's refusal of an http webhook address, in German, naming the switch on the page.
    await go('webhooks');
    await waitUntil(() => root.querySelector<HTMLInputElement>('#webhook-url'), 'the form');
    root.querySelector<HTMLInputElement>('#webhook-url')!.value = 'http://hooks.example.com/patkit';
    root.querySelector<HTMLButtonElement>('.webhook-form button[type="submit"]')!.click();
    const de = webhooksStrings.tables.de;
    await waitUntil(() => root.querySelector('.webhook-form .error')?.textContent === de.httpRefused(de.privateLabel), 'the German refusal', { timeout: 5000 });

    // The audit log's times: the rule, in German, in the server's zone.
    await go('audit');
    await waitUntil(() => root.querySelectorAll('.audit tbody tr').length > 0, 'events');
    const [first] = ((await (await api(env, reader, 'GET', '/api/v1/audit?limit=1')).json()) as { items: Array<{ at: string }> }).items;
    expect(root.querySelector('.audit tbody td')!.textContent).to.equal(formatTime('de', first!.at, { timeZone: 'UTC' }));
    expect(root.querySelector('.audit thead th')!.textContent).to.equal('Zeit');

    // Back to English from the header: the page and <html lang> follow, the switch keeps focus.
    choose('en');
    await waitUntil(() => root.querySelector('main h1')?.textContent === 'Audit log', 'English again');
    expect(document.documentElement.lang).to.equal('en');
    expect(localStorage.getItem(LANGUAGE_KEY)).to.equal('en');
    expect(document.activeElement?.id).to.equal('console-language');
  });

  it('an account that may not create tokens is told why in German (the server’s reason, translated)', async () => {
    const env = await loadEnv();
    const admin = await credential(env);
    const username = `greta-${Math.random().toString(36).slice(2, 8)}`;
    const password = 'greta-german-pw-5Tz';
    const created = await api(env, admin, 'POST', '/api/v1/users', { username, display_name: 'Greta', password, roles: ['system_user'] });
    expect(created.status).to.equal(201);
    await api(env, admin, 'DELETE', '/api/v1/sessions/current');

    localStorage.removeItem(LANGUAGE_KEY);
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    document.body.append(root);
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer', languages: ['de-DE'] });
    await submitSignIn(root, username, password);
    await waitUntil(() => deep('[part="message"]'), 'the manager says why', { timeout: 5000 });
    expect(deep('[part="message"]')!.textContent!.trim()).to.equal(appStrings.tables.de.noTokenRole);
    expect(englishOnPage(englishOnly())).to.deep.equal([]);
  });
});

/** A second admin session for reading what the page shows (the console's own stays its own). */
async function credential(env: Awaited<ReturnType<typeof loadEnv>>): Promise<string> {
  return bearerSession(env, 'admin', env.adminPassword);
}
