/**
 * The console's "Identify a token" page against the REAL server the runner starts: an admin pastes a
 * token value (keyboard) and sees whose it is — owner, name, id, status, scopes, expiry, last use —
 * and whether it was a previous secret in its grace period; clear errors for a value that is not a
 * patkit token, an unknown one, and a caller without users:read. The value is cleared from the field
 * and never appears in the URL, web storage, the console log or the page. Members see no such page.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { mountConsole } from '../../console/app.ts';
import { renderIdentifyPage } from '../../console/identify.ts';
import { createReferenceServerProvider } from '../../lib/providers/reference-server/provider.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { after, before, describe, it } from '../support/mocha.ts';
import { api, loadEnv, type Env } from '../support/real-server.ts';
import { submitSignIn } from './console-driver.ts';

// The token list's row measuring can raise the browser's benign "ResizeObserver loop" notice,
// which would otherwise fail a test through window.onerror (as in the kit's own list tests).
setupIgnoreWindowResizeObserverLoopErrors(before, after);

const text = (node: Element | null): string => node?.textContent?.trim() ?? '';

async function json<T>(response: Promise<Response>, status: number): Promise<T> {
  const answer = await response;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${await answer.text()}`);
  return (await answer.json()) as T;
}

async function bearer(env: Env, username: string, password: string): Promise<string> {
  return (await json<{ credential: string }>(api(env, null, 'POST', '/api/v1/sessions', { username, password, mode: 'bearer' }), 201)).credential;
}

/** Pastes `value` into the page's field with the keyboard and submits with Enter; waits for the outcome. */
async function identify(root: HTMLElement, value: string): Promise<void> {
  const input = root.querySelector<HTMLInputElement>('#identify-value')!;
  root.querySelector('.identify-result')!.replaceChildren();
  root.querySelector('.identify [role="alert"]')!.textContent = '';
  input.focus();
  await sendKeys({ type: value });
  await sendKeys({ press: 'Enter' });
  await waitUntil(
    () => root.querySelector('.identified') || text(root.querySelector('.identify [role="alert"]')) !== '',
    'an answer or an error',
    { timeout: 5000 },
  );
}

describe('console: Identify a token', () => {
  const root = document.createElement('div');
  const logged: string[] = [];
  const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  for (const name of Object.keys(originals) as (keyof typeof originals)[]) {
    console[name] = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      originals[name](...args);
    };
  }
  after(() => {
    Object.assign(console, originals);
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  const suffix = Math.random().toString(36).slice(2, 8);
  const ivyPassword = 'ivy-console-pw-4Rt';
  let env: Env;
  let admin: string;
  let tokenId: string;
  let current: string;
  let previous: string;

  // Setup through the API; each password check is a deliberately slow scrypt, so it is kept short.
  before(async () => {
    env = await loadEnv();
    admin = await bearer(env, 'admin', env.adminPassword);
    const ivy = await json<{ id: string }>(
      api(env, admin, 'POST', '/api/v1/users', { username: `ivy-${suffix}`, display_name: 'Ivy Lane', password: ivyPassword, roles: ['system_user'] }),
      201,
    );
    const created = await json<{ token: { id: string }; secret: string }>(
      api(env, admin, 'POST', '/api/v1/tokens', { name: 'deploy bot', owner_id: ivy.id, scopes: ['tokens:read'], password: env.adminPassword }),
      201,
    );
    const rotated = await json<{ secret: string }>(
      api(env, admin, 'POST', `/api/v1/tokens/${created.token.id}/regenerate`, { grace_period_seconds: 3600, password: env.adminPassword }),
      200,
    );
    tokenId = created.token.id;
    previous = created.secret;
    current = rotated.secret;
    // A use of the new secret, so "Last used" has something to show.
    expect((await api(env, current, 'GET', '/api/v1/tokens')).status).to.equal(200);
  });

  it('an admin finds "Identify a token" in the nav and identifies the current secret', async () => {
    document.body.append(root);
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer' });
    await submitSignIn(root, 'admin', env.adminPassword);
    await waitUntil(() => root.querySelector('nav a[data-route="identify"]'), '"Identify a token" in the nav', { timeout: 5000 });
    expect(text(root.querySelector('nav a[data-route="identify"]'))).to.equal('Identify a token');
    location.hash = '#/identify';
    await waitUntil(() => root.querySelector('#identify-value'), 'the identify form');
    expect(document.activeElement).to.equal(root.querySelector('#identify-value'), 'the field has focus');
    const field = root.querySelector<HTMLInputElement>('#identify-value')!;
    expect(field.getAttribute('autocomplete')).to.equal('off');
    expect(field.hasAttribute('name')).to.equal(false, 'no form-history key');
    await expect(root).to.be.accessible();

    await identify(root, current);
    const card = text(root.querySelector('.identified'));
    expect(field.value).to.equal('', 'cleared after the lookup');
    expect(card).to.include('Ivy Lane');
    expect(card).to.include(`ivy-${suffix}`);
    expect(card).to.include('deploy bot');
    expect(card).to.include(tokenId);
    expect(card).to.include('Active');
    expect(card).to.include('tokens:read');
    expect(card).to.include('The current secret of this token.');
    expect(card).to.not.include('Never used');
    expect(text(root.querySelector('.identify [role="status"]'))).to.include('deploy bot');
    await expect(root).to.be.accessible();
  });

  it('a previous secret in its grace is said so; not a patkit token, unknown and empty values get clear errors', async () => {
    const field = root.querySelector<HTMLInputElement>('#identify-value')!;
    await identify(root, previous);
    expect(text(root.querySelector('.identified'))).to.include('A previous secret of this token');
    expect(text(root.querySelector('.identified [role="note"]'))).to.equal('This value is a previous secret in its grace period.');

    // Not a patkit token: refused before any request; the field is cleared too.
    await identify(root, 'ghp_notapatkittoken');
    expect(text(root.querySelector('.identify [role="alert"]'))).to.include('not a patkit token');
    expect(root.querySelector('.identified')).to.equal(null);
    expect(field.value).to.equal('');

    // The right shape with one character mistyped: the checksum is named, not the format.
    const typo = current.slice(0, 10) + (current[10] === 'a' ? 'b' : 'a') + current.slice(11);
    await identify(root, typo);
    expect(text(root.querySelector('.identify [role="alert"]'))).to.equal(
      'The checksum at the end of this value is wrong: it was mistyped or only partly copied, or it is not a patkit token. Copy it again, whole.',
    );
    expect(field.value).to.equal('');

    // Well formed but no longer valid here: the grace is ended, so the old value is unknown.
    expect((await api(env, admin, 'DELETE', `/api/v1/tokens/${tokenId}/grace`)).status).to.equal(200);
    await identify(root, previous);
    expect(text(root.querySelector('.identify [role="alert"]'))).to.include('No token of this server has that value');
    expect(root.querySelector('.identified')).to.equal(null);

    field.value = '';
    root.querySelector<HTMLButtonElement>('.identify button[type="submit"]')!.click();
    await waitUntil(() => text(root.querySelector('.identify [role="alert"]')) === 'Paste a token value first.', 'empty field message');
    await expect(root).to.be.accessible();

    // The values went nowhere but to the server: not the URL, storage, the log or the page.
    for (const secret of [current, previous]) {
      expect(location.href).to.not.include(secret);
      expect(JSON.stringify({ ...localStorage })).to.not.include(secret);
      expect(JSON.stringify({ ...sessionStorage })).to.not.include(secret);
      expect(logged.join('\n')).to.not.include(secret);
      expect(root.innerHTML).to.not.include(secret);
    }
    // The server audited the lookups (found twice, then not found).
    const audit = await json<{ items: { detail: { found: boolean } }[] }>(api(env, admin, 'GET', `/api/v1/audit?action=token.identified&token_id=${tokenId}`), 200);
    expect(audit.items.length).to.equal(2);
  });

  it('the value field is a password field; "Show" reveals it while pressed', async () => {
    const field = root.querySelector<HTMLInputElement>('#identify-value')!;
    const show = root.querySelector<HTMLButtonElement>('.identify .show-value')!;
    expect(field.type).to.equal('password');
    expect(show.getAttribute('aria-pressed')).to.equal('false');
    show.click();
    expect(field.type).to.equal('text');
    expect(show.getAttribute('aria-pressed')).to.equal('true');
    show.click();
    expect(field.type).to.equal('password');
    await expect(root).to.be.accessible();
  });

  it('a member has no such page: the nav lacks it and the route falls back to My tokens', async () => {
    root.querySelector<HTMLButtonElement>('button.signout')!.click();
    await submitSignIn(root, `ivy-${suffix}`, ivyPassword, 'signed out');
    await waitUntil(() => root.querySelector('nav a[data-route="my-tokens"][aria-current="page"]'), 'ivy signed in', { timeout: 5000 });
    expect(root.querySelector('nav a[data-route="identify"]')).to.equal(null);
    root.querySelector('main')!.replaceChildren();
    location.hash = '#/identify';
    await waitUntil(() => root.querySelector('main pat-token-manager'), 'My tokens instead');
    expect(root.querySelector('#identify-value')).to.equal(null);
    root.querySelector<HTMLButtonElement>('button.signout')!.click();
    await waitUntil(() => root.querySelector('form.signin'), 'signed out again');
  });

  it('a caller without users:read who reaches the page gets "not allowed"', async () => {
    await json(api(env, admin, 'POST', '/api/v1/users', { username: `noah-${suffix}`, display_name: 'Noah', password: 'noah-console-pw-8Kp', roles: ['system_user'] }), 201);
    const provider = createReferenceServerProvider({ baseUrl: env.serverUrl, sessionMode: 'bearer' });
    await provider.signIn({ kind: 'password', username: `noah-${suffix}`, password: 'noah-console-pw-8Kp' });
    const main = document.createElement('main');
    root.replaceChildren(main);
    document.body.append(root);
    renderIdentifyPage(provider, main);
    await identify(root, current);
    expect(text(root.querySelector('.identify [role="alert"]'))).to.equal('Your account may not identify tokens: that needs the users:read permission.');
    expect(root.querySelector('.identified')).to.equal(null);
    await provider.signOut();
  });
});
