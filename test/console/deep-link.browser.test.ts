/**
 * Deep links survive sign-in, against the REAL server the runner starts: a console opened at
 * `#/webhooks` while signed out shows the sign-in page, and signing in lands on Webhooks, not on
 * My tokens. Without a hash, sign-in lands on My tokens. Mounted in bearer mode for the same
 * reason as console.browser.test.ts (the page is not on the server's origin).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { mountConsole } from '../../console/app.ts';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import { after, before, describe, it } from '../support/mocha.ts';
import { loadEnv } from '../support/real-server.ts';
import { submitSignIn } from './console-driver.ts';

// The token list's row measuring can raise the browser's benign "ResizeObserver loop" notice,
// which would otherwise fail a test through window.onerror (as in the kit's own list tests).
setupIgnoreWindowResizeObserverLoopErrors(before, after);

const root = document.createElement('div');

async function signIn(password: string): Promise<void> {
  await submitSignIn(root, 'admin', password);
  await waitUntil(() => root.querySelector('nav a[aria-current="page"]'), 'signed in', { timeout: 5000 });
}

describe('console: deep links and sign-in', () => {
  after(() => {
    root.remove();
    history.replaceState(null, '', location.pathname + location.search);
  });

  it('signing in from #/webhooks lands on Webhooks; signing in with no hash lands on My tokens', async () => {
    const env = await loadEnv();
    history.replaceState(null, '', `${location.pathname}${location.search}#/webhooks`);
    document.body.append(root);
    await mountConsole(root, { baseUrl: env.serverUrl, sessionMode: 'bearer' });
    await signIn(env.adminPassword);
    expect(root.querySelector('nav a[aria-current="page"]')!.getAttribute('data-route')).to.equal('webhooks');
    expect(location.hash).to.equal('#/webhooks');
    await waitUntil(() => root.querySelector('main h1')?.textContent === 'Webhooks', 'the Webhooks page');

    // Sign out clears the place; the next sign-in starts on My tokens.
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Sign out')!.click();
    await signIn(env.adminPassword);
    expect(root.querySelector('nav a[aria-current="page"]')!.getAttribute('data-route')).to.equal('my-tokens');
    expect(location.hash).to.equal('#/my-tokens');
  });
});
