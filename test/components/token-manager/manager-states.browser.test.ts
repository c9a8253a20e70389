/**
 * <pat-token-manager> when it cannot create: signed out (the real patkit server, cookie mode from
 * another origin, nobody signed in — the README's old npm snippet) and `capabilities.create.allowed`
 * false (MemoryProvider, an in-memory TEST DOUBLE of TokenProvider).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import '../../../components/token-manager/token-manager.ts';
import type { PatTokenManager } from '../../../components/token-manager/token-manager.component.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import { createReferenceServerProvider } from '../../../lib/providers/reference-server/provider.ts';
import { ProviderError } from '../../../lib/errors.ts';
import { MemoryProvider, makeToken } from '../../support/memory-provider.ts';
import { loadEnv } from '../../support/real-server.ts';
import { describe, it, before, after } from '../../support/mocha.ts';

const sr = (el: Element): ShadowRoot => el.shadowRoot!;
const SIGNED_OUT = 'You are signed out. Sign in to see and create your tokens.';

describe('<pat-token-manager> without Create', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

  it('signed out against the real server (cookie mode across origins): says so in user words, no Create, no list', async () => {
    const env = await loadEnv();
    const provider = createReferenceServerProvider({ baseUrl: env.serverUrl, sessionMode: 'cookie' });
    const el = await fixture<PatTokenManager>(html`<pat-token-manager .provider=${provider} heading="My tokens"></pat-token-manager>`);
    await waitUntil(() => sr(el).querySelector('[part="message"]'), 'signed-out notice', { timeout: 10000 });
    expect(sr(el).querySelector('[part="message"]')!.textContent).to.equal(SIGNED_OUT);
    expect(sr(el).querySelector('[part="create"]'), 'no Create offered').to.equal(null);
    expect(sr(el).querySelector('pat-token-list'), 'no list of nothing').to.equal(null);
    expect(sr(el).textContent).not.to.match(/csrf|unauthorized|401/i);
    await expect(el).to.be.accessible();
  });

  it('signing in afterwards and pressing "Try again" brings the list and Create back', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'kept' })] });
    // Signed out until the test signs in (the double's currentUser has no failure hook of its own).
    let signedIn = false;
    const me = provider.me;
    provider.currentUser = async () => {
      if (!signedIn) throw new ProviderError('unauthorized', 'Session expired (401).');
      return me;
    };
    const el = await fixture<PatTokenManager>(html`<pat-token-manager .provider=${provider}></pat-token-manager>`);
    await waitUntil(() => sr(el).querySelector('[part="retry"]'), 'retry offered');
    expect(sr(el).querySelector('[part="message"]')!.textContent).to.equal(SIGNED_OUT);
    signedIn = true;
    sr(el).querySelector<HTMLButtonElement>('[part="retry"]')!.click();
    await waitUntil(() => sr(el).querySelector('[part="create"]'), 'Create back');
    const list = sr(el).querySelector('pat-token-list') as PatTokenList;
    await waitUntil(() => list.tokens.length === 1, 'list loaded');
    expect(sr(el).querySelector('[part="message"]')).to.equal(null);
  });

  it('a list alone that is signed out shows the user words, not the server code', async () => {
    const provider = new MemoryProvider();
    provider.failNext.set('listTokens', new ProviderError('forbidden', 'csrf_failed: Origin not allowed', { serverCode: 'csrf_failed' }));
    const el = await fixture<PatTokenList>(html`<pat-token-list .provider=${provider}></pat-token-list>`);
    await waitUntil(() => sr(el).querySelector('[part="state"][role="alert"]'), 'error state');
    expect(sr(el).querySelector('[part="state"]')!.textContent).to.contain(SIGNED_OUT);
    expect(sr(el).querySelector('[part="state"]')!.textContent).not.to.contain('csrf');
  });

  it('create.allowed false: the reason instead of Create, and no "Copy as new token" in the row menu', async () => {
    const provider = new MemoryProvider({ tokens: [makeToken({ name: 'mine' })] });
    const reason = 'Your role may not create tokens. Ask a System Admin for the "Create personal access tokens" permission.';
    provider.capabilities = { ...provider.capabilities, create: { allowed: false, reason } };
    const el = await fixture<PatTokenManager>(html`<pat-token-manager .provider=${provider}></pat-token-manager>`);
    const list = sr(el).querySelector('pat-token-list') as PatTokenList;
    await waitUntil(() => !list.loading && sr(list).querySelector('[part~="row"]'), 'loaded');
    expect(sr(el).querySelector('[part="message"]')!.textContent).to.equal(reason);
    expect(sr(el).querySelector('[part="create"]')).to.equal(null);
    sr(list).querySelector<HTMLButtonElement>('.menu-trigger')!.click();
    await waitUntil(() => sr(list).querySelector('[part="menu"]'));
    const actions = [...sr(list).querySelectorAll<HTMLElement>('[part="menu"] [data-action]')].map((b) => b.dataset.action);
    expect(actions).to.include('edit');
    expect(actions).not.to.include('clone');
    await expect(el).to.be.accessible();
  });

  it('create.allowed false without a reason: a generic sentence', async () => {
    const provider = new MemoryProvider();
    provider.capabilities = { ...provider.capabilities, create: { allowed: false, reason: null } };
    const el = await fixture<PatTokenManager>(html`<pat-token-manager .provider=${provider}></pat-token-manager>`);
    await waitUntil(() => sr(el).querySelector('[part="message"]'));
    expect(sr(el).querySelector('[part="message"]')!.textContent).to.equal('You cannot create tokens on this server.');
  });
});
