/**
 * "Revoke a leaked token" and "rotate with a grace period" end to end: the built extension in real
 * Chromium and real Firefox ESR, through the real popup, against
 * - the REAL patkit reference server (a child process on loopback): a token created there is
 *   pasted, reported, and is disabled on the server (checked over its API);
 * - the GitLab CONTRACT-BUILT STAND-IN (test/support/gitlab-server.ts; a real GitLab cannot run
 *   here): the leaked token revokes itself, and every request matches the OpenAPI excerpt;
 * - a LOOPBACK STAND-IN for GitHub's credential revocation API, because api.github.com cannot be
 *   reached from this machine: the test checks the exact request GitHub documents. The e2e builds
 *   (Chromium and Firefox) read its address from a storage key that the production builds do not
 *   contain (checked below); they also declare api.github.com as a host permission, as they do
 *   loopback, because a headless browser cannot answer the permission prompt — the popup still
 *   calls `permissions.request` from the click.
 * Run: `npm run test:e2e` (or `E2E_BROWSERS=chromium`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { GitLabStandIn } from '../support/gitlab-server.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { buildExtension, E2E_BUILD, FIREFOX_BUILD, FIREFOX_E2E_BUILD, launchExtension, launchFirefoxExtension, PROD_BUILD, type BrowserName, type LaunchedExtension } from './harness.ts';
import { serverApi, type ApiInit } from './pages.ts';

declare const chrome: any;

const E2E_GITHUB_API_KEY = 'patkit:e2e-github-api';

before(() => {
  buildExtension('production');
  buildExtension('firefox');
  buildExtension('e2e');
  buildExtension('firefox-e2e');
});

test('the production builds carry no GitHub stand-in hook', () => {
  for (const dir of [PROD_BUILD, FIREFOX_BUILD]) {
    const js = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    assert.ok(js.length > 3);
    for (const f of js) assert.ok(!readFileSync(join(dir, f), 'utf8').includes(E2E_GITHUB_API_KEY), `${dir}/${f}`);
  }
  assert.ok(readFileSync(join(E2E_BUILD, 'background.js'), 'utf8').includes(E2E_GITHUB_API_KEY), 'the check is not vacuous');
});

for (const browserName of (process.env.E2E_BROWSERS?.split(',') ?? ['chromium', 'firefox']) as BrowserName[]) describe(`leaked tokens and grace rotation in ${browserName}`, () => suite(browserName));

function suite(browserName: BrowserName): void {
  let server: TestServer;
  let gitlab: GitLabStandIn;
  let github: Server;
  let githubUrl = '';
  const githubSeen: Array<{ method: string; path: string; headers: IncomingHttpHeaders; body: string }> = [];
  let ext: LaunchedExtension;
  let admin = '';

  const api = (path: string, init: ApiInit = {}) => serverApi(server, path, init);
  async function createToken(name: string): Promise<{ id: string; secret: string }> {
    const created = await api('/tokens', { method: 'POST', credential: admin, body: { name, scopes: ['tokens:read'], password: server.adminPassword, acknowledge_admin_token: true } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return { id: created.body.token.id, secret: created.body.secret };
  }
  async function click(page: Page, selector: string): Promise<void> {
    const el = await page.waitForSelector(selector, { visible: true, timeout: 10_000 });
    await el!.click();
  }
  async function text(page: Page, selector: string): Promise<string> {
    return page.$eval(selector, (el) => el.textContent ?? '');
  }
  async function openPopup(): Promise<Page> {
    const page = await ext.open('popup.html');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    return page;
  }
  /** Opens the flow, pastes (types) the value, waits for the recognition line. */
  async function paste(popup: Page, value: string, recognised: RegExp): Promise<void> {
    await click(popup, '#revoke-leaked');
    const input = await popup.waitForSelector('#leaked-secret', { visible: true });
    assert.equal(await input!.evaluate((el) => [(el as HTMLInputElement).type, el.getAttribute('autocomplete')].join()), 'password,off');
    await input!.type(value);
    await popup.waitForFunction((re) => new RegExp(re).test(document.querySelector('#leaked-kind')?.textContent ?? ''), { timeout: 5_000 }, recognised.source);
  }
  async function confirmAndWait(popup: Page): Promise<{ outcome: string; text: string }> {
    await click(popup, '#leaked-next');
    await click(popup, '#leaked-go');
    await popup.waitForSelector('#leaked-result:not([hidden])', { timeout: 15_000 });
    const outcome = await popup.$eval('#leaked-result-text', (el) => (el as HTMLElement).dataset.outcome ?? '');
    return { outcome, text: await text(popup, '#leaked-result-text') };
  }

  before(async () => {
    server = await startTestServer({ enablePats: true });
    gitlab = await GitLabStandIn.start();
    github = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        githubSeen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        // As api.github.com does: CORS open to any origin, 202 with an empty object.
        res.writeHead(202, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' });
        res.end('{}');
      });
    });
    await new Promise<void>((done) => github.listen(0, '127.0.0.1', done));
    githubUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
    const session = await api('/sessions', { method: 'POST', body: { username: 'admin', password: server.adminPassword } });
    admin = session.body.credential;
    ext = browserName === 'firefox' ? await launchFirefoxExtension(FIREFOX_E2E_BUILD) : await launchExtension(E2E_BUILD);

    // Two servers through the real options page: patkit (signed in, for rotation) and GitLab (not signed in: self-revoke needs none).
    const options = await ext.open('options.html');
    await options.waitForSelector('body[data-ready="true"]');
    const add = async (name: string, kind: string, url: string): Promise<void> => {
      const count = await options.$$eval('#server-list li.card', (els) => els.length);
      for (const [sel, value] of [['#server-form input[name=name]', name], ['#server-form input[name=baseUrl]', url]] as const) {
        const el = await options.waitForSelector(sel);
        await el!.evaluate((i) => ((i as HTMLInputElement).value = ''));
        await el!.type(value);
      }
      await options.select('#server-form select[name=kind]', kind);
      await click(options, '#save-server');
      await options.waitForFunction((n) => document.querySelectorAll('#server-list li.card').length === n, { timeout: 10_000 }, count + 1);
    };
    await add('Ref patkit', 'patkit', server.url);
    await add('Work GitLab', 'gitlab', gitlab.url);
    // A second GitLab-kind server (the same stand-in by another loopback name): the popup must ask which one.
    await add('Home GitLab', 'gitlab', gitlab.url.replace('127.0.0.1', 'localhost'));
    const card = '#server-list li.card:first-child';
    await (await options.waitForSelector(`${card} form.signin input[name=username]`))!.type('admin');
    await (await options.waitForSelector(`${card} form.signin input[name=password]`))!.type(server.adminPassword);
    await click(options, `${card} form.signin button[type=submit]`);
    await options.waitForSelector(`${card} .state[data-state="signed_in"]`, { timeout: 15_000 });
    await options.evaluate((key, url) => ((globalThis as any).browser ?? chrome).storage.local.set({ [key]: url }), E2E_GITHUB_API_KEY, githubUrl);
    await options.close();
  });

  after(async () => {
    await ext?.close();
    await server?.stop();
    await gitlab?.stop();
    await new Promise((done) => github?.close(done));
  });

  test('patkit: a real token pasted in the popup is reported and disabled on the server; the field is cleared', async () => {
    const leaked = await createToken('leaked ci token');
    assert.equal((await api('/users/me', { credential: leaked.secret })).status, 200, 'it works before');
    const popup = await openPopup();
    // A bad paste first: a clear message, and nothing can be sent.
    await click(popup, '#revoke-leaked');
    await (await popup.waitForSelector('#leaked-secret'))!.type('hello world');
    await popup.waitForFunction(() => /spaces or line breaks/.test(document.querySelector('#leaked-kind')?.textContent ?? ''));
    assert.equal(await popup.$eval('#leaked-next', (b) => (b as HTMLButtonElement).disabled), true);
    await click(popup, '#leaked-cancel');
    await popup.waitForSelector('#list-view:not([hidden])');
    assert.equal(await popup.$eval('#leaked-view', (v) => (v as HTMLElement).hidden), true, 'cancel goes back to the list');

    await paste(popup, `${leaked.secret}`, /Recognised: patkit personal access token/);
    assert.match(await text(popup, '#leaked-target'), /It goes to: Ref patkit/);
    // Show / hide toggles the field's type.
    await click(popup, '#leaked-show');
    assert.equal(await popup.$eval('#leaked-secret', (el) => (el as HTMLInputElement).type), 'text');
    await click(popup, '#leaked-show');
    assert.equal(await popup.$eval('#leaked-secret', (el) => (el as HTMLInputElement).type), 'password');
    const { outcome, text: result } = await confirmAndWait(popup);
    assert.equal(outcome, 'reported');
    assert.match(result, /Reported to Ref patkit: if it was a token there, it is disabled now/);
    assert.equal(await popup.$eval('#leaked-secret', (el) => (el as HTMLInputElement).value), '', 'the field is cleared');
    // The server disables a reported token moments after its answer (docs/security.md rule 33): wait for it, within a bound.
    let status = '';
    for (const deadline = Date.now() + 5_000; status !== 'disabled' && Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      status = (await api(`/tokens/${leaked.id}`, { credential: admin })).body.status;
    }
    assert.equal(status, 'disabled');
    assert.equal((await api('/users/me', { credential: leaked.secret })).status, 401, 'the leaked value no longer works');
    // The secret is in no storage of the extension.
    const stored = await popup.evaluate(async () => {
      const b = (globalThis as any).browser ?? chrome;
      return JSON.stringify([await b.storage.local.get(null), await b.storage.session.get(null), localStorage.length ? Object.entries(localStorage) : []]);
    });
    assert.ok(!stored.includes(leaked.secret));
    await click(popup, '#leaked-done');
    await popup.waitForSelector('#list-view:not([hidden])');
    await popup.close();
  });

  test('GitLab: the leaked token revokes itself on the configured GitLab server (no sign-in)', async () => {
    const alice = gitlab.addUser(`alice-${browserName}`);
    const leaked = gitlab.addToken(alice, 'leaked deploy key', ['read_repository']);
    const popup = await openPopup();
    await paste(popup, leaked.token, /Recognised: GitLab personal access token/);
    // Two GitLab servers are configured: nothing is sent until the user picks one.
    assert.match(await text(popup, '#leaked-target'), /Which server does it belong to\?/);
    assert.deepEqual(await popup.$$eval('#leaked-target label', (ls) => ls.map((l) => l.textContent?.trim())), ['Work GitLab', 'Home GitLab']);
    assert.equal(await popup.$eval('#leaked-next', (b) => (b as HTMLButtonElement).disabled), true);
    await popup.$$eval('#leaked-target label', (ls) => (ls.find((l) => l.textContent?.includes('Work GitLab'))!.querySelector('input') as HTMLInputElement).click());
    await popup.waitForFunction(() => !(document.querySelector('#leaked-next') as HTMLButtonElement).disabled);
    assert.match(await text(popup, '#leaked-next'), /Continue/);
    const { outcome, text: result } = await confirmAndWait(popup);
    assert.equal(outcome, 'revoked');
    assert.match(result, /Revoked on Work GitLab: “leaked deploy key” no longer works/);
    assert.equal(gitlab.accepts(leaked.token), false);
    assert.deepEqual(gitlab.violations, [], 'every request matched the OpenAPI excerpt');
    // The same value again: GitLab no longer accepts it, and the popup says so.
    await click(popup, '#leaked-again');
    await (await popup.waitForSelector('#leaked-secret'))!.type(leaked.token);
    await popup.waitForSelector('#leaked-target input[type=radio]');
    await popup.$$eval('#leaked-target label', (ls) => (ls.find((l) => l.textContent?.includes('Work GitLab'))!.querySelector('input') as HTMLInputElement).click());
    await popup.waitForFunction(() => !(document.querySelector('#leaked-next') as HTMLButtonElement).disabled);
    const second = await confirmAndWait(popup);
    assert.equal(second.outcome, 'not_found');
    assert.match(second.text, /does not accept this token: it is already revoked or expired/);
    await popup.close();
  });

  test('GitHub: the report goes to the (stand-in) revocation API only, in GitHub’s documented shape', async () => {
    githubSeen.length = 0;
    const gitlabBefore = gitlab.requests.length;
    const ghp = `ghp_${'Xy7Qw3Er5t'.repeat(4).slice(0, 36)}`;
    const popup = await openPopup();
    await paste(popup, ghp, /Recognised: GitHub classic personal access token/);
    assert.match(await text(popup, '#leaked-target'), /api\.github\.com/);
    assert.match(await text(popup, '#leaked-next'), /Continue to GitHub/);
    await click(popup, '#leaked-next');
    assert.match(await text(popup, '#leaked-go'), /Report to GitHub/);
    await click(popup, '#leaked-go');
    await popup.waitForSelector('#leaked-result:not([hidden])', { timeout: 15_000 });
    assert.match(await text(popup, '#leaked-result-text'), /Reported to GitHub: if it was a valid GitHub token, GitHub has revoked it/);
    assert.equal(githubSeen.length, 1);
    const [req] = githubSeen;
    assert.equal(req!.method, 'POST');
    assert.equal(req!.path, '/credentials/revoke');
    assert.equal(req!.headers['accept'], 'application/vnd.github+json');
    assert.equal(req!.headers['x-github-api-version'], '2022-11-28');
    assert.equal(req!.headers['authorization'], undefined);
    assert.equal(req!.headers['cookie'], undefined);
    assert.deepEqual(JSON.parse(req!.body), { credentials: [ghp] });
    assert.equal(gitlab.requests.length, gitlabBefore, 'no configured server saw it');
    const granted = await popup.evaluate(() => ((globalThis as any).browser ?? chrome).permissions.contains({ origins: ['https://api.github.com/*'] }));
    assert.equal(granted, true);
    await popup.close();
  });

  test('rotate with a grace period from the popup: both values work, the row says until when, "End grace now" ends the old one', async () => {
    const name = `rotating ${browserName}`;
    const original = await createToken(name);
    const popup = await openPopup();
    await popup.waitForFunction((n) => [...(document.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part="row"]') ?? [])].some((r) => r.textContent?.includes(n)), { timeout: 15_000 }, name);
    const menu = async (item: string): Promise<void> => {
      await click(popup, `pat-token-list >>> ::-p-aria(Actions for ${name})`);
      await click(popup, `pat-token-list >>> [part="menu"] ::-p-aria([name="${item}"][role="menuitem"])`);
    };
    // The kit's own confirmation (inside the list), with the grace choice: the popup adds no dialog of its own.
    await menu('Regenerate');
    const select = await popup.waitForSelector('pat-token-list >>> pat-confirm-dialog >>> select[name="choice"]', { visible: true, timeout: 5_000 });
    const choices = await select!.evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.textContent?.trim()));
    assert.deepEqual(choices, ['None', '1 hour', '1 day', '7 days'], 'none / 1 hour / 1 day / 7 days (the server allows up to 7 days)');
    assert.equal(await select!.evaluate((el) => (el as HTMLSelectElement).value), '0', 'none by default');
    assert.equal(await popup.$('body > dialog, body > pat-confirm-dialog'), null, 'one confirmation, the kit\u2019s');
    await select!.select('3600');
    const password = await popup.$('pat-token-list >>> pat-confirm-dialog >>> input[type=password]');
    if (password && (await password.isVisible())) await password.type(server.adminPassword);
    await click(popup, 'pat-token-list >>> pat-confirm-dialog >>> [part="confirm"]');
    const secretEl = await popup.waitForSelector('pat-reveal-dialog >>> [part="secret"]', { timeout: 10_000 });
    const renewed = (await secretEl!.evaluate((el) => el.textContent ?? '')).trim();
    assert.match(renewed, /^pat_[0-9A-Za-z]{36}$/);
    assert.match(await popup.$eval('pat-reveal-dialog >>> [part="grace"]', (el) => el.textContent ?? ''), /The old value keeps working until .+\(in (1 hour|60 minutes)\)/);
    assert.equal((await api('/users/me', { credential: original.secret })).status, 200, 'the old value still works during the grace');
    assert.equal((await api('/users/me', { credential: renewed })).status, 200, 'the new one works');
    const meta = (await api(`/tokens/${original.id}`, { credential: admin })).body;
    assert.ok(meta.rotation && Date.parse(meta.rotation.previous_valid_until) > Date.now() + 50 * 60_000, 'an hour of grace on the server');
    await click(popup, 'pat-reveal-dialog >>> [part="close"]');
    await click(popup, 'pat-reveal-dialog >>> [part="acknowledge"]');
    await popup.waitForFunction(() => !document.querySelector('pat-reveal-dialog'));

    // The row says until when the old value works; its menu offers "End grace now".
    const graceText = async (): Promise<string | null> =>
      popup.evaluate((n) => {
        const r = [...(document.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part="row"]') ?? [])].find((x) => x.textContent?.includes(n));
        return r ? (r.querySelector('.grace')?.textContent?.trim() ?? '') : null;
      }, name);
    await popup.waitForFunction(
      (n) => !![...(document.querySelector('pat-token-list')?.shadowRoot?.querySelectorAll('[part="row"]') ?? [])].find((x) => x.textContent?.includes(n))?.querySelector('.grace'),
      { timeout: 15_000 },
      name,
    );
    assert.match((await graceText()) ?? '', /^Old value works until .+ \(in (1 hour|60 minutes)\)$/);
    assert.equal(await popup.$('#rotation-view, #rotations'), null, 'no notice of the popup\u2019s own above the list');
    await menu('End grace now');
    await popup.waitForFunction((last4) => (document.querySelector('pat-token-list')?.shadowRoot?.querySelector('pat-confirm-dialog')?.shadowRoot?.textContent ?? '').includes(`(…${last4})`), { timeout: 5_000 }, original.secret.slice(-4));
    await click(popup, 'pat-token-list >>> pat-confirm-dialog >>> [part="confirm"]');
    for (let i = 0; i < 150 && (await graceText()) !== ''; i += 1) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await graceText(), '', 'the row no longer says the old value works');
    assert.equal((await api('/users/me', { credential: original.secret })).status, 401, 'the old value fails after the grace ended');
    assert.equal((await api('/users/me', { credential: renewed })).status, 200, 'the new one still works');
    assert.equal((await api(`/tokens/${original.id}`, { credential: admin })).body.rotation, null);
    await popup.close();
  });
}
