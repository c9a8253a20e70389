/**
 * A host's own read-only provider (four members through defineProvider) drives <pat-token-list>
 * in real Chromium: the list loads and searches through it and offers nothing the provider lacks
 * (no Delete, Disable, Regenerate, Edit or copy as a new token).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/token-list/token-list.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import { describe, it } from '../../support/mocha.ts';
import { listedToken, readOnlyProvider } from './read-only-provider.ts';

const rows = (el: PatTokenList): HTMLElement[] => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="row"]')];

describe('defineProvider: a read-only provider in <pat-token-list> (Chromium)', () => {
  it('lists through the provider and offers only what it has', async () => {
    const provider = readOnlyProvider([1, 2, 3].map(listedToken));
    const el = await fixture<PatTokenList>(html`<pat-token-list .provider=${provider}></pat-token-list>`);
    await waitUntil(() => !el.loading && rows(el).length === 3, 'three rows from the provider');
    expect(el.tokens.map((t) => t.id)).to.have.members(['tok_1', 'tok_2', 'tok_3']);

    const menuButton = rows(el)[0]!.querySelector<HTMLButtonElement>('[aria-haspopup="menu"]')!;
    menuButton.click();
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="menu"]'), 'row menu open');
    const actions = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="menu"] [role="menuitem"]')].map((b) => b.textContent!.trim());
    expect(actions).to.deep.equal(['Details', 'Copy token ID']);
  });
});
