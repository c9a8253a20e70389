/**
 * The extension end to end: the built extension in real Chromium and in real Firefox ESR
 * (puppeteer-core; CDP for Chromium, WebDriver BiDi for Firefox), a real patkit server on
 * loopback (an address with a port), and the same whole journey in each browser through the real
 * options page and popup. At the end every IndexedDB database and `storage.local` of the
 * extension are read back and searched for secrets. One browser per suite, launched once.
 * Run: `npm run test:e2e` (builds the extension first, a few seconds).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { buildExtension, launchIn, type BrowserName, type LaunchedExtension } from './harness.ts';
import { adminCredentialOf, click, extensionState, fill, sendFromPage, serverApi, type ApiInit } from './pages.ts';
import { checkOptionsTextAndPermissionPrompt } from './options-checks.ts';
import { checkScopedTokenActions } from './popup-checks.ts';
import { checkRolePanel } from './role-panel.ts';

const TOKEN_RE = /pat_[0-9A-Za-z]{36}/;

// Functions given to `evaluate` run inside the extension's pages, where `browser` (Firefox) or
// `chrome` (Chromium) exists; each picks the one the browser has.
declare const chrome: any;

const SERVER_NAME = 'Local <img src=x onerror="document.title=1">patkit';

// What the journey loads: the e2e build in Chromium, the production build in Firefox.
before(() => {
  buildExtension('firefox');
  buildExtension('e2e');
});

for (const browserName of (process.env.E2E_BROWSERS?.split(',') ?? ['chromium', 'firefox']) as BrowserName[]) describe(`the extension in ${browserName}`, () => journey(browserName));

function journey(browserName: BrowserName): void {
  let server: TestServer;
  let ext: LaunchedExtension;
  let consoleSite: Server;
  let consoleUrl: string;
  let serverStopped = false;
  /** Every secret seen during the journey, to search for at the end. */
  const secrets = new Set<string>();
  const api = (path: string, init: ApiInit = {}) => serverApi(server, path, init);
  const adminCredential = (): Promise<string> => adminCredentialOf(server, secrets);
  async function openPopup(): Promise<Page> {
    const page = await ext.open('popup.html');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    return page;
  }

  before(async () => {
    server = await startTestServer({ enablePats: true });
    consoleSite = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Admin console</title><h1>Admin console</h1><p>A console page served by the test.</p>');
    });
    await new Promise<void>((done) => consoleSite.listen(0, '127.0.0.1', done));
    consoleUrl = `http://127.0.0.1:${(consoleSite.address() as AddressInfo).port}`;
    ext = await launchIn(browserName);
    if (ext.name === 'chromium') {
      // Copy must really reach the clipboard: grant clipboard access to the extension origin (CDP).
      const cdp = await ext.browser.target().createCDPSession();
      await cdp.send('Browser.grantPermissions', { origin: ext.origin, permissions: ['clipboardReadWrite', 'clipboardSanitizedWrite'] });
    }
  });

  after(async () => {
    await ext?.close();
    if (!serverStopped) await server?.stop();
    await new Promise((done) => consoleSite?.close(done));
  });

  test('the full journey: options, sign-in, list, create, copy, reopen, confirm, revoke, badge, panel', async (t) => {
    let options = await ext.open('options.html');
    /** A fresh options page (Firefox never settles a reload of a moz-extension:// page). */
    const reopenOptions = async (): Promise<void> => {
      await options.close();
      options = await ext.open('options.html');
    };
    await options.waitForSelector('body[data-ready="true"]');

    await t.test('options: no empty server list for panels, hidden sign-in fields stay hidden, messages in words', async () => {
      assert.equal(await options.$eval('#panel-form', (f) => getComputedStyle(f).display), 'none', 'no panel form without a server');
      assert.equal(await options.$eval('#panel-needs-server', (p) => (p as HTMLElement).hidden), false);
      // The name is checked before any permission prompt, in the page's words.
      await fill(options, '#server-form input[name=baseUrl]', server.url);
      await click(options, '#save-server');
      await options.waitForFunction(() => /Enter a name/.test(document.querySelector('#server-error')?.textContent ?? ''));
      await fill(options, '#server-form input[name=name]', 'x');
      await fill(options, '#server-form input[name=baseUrl]', 'tokens.example.com');
      await click(options, '#save-server');
      await options.waitForFunction(() => /^The address must be a full URL/.test(document.querySelector('#server-error')?.textContent ?? ''));
      assert.doesNotMatch(await options.$eval('#server-error', (e) => e.textContent ?? ''), /baseUrl/);
      assert.equal(await options.$$eval('#server-list li.card', (els) => els.length), 0);
    });

    await t.test('options: body text is at least 14 px; an open permission prompt is named, and a second click says so again', () =>
      checkOptionsTextAndPermissionPrompt(options, server.url));

    await t.test('add the server in the options page', async () => {
      // A name with markup in it: rendered as text, never as HTML (docs/security.md rule 21).
      await fill(options, '#server-form input[name=name]', SERVER_NAME);
      await options.select('#server-form select[name=kind]', 'patkit');
      await fill(options, '#server-form input[name=baseUrl]', server.url);
      await click(options, '#save-server');
      await options.waitForSelector('#server-list li.card .state[data-state="signed_out"]');
      const name = await options.$eval('#server-list li.card .name', (el) => el.textContent);
      assert.equal(name, SERVER_NAME);
      assert.equal(await options.$('#server-list img'), null, 'no element was made from the name');
      // Password mode: the token field is really hidden; token mode: username and password are.
      const shown = (sel: string): Promise<boolean> => options.$eval(sel, (el) => getComputedStyle(el).display !== 'none');
      assert.equal(await shown('#server-list li.card label.by-token'), false);
      assert.equal(await shown('#server-list li.card label.by-password'), true);
      await click(options, '#server-list li.card input[value="token"]');
      assert.equal(await shown('#server-list li.card label.by-token'), true);
      assert.equal(await shown('#server-list li.card label.by-password'), false);
      await click(options, '#server-list li.card input[value="password"]');
    });

    if (browserName === 'firefox') {
      await t.test('Firefox: an https server with a port can be added (the permission covers its port)', async () => {
        await fill(options, '#server-form input[name=name]', 'Port https');
        await fill(options, '#server-form input[name=baseUrl]', 'https://tokens.example.test:8443');
        await click(options, '#save-server');
        await options.waitForFunction(() => [...document.querySelectorAll('#server-list li.card .url')].some((u) => u.textContent === 'https://tokens.example.test:8443'), { timeout: 10_000 });
        assert.equal(await options.$eval('#server-error', (e) => e.textContent), '');
        const views = (await sendFromPage(options, 'servers.list', {})).value as Array<{ id: string; name: string }>;
        const added = views.find((v) => v.name === 'Port https')!;
        assert.equal((await sendFromPage(options, 'servers.remove', { serverId: added.id })).ok, true);
        await reopenOptions();
        await options.waitForSelector('body[data-ready="true"]');
      });
    }

    await t.test('an http address that is not loopback is refused on the page', async () => {
      await fill(options, '#server-form input[name=name]', 'Plain http');
      await fill(options, '#server-form input[name=baseUrl]', 'http://tokens.example.com');
      await click(options, '#save-server');
      await options.waitForFunction(() => /https/.test(document.querySelector('#server-error')?.textContent ?? ''));
      assert.equal(await options.$$eval('#server-list li.card', (els) => els.length), 1);
      await fill(options, '#server-form input[name=name]', '');
      await fill(options, '#server-form input[name=baseUrl]', '');
    });

    await t.test('sign in with username and password; the signed-in user is shown', async () => {
      await fill(options, '#server-list li.card form.signin input[name=username]', 'admin');
      await fill(options, '#server-list li.card form.signin input[name=password]', server.adminPassword);
      await click(options, '#server-list li.card form.signin button[type=submit]');
      await options.waitForSelector('#server-list li.card .state[data-state="signed_in"]', { timeout: 15_000 });
      const who = await options.$eval('#server-list li.card .who', (el) => el.textContent ?? '');
      assert.match(who, /admin/);
      // The credential is in storage.session: remember it to search for it later.
      const { session } = await extensionState(options);
      for (const value of Object.values(session as Record<string, { credential?: string }>)) if (value?.credential) secrets.add(value.credential);
      assert.ok(secrets.size > 0, 'a credential is held in storage.session');
    });

    let tokenName = 'e2e deploy token';
    let secret = '';
    await t.test('the popup creates a token through the wizard; the secret is revealed once and copied', async () => {
      const popup = await openPopup();
      await popup.waitForSelector('#new-token:not([disabled])', { timeout: 15_000 });
      assert.equal(await popup.$eval('#server option', (o) => o.textContent), SERVER_NAME, 'the server switcher shows the name as text');
      // The status line names the server and the account.
      await popup.waitForFunction((name) => (document.querySelector('#status')?.textContent ?? '').startsWith(`${name} · `), {}, SERVER_NAME);
      assert.equal(await popup.$eval('#create-blocked', (el) => (el as HTMLElement).hidden), true, 'an admin may create tokens');
      await click(popup, '#new-token');
      await fill(popup, 'pat-create-wizard >>> input[name=name]', tokenName);
      for (let step = 0; step < 8; step += 1) {
        if (await popup.$('pat-create-wizard >>> [part="admin-confirm"]')) {
          await click(popup, 'pat-create-wizard >>> [part="admin-confirm"]');
          break;
        }
        const password = await popup.$('pat-create-wizard >>> input[type=password]');
        if (password && !(await password.evaluate((el) => (el as HTMLInputElement).value))) await password.type(server.adminPassword);
        const submit = await popup.$('pat-create-wizard >>> [part="submit"]');
        if (submit) {
          await submit.click();
          await popup.waitForFunction(
            () => document.querySelector('pat-reveal-dialog') || document.querySelector('pat-create-wizard')?.shadowRoot?.querySelector('[part="admin-confirm"]'),
            { timeout: 10_000 },
          );
          continue;
        }
        const scope = await popup.$('pat-create-wizard >>> [part="scope-list"] input[type=checkbox]');
        if (scope && !(await scope.evaluate((el) => (el as HTMLInputElement).checked))) await scope.click();
        await click(popup, 'pat-create-wizard >>> [part="next"]');
      }
      const secretEl = await popup.waitForSelector('pat-reveal-dialog >>> [part="secret"]', { timeout: 10_000 });
      secret = (await secretEl!.evaluate((el) => el.textContent ?? '')).trim();
      assert.match(secret, /^pat_[0-9A-Za-z]{36}$/);
      secrets.add(secret);

      // Copy puts the secret on the clipboard (read back through the granted clipboard permission).
      await popup.bringToFront();
      await click(popup, 'pat-reveal-dialog >>> [part="copy"]');
      const clip = await popup.evaluate(() => navigator.clipboard.readText());
      assert.equal(clip, secret, 'the clipboard holds the secret');
      // The popup closes (a click outside) before the user confirms.
      await popup.close();
    });

    await t.test('reopening the popup offers the same secret again; confirming wipes it', async () => {
      const popup = await openPopup();
      const secretEl = await popup.waitForSelector('pat-reveal-dialog >>> [part="secret"]', { timeout: 10_000 });
      assert.equal((await secretEl!.evaluate((el) => el.textContent ?? '')).trim(), secret);
      await click(popup, 'pat-reveal-dialog >>> [part="close"]');
      await click(popup, 'pat-reveal-dialog >>> [part="acknowledge"]');
      await popup.waitForFunction(() => !document.querySelector('pat-reveal-dialog'));
      // Focus lands on something to act with, never on the body (typing would go nowhere).
      await popup.waitForFunction(() => document.activeElement?.id === 'new-token', { timeout: 5_000 });
      await popup.waitForFunction(async () => (await ((globalThis as any).browser ?? chrome).runtime.sendMessage({ patkit: 1, type: 'pending.get', payload: {} })).value === null);
      const session = JSON.stringify((await extensionState(popup)).session);
      assert.ok(!session.includes(secret), 'storage.session no longer holds the secret');
      await popup.close();
      const again = await openPopup();
      await again.waitForSelector(`pat-token-list >>> [part="row"]`, { timeout: 10_000 });
      assert.equal(await again.$('pat-reveal-dialog'), null, 'not offered again after confirming');
      await again.close();
    });

    await t.test('disable, enable and regenerate from the popup (password where the server asks for it)', async () => {
      const popup = await openPopup();
      await popup.waitForSelector('#new-token:not([disabled])', { timeout: 15_000 });
      const credential = await adminCredential();
      const serverToken = async (): Promise<{ id: string; status: string }> =>
        (await api('/tokens?owner=me', { credential })).body.items.find((x: { name: string }) => x.name === tokenName);
      const menu = async (item: string): Promise<void> => {
        await click(popup, `pat-token-list >>> ::-p-aria(Actions for ${tokenName})`);
        await click(popup, `pat-token-list >>> [part="menu"] ::-p-aria([name="${item}"][role="menuitem"])`);
      };
      await menu('Disable');
      await click(popup, 'pat-token-list >>> pat-confirm-dialog >>> [part="confirm"]');
      for (let i = 0; i < 150 && (await serverToken()).status !== 'disabled'; i += 1) await new Promise((r) => setTimeout(r, 100));
      assert.equal((await serverToken()).status, 'disabled');

      await menu('Enable');
      const enablePassword = await popup.waitForSelector('pat-token-list >>> pat-confirm-dialog >>> input[type=password]', { timeout: 5_000 });
      await enablePassword!.type(server.adminPassword);
      await click(popup, 'pat-token-list >>> pat-confirm-dialog >>> [part="confirm"]');
      for (let i = 0; i < 150 && (await serverToken()).status !== 'active'; i += 1) await new Promise((r) => setTimeout(r, 100));
      assert.equal((await serverToken()).status, 'active');

      // One dialog, the kit's: "Regenerate?" with the grace choice (the server keeps old values up
      // to 7 days; "None" is the default) and the password field, since the server's policy wants it.
      await menu('Regenerate');
      const grace = await popup.waitForSelector('pat-token-list >>> pat-confirm-dialog >>> select[name="choice"]', { visible: true, timeout: 5_000 });
      assert.equal(await grace!.evaluate((el) => (el as HTMLSelectElement).value), '0');
      const password = await popup.waitForSelector('pat-token-list >>> pat-confirm-dialog >>> input[type=password]', { visible: true, timeout: 5_000 });
      await password!.type(server.adminPassword);
      await click(popup, 'pat-token-list >>> pat-confirm-dialog >>> [part="confirm"]');
      assert.equal(await popup.$('body > pat-confirm-dialog, body > dialog'), null, 'no second prompt');
      const secretEl = await popup.waitForSelector('pat-reveal-dialog >>> [part="secret"]', { timeout: 10_000 });
      const regenerated = (await secretEl!.evaluate((el) => el.textContent ?? '')).trim();
      assert.match(regenerated, /^pat_[0-9A-Za-z]{36}$/);
      assert.notEqual(regenerated, secret);
      assert.equal(await popup.$('pat-reveal-dialog >>> [part="grace"]'), null, 'no grace picked: the reveal promises none');
      secrets.add(regenerated);
      // The old secret no longer works; the new one does.
      assert.equal((await api('/users/me', { credential: secret })).status, 401);
      assert.equal((await api('/users/me', { credential: regenerated })).status, 200);
      await click(popup, 'pat-reveal-dialog >>> [part="close"]');
      await click(popup, 'pat-reveal-dialog >>> [part="acknowledge"]');
      await popup.waitForFunction(() => !document.querySelector('pat-reveal-dialog'));
      await popup.close();
    });

    await t.test('clone from the popup: password, the System Admin acknowledgement, the copy revealed once', async () => {
      const popup = await openPopup();
      await popup.waitForSelector('#new-token:not([disabled])', { timeout: 15_000 });
      await click(popup, `pat-token-list >>> ::-p-aria(Actions for ${tokenName})`);
      await click(popup, 'pat-token-list >>> [part="menu"] ::-p-aria([name="Copy as new token"][role="menuitem"])');
      // The server's policy wants the password; the copy carries System Admin rights like the original.
      const password = await popup.waitForSelector('body > pat-confirm-dialog >>> input[type=password]', { timeout: 5_000 });
      await password!.type(server.adminPassword);
      await click(popup, 'body > pat-confirm-dialog >>> [part="confirm"]');
      await popup.waitForFunction(() => /System Admin/.test(document.querySelector('body > pat-confirm-dialog')?.shadowRoot?.textContent ?? ''), { timeout: 10_000 });
      await click(popup, 'body > pat-confirm-dialog >>> [part="confirm"]');
      const secretEl = await popup.waitForSelector('pat-reveal-dialog >>> [part="secret"]', { timeout: 10_000 });
      const copySecret = (await secretEl!.evaluate((el) => el.textContent ?? '')).trim();
      assert.match(copySecret, /^pat_[0-9A-Za-z]{36}$/);
      secrets.add(copySecret);
      assert.equal((await api('/users/me', { credential: copySecret })).status, 200, 'the copy works');
      await click(popup, 'pat-reveal-dialog >>> [part="close"]');
      await click(popup, 'pat-reveal-dialog >>> [part="acknowledge"]');
      await popup.waitForFunction(() => !document.querySelector('pat-reveal-dialog'));
      await popup.waitForFunction(() => document.activeElement !== null && document.activeElement !== document.body, { timeout: 5_000 });
      const credential = await adminCredential();
      const copy = (await api('/tokens?owner=me', { credential })).body.items.find((x: { name: string }) => x.name === `${tokenName} (copy)`);
      assert.ok(copy, 'the copy is on the server under the default name');
      // The rest of the journey counts tokens: the copy goes again (through the API).
      const gone = await api(`/tokens/${copy.id}`, { method: 'DELETE', credential, body: { password: server.adminPassword } });
      assert.ok(gone.status === 204 || gone.status === 200, JSON.stringify(gone.body));
      await popup.close();
    });

    await t.test('revoke the token from the popup; the server no longer knows it', async () => {
      const popup = await openPopup();
      await popup.waitForSelector('#new-token:not([disabled])', { timeout: 15_000 });
      await click(popup, `pat-token-list >>> ::-p-aria(Actions for ${tokenName})`);
      await click(popup, 'pat-token-list >>> [part="menu"] ::-p-aria([name="Delete"][role="menuitem"])');
      // The server's policy asks for the password on deletes: the list's confirmation asks for it.
      const password = await popup.waitForSelector('pat-token-list >>> pat-confirm-dialog >>> input[type=password]', { timeout: 5_000 });
      await password!.type(server.adminPassword);
      await click(popup, 'pat-token-list >>> pat-confirm-dialog >>> [part="confirm"]');
      await popup.waitForFunction(
        (name) => ![...(document.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part="row"]') ?? [])].some((r) => r.textContent?.includes(name)),
        { timeout: 10_000 },
        tokenName,
      );
      const credential = await adminCredential();
      const { body } = await api('/tokens?owner=me', { credential });
      assert.ok(!body.items.some((x: { name: string }) => x.name === tokenName), 'deleted on the server');
      await popup.close();
    });

    await t.test('the popup lists the organisation and group tokens the user manages, grouped; revoke works', async () => {
      const credential = await adminCredential();
      const org = (await api('/orgs', { method: 'POST', credential, body: { name: 'E2E Org' } })).body;
      const group = (await api(`/orgs/${org.id}/groups`, { method: 'POST', credential, body: { name: 'E2E Group' } })).body;
      const password = server.adminPassword;
      const orgToken = await api(`/orgs/${org.id}/tokens`, { method: 'POST', credential, body: { name: 'org ci', admin_role: false, password } });
      const groupToken = await api(`/orgs/${org.id}/groups/${group.id}/tokens`, { method: 'POST', credential, body: { name: 'group deploy', admin_role: true, password } });
      assert.equal(orgToken.status, 201, JSON.stringify(orgToken.body));
      assert.equal(groupToken.status, 201, JSON.stringify(groupToken.body));
      secrets.add(orgToken.body.secret);
      secrets.add(groupToken.body.secret);
      const popup = await openPopup();
      await popup.waitForSelector('#org-view:not([hidden]) h3', { timeout: 15_000 });
      const sections = await popup.$$eval('#org-view .scoped-group', (nodes) =>
        nodes.map((n) => ({ heading: n.querySelector('h3')?.textContent ?? '', tokens: [...n.querySelectorAll('li .name')].map((x) => x.textContent) })),
      );
      assert.deepEqual(sections, [
        { heading: 'E2E Org (organization)', tokens: ['org ci'] },
        { heading: 'E2E Org / E2E Group (group)', tokens: ['group deploy'] },
      ]);
      await click(popup, '#org-view ::-p-aria(Revoke: group deploy)');
      await popup.waitForFunction(
        (id) => document.querySelector(`#org-view li[data-token-id="${id}"] .state`)?.textContent === 'Revoked',
        { timeout: 10_000 },
        groupToken.body.token.id,
      );
      const after = await api(`/tokens/${groupToken.body.token.id}`, { credential });
      assert.equal(after.body.status, 'disabled');
      await checkScopedTokenActions(popup, groupToken.body.token, server.adminPassword);
      await popup.close();
    });

    await t.test('a user without the token role is told before any wizard; two servers name server and user', async () => {
      const credential = await adminCredential();
      const bob = await api('/users', { method: 'POST', credential, body: { username: 'bob', display_name: 'Bob', password: 'bob-password-0123456789' } });
      assert.equal(bob.status, 201, JSON.stringify(bob.body));
      await reopenOptions();
      await options.waitForSelector('body[data-ready="true"]');
      await fill(options, '#server-form input[name=name]', 'Second patkit');
      await fill(options, '#server-form input[name=baseUrl]', server.url);
      await click(options, '#save-server');
      await options.waitForSelector('#server-list li.card:nth-child(2) .state[data-state="signed_out"]', { timeout: 10_000 });
      await fill(options, '#server-list li.card:nth-child(2) form.signin input[name=username]', 'bob');
      await fill(options, '#server-list li.card:nth-child(2) form.signin input[name=password]', 'bob-password-0123456789');
      await click(options, '#server-list li.card:nth-child(2) form.signin button[type=submit]');
      await options.waitForSelector('#server-list li.card:nth-child(2) .state[data-state="signed_in"]', { timeout: 15_000 });
      const views = (await sendFromPage(options, 'servers.list', {})).value as Array<{ id: string; name: string }>;
      const second = views.find((v) => v.name === 'Second patkit')!;
      const popup = await openPopup();
      await popup.select('#server', second.id);
      await popup.waitForSelector('#create-blocked:not([hidden])', { timeout: 15_000 });
      assert.match(await popup.$eval('#create-blocked', (e) => e.textContent ?? ''), /may not create personal access tokens.*An admin can grant it the role/);
      assert.equal(await popup.$eval('#new-token', (b) => getComputedStyle(b).display), 'none', 'no "New token" that cannot work');
      await popup.waitForFunction(() => (document.querySelector('#status')?.textContent ?? '').startsWith('Second patkit · Bob'));
      await popup.close();
      assert.equal((await sendFromPage(options, 'servers.remove', { serverId: second.id })).ok, true);
      await reopenOptions();
      await options.waitForSelector('body[data-ready="true"]');
    });

    await t.test('the badge counts a token that expires within 7 days', async () => {
      const credential = await adminCredential();
      const soon = new Date(Date.now() + 3 * 86_400_000).toISOString();
      const created = await api('/tokens', { method: 'POST', credential, body: { name: 'expires soon', expires_at: soon, scopes: ['tokens:read'], password: server.adminPassword, acknowledge_admin_token: true } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      secrets.add(created.body.secret);
      const later = await api('/tokens', { method: 'POST', credential, body: { name: 'expires later', expires_at: new Date(Date.now() + 60 * 86_400_000).toISOString(), scopes: ['tokens:read'], password: server.adminPassword, acknowledge_admin_token: true } });
      assert.equal(later.status, 201, JSON.stringify(later.body));
      secrets.add(later.body.secret);
      const popup = await ext.open('options.html');
      const answer = await sendFromPage(popup, 'alerts.refresh', {});
      assert.equal(answer.ok, true, JSON.stringify(answer));
      assert.equal(answer.value.expiring, 1);
      assert.equal((await extensionState(popup)).badge, '1');
      await popup.close();
    });

    await t.test('the role panel is injected into a console page served by the test', async () => {
      await reopenOptions();
      await checkRolePanel(ext, options, consoleUrl);
    });

    await t.test('no secret in any IndexedDB database or storage.local of the extension', async () => {
      const page = await ext.open('options.html');
      const dump = await page.evaluate(async () => {
        const out: Record<string, unknown> = { local: await ((globalThis as any).browser ?? chrome).storage.local.get(null), localStorage: { ...localStorage } };
        for (const info of await indexedDB.databases()) {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open(info.name!);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          for (const store of db.objectStoreNames) {
            out[`${info.name}/${store}`] = await new Promise((resolve, reject) => {
              const request = db.transaction(store).objectStore(store).getAll();
              request.onsuccess = () => resolve(request.result);
              request.onerror = () => reject(request.error);
            });
          }
          db.close();
        }
        return out;
      });
      const text = JSON.stringify(dump);
      assert.ok(Object.keys(dump).some((k) => k.includes('/')), 'the metadata cache was read');
      assert.ok(text.includes('expires soon'), 'the cache holds token metadata');
      assert.ok(secrets.size >= 3);
      for (const s of secrets) assert.ok(!text.includes(s), 'a secret or credential was found in persistent storage');
      assert.doesNotMatch(text, TOKEN_RE);
      assert.ok(!text.includes(server.adminPassword));
      await page.close();
    });

    await t.test('sign out clears the cache and the credential; sign in again with a pasted token, kept signed in', async () => {
      await reopenOptions();
      await options.waitForSelector('#server-list li.card .state[data-state="signed_in"]');
      await click(options, '#server-list li.card .sign-out');
      await options.waitForSelector('#server-list li.card .state[data-state="signed_out"]');
      const state = await extensionState(options);
      const session = JSON.stringify(state.session);
      for (const s of secrets) assert.ok(!session.includes(s), 'no credential left in storage.session');
      assert.equal(state.badge, '', 'the badge forgets the signed-out server');
      const cached = await options.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open('patkit');
            open.onsuccess = () => {
              const request = open.result.transaction('tokens').objectStore('tokens').count();
              request.onsuccess = () => resolve(request.result);
            };
          }),
      );
      assert.equal(cached, 0, 'the cached metadata is gone (docs/security.md rule 23)');

      // Signed out, the popup offers nothing that cannot work: one way out, "Sign in".
      const signedOut = await openPopup();
      await signedOut.waitForSelector('#signed-out-view:not([hidden])');
      assert.match(await signedOut.$eval('#signed-out-text', (e) => e.textContent ?? ''), /signed out of Local <img/);
      assert.equal(await signedOut.$eval('#new-token', (b) => getComputedStyle(b).display), 'none', 'no New token');
      assert.equal(await signedOut.$eval('#list-view', (b) => getComputedStyle(b).display), 'none', 'no list to act on');
      await signedOut.close();

      const credential = await adminCredential();
      const pat = await api('/tokens', { method: 'POST', credential, body: { name: 'extension sign-in', scopes: ['tokens:read', 'tokens:write', 'users:read'], password: server.adminPassword, acknowledge_admin_token: true } });
      assert.equal(pat.status, 201, JSON.stringify(pat.body));
      secrets.add(pat.body.secret);
      await click(options, '#server-list li.card input[value="token"]');
      await fill(options, '#server-list li.card form.signin input[name=token]', pat.body.secret);
      await click(options, '#server-list li.card form.signin input[name=keep]');
      await click(options, '#server-list li.card form.signin button[type=submit]');
      await options.waitForSelector('#server-list li.card .state[data-state="signed_in"]', { timeout: 15_000 });
      assert.equal(await options.$eval('#server-list li.card .keep-note', (el) => (el as HTMLElement).hidden), false, 'the page says the credential is kept');
      const kept = await extensionState(options);
      // Opted in: kept in storage.local, sealed (docs/security.md rule 34), never readable there.
      assert.ok(Object.entries(kept.local).some(([k, v]) => k.startsWith('patkit:cred:') && (v as { sealed?: number }).sealed === 1), 'opted in: the credential is kept in storage.local, sealed');
      assert.ok(!JSON.stringify(kept.local).includes(pat.body.secret), 'storage.local never holds it readable');
      assert.ok(!JSON.stringify(kept.session).includes(pat.body.secret));
      const refreshed = await sendFromPage(options, 'alerts.refresh', {});
      assert.equal(refreshed.ok, true, JSON.stringify(refreshed));
      assert.equal(refreshed.value.expiring, 1);
    });

    await t.test('offline: the popup paints the cached list at once and says when it was cached', async () => {
      await server.stop();
      serverStopped = true;
      const popup = await openPopup();
      const names = await popup.$$eval('pat-token-list >>> [part="row"]', (rows) => rows.map((r) => r.textContent ?? ''));
      assert.ok(names.some((n) => n.includes('expires soon')), 'rows painted from the cache');
      await popup.waitForFunction(() => /offline, cached at .*; retrying/.test(document.querySelector('#status')?.textContent ?? ''), { timeout: 20_000 });
      // The connection returns (a server on the same address, with a fresh database): the open popup
      // asks again by itself and shows what the server says now (it knows no such session: signed out).
      const port = new URL(server.url).port;
      server = await startTestServer({ enablePats: true, env: { PORT: port } });
      serverStopped = false;
      await popup.waitForFunction(() => !document.querySelector('#status')?.hasAttribute('data-offline'), { timeout: 20_000 });
      await popup.waitForSelector('#signed-out-view:not([hidden])', { timeout: 10_000 });
      await popup.close();
    });
    await options.close();
  });
}
