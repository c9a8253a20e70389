/**
 * The list's later part is fetched when the list is idle after its first render, with no action
 * (so the first destructive action does not wait for the network): `<pat-confirm-dialog>` gets
 * defined on its own. Its own file: a page where nothing has fetched the part yet.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/token-list/token-list.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import { makeTokens } from '../../support/memory-provider.ts';
import { describe, it } from '../../support/mocha.ts';
import { confirmOf, rows } from './list-fixture.ts';

describe('<pat-token-list> idle prefetch', () => {
  it('defines the confirmation after the first render without any action, upgrading the one in its template', async () => {
    const el = await fixture<PatTokenList>(html`<pat-token-list .tokens=${makeTokens(3)}></pat-token-list>`);
    expect(rows(el)).to.have.length(3);
    expect(customElements.get('pat-confirm-dialog'), 'not loaded with the list').to.equal(undefined);
    await waitUntil(() => customElements.get('pat-confirm-dialog'), 'fetched when idle', { timeout: 5000 });
    await waitUntil(() => confirmOf(el).shadowRoot, 'the template\u2019s dialog upgraded');
  });
});
