/**
 * The list's later part (components/token-list/later.ts: the confirmation, the actions, the row
 * menu and keyboard controllers) is not loaded with the list: it comes when the list is idle after
 * its first render, or on the first key if that comes sooner, and that key still works. Each test
 * file runs in a page of its own, so nothing here has fetched the part before this test.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../components/token-list/token-list.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import { makeTokens } from '../../support/memory-provider.ts';
import { describe, it } from '../../support/mocha.ts';
import { rows, sr } from './list-fixture.ts';

describe('<pat-token-list> later part', () => {
  it('a key pressed before the later part arrives fetches it and is handled then; the confirmation is defined from it', async () => {
    const el = await fixture<PatTokenList>(html`<pat-token-list .tokens=${makeTokens(5)}></pat-token-list>`);
    expect(customElements.get('pat-confirm-dialog'), 'not loaded with the list').to.equal(undefined);
    const first = rows(el).find((r) => r.dataset.index === '0')!;
    first.focus();
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    await waitUntil(() => sr(el).activeElement?.getAttribute('data-index') === '1', 'the early ArrowDown moved focus');
    expect(customElements.get('pat-confirm-dialog'), 'defined with the later part').to.not.equal(undefined);
  });
});
