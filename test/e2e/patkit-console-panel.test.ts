/**
 * The role panel on patkit's own admin console (the kit-built `console/`, as the reference server
 * serves it, with its strict CSP, `Referrer-Policy: no-referrer` and `X-Frame-Options: DENY`), in
 * real Chromium and real Firefox ESR: the console is mapped on the options page, an admin signed
 * in to the console opens the panel, and the panel lists the server's users with the extension's
 * identity. With `PATKIT_SCREENSHOTS=1` the Chromium run writes the docs' screenshot.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { buildExtension, launchIn, ROOT, type BrowserName, type LaunchedExtension } from './harness.ts';
import { click, extensionFrame, fill } from './pages.ts';
import { clickToggle, waitForToggle } from './panel-host.ts';
import { docsScreenshot } from './screenshots.ts';

before(() => {
  buildExtension('firefox');
  buildExtension('e2e');
  // The console the server serves at `/` is the built one (dist/console).
  const kit = spawnSync('npm', ['run', '--silent', 'build:kit'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (kit.status !== 0) throw new Error(`build:kit failed:\n${kit.stdout}\n${kit.stderr}`);
});

for (const browserName of (process.env.E2E_BROWSERS?.split(',') ?? ['chromium', 'firefox']) as BrowserName[]) {
  describe(`the role panel on patkit's console, in ${browserName}`, () => journey(browserName));
}

function journey(browserName: BrowserName): void {
  let server: TestServer;
  let ext: LaunchedExtension;

  before(async () => {
    server = await startTestServer({ enablePats: true });
    ext = await launchIn(browserName);
  });

  after(async () => {
    await ext?.close();
    await server?.stop();
  });

  test('the panel on patkit’s own admin console: mapped, opened over the signed-in console, acting as the extension’s account', async () => {
    const options = await ext.open('options.html');
    await options.waitForSelector('body[data-ready="true"]');
    await fill(options, '#server-form input[name=name]', 'patkit');
    await options.select('#server-form select[name=kind]', 'patkit');
    await fill(options, '#server-form input[name=baseUrl]', server.url);
    await click(options, '#save-server');
    await options.waitForSelector('#server-list li.card .state[data-state="signed_out"]', { timeout: 10_000 });
    await fill(options, '#server-list li.card form.signin input[name=username]', 'admin');
    await fill(options, '#server-list li.card form.signin input[name=password]', server.adminPassword);
    await click(options, '#server-list li.card form.signin button[type=submit]');
    await options.waitForSelector('#server-list li.card .state[data-state="signed_in"]', { timeout: 15_000 });
    await fill(options, '#panel-form input[name=pattern]', `${server.url}/*`);
    await click(options, '#panel-form button[type=submit]');
    await options.waitForSelector('#panel-list li', { timeout: 10_000 });

    const page = await ext.browser.newPage();
    await page.goto(`${server.url}/`);
    await page.bringToFront();
    // The console's own sign-in (its cookie session), as an admin uses it.
    await fill(page, '#username', 'admin');
    await fill(page, '#password', server.adminPassword);
    await click(page, 'form.signin button[type=submit]');
    await page.waitForSelector('header.topbar .who', { timeout: 15_000 });
    // The button lives in the frame script's closed shadow root: reached as a person reaches it.
    await waitForToggle(page);
    await clickToggle(page);
    await waitForToggle(page, true, 5_000);
    const frame = await extensionFrame(page, ext, '/role-panel.html');
    assert.ok(frame, 'the panel frame is in the console');
    await frame.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    await frame.waitForSelector('pat-role-manager >>> [part="user"]', { timeout: 15_000 });
    assert.match(await frame.$eval('#identity', (e) => e.textContent ?? ''), /^as \S.* on patkit$/);
    assert.match(await frame.$eval('#status', (e) => e.textContent ?? ''), /^Changes here are made as admin/);
    const labels = await frame.$$eval('pat-role-manager >>> [part="user"] label.switch', (ls) => ls.map((l) => l.textContent?.trim()));
    assert.ok(labels.includes('Allow this account to generate personal access tokens'), labels.join(', '));
    if (browserName === 'chromium') await docsScreenshot(page, 'console-panel-patkit.png');
    await page.close();
    await options.close();
  });
}
