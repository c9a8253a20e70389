/**
 * Token approval through the extension, end to end: the built extension in real Chromium and in
 * real Firefox ESR, a real patkit server on loopback with `token_approval: non_admins`. A member
 * asks for two tokens (pending: their secrets work nowhere); the admin, signed in through the
 * options page, sees both on the toolbar badge (with a title saying so), opens Requests in the
 * popup, approves one (it works at once) and denies the other with a reason (it never works); the
 * badge counts down to nothing. Then the member, signed in too, sees no Requests button (they
 * approve nothing), creates a token from the popup's wizard (a template offered, a Resources step,
 * Advanced with the IP allow-list, the justification asked for: it is created pending), and gets a
 * notification when the admin decides a request of theirs.
 * Run: `npx node --test --test-concurrency=1 --test-force-exit test/e2e/approval.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { buildExtension, launchIn, type BrowserName, type LaunchedExtension } from './harness.ts';
import { adminCredentialOf, click, extensionState, fill, sendFromPage, serverApi, type ApiInit } from './pages.ts';

// Functions given to `evaluate` run inside the extension's pages, where `browser` (Firefox) or
// `chrome` (Chromium) exists; each picks the one the browser has.
declare const chrome: any;

const DAVE = { username: 'dave', password: 'dave-password-0123456789' };

before(() => {
  buildExtension('firefox');
  buildExtension('e2e');
});

for (const browserName of (process.env.E2E_BROWSERS?.split(',') ?? ['chromium', 'firefox']) as BrowserName[])
  describe(`token approval in ${browserName}`, () => approvals(browserName));

function approvals(browserName: BrowserName): void {
  let server: TestServer;
  let ext: LaunchedExtension;
  const secrets = new Set<string>();
  const api = (path: string, init: ApiInit = {}) => serverApi(server, path, init);

  async function openPopup(): Promise<Page> {
    const page = await ext.open('popup.html');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    return page;
  }

  /** A token request of dave's: pending, its secret refused. */
  async function requestToken(dave: string, name: string): Promise<{ id: string; secret: string }> {
    const created = await api('/tokens', {
      method: 'POST',
      credential: dave,
      body: {
        name,
        scopes: ['tokens:read'],
        expires_at: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        justification: `${name}: nightly deploys`,
        password: DAVE.password,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.token.status, 'pending');
    secrets.add(created.body.secret);
    const refused = await api('/users/me', { credential: created.body.secret });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'token_pending_approval');
    return { id: created.body.token.id, secret: created.body.secret };
  }

  /** Adds the server on the options page and signs in; answers its id. */
  async function addAndSignIn(options: Page, name: string, username: string, password: string, nth: number): Promise<string> {
    await fill(options, '#server-form input[name=name]', name);
    await options.select('#server-form select[name=kind]', 'patkit');
    await fill(options, '#server-form input[name=baseUrl]', server.url);
    await click(options, '#save-server');
    const card = `#server-list li.card:nth-child(${nth})`;
    await options.waitForSelector(`${card} .state[data-state="signed_out"]`, {
      timeout: 10_000,
    });
    await fill(options, `${card} form.signin input[name=username]`, username);
    await fill(options, `${card} form.signin input[name=password]`, password);
    await click(options, `${card} form.signin button[type=submit]`);
    await options.waitForSelector(`${card} .state[data-state="signed_in"]`, {
      timeout: 15_000,
    });
    const views = (await sendFromPage(options, 'servers.list', {})).value as Array<{ id: string; name: string }>;
    return views.find((v) => v.name === name)!.id;
  }

  before(async () => {
    server = await startTestServer({ enablePats: true });
    ext = await launchIn(browserName);
  });

  after(async () => {
    await ext?.close();
    await server?.stop();
  });

  test('approve and deny from the popup; the badge counts requests; the requester is notified', async (t) => {
    const admin = await adminCredentialOf(server, secrets);
    const policy = await api('/settings', {
      method: 'PATCH',
      credential: admin,
      body: { token_approval: 'non_admins' },
    });
    assert.equal(policy.status, 200, JSON.stringify(policy.body));
    const user = await api('/users', {
      method: 'POST',
      credential: admin,
      body: {
        ...DAVE,
        display_name: 'Dave',
        roles: ['system_user', 'user_access_token'],
      },
    });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    const session = await api('/sessions', { method: 'POST', body: DAVE });
    assert.equal(session.status, 201, JSON.stringify(session.body));
    const dave: string = session.body.credential;
    secrets.add(dave);
    const ci = await requestToken(dave, 'dave ci');
    const wide = await requestToken(dave, 'dave wide');

    const options = await ext.open('options.html');
    await options.waitForSelector('body[data-ready="true"]');
    let serverId = '';

    await t.test('the approver signs in: the badge counts the two requests, its title says so', async () => {
      serverId = await addAndSignIn(options, 'Approvals', 'admin', server.adminPassword, 1);
      await options.waitForFunction(async () => (await ((globalThis as any).browser ?? chrome).action.getBadgeText({})) === '2', { timeout: 10_000 });
      assert.equal((await extensionState(options)).title, 'patkit — 2 token request(s) await your approval');
    });

    let popup: Page;
    const card = (id: string): string => `pat-token-requests >>> [part="request"][data-id="${id}"]`;
    await t.test('the popup approves one request: it works at once, and the number counts down', async () => {
      popup = await openPopup();
      await popup.waitForSelector('#open-requests:not([hidden])', {
        timeout: 15_000,
      });
      assert.equal(await popup.$eval('#requests-count', (e) => e.textContent), '2');
      assert.equal(await popup.$eval('#open-requests', (e) => e.getAttribute('aria-label')), 'Requests, 2 pending');
      await click(popup, '#open-requests');
      await popup.waitForSelector(card(ci.id), { timeout: 15_000 });
      assert.equal(await popup.$eval('#list-view', (e) => (e as HTMLElement).hidden), true, "the view takes the list's place");
      const justification = await popup.$eval(`${card(ci.id)} [part="justification"]`, (e) => e.textContent?.trim());
      assert.equal(justification, 'dave ci: nightly deploys');
      await click(popup, `${card(ci.id)} [part="approve"]`);
      await popup.waitForFunction(
        (id) => !document.querySelector('pat-token-requests')?.shadowRoot?.querySelector(`[part="request"][data-id="${id}"]`),
        { timeout: 10_000 },
        ci.id,
      );
      const decided = await api(`/tokens/${ci.id}`, { credential: admin });
      assert.equal(decided.body.status, 'active');
      assert.equal(decided.body.approval.state, 'approved');
      assert.equal((await api('/users/me', { credential: ci.secret })).status, 200, 'the approved token works');
      await popup.waitForFunction(() => document.querySelector('#requests-count')?.textContent === '1', { timeout: 10_000 });
      assert.equal((await extensionState(popup)).badge, '1');
    });

    await t.test('deny the other with a reason: it never works; the badge is empty again', async () => {
      await click(popup, `${card(wide.id)} [part="deny"]`);
      await popup.waitForSelector('pat-token-requests >>> [part="deny-dialog"][open]', { timeout: 5_000 });
      // No reason: refused in the dialog, nothing sent.
      await click(popup, 'pat-token-requests >>> [part="deny-confirm"]');
      await popup.waitForSelector('pat-token-requests >>> [part="deny-dialog"] [role="alert"]', { timeout: 5_000 });
      assert.equal((await api(`/tokens/${wide.id}`, { credential: admin })).body.status, 'pending');
      const reason = await popup.waitForSelector('pat-token-requests >>> [part="reason"]');
      await reason!.type('Too broad: use the CI template.');
      await click(popup, 'pat-token-requests >>> [part="deny-confirm"]');
      await popup.waitForFunction(
        (id) => !document.querySelector('pat-token-requests')?.shadowRoot?.querySelector(`[part="request"][data-id="${id}"]`),
        { timeout: 10_000 },
        wide.id,
      );
      const denied = await api(`/tokens/${wide.id}`, { credential: admin });
      assert.equal(denied.body.status, 'denied');
      assert.equal(denied.body.approval.reason, 'Too broad: use the CI template.');
      const refused = await api('/users/me', { credential: wide.secret });
      assert.equal(refused.status, 401);
      assert.equal(refused.body.code, 'token_request_denied');
      await popup.waitForFunction(() => (document.querySelector('#requests-count') as HTMLElement | null)?.hidden === true, { timeout: 10_000 });
      const state = await extensionState(popup);
      assert.equal(state.badge, '');
      assert.equal(state.title, 'patkit — personal access tokens');
      // Back: the list returns, focus on the Requests button.
      await click(popup, '#requests-view button.back');
      await popup.waitForFunction(() => !(document.querySelector('#list-view') as HTMLElement).hidden && document.activeElement?.id === 'open-requests', { timeout: 5_000 });
      await popup.close();
    });

    await t.test('the requester signed in too: no Requests button, and a notification once a request of theirs is decided', async () => {
      const daveServer = await addAndSignIn(options, "Dave's patkit", DAVE.username, DAVE.password, 2);
      const later = await requestToken(dave, 'dave later');
      // A listing that sees it pending (what the popup or the refresh alarm does).
      assert.equal((await sendFromPage(options, 'tokens.list', { serverId: daveServer })).ok, true);
      const popup = await openPopup();
      await popup.select('#server', daveServer);
      await popup.waitForFunction(() => (document.querySelector('#status')?.textContent ?? '').startsWith("Dave's patkit · Dave"), { timeout: 15_000 });
      assert.equal(await popup.$eval('#open-requests', (e) => (e as HTMLElement).hidden), true, 'dave approves nothing');

      // The popup's wizard offers what the server can: a template to start from, resources, the
      // IP allow-list under Advanced, and (approval applies to dave) the justification.
      const template = await api('/token-templates', { method: 'POST', credential: admin, body: { name: 'CI deploys', description: '', scopes: ['tokens:read'], expires_in_days: 30, resources: [], allowed_ips: [] } });
      assert.equal(template.status, 201, JSON.stringify(template.body));
      await popup.waitForSelector('#new-token:not([disabled])', { timeout: 15_000 });
      await click(popup, '#new-token');
      await popup.waitForFunction(
        () => [...(document.querySelector('pat-create-wizard')?.shadowRoot?.querySelectorAll('select[name="template"] option') ?? [])].some((o) => o.textContent?.includes('CI deploys')),
        { timeout: 10_000 },
      );
      await fill(popup, 'pat-create-wizard >>> input[name=name]', 'dave popup');
      const legends: string[] = [];
      for (let step = 0; step < 8 && !(await popup.$('pat-create-wizard >>> textarea[name="justification"]')); step += 1) {
        legends.push(await popup.$eval('pat-create-wizard >>> legend', (l) => l.textContent?.trim() ?? ''));
        if (await popup.$('pat-create-wizard >>> [part="advanced"]')) legends.push('(advanced)');
        const scope = await popup.$('pat-create-wizard >>> [part="scope-list"] input[type=checkbox]');
        if (scope && !(await scope.evaluate((el) => (el as HTMLInputElement).checked))) await scope.click();
        await click(popup, 'pat-create-wizard >>> [part="next"]');
      }
      assert.ok(legends.includes('Resources'), `a Resources step: ${legends.join(', ')}`);
      assert.ok(legends.includes('(advanced)'), `an Advanced section: ${legends.join(', ')}`);
      assert.ok(await popup.$('pat-create-wizard >>> [part="approval-notice"]'), 'the wizard says what the organisation reviews');
      const why = await popup.waitForSelector('pat-create-wizard >>> textarea[name="justification"]');
      await why!.type('Release automation');
      const password = await popup.$('pat-create-wizard >>> input[type=password]');
      if (password) await password.type(DAVE.password);
      await click(popup, 'pat-create-wizard >>> [part="submit"]');
      const secretEl = await popup.waitForSelector('pat-reveal-dialog >>> [part="secret"]', { timeout: 10_000 });
      secrets.add((await secretEl!.evaluate((el) => el.textContent ?? '')).trim());
      const mine = (await api('/tokens?owner=me', { credential: dave })).body.items.find((x: { name: string }) => x.name === 'dave popup');
      assert.equal(mine.status, 'pending');
      assert.equal(mine.approval.justification, 'Release automation');
      await click(popup, 'pat-reveal-dialog >>> [part="close"]');
      await click(popup, 'pat-reveal-dialog >>> [part="acknowledge"]');
      await popup.close();

      const approved = await api(`/token-requests/${later.id}/approve`, {
        method: 'POST',
        credential: admin,
        body: {},
      });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      // Headless Firefox closes a notification as soon as it is made: its onClosed tells it was there.
      await options.evaluate(() => {
        const seen: string[] = ((globalThis as any).__patkitNotes = []);
        ((globalThis as any).browser ?? chrome).notifications.onClosed?.addListener((id: string) => seen.push(id));
      });
      assert.equal((await sendFromPage(options, 'alerts.refresh', {})).ok, true);
      const id = `patkit-request-${later.id}`;
      const notified = await options.waitForFunction(
        async (want) => Object.hasOwn(await ((globalThis as any).browser ?? chrome).notifications.getAll(), want) || (globalThis as any).__patkitNotes.includes(want),
        { timeout: 5_000 },
        id,
      );
      assert.ok(await notified.jsonValue(), `a notification for the decided request (${id})`);
      assert.ok(serverId);
    });

    await t.test('no secret in storage.local', async () => {
      const local = JSON.stringify((await extensionState(options)).local);
      for (const secret of secrets) assert.ok(!local.includes(secret), 'storage.local holds no secret');
    });
    await options.close();
  });
}
