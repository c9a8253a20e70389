/**
 * Slots and the not-connected state of the single components (the manager's are in
 * token-manager/manager-api.browser.test.ts): `<pat-token-list>`'s `empty` slot and its state before
 * a provider is set, `<pat-reveal-dialog>`'s `instructions` slot. MemoryProvider is an in-memory
 * TEST DOUBLE of TokenProvider (test/support/memory-provider.ts).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../components/token-list/token-list.ts';
import '../../components/reveal-dialog/reveal-dialog.ts';
import type { PatTokenList } from '../../components/token-list/token-list.component.ts';
import { PatRevealDialog } from '../../components/reveal-dialog/reveal-dialog.component.ts';
import { MemoryProvider, makeSecret, makeToken } from '../support/memory-provider.ts';
import { describe, it } from '../support/mocha.ts';

const state = (el: PatTokenList): Element | null => el.shadowRoot!.querySelector('[part="state"]');

describe('slots and the not-connected state', () => {
  it('<pat-token-list> without a provider or tokens says it is not connected; given tokens (even none) or a provider, it is not', async () => {
    const el = await fixture<PatTokenList>(html`<pat-token-list></pat-token-list>`);
    expect(state(el)!.textContent).to.equal('Not connected to a token server yet.');
    await expect(el).to.be.accessible();
    // Property mode: the host says there are none.
    el.tokens = [];
    await el.updateComplete;
    expect(state(el)!.textContent).to.equal('No personal access tokens yet.');
    const connected = await fixture<PatTokenList>(html`<pat-token-list .provider=${new MemoryProvider()}></pat-token-list>`);
    await waitUntil(() => state(connected)?.textContent === 'No personal access tokens yet.', 'empty once loaded');
  });

  it('<pat-token-list slot="empty">: the host\'s own empty state replaces the words, and goes when tokens come', async () => {
    const el = await fixture<PatTokenList>(html`<pat-token-list .tokens=${[]}><p slot="empty">No tokens. <a href="#new">Create one</a></p></pat-token-list>`);
    const slot = state(el)!.querySelector('slot[name="empty"]') as HTMLSlotElement;
    expect(slot.assignedElements().map((e) => e.textContent)).to.deep.equal(['No tokens. Create one']);
    await expect(el).to.be.accessible();
    el.tokens = [makeToken({ name: 'first' })];
    await el.updateComplete;
    expect(state(el)).to.equal(null);
  });

  it('<pat-reveal-dialog slot="instructions">: the host\'s words replace the default instructions; the default otherwise', async () => {
    const dialog = new PatRevealDialog();
    const own = document.createElement('span');
    own.slot = 'instructions';
    own.textContent = 'Paste it into your CI secrets now.';
    dialog.append(own);
    document.body.append(dialog);
    void dialog.show({ token: makeToken({ name: 'ci' }), secret: makeSecret() });
    await waitUntil(() => dialog.shadowRoot!.querySelector('slot[name="instructions"]'), 'secret view');
    const slot = dialog.shadowRoot!.querySelector('slot[name="instructions"]') as HTMLSlotElement;
    expect(slot.assignedElements()).to.deep.equal([own]);
    dialog.remove();

    const plain = PatRevealDialog.reveal({ token: makeToken({ name: 'ci' }), secret: makeSecret() });
    const shown = document.body.lastElementChild as PatRevealDialog;
    await waitUntil(() => shown.shadowRoot!.querySelector('slot[name="instructions"]'), 'secret view');
    expect(shown.shadowRoot!.querySelector('#reveal-intro')!.textContent).to.contain('Copy the access token now');
    // reveal() re-exports the dialog's parts as reveal-… for the root it opens in.
    expect(shown.getAttribute('exportparts')).to.contain('copy:reveal-copy');
    shown.remove();
    void plain;
  });
});
