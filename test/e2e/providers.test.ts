/**
 * The extension end to end with a GitLab-kind and a Gitea-kind server: the built extension in real
 * Chromium (puppeteer-core, the shared harness), and the CONTRACT-BUILT STAND-INS of both servers
 * on loopback (test/support/gitlab-server.ts, gitea-server.ts: a real GitLab or Gitea cannot run
 * here; every request the extension sends is checked against the official OpenAPI / Swagger
 * excerpts and the test fails on any violation). Through the real options page (both kinds are
 * offered with a sentence on what they need; add the servers, sign in) and the real popup (create
 * a token, see it listed, revoke / delete it), checking each change on the server side.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { GiteaStandIn } from '../support/gitea-server.ts';
import { GitLabStandIn } from '../support/gitlab-server.ts';
import { buildExtension, E2E_BUILD, launchExtension, type LaunchedExtension } from './harness.ts';

let ext: LaunchedExtension;
let gitlab: GitLabStandIn;
let gitea: GiteaStandIn;
let gitlabPat = '';
let groupTokenSecret = '';
const GITEA_PASSWORD = 'Gitea-e2e-pw-77';
const GITEA_OTP = '246810';

before(async () => {
  buildExtension('e2e');
  gitlab = await GitLabStandIn.start();
  const root = gitlab.addUser('root', { is_admin: true, name: 'Administrator' });
  gitlabPat = gitlab.addToken(root, 'patkit sign-in', ['api']).token;
  // A group the admin owns, with one project, and a group access token (a bot user's) to manage.
  const group = gitlab.addGroup('platform', [[root, 50]]);
  gitlab.addProject('api', group, []);
  const bot = gitlab.addUser(`group_${group.id}_bot`, { bot: true });
  group.members.set(bot.id, 30);
  groupTokenSecret = gitlab.addToken(bot, 'release bot', ['read_api'], { level: 'group', resource: group.id, access_level: 30 }).token;
  gitea = await GiteaStandIn.start();
  gitea.addUser('alice', GITEA_PASSWORD, { full_name: 'Alice' });
  gitea.addUser('bob', GITEA_PASSWORD, { full_name: 'Bob', otp: GITEA_OTP });
  ext = await launchExtension(E2E_BUILD);
});

after(async () => {
  await ext?.close();
  await gitlab?.stop();
  await gitea?.stop();
});

async function openPopup(): Promise<Page> {
  const page = await ext.open('popup.html');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return page;
}

async function addServer(options: Page, name: string, kind: string, baseUrl: string): Promise<void> {
  const before = await options.$$eval('#server-list li.card', (els) => els.length);
  await options.locator('#server-form input[name=name]').fill(name);
  await options.select('#server-form select[name=kind]', kind);
  await options.locator('#server-form input[name=baseUrl]').fill(baseUrl);
  await options.locator('#save-server').click();
  await options.waitForFunction((n) => document.querySelectorAll('#server-list li.card').length === n, { timeout: 10_000 }, before + 1);
}

function card(name: string): string {
  return `#server-list li.card[data-server-id="${name}"]`;
}

async function cardFor(options: Page, name: string): Promise<string> {
  const id = await options.$$eval('#server-list li.card', (els, n) => els.find((e) => e.querySelector('.name')?.textContent === n)?.getAttribute('data-server-id') ?? '', name);
  assert.ok(id, `a card for ${name}`);
  return card(id);
}

/** Drives the create wizard to the reveal dialog; fills the password where the server asks for it. */
async function createInPopup(popup: Page, serverName: string, tokenName: string, password: string | null): Promise<string> {
  const serverId = await popup.$$eval('#server option', (opts, n) => opts.find((o) => o.textContent === n)?.getAttribute('value') ?? '', serverName);
  assert.ok(serverId, `the popup offers ${serverName}`);
  await popup.select('#server', serverId);
  await popup.waitForSelector('#new-token:not([disabled])', { timeout: 15_000 });
  await popup.locator('#new-token').click();
  await popup.locator('pat-create-wizard >>> input[name=name]').fill(tokenName);
  for (let step = 0; step < 8; step += 1) {
    if (await popup.$('pat-reveal-dialog')) break;
    const pw = await popup.$('pat-create-wizard >>> input[type=password]');
    if (pw && password && !(await pw.evaluate((el) => (el as HTMLInputElement).value))) await pw.type(password);
    const scope = await popup.$('pat-create-wizard >>> [part="scope-list"] input[type=checkbox]');
    if (scope && !(await scope.evaluate((el) => (el as HTMLInputElement).checked))) await scope.click();
    const submit = await popup.$('pat-create-wizard >>> [part="submit"]');
    if (submit) {
      await submit.click();
      await popup.waitForFunction(
        () => document.querySelector('pat-reveal-dialog') || document.querySelector('pat-create-wizard')?.shadowRoot?.querySelector('[role="alert"]:not(:empty), .error:not(:empty)'),
        { timeout: 10_000 },
      );
      continue;
    }
    await popup.locator('pat-create-wizard >>> [part="next"]').click();
  }
  const secretEl = await popup.waitForSelector('pat-reveal-dialog >>> [part="secret"]', { timeout: 10_000 });
  const secret = (await secretEl!.evaluate((el) => el.textContent ?? '')).trim();
  await popup.locator('pat-reveal-dialog >>> [part="close"]').click();
  await popup.locator('pat-reveal-dialog >>> [part="acknowledge"]').click();
  await popup.waitForFunction(() => !document.querySelector('pat-reveal-dialog'));
  return secret;
}

async function deleteInPopup(popup: Page, tokenName: string, password: string | null): Promise<void> {
  await popup.waitForSelector('pat-token-list >>> [part="row"]', { timeout: 10_000 });
  await popup.locator(`pat-token-list >>> ::-p-aria(Actions for ${tokenName})`).click();
  await popup.locator('pat-token-list >>> [part="menu"] ::-p-aria([name="Delete"][role="menuitem"])').click();
  if (password) {
    const pw = await popup.waitForSelector('pat-token-list >>> pat-confirm-dialog >>> input[type=password]', { timeout: 5_000 });
    await pw!.type(password);
  }
  await popup.locator('pat-token-list >>> pat-confirm-dialog >>> [part="confirm"]').click();
  await popup.waitForFunction(
    (name) => ![...(document.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part="row"]') ?? [])].some((r) => r.textContent?.includes(name)),
    { timeout: 10_000 },
    tokenName,
  );
}

async function listed(popup: Page, tokenName: string): Promise<boolean> {
  await popup.waitForFunction(
    (name) => [...(document.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part="row"]') ?? [])].some((r) => r.textContent?.includes(name)),
    { timeout: 10_000 },
    tokenName,
  );
  return true;
}

test('GitLab and Gitea servers: options offer both kinds, sign in, and the popup creates, lists and deletes a token on each', async (t) => {
  const options = await ext.open('options.html');
  await options.waitForSelector('body[data-ready="true"]');

  await t.test('both kinds are selectable, each with a sentence on what it needs', async () => {
    const kinds = await options.$$eval('#server-form select[name=kind] option', (os) => os.map((o) => [o.value, o.textContent]));
    assert.ok(kinds.some(([v, l]) => v === 'gitlab' && l === 'GitLab'));
    assert.ok(kinds.some(([v, l]) => v === 'gitea' && l === 'Gitea / Forgejo'));
    await options.select('#server-form select[name=kind]', 'gitlab');
    assert.match(await options.$eval('#kind-help', (el) => el.textContent ?? ''), /personal access token with the api scope/);
    await options.select('#server-form select[name=kind]', 'gitea');
    assert.match(await options.$eval('#kind-help', (el) => el.textContent ?? ''), /password/);
  });

  await t.test('add both servers and sign in: GitLab with a pasted PAT (token only), Gitea with the password', async () => {
    await addServer(options, 'Work GitLab', 'gitlab', gitlab.url);
    await addServer(options, 'Home Gitea', 'gitea', gitea.url);
    const gl = await cardFor(options, 'Work GitLab');
    // GitLab offers no password sign-in: only the token field.
    assert.equal(await options.$eval(`${gl} input[value=password]`, (el) => (el.closest('label') as HTMLElement).hidden), true);
    await options.locator(`${gl} form.signin input[name=token]`).fill(gitlabPat);
    await options.locator(`${gl} form.signin button[type=submit]`).click();
    await options.waitForSelector(`${gl} .state[data-state="signed_in"]`, { timeout: 15_000 });
    assert.match(await options.$eval(`${gl} .who`, (el) => el.textContent ?? ''), /root/);
    const gt = await cardFor(options, 'Home Gitea');
    await options.locator(`${gt} form.signin input[name=username]`).fill('alice');
    await options.locator(`${gt} form.signin input[name=password]`).fill(GITEA_PASSWORD);
    await options.locator(`${gt} form.signin button[type=submit]`).click();
    await options.waitForSelector(`${gt} .state[data-state="signed_in"]`, { timeout: 15_000 });
    assert.match(await options.$eval(`${gt} .who`, (el) => el.textContent ?? ''), /alice/);
  });

  await t.test('GitLab: create from the popup, see it listed, revoke it; GitLab no longer accepts it', async () => {
    const popup = await openPopup();
    const secret = await createInPopup(popup, 'Work GitLab', 'e2e gitlab token', null);
    assert.match(secret, /^glpat-/);
    assert.ok(gitlab.accepts(secret));
    assert.ok(await listed(popup, 'e2e gitlab token'));
    await deleteInPopup(popup, 'e2e gitlab token', null);
    assert.ok(!gitlab.accepts(secret), 'revoked on the server');
    await popup.close();
    // Reopened, the list comes from GitLab again: the revoked token stays gone.
    const again = await openPopup();
    const serverId = await again.$$eval('#server option', (opts) => opts.find((o) => o.textContent === 'Work GitLab')?.getAttribute('value') ?? '');
    await again.select('#server', serverId);
    assert.ok(await listed(again, 'patkit sign-in'));
    const rows = await again.$$eval('pat-token-list', (els) => els.map((el) => el.shadowRoot?.textContent ?? '').join(' '));
    assert.ok(!rows.includes('e2e gitlab token'), 'not listed after a refresh');
    await again.close();
  });

  await t.test('GitLab group access tokens appear in the popup’s organisation view (groups as organisations, projects as their groups); Revoke ends one on GitLab', async () => {
    const popup = await openPopup();
    const serverId = await popup.$$eval('#server option', (opts) => opts.find((o) => o.textContent === 'Work GitLab')?.getAttribute('value') ?? '');
    await popup.select('#server', serverId);
    await popup.waitForSelector('#org-view:not([hidden]) h3', { timeout: 15_000 });
    const sections = await popup.$$eval('#org-view .scoped-group', (nodes) =>
      nodes.map((n) => ({ heading: n.querySelector('h3')?.textContent ?? '', tokens: [...n.querySelectorAll('li .name')].map((x) => x.textContent) })),
    );
    assert.deepEqual(sections, [
      { heading: 'platform (organization)', tokens: ['release bot'] },
      { heading: 'platform / api (group)', tokens: [] },
    ]);
    assert.ok(gitlab.accepts(groupTokenSecret));
    await popup.locator('#org-view ::-p-aria(Revoke: release bot)').click();
    await popup.waitForFunction(() => !document.querySelector('#org-view li .name'), { timeout: 10_000 });
    assert.ok(!gitlab.accepts(groupTokenSecret), 'revoked on GitLab');
    await popup.close();
  });

  await t.test('Gitea: create with the password in the wizard, see it listed, delete with the password; Gitea no longer knows it', async () => {
    const popup = await openPopup();
    const secret = await createInPopup(popup, 'Home Gitea', 'e2e gitea token', GITEA_PASSWORD);
    assert.match(secret, /^[0-9a-f]{40}$/);
    assert.ok(gitea.accepts(secret));
    assert.ok(await listed(popup, 'e2e gitea token'));
    await deleteInPopup(popup, 'e2e gitea token', GITEA_PASSWORD);
    assert.ok(!gitea.accepts(secret), 'deleted on the server');
    await popup.close();
  });

  await t.test('Gitea with two-factor: the options page asks for the one-time code (focused), says when it is wrong, and signs in with the right one', async () => {
    await addServer(options, 'Gitea 2FA', 'gitea', gitea.url);
    const c = await cardFor(options, 'Gitea 2FA');
    assert.equal(await options.$eval(`${c} label.otp`, (el) => (el as HTMLElement).hidden), true, 'no code field before the server asks');
    await options.locator(`${c} form.signin input[name=username]`).fill('bob');
    await options.locator(`${c} form.signin input[name=password]`).fill(GITEA_PASSWORD);
    await options.locator(`${c} form.signin button[type=submit]`).click();
    await options.waitForSelector(`${c} label.otp:not([hidden])`, { timeout: 10_000 });
    assert.equal(await options.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name), 'otp', 'focus is in the code field');
    assert.match(await options.$eval(`${c} > .error`, (el) => el.textContent ?? ''), /two-factor/);
    assert.equal(await options.$eval(`${c} .state`, (el) => (el as HTMLElement).dataset.state), 'signed_out');
    await options.keyboard.type('111111');
    await options.keyboard.press('Enter');
    await options.waitForFunction((sel) => /not accepted/.test(document.querySelector(sel)?.textContent ?? ''), { timeout: 10_000 }, `${c} > .error`);
    await options.locator(`${c} form.signin input[name=otp]`).fill(GITEA_OTP);
    await options.locator(`${c} form.signin button[type=submit]`).click();
    await options.waitForSelector(`${await cardFor(options, 'Gitea 2FA')} .state[data-state="signed_in"]`, { timeout: 15_000 });
    assert.ok(gitea.requests.some((r) => r.otp === GITEA_OTP && r.status === 200), 'the code went to Gitea with the password');
  });

  await t.test('every request the extension sent matched the official contracts', () => {
    assert.deepEqual(gitlab.violations, []);
    assert.deepEqual(gitea.violations, []);
    assert.ok(gitlab.requests.some((r) => r.operationId === 'deleteApiV4PersonalAccessTokensId' && r.status === 204));
    assert.ok(gitlab.requests.some((r) => r.operationId === 'deleteApiV4GroupsIdAccessTokensTokenId' && r.status === 204));
    assert.ok(gitea.requests.some((r) => r.operationId === 'userDeleteAccessToken' && r.status === 204));
  });
});
