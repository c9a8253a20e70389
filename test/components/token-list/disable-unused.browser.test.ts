/**
 * "Unused for N days" and "Disable unused…" of <pat-token-list> (components/token-list/disable-unused.ts)
 * in real Chromium: the server's filter, its preview in the one confirmation, exactly the preview
 * disabled; the admin inventory; the same rule in property mode. Data comes from MemoryProvider, an
 * in-memory TEST DOUBLE of TokenProvider (test/support/memory-provider.ts), which implements the
 * server's rule for unused tokens.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { setupIgnoreWindowResizeObserverLoopErrors } from '@lit-labs/virtualizer/support/resize-observer-errors.js';
import type { PatTokenActionEvent } from '../../../components/shared/events.ts';
import type { PatTokenList } from '../../../components/token-list/token-list.component.ts';
import { MemoryProvider, makeToken, makeUser, nextFrame } from '../../support/memory-provider.ts';
import { describe, it, before, after } from '../../support/mocha.ts';
import { ago, confirmOf, confirmOpen, loaded, rows, sr } from './list-fixture.ts';

describe('<pat-token-list>: unused tokens', () => {
  setupIgnoreWindowResizeObserverLoopErrors(before, after);

    function unusedSet(): MemoryProvider {
      return new MemoryProvider({
        tokens: [
          makeToken({ name: 'fresh', created_at: ago(200), last_used_at: ago(2) }),
          makeToken({ name: 'stale', created_at: ago(200), last_used_at: ago(120) }),
          makeToken({ name: 'never used', created_at: ago(100) }),
          makeToken({ name: 'off', created_at: ago(300), status: 'disabled' }),
        ],
      });
    }

    it('"Unused for 90 days" asks the server, then "Disable unused…" previews, confirms and disables exactly the preview', async () => {
      const provider = unusedSet();
      const el = await loaded(provider);
      const select = sr(el).querySelector<HTMLSelectElement>('[part="unused-filter"]')!;
      expect([...select.options].map((o) => o.textContent!.trim())).to.deep.equal(['Any time', '30 days', '60 days', '90 days', '180 days', 'Other…']);
      expect(sr(el).querySelector('[part="disable-unused"]')).to.equal(null);
      select.value = '90';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => rows(el).length === 2 && !el.loading, 'filtered by the server');
      expect(provider.calls.filter(([m]) => m === 'listTokens').at(-1)![1]).to.include({ unused_days: 90 });
      expect(el.visibleTokens.map((t) => t.name).sort()).to.deep.equal(['never used', 'stale']);

      const action = oneEvent(el, 'pat-token-action') as Promise<PatTokenActionEvent>;
      sr(el).querySelector<HTMLButtonElement>('[part="disable-unused"]')!.click();
      const root = await confirmOpen(el);
      expect(root.textContent).to.contain('Disable 2 unused tokens?');
      expect([...root.querySelectorAll('.items li')].map((li) => li.textContent).sort()).to.deep.equal(['never used', 'stale']);
      expect(provider.calls.filter(([m]) => m === 'disableUnusedTokens').map((c) => (c[1] as { dry_run: boolean }).dry_run)).to.deep.equal([true]);
      expect(provider.tokens.filter((t) => t.status === 'disabled')).to.have.length(1);
      await expect(confirmOf(el)).to.be.accessible();
      // Used between the preview and the confirmation: the server spares it.
      provider.tokens = provider.tokens.map((t) => (t.name === 'never used' ? { ...t, last_used_at: new Date().toISOString() } : t));
      root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
      const done = await action;
      const real = provider.calls.filter(([m]) => m === 'disableUnusedTokens').at(-1)![1] as { dry_run: boolean; ids: string[]; days: number };
      expect(real.dry_run).to.equal(false);
      expect(real.days).to.equal(90);
      expect(real.ids).to.have.length(2);
      expect(done.detail).to.include({ action: 'disable-unused', handled: true, unusedDays: 90 });
      expect(done.detail.ids).to.have.length(1);
      expect(provider.tokens.find((t) => t.name === 'stale')!.status).to.equal('disabled');
      expect(provider.tokens.find((t) => t.name === 'never used')!.status).to.equal('active');
      await waitUntil(() => sr(el).querySelector('[part="notice"]')!.textContent === '1 token disabled.', 'result shown');
    });

    it('admin inventory: the preview names each token with its owner; nothing to disable says so', async () => {
      const alice = makeUser('u_alice', 'alice');
      const provider = new MemoryProvider({
        tokens: [
          makeToken({ name: 'old admin', created_at: ago(400) }),
          makeToken({ name: 'old alice', created_at: ago(400), owner: { kind: 'user', id: alice.id, username: 'alice', display_name: 'alice' } }),
        ],
      });
      const el = await loaded(provider, 'all');
      const select = sr(el).querySelector<HTMLSelectElement>('[part="unused-filter"]')!;
      select.value = '180';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => !el.loading && sr(el).querySelector('[part="disable-unused"]'));
      sr(el).querySelector<HTMLButtonElement>('[part="disable-unused"]')!.click();
      const root = await confirmOpen(el);
      expect([...root.querySelectorAll('.items li')].map((li) => li.textContent).sort()).to.deep.equal(['old admin (admin)', 'old alice (alice)']);
      expect((provider.calls.find(([m]) => m === 'disableUnusedTokens')![1] as { owner: string }).owner).to.equal('all');
      root.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
      await nextFrame();
      expect(provider.tokens.every((t) => t.status === 'active'), 'cancel changes nothing').to.equal(true);

      // A custom number of days; none of the tokens is that old.
      select.value = 'custom';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      const days = sr(el).querySelector<HTMLInputElement>('[part="unused-days"]')!;
      days.value = '0';
      days.dispatchEvent(new Event('change'));
      expect(days.validity.valid).to.equal(false);
      expect(days.validationMessage).to.equal('Enter a number of days from 1 to 3650.');
      days.value = '1000';
      days.dispatchEvent(new Event('change'));
      await waitUntil(() => !el.loading && provider.calls.filter(([m]) => m === 'listTokens').at(-1)![1] && (provider.calls.filter(([m]) => m === 'listTokens').at(-1)![1] as { unused_days?: number }).unused_days === 1000);
      await waitUntil(() => sr(el).querySelector('[part="disable-unused"]'));
      sr(el).querySelector<HTMLButtonElement>('[part="disable-unused"]')!.click();
      await waitUntil(() => sr(el).querySelector('[part="notice"]')!.textContent === 'No active tokens have gone unused for 1000 days.');
      expect(confirmOf(el).shadowRoot!.querySelector('dialog')!.open).to.equal(false);
      // One line says why nothing is listed: no "none yet", no second "no match" beside the notice.
      const state = sr(el).querySelector('[part="state"]')!;
      expect(state.textContent).not.to.contain('No personal access tokens yet.');
      expect(state.textContent!.trim()).to.equal('Clear filters');
      await expect(el).to.be.accessible();
    });

    it('nothing unused for 30 days: "No tokens match these filters." with Clear filters, which brings every token back', async () => {
      const provider = new MemoryProvider({ tokens: [makeToken({ name: 'busy', created_at: ago(200), last_used_at: ago(1) })] });
      const el = await loaded(provider);
      const select = sr(el).querySelector<HTMLSelectElement>('[part="unused-filter"]')!;
      select.value = '30';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => !el.loading && rows(el).length === 0, 'filtered by the server');
      const state = sr(el).querySelector('[part="state"]')!;
      expect(state.textContent).not.to.contain('No personal access tokens yet.');
      expect(state.querySelector('span')!.textContent).to.equal('No tokens match these filters.');
      await expect(el).to.be.accessible();
      sr(el).querySelector<HTMLButtonElement>('[part="clear-filters"]')!.click();
      await waitUntil(() => !el.loading && rows(el).length === 1, 'every token again');
      expect(provider.calls.filter(([m]) => m === 'listTokens').at(-1)![1]).not.to.have.property('unused_days');
      expect(sr(el).querySelector<HTMLSelectElement>('[part="unused-filter"]')!.value).to.equal('0');
      expect(sr(el).querySelector('[part="disable-unused"]')).to.equal(null);
      const search = sr(el).activeElement as HTMLInputElement;
      expect(search.type).to.equal('search');
      // A text filter too: the same line, and clearing empties the field.
      search.value = 'nothing like it';
      search.dispatchEvent(new InputEvent('input'));
      await waitUntil(() => sr(el).querySelector('[part="clear-filters"]'));
      expect(sr(el).querySelector('[part="state"] span')!.textContent).to.equal('No tokens match these filters.');
      sr(el).querySelector<HTMLButtonElement>('[part="clear-filters"]')!.click();
      await waitUntil(() => rows(el).length === 1);
      expect(sr(el).querySelector<HTMLInputElement>('[part="toolbar"] input[type="search"]')!.value).to.equal('');
    });

    it('property mode: the list filters by the same rule and hands the confirmed ids to the host', async () => {
      const provider = unusedSet();
      const el = await fixture<PatTokenList>(html`<pat-token-list .tokens=${provider.tokens}></pat-token-list>`);
      const select = sr(el).querySelector<HTMLSelectElement>('[part="unused-filter"]')!;
      select.value = '90';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      expect(el.visibleTokens.map((t) => t.name).sort()).to.deep.equal(['never used', 'stale']);
      const action = oneEvent(el, 'pat-token-action') as Promise<PatTokenActionEvent>;
      sr(el).querySelector<HTMLButtonElement>('[part="disable-unused"]')!.click();
      const root = await confirmOpen(el);
      root.querySelector<HTMLButtonElement>('[part="confirm"]')!.click();
      const done = await action;
      expect(done.detail).to.include({ action: 'disable-unused', handled: false, unusedDays: 90 });
      expect(done.detail.ids).to.have.length(2);
    });
});
