/**
 * The role panel inside Mattermost's System Console, end to end in real Chromium and real Firefox
 * ESR: the built extension, the CONTRACT-BUILT MATTERMOST STAND-IN on loopback
 * (test/support/mattermost-server.ts: a real Mattermost cannot run here; every API request the
 * extension sends is checked against the official OpenAPI excerpts and the test fails on any
 * violation), serving a page shaped like **System Console > User Management > Users**.
 *
 * As the Mattermost docs tell an admin to: map the console on the options page, open the panel on
 * the Users page, search for the account, tick "Allow this account to generate personal access
 * tokens" and post:channels, Save. Mattermost's API then reports those roles with system_user
 * kept, and the account creates a token through the popup. A non-admin identity sees the panel
 * refuse, with the reason.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'puppeteer-core';
import { CONSOLE_USERS_PATH } from '../support/mattermost-console-page.ts';
import { MattermostStandIn, type StandInUser } from '../support/mattermost-server.ts';
import { buildExtension, launchIn, type BrowserName, type LaunchedExtension } from './harness.ts';
import { click, extensionFrame, fill } from './pages.ts';
import { clickToggle, panelOpen, waitForToggle } from './panel-host.ts';
import { docsScreenshot } from './screenshots.ts';

const ADMIN_PASSWORD = 'Admin-e2e-pw-31';
const BOT_PASSWORD = 'Bot-e2e-pw-47';
const ADMIN_SERVER = 'Mattermost (admin)';
const BOT_SERVER = 'Mattermost (ci-bot)';
const GRANT = 'Allow this account to generate personal access tokens';

before(() => {
  buildExtension('firefox');
  buildExtension('e2e');
});

for (const browserName of (process.env.E2E_BROWSERS?.split(',') ?? ['chromium', 'firefox']) as BrowserName[]) {
  describe(`the role panel in Mattermost's System Console, in ${browserName}`, () => journey(browserName));
}

/** Mattermost's REST API as another client sees it: signs in and reads one user. */
async function rolesOnServer(mm: MattermostStandIn, userId: string): Promise<string> {
  const login = await fetch(`${mm.url}/api/v4/users/login`, { method: 'POST', body: JSON.stringify({ login_id: 'sysadmin', password: ADMIN_PASSWORD }) });
  assert.equal(login.status, 201);
  const session = login.headers.get('token')!;
  const answer = await fetch(`${mm.url}/api/v4/users/${userId}`, { headers: { authorization: `Bearer ${session}` } });
  assert.equal(answer.status, 200);
  return ((await answer.json()) as { roles: string }).roles;
}

function journey(browserName: BrowserName): void {
  let ext: LaunchedExtension;
  let mm: MattermostStandIn;
  let admin: StandInUser;
  let bot: StandInUser;
  const consoleUrl = (): string => `${mm.url}${CONSOLE_USERS_PATH}`;

  before(async () => {
    mm = await MattermostStandIn.start();
    admin = mm.addUser('sysadmin', ADMIN_PASSWORD, 'system_user system_admin', { first_name: 'Sys', last_name: 'Admin' });
    bot = mm.addUser('ci-bot', BOT_PASSWORD, 'system_user', { first_name: 'CI', last_name: 'Bot' });
    // More users than the panel's page of 25, so "More users" has something to fetch.
    for (let i = 1; i <= 30; i += 1) mm.addUser(`member-${String(i).padStart(2, '0')}`, 'x', 'system_user');
    ext = await launchIn(browserName);
  });

  after(async () => {
    await ext?.close();
    await mm?.stop();
  });

  async function addServer(options: Page, name: string): Promise<string> {
    await fill(options, '#server-form input[name=name]', name);
    await options.select('#server-form select[name=kind]', 'mattermost');
    await fill(options, '#server-form input[name=baseUrl]', mm.url);
    await click(options, '#save-server');
    await options.waitForFunction((n) => [...document.querySelectorAll('#server-list li.card .name')].some((e) => e.textContent === n), { timeout: 10_000 }, name);
    const id = await options.$$eval('#server-list li.card', (els, n) => els.find((e) => e.querySelector('.name')?.textContent === n)?.getAttribute('data-server-id') ?? '', name);
    assert.ok(id, `a card for ${name}`);
    return `#server-list li.card[data-server-id="${id}"]`;
  }

  async function signIn(options: Page, card: string, username: string, password: string): Promise<void> {
    await fill(options, `${card} form.signin input[name=username]`, username);
    await fill(options, `${card} form.signin input[name=password]`, password);
    await click(options, `${card} form.signin button[type=submit]`);
    await options.waitForSelector(`${card} .state[data-state="signed_in"]`, { timeout: 15_000 });
  }

  /** Maps the System Console to one of the configured servers, on the options page, as an admin would. */
  async function mapConsole(options: Page, serverName: string): Promise<void> {
    // Headless browsers stall scripts in background tabs.
    await options.bringToFront();
    for (const remove of await options.$$('#panel-list li button')) await remove.click();
    await options.waitForFunction(() => document.querySelectorAll('#panel-list li').length === 0, { timeout: 10_000 });
    await fill(options, '#panel-form input[name=pattern]', `${mm.url}/admin_console/*`);
    const serverId = await options.$$eval('#panel-form select[name=serverId] option', (os, n) => os.find((o) => o.textContent === n)?.getAttribute('value') ?? '', serverName);
    await options.select('#panel-form select[name=serverId]', serverId);
    await click(options, '#panel-form button[type=submit]');
    await options.waitForFunction((n) => (document.querySelector('#panel-list li')?.textContent ?? '').includes(n), { timeout: 10_000 }, serverName);
  }

  /** The console's Users page with the panel open; its frame once the panel has settled. */
  async function openPanel(page: Page): Promise<Frame> {
    await page.goto(consoleUrl());
    await page.bringToFront();
    // The button lives in the frame script's closed shadow root: reached as a person reaches it.
    await waitForToggle(page);
    if ((await panelOpen(page)) !== 'true') await clickToggle(page);
    await waitForToggle(page, true, 5_000);
    const frame = await extensionFrame(page, ext, '/role-panel.html');
    assert.ok(frame, 'the panel frame is in the console page');
    await frame.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    return frame;
  }

  async function openPopupOn(serverName: string): Promise<Page> {
    const popup = await ext.open('popup.html');
    await popup.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    const serverId = await popup.$$eval('#server option', (opts, n) => opts.find((o) => o.textContent === n)?.getAttribute('value') ?? '', serverName);
    assert.ok(serverId, `the popup offers ${serverName}`);
    await popup.select('#server', serverId);
    return popup;
  }

  test('map the System Console, grant the token roles from the panel, create a token as that account', async (t) => {
    const options = await ext.open('options.html');
    await options.waitForSelector('body[data-ready="true"]');
    const page = await ext.browser.newPage();
    await options.bringToFront();

    await t.test('the Mattermost server is added twice: as its System Admin and as the account to grant', async () => {
      await signIn(options, await addServer(options, ADMIN_SERVER), 'sysadmin', ADMIN_PASSWORD);
      await signIn(options, await addServer(options, BOT_SERVER), 'ci-bot', BOT_PASSWORD);
    });

    await t.test('before the grant, the account may not create a token: the popup says why', async () => {
      const popup = await openPopupOn(BOT_SERVER);
      await popup.waitForSelector('#create-blocked:not([hidden])', { timeout: 15_000 });
      assert.match(await popup.$eval('#create-blocked', (e) => e.textContent ?? ''), /may not create personal access tokens on this Mattermost server/);
      await popup.close();
    });

    await t.test('a non-admin identity: the panel refuses clearly and offers nothing to change', async () => {
      await mapConsole(options, BOT_SERVER);
      const frame = await openPanel(page);
      const status = await frame.$eval('#status', (e) => ({ text: e.textContent ?? '', kind: (e as HTMLElement).dataset.kind }));
      assert.equal(status.kind, 'not-admin');
      assert.match(status.text, /^CI Bot may not manage roles or see other users’ tokens on Mattermost \(ci-bot\)\. This panel is for admins\./);
      // Mattermost says this account may not create tokens either: its reason, not "create them in the popup".
      assert.match(status.text, /may not create personal access tokens on this Mattermost server\. A System Admin can give it the personal access token role/);
      assert.doesNotMatch(status.text, /where you can create/);
      assert.match(await frame.$eval('#identity', (e) => e.textContent ?? ''), /^as CI Bot on Mattermost \(ci-bot\)$/);
      assert.equal(await frame.$('pat-role-manager'), null, 'no role manager for a non-admin');
      assert.equal(mm.users.get(bot.id)!.roles, 'system_user');
    });

    await t.test('as the System Admin: Mattermost users, paged and searchable, each with the three roles in the docs’ words', async () => {
      await mapConsole(options, ADMIN_SERVER);
      const frame = await openPanel(page);
      assert.match(await frame.$eval('#identity', (e) => e.textContent ?? ''), /^as Sys Admin on Mattermost \(admin\)$/);
      assert.match(await frame.$eval('#status', (e) => e.textContent ?? ''), /^Changes here are made as sysadmin, the account patkit is signed in with/);
      const cards = (): Promise<number> => frame.$$eval('pat-role-manager >>> [part="user"]', (els) => els.length);
      await frame.waitForSelector('pat-role-manager >>> [part="user"]', { timeout: 15_000 });
      assert.equal(await cards(), 25, 'one page of 25');
      await click(frame, 'pat-role-manager >>> [part="more"]');
      await frame.waitForFunction(() => document.querySelector('pat-role-manager')?.shadowRoot?.querySelectorAll('[part="user"]').length === 32, { timeout: 10_000 });
      assert.equal(await frame.$('pat-role-manager >>> [part="more"]'), null, 'no more pages');
      // Search, as the docs say: "search for the user account".
      await frame.type('pat-role-manager >>> input[type=search]', 'ci-bot');
      await frame.waitForFunction(() => document.querySelector('pat-role-manager')?.shadowRoot?.querySelectorAll('[part="user"]').length === 1, { timeout: 10_000 });
      const card = await frame.$eval('pat-role-manager >>> [part="user"]', (el) => ({
        name: el.querySelector('h3')?.textContent ?? '',
        labels: [...el.querySelectorAll('label.switch')].map((l) => l.textContent?.trim()),
        ids: [...el.querySelectorAll('.role-id')].map((c) => c.textContent),
        kept: el.querySelector('[part="kept-roles"]')?.textContent ?? '',
      }));
      assert.equal(card.name, 'CI Bot');
      assert.deepEqual(card.labels, [GRANT, 'post:all', 'post:channels']);
      assert.deepEqual(card.ids, ['system_user_access_token', 'system_post_all', 'system_post_all_public']);
      assert.match(card.kept, /system_user \(kept as they are/);
    });

    await t.test('tick the token role and post:channels, Save: Mattermost reports them, system_user kept', async () => {
      const frame = (await extensionFrame(page, ext, '/role-panel.html'))!;
      await click(frame, `pat-role-manager >>> ::-p-aria([name="${GRANT}"][role="switch"])`);
      await click(frame, 'pat-role-manager >>> ::-p-aria([name="post:channels"][role="switch"])');
      await click(frame, 'pat-role-manager >>> [part="save"]');
      await frame.waitForFunction(
        () => (document.querySelector('pat-role-manager')?.shadowRoot?.querySelector('[part="user"] .result')?.textContent ?? '') === 'Saved roles of CI Bot.',
        { timeout: 10_000 },
      );
      const roles = await rolesOnServer(mm, bot.id);
      assert.deepEqual(roles.split(' '), ['system_user', 'system_user_access_token', 'system_post_all_public']);
      assert.ok(mm.requests.some((r) => r.operationId === 'UpdateUserRoles' && r.status === 200), 'saved through PUT /api/v4/users/{user_id}/roles');
      assert.equal(mm.users.get(admin.id)!.roles, 'system_user system_admin', 'the admin’s own roles are untouched');
      await docsScreenshot(page, 'console-panel-mattermost.png');
    });

    await t.test('the account now creates a token through the popup; Mattermost accepts it', async () => {
      const popup = await openPopupOn(BOT_SERVER);
      await popup.waitForSelector('#new-token:not([disabled])', { timeout: 15_000 });
      assert.equal(await popup.$eval('#create-blocked', (el) => (el as HTMLElement).hidden), true);
      await click(popup, '#new-token');
      await popup.waitForSelector('pat-create-wizard >>> textarea[name=description]', { timeout: 10_000 });
      await popup.type('pat-create-wizard >>> textarea[name=description]', 'deploy notifications');
      for (let step = 0; step < 6 && !(await popup.$('pat-reveal-dialog')); step += 1) {
        const submit = await popup.$('pat-create-wizard >>> [part="submit"]');
        if (submit) {
          await submit.click();
          await popup.waitForSelector('pat-reveal-dialog', { timeout: 10_000 });
          break;
        }
        await click(popup, 'pat-create-wizard >>> [part="next"]');
      }
      const secretEl = await popup.waitForSelector('pat-reveal-dialog >>> [part="secret"]', { timeout: 10_000 });
      const secret = (await secretEl!.evaluate((el) => el.textContent ?? '')).trim();
      assert.ok(mm.accepts(secret), 'Mattermost accepts the new token');
      const created = [...mm.tokens.values()].find((tok) => tok.token === secret);
      assert.equal(created?.user_id, bot.id, 'the token belongs to the granted account');
      assert.equal(created?.description, 'deploy notifications');
      await popup.close();
    });

    await t.test('every API request the extension sent matched the official contract', () => {
      assert.deepEqual(mm.violations, []);
    });
    await page.close();
    await options.close();
  });
}
