/**
 * The extension's defences against the pages it runs on, end to end: the built extension in real
 * Chromium and real Firefox ESR, a real patkit server, a mapped admin console and a third-party site
 * served by the test on loopback (two origins).
 * - docs/security.md rule 30: a third-party frame nested inside the mapped console frames
 *   role-panel.html (the clickjacking set-up of the review, at opacity 0.0001): that panel shows
 *   nothing to act on and the background refuses its messages, while the panel the console's own
 *   frame script opens works. A page that made up the panel's element in advance neither stops the
 *   panel nor reaches its button (closed shadow root).
 * - docs/security.md rule 34: with "keep me signed in", no content script can read the credential:
 *   in Chromium, `storage.local` is read from inside the extension's own content-script world (CDP);
 *   the credential still works after the extension restarts.
 * Run: `npx node --test --test-concurrency=1 --test-force-exit test/e2e/extension-security.test.ts`
 * (builds the extension first; `E2E_BROWSERS=chromium` for one browser).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'puppeteer-core';
import { startTestServer, type TestServer } from '../support/server.ts';
import { buildExtension, launchIn, type BrowserName, type LaunchedExtension } from './harness.ts';
import { click, fill, sendFromPage } from './pages.ts';
import { clickToggle, PANEL_HOST, panelOpen, waitForToggle } from './panel-host.ts';

declare const chrome: any;

const CREDENTIAL_RE = /pks_[0-9A-Za-z]{36}/;

before(() => {
  buildExtension('firefox');
  buildExtension('e2e');
});

/** A loopback site answering each path with the page `pages(path, query)` returns. */
async function site(pages: (path: string, query: URLSearchParams) => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(pages(url.pathname, url.searchParams));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const attr = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

for (const browserName of (process.env.E2E_BROWSERS?.split(',') ?? ['chromium', 'firefox']) as BrowserName[]) describe(`the extension against hostile pages in ${browserName}`, () => suite(browserName));

function suite(browserName: BrowserName): void {
  let server: TestServer;
  let ext: LaunchedExtension;
  let consoleSite: { server: Server; url: string };
  let thirdParty: { server: Server; url: string };
  let serverId = '';

  before(async () => {
    server = await startTestServer({ enablePats: true });
    thirdParty = await site((_path, q) => {
      // The attacker's frame: the panel twice, plain and with a made-up ticket, almost invisible.
      const panel = q.get('panel') ?? '';
      return `<!doctype html><title>Ad</title><p>Win a prize: click twice!</p>
        <iframe id="plain" style="opacity:0.0001" width="600" height="400" src="${attr(panel)}"></iframe>
        <iframe id="forged" style="opacity:0.0001" width="600" height="400" src="${attr(`${panel}#t=${'A'.repeat(43)}`)}"></iframe>`;
    });
    consoleSite = await site((path, q) => {
      if (path === '/admin/precreated') {
        // Runs before the content script (document_idle): makes up the panel's element with an open
        // root holding a fake button, and hooks attachShadow to catch any root made afterwards.
        return `<!doctype html><title>Admin console</title><h1>Admin console</h1>
          <div id="patkit-role-panel"></div>
          <script>
            window.caught = [];
            const real = Element.prototype.attachShadow;
            Element.prototype.attachShadow = function (init) { const r = real.call(this, init); window.caught.push(r); return r; };
            const fake = document.getElementById('patkit-role-panel').attachShadow({ mode: 'open' });
            fake.innerHTML = '<button hidden>patkit</button>';
          </script>`;
      }
      const nested = q.get('panel') ? `<iframe title="partner" width="640" height="440" src="${attr(`${thirdParty.url}/ad?panel=${encodeURIComponent(q.get('panel')!)}`)}"></iframe>` : '';
      return `<!doctype html><title>Admin console</title><h1>Admin console</h1><p>A console page served by the test.</p>${nested}`;
    });
    ext = await launchIn(browserName);
    // The real options page: the server, a password sign-in with "keep me signed in", the console mapping.
    const options = await ext.open('options.html');
    await options.waitForSelector('body[data-ready="true"]');
    await fill(options, '#server-form input[name=name]', 'Local');
    await options.select('#server-form select[name=kind]', 'patkit');
    await fill(options, '#server-form input[name=baseUrl]', server.url);
    await click(options, '#save-server');
    const card = '#server-list li.card';
    await fill(options, `${card} form.signin input[name=username]`, 'admin');
    await fill(options, `${card} form.signin input[name=password]`, server.adminPassword);
    await click(options, `${card} form.signin input[name=keep]`);
    await click(options, `${card} form.signin button[type=submit]`);
    await options.waitForSelector(`${card} .state[data-state="signed_in"]`, { timeout: 15_000 });
    await fill(options, '#panel-form input[name=pattern]', `${consoleSite.url}/*`);
    await click(options, '#panel-form button[type=submit]');
    await options.waitForSelector('#panel-list li');
    serverId = (await sendFromPage(options, 'servers.list', {})).value[0].id;
    await options.close();
  });

  after(async () => {
    await ext?.close();
    await server?.stop();
    for (const s of [consoleSite, thirdParty]) if (s) await new Promise((done) => s.server.close(done));
  });

  async function consolePage(path: string): Promise<Page> {
    const page = await ext.browser.newPage();
    await page.goto(`${consoleSite.url}${path}`);
    await page.bringToFront();
    return page;
  }

  /** Every role-panel frame in the page (static or dynamic extension URL), with whether the console's top frame is its parent. */
  async function panelFrames(page: Page): Promise<Array<{ frame: Frame; direct: boolean }>> {
    const isPanel = (href: string): boolean => /^(chrome|moz)-extension:\/\/[^/]+\/role-panel\.html/.test(href);
    const found: Array<{ frame: Frame; direct: boolean }> = [];
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      // Firefox's BiDi may name a child frame about:blank until it is asked about its document.
      const href = isPanel(frame.url()) ? frame.url() : await frame.evaluate(() => location.href).catch(() => '');
      if (isPanel(href)) found.push({ frame, direct: frame.parentFrame() === page.mainFrame() });
    }
    return found;
  }

  /** Chromium: evaluates in the extension's content-script world of a console page (CDP). */
  async function inContentScript<T>(page: Page, expression: string): Promise<T> {
    const cdp = await page.createCDPSession();
    const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
    cdp.on('Runtime.executionContextCreated', (e: { context: (typeof contexts)[number] }) => void contexts.push(e.context));
    await cdp.send('Runtime.enable');
    const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.startsWith(ext.origin));
    assert.ok(world, `the content script's world is there (${JSON.stringify(contexts)})`);
    const got = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true });
    await cdp.detach();
    return (got.result as { value?: unknown }).value as T;
  }

  async function waitForPanels(page: Page, count: number): Promise<Array<{ frame: Frame; direct: boolean }>> {
    for (let i = 0; i < 150; i += 1) {
      const found = await panelFrames(page);
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`expected ${count} role-panel frames; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
  }

  test('a page that made up the panel element in advance neither stops the panel nor reaches its button', async () => {
    const page = await consolePage('/admin/precreated');
    await waitForToggle(page, false, 15_000);
    const seen = await page.evaluate((host) => {
      const el = document.querySelector(host)!;
      return { ours: el.getAttribute('data-open'), shadow: el.shadowRoot === null ? 'none' : 'open', caught: (window as any).caught.length };
    }, PANEL_HOST);
    assert.equal(seen.ours, 'false', 'the id names the extension\'s own element now');
    assert.equal(seen.shadow, 'none', 'its root is closed: the page cannot reach the button');
    assert.equal(seen.caught, 1, 'the page\'s attachShadow hook saw only its own root, not the extension\'s');
    // What the page can do: click its host and fire made-up events. Nothing opens.
    await page.evaluate((host) => {
      const el = document.querySelector(host) as HTMLElement;
      el.click();
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    }, PANEL_HOST);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await panelOpen(page), 'false');
    assert.equal((await panelFrames(page)).length, 0);
    // A person's click opens it, and the panel works.
    await clickToggle(page);
    await waitForToggle(page, true, 5_000);
    const [panel] = await waitForPanels(page, 1);
    await panel!.frame.waitForSelector('pat-role-manager >>> [part="user"]', { timeout: 15_000 });
    await clickToggle(page); // closed again, so the next console page starts closed
    await waitForToggle(page, false, 5_000);
    await page.close();
  });

  test('a third-party frame inside the mapped console cannot frame a working role panel; the console itself opens a working one', async () => {
    let panelUrl = `${ext.origin}/role-panel.html`;
    if (ext.name === 'chromium') {
      // What the browser enforces (use_dynamic_url): the panel at the extension's fixed id cannot be framed at all.
      const blocked = await consolePage(`/admin/users?panel=${encodeURIComponent(panelUrl)}`);
      for (let i = 0; i < 100 && blocked.frames().filter((f) => f.url().startsWith('chrome-error://')).length < 2; i += 1) await new Promise((r) => setTimeout(r, 100));
      assert.equal(blocked.frames().filter((f) => f.url().startsWith('chrome-error://')).length, 2, 'both attacker frames were refused by the browser');
      assert.deepEqual(await panelFrames(blocked), [], 'no panel loads under the fixed id');
      await waitForToggle(blocked);
      // Suppose the attacker learned this session's dynamic URL anyway (here: read from the content script).
      panelUrl = await inContentScript<string>(blocked, 'chrome.runtime.getURL("/role-panel.html")');
      assert.notEqual(new URL(panelUrl).origin, ext.origin, 'a dynamic URL, not the fixed id');
      await blocked.close();
    }
    // What our check enforces: the panel loads in the nested frame, and is refused.
    const page = await consolePage(`/admin/users?panel=${encodeURIComponent(panelUrl)}`);
    const nested = await waitForPanels(page, 2);
    assert.deepEqual(nested.map((p) => p.direct), [false, false], 'both attacker panels sit under the third-party frame');
    for (const { frame } of nested) {
      await frame.waitForSelector('body[data-ready]', { timeout: 15_000 });
      const state = await frame.evaluate(() => ({
        ready: document.body.dataset.ready,
        status: document.querySelector('#status')?.textContent ?? '',
        roles: (document.querySelector('#roles') as HTMLElement).hidden,
        inventory: (document.querySelector('#inventory') as HTMLElement).hidden,
        elements: document.querySelectorAll('pat-role-manager, pat-token-list, button, input').length,
      }));
      assert.equal(state.ready, 'error', JSON.stringify(state));
      assert.match(state.status, /console panel/i, 'it says why');
      assert.deepEqual([state.roles, state.inventory, state.elements], [true, true, 0], 'nothing to click');
      // Its own messages are refused by the background too: no reading, no role change.
      for (const [type, payload] of [
        ['roles.list', { serverId }],
        ['users.list', { serverId }],
        ['users.setRoles', { serverId, userId: 'usr_x', roles: ['admin'] }],
      ] as const) {
        const answer = await sendFromPage(frame, type, payload);
        assert.equal(answer.error?.code, 'forbidden', `${type}: ${JSON.stringify(answer)}`);
      }
    }
    // The console's own frame script opens a direct panel, which shows the roles.
    await clickToggle(page);
    await waitForToggle(page, true, 5_000);
    const all = await waitForPanels(page, 3);
    const direct = all.filter((p) => p.direct);
    assert.equal(direct.length, 1);
    await direct[0]!.frame.waitForSelector('pat-role-manager >>> [part="user"]', { timeout: 15_000 });
    assert.equal((await sendFromPage(direct[0]!.frame, 'roles.list', { serverId })).ok, true);
    // Its confirmation is not the attacker frames': they are still refused.
    for (const { frame } of all.filter((p) => !p.direct)) {
      assert.equal((await sendFromPage(frame, 'roles.list', { serverId })).error?.code, 'forbidden');
    }
    await clickToggle(page);
    await waitForToggle(page, false, 5_000);
    await page.close();
  });

  test('no content script can read the kept ("keep me signed in") credential', async () => {
    const options = await ext.open('options.html');
    const local = JSON.stringify(await options.evaluate(() => ((globalThis as any).browser ?? chrome).storage.local.get(null)));
    assert.match(local, /patkit:cred:/, 'the kept credential is in storage.local (sealed)');
    assert.doesNotMatch(local, CREDENTIAL_RE, 'storage.local, which content scripts can read, holds no credential');
    await options.close();
    if (ext.name === 'chromium') {
      // From inside the extension's own content-script world on a mapped console page (CDP).
      const page = await consolePage('/admin/users');
      await waitForToggle(page);
      const text = await inContentScript<string>(page, 'chrome.storage.local.get(null).then((all) => JSON.stringify(all))');
      assert.match(text, /patkit:settings/, 'the read really ran in the content script and saw storage.local');
      assert.doesNotMatch(text, CREDENTIAL_RE);
      const session = await inContentScript<string>(page, 'chrome.storage.session.get(null).then(() => "readable", (e) => "refused: " + e.message)');
      assert.match(session, /^refused/, 'storage.session stays closed to content scripts');
      await page.close();
      // As after a browser restart: storage.session emptied, the service worker stopped (CDP), so the
      // next message starts a fresh background that must open the sealed credential from storage.local.
      const again = await ext.open('options.html');
      await again.waitForSelector('body[data-ready="true"]');
      await again.evaluate(() => chrome.storage.session.clear());
      const before = await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(ext.origin));
      const pageCdp = await again.createCDPSession();
      await pageCdp.send('ServiceWorker.enable');
      await pageCdp.send('ServiceWorker.stopAllWorkers');
      await pageCdp.detach();
      await new Promise((r) => setTimeout(r, 500));
      const session2 = await again.evaluate(() => chrome.storage.session.get(null));
      assert.doesNotMatch(JSON.stringify(session2), CREDENTIAL_RE, 'nothing was left in storage.session');
      const list = await sendFromPage(again, 'tokens.list', { serverId });
      assert.equal(list.ok, true, JSON.stringify(list));
      assert.equal((await sendFromPage(again, 'auth.status', { serverId })).value.state, 'signed_in');
      const now = await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(ext.origin), { timeout: 5_000 });
      assert.notEqual(now, before, 'a new service worker answered');
      await again.close();
    }
  });
}
